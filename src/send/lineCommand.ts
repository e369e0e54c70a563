import type { Author, Role } from '../core/message';

/** A viewer's request to highlight code: `!line 12`, `!line 12-20 why?`, `!line src/app.ts 40`. */
export interface LineCommand {
  /** A file name or path suffix the viewer named; undefined means the active editor. */
  readonly file?: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly comment?: string;
}

/** Longest range a viewer may highlight. */
export const MAX_HIGHLIGHT_LINES = 200;

const COMMAND = /^!(?:line|highlight)\s+(?:(\S*[A-Za-z_][^\s]*\.[A-Za-z0-9]+)\s+)?(\d{1,7})(?:\s*-\s*(\d{1,7}))?(?:\s+(.*))?$/is;

/** Parses one chat message; undefined when it is not a valid `!line` command. */
export function parseLineCommand(text: string): LineCommand | undefined {
  const m = COMMAND.exec(text.trim());
  if (!m) return undefined;
  let start = Number(m[2]);
  let end = m[3] !== undefined ? Number(m[3]) : start;
  if (start < 1 || end < 1) return undefined;
  if (end < start) [start, end] = [end, start];
  if (end - start + 1 > MAX_HIGHLIGHT_LINES) return undefined;
  const comment = m[4]?.trim().slice(0, 200) || undefined;
  return { file: m[1], startLine: start, endLine: end, comment };
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
