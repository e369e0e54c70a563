import type { Author, ChatMessage, Role } from '../core/message';

/** A viewer's request to highlight code: `!line 12`, `!line 12-20 why?`, `!line src/app.ts 40`. */
export interface LineCommand {
  /** The file the viewer named (a path suffix, `/`-separated); undefined means the active editor. */
  readonly file?: string;
  /** First and last line, 1-based, `startLine <= endLine`. */
  readonly startLine: number;
  readonly endLine: number;
  readonly comment?: string;
}

/** Longest range a viewer may highlight; a longer one is refused, not cut (it points at nothing). */
export const MAX_HIGHLIGHT_LINES = 200;
/** Longest comment kept, in code points (the rest is cut with …). */
export const MAX_COMMENT_LENGTH = 200;

const COMMAND = /^!(?:line|highlight)(?=\s|$)(.*)$/is;
// `12`, `12-20`, `12 - 20`, `12–20`, and GitHub's `L12-L20`; at most 7 digits.
const RANGE = /^[Ll]?(\d{1,7})(?:\s*[-–—]\s*[Ll]?(\d{1,7}))?(?=\s|$)/;
// A file named before the range: `src/app.ts 40` or `src/app.ts:40`.
const FILE = /^(\S+?)(?::(?=[Ll]?\d)|\s+)/;

/**
 * Parses a chat message as a `!line` (or `!highlight`) command: `!line 12`, `!line 12-20`,
 * `!line 12 why is this here?`, `!line src/app.ts 40`, `!line app.ts:40-45 comment`,
 * `!line Dockerfile 3`. Undefined for anything else: no command, line 0 or negative, a
 * decimal, more than 200 lines, a file name that is not a path. A reversed range (`20-12`) is
 * read the right way round: viewers type both.
 */
export function parseLineCommand(text: string): LineCommand | undefined {
  const command = COMMAND.exec(text.trim());
  if (!command) return undefined;
  let rest = command[1]!.trim();
  let file: string | undefined;
  let range = RANGE.exec(rest);
  if (!range) {
    const named = FILE.exec(rest);
    if (!named || !isPathLike(named[1]!)) return undefined;
    file = normalizeRequestedPath(named[1]!);
    rest = rest.slice(named[0].length);
    range = RANGE.exec(rest);
    if (!range) return undefined;
  }
  const first = Number(range[1]);
  const last = range[2] === undefined ? first : Number(range[2]);
  const startLine = Math.min(first, last);
  const endLine = Math.max(first, last);
  if (startLine < 1 || endLine - startLine + 1 > MAX_HIGHLIGHT_LINES) return undefined;
  const comment = cleanComment(rest.slice(range[0].length));
  return { file, startLine, endLine, comment };
}

/** A token that can name a file: path characters only, a letter somewhere, no `..`, not a URL. */
function isPathLike(token: string): boolean {
  if (token.length > 200 || !/^[\w@+~.\-/\\]+$/.test(token) || !/[A-Za-z]/.test(token))
    return false;
  return !token.split(/[/\\]/).includes('..');
}

function normalizeRequestedPath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.?\/)+/, '');
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function cleanComment(raw: string): string | undefined {
  const text = raw.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  const chars = [...text];
  return chars.length <= MAX_COMMENT_LENGTH
    ? text
    : `${chars.slice(0, MAX_COMMENT_LENGTH - 1).join('')}…`;
}

export type HighlightAudience = 'everyone' | 'subscribers' | 'moderators';

const MODERATING: readonly Role[] = ['broadcaster', 'moderator', 'admin', 'staff'];
// VIPs count as supporters here: they are trusted by the streamer but are not moderators.
const SUPPORTING: readonly Role[] = [...MODERATING, 'subscriber', 'founder', 'vip', 'supporter'];

export function mayHighlight(author: Author | undefined, audience: HighlightAudience): boolean {
  if (!author) return false;
  if (audience === 'everyone') return true;
  const allowed = audience === 'moderators' ? MODERATING : SUPPORTING;
  return author.roles.some((r) => allowed.includes(r));
}

/** One highlight per viewer per window (moderators and the broadcaster are not limited). */
export class ViewerRateLimit {
  private readonly _last = new Map<string, number>();

  constructor(
    private readonly _windowMs: number,
    private readonly _now: () => number,
  ) {}

  allow(author: Author): boolean {
    if (author.roles.some((r) => MODERATING.includes(r))) return true;
    const key = author.id ?? author.name;
    const now = this._now();
    const last = this._last.get(key);
    if (last !== undefined && now - last < this._windowMs) return false;
    this._last.set(key, now);
    if (this._last.size > 5000) this._last.delete(this._last.keys().next().value as string);
    return true;
  }
}

/** A line range, 1-based and inclusive. */
export interface LineRange {
  readonly startLine: number;
  readonly endLine: number;
}

/** Chat older than this when it arrives is history (a platform's backlog on join), not a request now. */
export const MAX_REQUEST_AGE_MS = 120_000;

/**
 * Whether a chat message may place a highlight: live chat from a viewer. History fetched on
 * (re)connect, our own sent lines, deleted and test messages do not (a `!line` typed an hour ago
 * must not light up the editor when the streamer connects).
 */
export function isLiveRequest(message: ChatMessage, maxAgeMs = MAX_REQUEST_AGE_MS): boolean {
  if (message.kind !== 'chat' || !message.author) return false;
  if (message.flags.self || message.flags.deleted || message.flags.test) return false;
  return message.sentAt === undefined || message.receivedAt - message.sentAt <= maxAgeMs;
}

/** What `matchRequestedFile` found. */
export type FileMatch =
  | { readonly kind: 'match'; readonly path: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly paths: readonly string[] };

/**
 * Which of the open files (workspace-relative paths) a viewer meant: the path itself or one that
 * ends with it at a folder boundary (`app.ts` names `src/app.ts`, never `src/myapp.ts`), ignoring
 * case and slash direction. Several matches: the active file if it is one of them, else ambiguous
 * (we do not guess which file a viewer meant).
 */
export function matchRequestedFile(
  requested: string,
  openPaths: readonly string[],
  activePath?: string,
): FileMatch {
  const norm = (p: string) =>
    p
      .replace(/\\/g, '/')
      .replace(/^(?:\.?\/)+/, '')
      .toLowerCase();
  const wanted = norm(requested);
  if (!wanted) return { kind: 'none' };
  const matches = [...new Set(openPaths)].filter((p) => {
    const path = norm(p);
    return path === wanted || path.endsWith(`/${wanted}`);
  });
  if (matches.length === 0) return { kind: 'none' };
  if (matches.length === 1) return { kind: 'match', path: matches[0]! };
  if (activePath !== undefined && matches.includes(activePath))
    return { kind: 'match', path: activePath };
  return { kind: 'ambiguous', paths: matches };
}

/**
 * One document edit in line terms: lines `startLine`…`endLine` (1-based; the lines of the
 * replaced range's start and end) were replaced by text with `insertedLineBreaks` line breaks.
 */
export interface LineEdit {
  readonly startLine: number;
  readonly endLine: number;
  readonly insertedLineBreaks: number;
}

/**
 * Where a highlight's lines are after an edit, so highlights follow the code while the streamer
 * types: edits below leave it alone, edits above move it, edits inside grow or shrink it. An edit
 * that replaces every line of it (and more) removes it: what the viewer pointed at is gone.
 */
export function shiftForEdit(range: LineRange, edit: LineEdit): LineRange | undefined {
  const delta = edit.insertedLineBreaks - (edit.endLine - edit.startLine);
  if (edit.startLine > range.endLine) return range;
  if (edit.endLine < range.startLine)
    return delta === 0
      ? range
      : { startLine: range.startLine + delta, endLine: range.endLine + delta };
  if (edit.startLine < range.startLine && edit.endLine > range.endLine) return undefined;
  // The edit overlaps: the start stays (or moves up to the edit's start), the end moves with the lines.
  const startLine = Math.min(range.startLine, Math.max(edit.startLine, 1));
  const endLine =
    edit.endLine <= range.endLine
      ? range.endLine + delta
      : edit.startLine + edit.insertedLineBreaks;
  return { startLine, endLine: Math.max(startLine, endLine) };
}
