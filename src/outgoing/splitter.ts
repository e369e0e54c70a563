import type { PlatformId } from '../core/message';
import { LineBreaks, OUTGOING_RULES, lengthOf } from './limits';

/**
 * Shown between lines where a platform cannot show a line break (Twitch via TAU, Glimesh). One
 * message per line would read like code, but floods chat, interleaves with viewers' messages, and
 * Twitch drops a non-moderator's message identical to one sent within 30 s (every `}` after the
 * first); numbered parts with a visible ⏎ avoid all three.
 */
export const LINE_SEPARATOR = ' ⏎ ';

/** More parts than this ask the streamer to confirm first (issue 7). */
export const CONFIRM_ABOVE_PARTS = 5;

/** `src/app.ts:12-20` (or `src/app.ts:7` for one line): where the code comes from. */
export function selectionHeader(relativePath: string, startLine: number, endLine: number): string {
  const path = relativePath.replace(/\\/g, '/');
  const lines = startLine === endLine ? `${startLine}` : `${Math.min(startLine, endLine)}-${Math.max(startLine, endLine)}`;
  return `${path}:${lines}`;
}

/** Options for `planMessages`. */
export interface PlanOptions {
  readonly platform: PlatformId;
  /** A first line naming the source (`selectionHeader`); counted within the limit. */
  readonly header?: string;
  /** Overrides the platform's limit (tests, or a client that states a smaller one). */
  readonly maxLength?: number;
}

/**
 * The messages to send `text` to a platform, in order: whole lines packed into as few messages as
 * fit, numbered `(1/3) ` when there is more than one, the header first, none over the limit
 * (numbering and header included). Where line breaks are not shown, lines are joined with ` ⏎ `.
 * A line longer than a message is cut at a space when one is near, else at the limit, never
 * inside a character (surrogate pair or grapheme). Blank text gives no messages.
 */
export function planMessages(text: string, options: PlanOptions): string[] {
  const rules = OUTGOING_RULES[options.platform];
  const maxLength = options.maxLength ?? rules.maxLength;
  const joiner = rules.lineBreaks === 'kept' ? '\n' : LINE_SEPARATOR;
  const body = prepareLines(text, rules.lineBreaks);
  if (body.length === 0) return [];
  const header = options.header === undefined ? [] : prepareLines(options.header, 'forbidden');
  const lines = [...header, ...body];

  const single = packLines(lines, joiner, maxLength);
  if (single.length <= 1) return single;
  // Reserve the widest prefix, "(n/n) ", and repack until the count fits the reserved width.
  let count = single.length;
  for (;;) {
    const parts = packLines(lines, joiner, maxLength - numberPrefix(count, count).length);
    if (String(parts.length).length <= String(count).length) return parts.map((p, i) => numberPrefix(i + 1, parts.length) + p);
    count = parts.length;
  }
}

function numberPrefix(index: number, total: number): string {
  return `(${index}/${total}) `;
}

// Line separators of every kind: a bare \r is as dangerous in an IRC line as \n.
// eslint-disable-next-line no-control-regex
const LINE_BREAK = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/;
// Other control characters (tab stays): invisible in chat, and unsafe in a raw IRC line.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;

/**
 * Splits text into the lines to send: control characters removed, trailing spaces trimmed, blank
 * lines at either end dropped. Where line breaks show, the common indentation is removed (a
 * selection often starts mid-indent) and blank lines inside are kept; where they do not, chat
 * collapses spaces anyway, so indentation and blank lines are dropped to save characters.
 */
export function prepareLines(text: string, lineBreaks: LineBreaks): string[] {
  let lines = text.split(LINE_BREAK).map((line) => line.replace(CONTROL, '').trimEnd());
  if (lineBreaks !== 'kept') return lines.map((line) => line.trimStart()).filter((line) => line.length > 0);
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines = lines.filter((line, i) => line !== '' || lines[i - 1] !== ''); // one blank line at most
  const indents = lines.filter((line) => line !== '').map((line) => /^[ \t]*/.exec(line)![0]);
  let common = indents[0] ?? '';
  for (const indent of indents) while (!indent.startsWith(common)) common = common.slice(0, -1);
  return common ? lines.map((line) => line.slice(common.length)) : lines;
}

/** Greedy packing: each message takes as many whole lines as fit in `budget` code points. */
function packLines(lines: readonly string[], joiner: string, budget: number): string[] {
  if (budget < 1) throw new Error(`message budget ${budget} is too small`);
  const parts: string[] = [];
  let current: string | undefined;
  let currentLength = 0;
  const joinerLength = lengthOf(joiner);
  const flush = () => {
    if (current !== undefined) parts.push(current);
    current = undefined;
    currentLength = 0;
  };
  for (const line of lines) {
    for (const piece of lengthOf(line) > budget ? hardSplit(line, budget) : [line]) {
      const pieceLength = lengthOf(piece);
      if (current !== undefined && currentLength + joinerLength + pieceLength <= budget) {
        current += joiner + piece;
        currentLength += joinerLength + pieceLength;
      } else {
        flush();
        if (piece === '') continue; // a part never starts with a blank line
        current = piece;
        currentLength = pieceLength;
      }
    }
  }
  flush();
  return parts.map((p) => p.replace(/\n+$/, ''));
}

let segmenter: Intl.Segmenter | undefined;

/**
 * Cuts one over-long line into pieces of at most `max` code points. Cuts fall between graphemes
 * (so never inside a surrogate pair or an emoji sequence), after the last space when that is in
 * the second half of the piece; joined back together the pieces are the line.
 */
export function hardSplit(line: string, max: number): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  // A grapheme longer than a whole message (hundreds of combining marks) is cut by code points.
  const graphemes = [...segmenter.segment(line)].flatMap(({ segment }) => (lengthOf(segment) > max ? [...segment] : [segment]));
  const pieces: string[] = [];
  let start = 0;
  while (start < graphemes.length) {
    let end = start;
    let length = 0;
    let lastSpace = -1;
    while (end < graphemes.length && length + lengthOf(graphemes[end]!) <= max) {
      length += lengthOf(graphemes[end]!);
      if (/^\s$/.test(graphemes[end]!)) lastSpace = end;
      end++;
    }
    if (end < graphemes.length && lastSpace >= start + Math.floor((end - start) / 2)) end = lastSpace + 1;
    pieces.push(graphemes.slice(start, end).join(''));
    start = end;
  }
  return pieces;
}
