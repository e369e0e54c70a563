import { scanForSecrets } from '../send/secretScanner';

/**
 * What the screen guard needs from a scanner finding: where the value sits, as 0-based character
 * offsets into the scanned text. A finding without offsets masks its whole line.
 */
export interface LocatedFinding {
  readonly kind: string;
  /** 1-based line within the scanned text. */
  readonly line: number;
  readonly start?: number;
  readonly end?: number;
}

/** One masked span on one line: 0-based line, columns [start, end). */
export interface MaskRange {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/** Scans a block of text whose first line is document line `firstLine` (0-based). */
export type RangeScanner = (text: string, firstLine: number) => MaskRange[];

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** End of line `i`'s content (before `\r\n` or `\n`). */
function lineEnd(text: string, starts: readonly number[], i: number): number {
  let end = i + 1 < starts.length ? starts[i + 1]! - 1 : text.length;
  if (end > starts[i]! && text[end - 1] === '\r') end--;
  return end;
}

/** Sorts and merges overlapping or touching spans on the same line. */
export function mergeRanges(ranges: readonly MaskRange[]): MaskRange[] {
  const sorted = [...ranges].sort((a, b) => a.line - b.line || a.start - b.start);
  const out: MaskRange[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && last.line === r.line && r.start <= last.end)
      out[out.length - 1] = { ...last, end: Math.max(last.end, r.end) };
    else out.push(r);
  }
  return out;
}

/** The span of line `i` without its leading and trailing whitespace, or undefined for a blank line. */
function trimmedSpan(
  text: string,
  starts: readonly number[],
  i: number,
): { start: number; end: number } | undefined {
  const from = starts[i]!;
  const to = lineEnd(text, starts, i);
  const line = text.slice(from, to);
  const lead = line.length - line.trimStart().length;
  const content = line.trim().length;
  return content === 0 ? undefined : { start: lead, end: lead + content };
}

/**
 * Maps findings to per-line spans of the document. A value that runs over several lines (a key
 * block) gets one span per line, so each line shows its own mask.
 */
export function findingsToRanges(
  text: string,
  findings: readonly LocatedFinding[],
  firstLine = 0,
): MaskRange[] {
  const starts = lineStartsOf(text);
  const ranges: MaskRange[] = [];
  for (const f of findings) {
    const { start, end } = f;
    if (
      start !== undefined &&
      end !== undefined &&
      start >= 0 &&
      end > start &&
      end <= text.length
    ) {
      for (let i = lineIndexAt(starts, start); i < starts.length && starts[i]! < end; i++) {
        const from = Math.max(start, starts[i]!) - starts[i]!;
        const to = Math.min(end, lineEnd(text, starts, i)) - starts[i]!;
        if (to > from) ranges.push({ line: firstLine + i, start: from, end: to });
      }
    } else if (f.line >= 1 && f.line <= starts.length) {
      const span = trimmedSpan(text, starts, f.line - 1);
      if (span) ranges.push({ line: firstLine + f.line - 1, ...span });
    }
  }
  return mergeRanges(ranges);
}

function lineIndexAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The secret scanner as a range scanner: masks each value it finds. */
export const secretRanges: RangeScanner = (text, firstLine) =>
  findingsToRanges(text, scanForSecrets(text), firstLine);

/** Masks every non-blank line: for files that must not be seen at all while live. */
export const wholeLineRanges: RangeScanner = (text, firstLine) => {
  const starts = lineStartsOf(text);
  const ranges: MaskRange[] = [];
  for (let i = 0; i < starts.length; i++) {
    const span = trimmedSpan(text, starts, i);
    if (span) ranges.push({ line: firstLine + i, ...span });
  }
  return ranges;
};

/** How far a rescan widens around an edit looking for blank lines, each way. */
export const MAX_CONTEXT_LINES = 100;

/**
 * The masks of one document, kept per line so an edit rescans only what it touched. Edits shift
 * the lines below them and mark the replaced lines dirty; `refresh` rescans each dirty run widened
 * to the blank lines around it (capped at `MAX_CONTEXT_LINES`), so a multi-line value such as a key
 * block is scanned whole rather than from its middle.
 */
export class MaskIndex {
  /** Column spans per line; line numbers are the array index, so shifting lines needs no rewrite. */
  private _lines: (readonly Span[] | undefined)[];
  private _dirty: boolean[];
  private _dirtyCount: number;

  constructor(lineCount: number) {
    this._lines = new Array<undefined>(lineCount).fill(undefined);
    this._dirty = new Array<boolean>(lineCount).fill(true);
    this._dirtyCount = lineCount;
  }

  get lineCount(): number {
    return this._lines.length;
  }

  get isDirty(): boolean {
    return this._dirtyCount > 0;
  }

  /** Lines `fromLine..toLine` (0-based, inclusive, as before the edit) were replaced by `newLineCount` lines. */
  edit(fromLine: number, toLine: number, newLineCount: number): void {
    const from = Math.min(Math.max(0, fromLine), this._lines.length);
    const removed = Math.max(0, Math.min(toLine, this._lines.length - 1) - from + 1);
    for (let i = from; i < from + removed; i++) if (this._dirty[i]) this._dirtyCount--;
    this._lines.splice(from, removed, ...new Array<undefined>(newLineCount).fill(undefined));
    this._dirty.splice(from, removed, ...new Array<boolean>(newLineCount).fill(true));
    this._dirtyCount += newLineCount;
  }

  /** Rescans every dirty line (with context); returns how many lines were scanned. */
  refresh(lineAt: (line: number) => string, scan: RangeScanner): number {
    if (this._dirtyCount === 0) return 0;
    const n = this._lines.length;
    const blank = (i: number) => lineAt(i).trim().length === 0;
    let scanned = 0;
    let i = 0;
    while (i < n) {
      if (!this._dirty[i]) {
        i++;
        continue;
      }
      let start = i;
      for (let k = 0; k < MAX_CONTEXT_LINES && start > 0 && !blank(start - 1); k++) start--;
      let end = i;
      // Extend over the dirty run and its context; a dirty line met in the context extends it again.
      for (let k = 0; end + 1 < n && k < MAX_CONTEXT_LINES;) {
        if (this._dirty[end + 1]) {
          end++;
          k = 0;
        } else if (!blank(end + 1)) {
          end++;
          k++;
        } else break;
      }
      const lines: string[] = [];
      for (let l = start; l <= end; l++) lines.push(lineAt(l));
      const byLine = new Map<number, Span[]>();
      for (const r of scan(lines.join('\n'), start)) {
        if (r.line < start || r.line > end) continue;
        const span = { start: r.start, end: r.end };
        const list = byLine.get(r.line);
        if (list) list.push(span);
        else byLine.set(r.line, [span]);
      }
      for (let l = start; l <= end; l++) {
        this._lines[l] = byLine.get(l);
        if (this._dirty[l]) {
          this._dirty[l] = false;
          this._dirtyCount--;
        }
      }
      scanned += end - start + 1;
      i = end + 1;
    }
    return scanned;
  }

  /** Every masked span, by line then column. */
  ranges(): MaskRange[] {
    const out: MaskRange[] = [];
    this._lines.forEach((list, line) => {
      if (list) for (const { start, end } of list) out.push({ line, start, end });
    });
    return out;
  }
}
