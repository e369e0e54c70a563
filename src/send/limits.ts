import type { PlatformId } from '../core/message';
import type { OutgoingRules } from '../core/rules';
import { GLIMESH_RULES } from '../platforms/glimesh';
import { MIXER_RULES } from '../platforms/mixer';
import { TAU_RULES } from '../platforms/tau';

export type { OutgoingRules } from '../core/rules';

/** Each platform's outgoing rules, as its own `rules.ts` defines them. */
export const OUTGOING_RULES: Record<PlatformId, OutgoingRules> = {
  glimesh: GLIMESH_RULES,
  mixer: MIXER_RULES,
  tau: TAU_RULES,
};
