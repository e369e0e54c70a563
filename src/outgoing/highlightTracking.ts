import type { ChatMessage } from '../core/message';

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
export type FileMatch = { readonly kind: 'match'; readonly path: string } | { readonly kind: 'none' } | { readonly kind: 'ambiguous'; readonly paths: readonly string[] };

/**
 * Which of the open files (workspace-relative paths) a viewer meant: the path itself or one that
 * ends with it at a folder boundary (`app.ts` names `src/app.ts`, never `src/myapp.ts`), ignoring
 * case and slash direction. Several matches: the active file if it is one of them, else ambiguous
 * (we do not guess which file a viewer meant).
 */
export function matchRequestedFile(requested: string, openPaths: readonly string[], activePath?: string): FileMatch {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/^(?:\.?\/)+/, '').toLowerCase();
  const wanted = norm(requested);
  if (!wanted) return { kind: 'none' };
  const matches = [...new Set(openPaths)].filter((p) => {
    const path = norm(p);
    return path === wanted || path.endsWith(`/${wanted}`);
  });
  if (matches.length === 0) return { kind: 'none' };
  if (matches.length === 1) return { kind: 'match', path: matches[0]! };
  if (activePath !== undefined && matches.includes(activePath)) return { kind: 'match', path: activePath };
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
  if (edit.endLine < range.startLine) return delta === 0 ? range : { startLine: range.startLine + delta, endLine: range.endLine + delta };
  if (edit.startLine < range.startLine && edit.endLine > range.endLine) return undefined;
  // The edit overlaps: the start stays (or moves up to the edit's start), the end moves with the lines.
  const startLine = Math.min(range.startLine, Math.max(edit.startLine, 1));
  const endLine = edit.endLine <= range.endLine ? range.endLine + delta : edit.startLine + edit.insertedLineBreaks;
  return { startLine, endLine: Math.max(startLine, endLine) };
}
