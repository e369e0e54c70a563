import { OutgoingRules } from '../../core/rules';

/**
 * How Mixer takes chat. Neither the developer docs nor the official client state a length limit;
 * 360 characters is what Mixer's web chat enforced, used here as an undocumented assumption. Its
 * documented error 4005 is a rate limit with no published numbers: parts go one per 1.5 s.
 */
export const MIXER_RULES: OutgoingRules = {
  maxLength: 360,
  countChars: 'codePoints',
  allowsNewlines: true,
  pace: { messages: 2, windowMs: 3000 },
};

/** Mixer's longest chat message. */
export const MIXER_MAX_MESSAGE_LENGTH = MIXER_RULES.maxLength;
