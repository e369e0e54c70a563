import { OutgoingRules, cutLine } from '../../core/rules';

/**
 * How Twitch (through TAU) takes chat: 500 characters, and TAU writes the text as a raw IRC line,
 * so a newline would inject IRC commands. Twitch allows 20 messages per 30 s for the whole
 * account, so the parts of a long send go one every 2 s (15 per 30 s), leaving room for what the
 * streamer types meanwhile.
 */
export const TAU_RULES: OutgoingRules = {
  maxLength: 500,
  countChars: 'codePoints',
  allowsNewlines: false,
  pace: { messages: 1, windowMs: 2000 },
};

/** Twitch's longest chat message, in characters. */
export const TWITCH_MAX_LENGTH = TAU_RULES.maxLength;

/** Twitch's limit for a regular chatter, which every line the client writes keeps to. */
export const TWITCH_RATE_LIMIT = { messages: 20, windowMs: 30_000 };

/** One send is split into at most this many messages' worth of text (one rate-limit window). */
export const MAX_SPLIT_MESSAGES = TWITCH_RATE_LIMIT.messages;

/**
 * Splits text for Twitch through TAU: one message per line (TAU writes each as a raw IRC line,
 * so a newline would inject IRC commands), each at most 500 code points, cut at a space when one
 * is near, never inside a surrogate pair. Blank lines are dropped.
 */
export function splitForTwitch(text: string, maxLength = TWITCH_MAX_LENGTH): string[] {
  return text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .flatMap((line) =>
      // Control characters have no business in an IRC line.
      // eslint-disable-next-line no-control-regex
      cutLine(line.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ''), maxLength, 'codePoints', {
        atSpace: true,
      }),
    )
    .filter((m) => m.trim().length > 0);
}
