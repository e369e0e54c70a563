import type { PlatformId } from '../core/message';

/** How a platform takes outgoing chat. */
export interface OutgoingRules {
  /** Longest message, in code points. */
  readonly maxLength: number;
  /** Whether one message may contain a line break. */
  readonly allowsNewlines: boolean;
  /** Pacing for multi-part sends: at most `messages` per `windowMs`. */
  readonly pace: { readonly messages: number; readonly windowMs: number };
}

export const OUTGOING_RULES: Record<PlatformId, OutgoingRules> = {
  // Glimesh validates 1–255 characters server-side (its chat message schema) and has no rate
  // limit, so we pace politely; its web chat HTML-escapes text and collapses whitespace, so line
  // breaks would vanish: lines are joined with a visible ⏎ as for Twitch.
  glimesh: { maxLength: 255, allowsNewlines: false, pace: { messages: 1, windowMs: 1000 } },
  // Mixer's documented error 4005 is a rate limit with no published numbers; 360 characters is
  // the limit Mixer's web chat enforced (not in the protocol docs). One message per 1.5 s.
  mixer: { maxLength: 360, allowsNewlines: true, pace: { messages: 2, windowMs: 3000 } },
  // Twitch through TAU: 500 characters, and TAU writes the text as a raw IRC line, so a newline
  // would inject IRC commands. Twitch allows 20 messages per 30 s for the whole account, so parts
  // go one every 2 s (15 per 30 s), leaving room for what the streamer types meanwhile.
  tau: { maxLength: 500, allowsNewlines: false, pace: { messages: 1, windowMs: 2000 } },
};
