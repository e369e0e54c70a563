import type { PlatformId } from '../core/message';
import { charCount, cutLine } from '../core/rules';
import { OUTGOING_RULES } from './limits';

/** Shown between lines when a platform cannot take line breaks (Twitch via TAU). */
export const LINE_SEPARATOR = ' ⏎ ';

/** `src/app.ts:12-20` (or `:12` for one line): where the code comes from. */
export function selectionHeader(relativePath: string, startLine: number, endLine: number): string {
  return `${relativePath}:${startLine === endLine ? startLine : `${startLine}-${endLine}`}`;
}

/**
 * Turns text into the messages to send on a platform: whole lines packed into as few messages as
 * fit, numbered `(1/3) ` when there is more than one, the header on the first, never over the
 * platform's limit (counted the platform's way). Platforms without line breaks get lines joined
 * with a visible ⏎; a line longer than a message is cut at the limit, never inside a character.
 */
export function planMessages(
  text: string,
  options: { platform: PlatformId; header?: string },
): string[] {
  const rules = OUTGOING_RULES[options.platform];
  const length = (text: string) => charCount(text, rules.countChars);
  const joiner = rules.allowsNewlines ? '\n' : LINE_SEPARATOR;
  const body = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const lines = options.header ? [options.header, ...body] : body;
  const pack = (budget: number): string[] => {
    const parts: string[] = [];
    let current: string | undefined;
    for (const line of lines) {
      for (const piece of cutLine(line, budget, rules.countChars)) {
        const candidate = current === undefined ? piece : current + joiner + piece;
        if (length(candidate) <= budget) current = candidate;
        else {
          if (current !== undefined) parts.push(current);
          current = piece;
        }
      }
    }
    if (current !== undefined) parts.push(current);
    return parts.filter((p) => p.trim().length > 0);
  };
  const single = pack(rules.maxLength);
  if (single.length <= 1) return single;
  // Numbering is at most "(999/999) ", 10 characters: reserve it once we know we split.
  const parts = pack(rules.maxLength - 10);
  return parts.map((p, i) => `(${i + 1}/${parts.length}) ${p}`);
}
