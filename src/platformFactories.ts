import { PlatformId } from './core/message';
import type { PlatformFactory } from './platformClients';
import { glimeshPlatformFactory } from './platforms/glimesh';
import { mixerPlatformFactory } from './platforms/mixer';
import { tauPlatformFactory } from './platforms/tau';

/** Maps each platform id to its client factory, converting raw settings into the platform's own type. */
export const PLATFORM_FACTORIES: Partial<Record<PlatformId, PlatformFactory>> = {
  glimesh: glimeshPlatformFactory,
  mixer: mixerPlatformFactory,
  tau: tauPlatformFactory,
};
