import { PLATFORM_LABELS, PlatformId } from '../core/message';

/**
 * What a platform does with a line break inside one message:
 * - `kept`: shown as a new line (Mixer, assumed; see below);
 * - `collapsed`: accepted but shown as a space, so code runs together (Glimesh);
 * - `forbidden`: must never be sent (TAU writes the text into a raw IRC line).
 */
export type LineBreaks = 'kept' | 'collapsed' | 'forbidden';

/** How a platform takes outgoing chat. */
export interface OutgoingRules {
  /** Longest message, in code points (see `lengthOf`). */
  readonly maxLength: number;
  readonly lineBreaks: LineBreaks;
  /** Pacing for multi-part sends: at most `messages` per `windowMs` (sliding window). */
  readonly pace: { readonly messages: number; readonly windowMs: number };
}

/**
 * Per-platform rules. Each number says where it comes from:
 *
 * Glimesh: `validate_length(:message, min: 1, max: 255)` in the server (research §4.4; the web
 * form's `maxlength` is 255 too). The server accepts line breaks, but the web chat renders the
 * text HTML-escaped in a bubble without `white-space: pre` (glimesh.tv `chat_live/index.html.heex`,
 * `components/chat.scss`), so lines would run together: we treat them as `collapsed` and join
 * lines with a visible separator. No rate limit in the app code (§4.4): we pace politely at one
 * message a second.
 *
 * Mixer: neither the developer docs nor the official client state a length; 360 is what Mixer's
 * web chat enforced (the same assumption as `MIXER_MAX_MESSAGE_LENGTH` in the Mixer client).
 * Its chat renders line breaks (assumed; the service is gone). The socket answers error 4005
 * `RateLimited` without published numbers (§3.3): one message per 1.5 s keeps well under it.
 *
 * Twitch through TAU: 500 characters; TAU sends `PRIVMSG #chan :text` without stripping line
 * breaks (§5.5), so a newline would inject IRC commands: `forbidden`. Twitch allows a normal
 * account 20 messages per 30 s and ignores it for 30 minutes past that; we pace one every 2 s
 * (15 per 30 s), leaving room for what the streamer types meanwhile.
 */
export const OUTGOING_RULES: Readonly<Record<PlatformId, OutgoingRules>> = {
  glimesh: { maxLength: 255, lineBreaks: 'collapsed', pace: { messages: 1, windowMs: 1000 } },
  mixer: { maxLength: 360, lineBreaks: 'kept', pace: { messages: 1, windowMs: 1500 } },
  tau: { maxLength: 500, lineBreaks: 'forbidden', pace: { messages: 1, windowMs: 2000 } },
};

/**
 * A message's length as the limits count it: code points. Glimesh counts graphemes and Twitch
 * code points, so a text within this count is within both (a grapheme is at least one code point).
 */
export function lengthOf(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Why `text` cannot go to `platform` as one message, or undefined when it can. `maxLength`
 * defaults to the platform's rule (the host passes the connected client's own figure).
 */
export function messageProblem(platform: PlatformId, text: string, maxLength = OUTGOING_RULES[platform].maxLength): string | undefined {
  const length = lengthOf(text);
  if (length > maxLength) return `${PLATFORM_LABELS[platform]} accepts at most ${maxLength} characters (this message has ${length}).`;
  return undefined;
}
