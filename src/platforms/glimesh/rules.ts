import { OutgoingRules } from '../../core/rules';

/**
 * How Glimesh takes chat. It validates `validate_length(:message, min: 1, max: 255)`, counted in
 * graphemes, and has no rate limit, so multi-part sends are paced politely; its web chat
 * HTML-escapes text and collapses whitespace, so line breaks would vanish: lines are joined with
 * a visible ⏎ as for Twitch.
 */
export const GLIMESH_RULES: OutgoingRules = {
  maxLength: 255,
  countChars: 'graphemes',
  allowsNewlines: false,
  pace: { messages: 1, windowMs: 1000 },
};
