import type { PlatformId } from '../core/message';
import { OUTGOING_RULES } from './limits';

/** Shown between lines when a platform cannot take line breaks (Twitch via TAU). */
export const LINE_SEPARATOR = ' ⏎ ';

/** `src/app.ts:12-20` (or `:12` for one line): where the code comes from. */
export function selectionHeader(relativePath: string, startLine: number, endLine: number): string {
  return `${relativePath}:${startLine === endLine ? startLine : `${startLine}-${endLine}`}`;
}

const codePoints = (s: string): string[] => [...s];

/** Splits one over-long line into pieces of at most `max` code points (never inside a surrogate pair). */
function hardSplit(line: string, max: number): string[] {
  const chars = codePoints(line);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += max) out.push(chars.slice(i, i + max).join(''));
  return out.length > 0 ? out : [''];
}

/**
 * Turns text into the messages to send on a platform: whole lines packed into as few messages as
 * fit, numbered `(1/3) ` when there is more than one, the header on the first, never over the
 * platform's limit. Platforms without line breaks get lines joined with a visible ⏎; a line
 * longer than a message is cut at the limit.
 */
export function planMessages(
  text: string,
  options: { platform: PlatformId; header?: string },
): string[] {
  const rules = OUTGOING_RULES[options.platform];
  const joiner = rules.allowsNewlines ? '\n' : LINE_SEPARATOR;
  const body = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const lines = options.header ? [options.header, ...body] : body;
  const pack = (budget: number): string[] => {
    const parts: string[] = [];
    let current: string | undefined;
    for (const line of lines) {
      for (const piece of codePoints(line).length > budget ? hardSplit(line, budget) : [line]) {
        const candidate = current === undefined ? piece : current + joiner + piece;
        if (codePoints(candidate).length <= budget) current = candidate;
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
  // Numbering is at most "(999/999) ", 10 code points: reserve it once we know we split.
  const parts = pack(rules.maxLength - 10);
  return parts.map((p, i) => `(${i + 1}/${parts.length}) ${p}`);
}
