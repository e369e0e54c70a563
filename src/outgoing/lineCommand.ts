import type { Author, PlatformId, Role } from '../core/message';

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
  if (token.length > 200 || !/^[\w@+~.\-/\\]+$/.test(token) || !/[A-Za-z]/.test(token)) return false;
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
  return chars.length <= MAX_COMMENT_LENGTH ? text : `${chars.slice(0, MAX_COMMENT_LENGTH - 1).join('')}…`;
}

// ---------------------------------------------------------------------------------------------
// Who may highlight, and how often

/** The `streamChat.highlights.allowedUsers` values. */
export type HighlightAudience = 'everyone' | 'subscribers' | 'moderators';

export const HIGHLIGHT_AUDIENCES: readonly HighlightAudience[] = ['everyone', 'subscribers', 'moderators'];

export function isHighlightAudience(value: unknown): value is HighlightAudience {
  return typeof value === 'string' && (HIGHLIGHT_AUDIENCES as readonly string[]).includes(value);
}

/** A viewer's standing in the channel, highest first: broadcaster ⊇ moderator ⊇ vip ⊇ subscriber ⊇ viewer. */
export type ChannelRank = 'broadcaster' | 'moderator' | 'vip' | 'subscriber' | 'viewer';

// Platform admins and staff can moderate any channel of their platform, so they rank as moderators.
const MODERATOR_ROLES: readonly Role[] = ['moderator', 'admin', 'staff'];

/**
 * Where an author stands in the channel. Only channel roles count: `pro`, `partner` and Glimesh's
 * `supporter` are platform-wide and say nothing about this channel. `founder` is a channel
 * subscriber on Twitch (its first subscribers wear it instead of the subscriber badge), but a
 * platform founder on Mixer and Glimesh, so it counts only on TAU.
 */
export function channelRank(author: Author, platform: PlatformId): ChannelRank {
  const roles = author.roles;
  if (roles.includes('broadcaster')) return 'broadcaster';
  if (roles.some((r) => MODERATOR_ROLES.includes(r))) return 'moderator';
  if (roles.includes('vip')) return 'vip';
  if (roles.includes('subscriber') || (platform === 'tau' && roles.includes('founder'))) return 'subscriber';
  return 'viewer';
}

const RANK_ORDER: readonly ChannelRank[] = ['viewer', 'subscriber', 'vip', 'moderator', 'broadcaster'];

/**
 * Whether an audience setting lets this author highlight. VIPs are chosen by the streamer, so
 * `subscribers` includes them; `moderators` does not (they cannot moderate).
 */
export function audienceAllows(audience: HighlightAudience, author: Author, platform: PlatformId): boolean {
  const least: ChannelRank = audience === 'everyone' ? 'viewer' : audience === 'subscribers' ? 'subscriber' : 'moderator';
  return RANK_ORDER.indexOf(channelRank(author, platform)) >= RANK_ORDER.indexOf(least);
}

/** Why a request was turned down (for the log), or `ok`. */
export type HighlightVerdict = 'ok' | 'no author' | 'not allowed' | 'too soon';

/** Options for `HighlightPolicy`. */
export interface HighlightPolicyOptions {
  readonly audience?: HighlightAudience;
  /** One highlight per viewer per this many ms (default 10 s). */
  readonly perViewerIntervalMs?: number;
  /** At most this many highlights at once; the oldest goes first (default 20). */
  readonly maxActive?: number;
  readonly now?: () => number;
}

/**
 * Who may highlight and how often: the audience setting, one highlight per viewer per 10 s
 * (the broadcaster and moderators are not limited: they are guiding, not spamming), and at most
 * 20 active at once (`maxActive`, applied by `ActiveHighlights`). A request that is turned down
 * does not use up the viewer's turn.
 */
export class HighlightPolicy {
  static readonly DEFAULT_INTERVAL_MS = 10_000;
  static readonly DEFAULT_MAX_ACTIVE = 20;
  /** Remembered viewers at most; older entries are long past their interval and go first. */
  private static readonly _MAX_TRACKED = 5_000;

  audience: HighlightAudience;
  readonly perViewerIntervalMs: number;
  readonly maxActive: number;
  private readonly _now: () => number;
  private readonly _lastAt = new Map<string, number>();

  constructor(options: HighlightPolicyOptions = {}) {
    this.audience = options.audience ?? 'everyone';
    this.perViewerIntervalMs = options.perViewerIntervalMs ?? HighlightPolicy.DEFAULT_INTERVAL_MS;
    this.maxActive = options.maxActive ?? HighlightPolicy.DEFAULT_MAX_ACTIVE;
    this._now = options.now ?? Date.now;
  }

  /** Decides one request and, when it is `ok`, counts it against the viewer's rate. */
  admit(author: Author | undefined, platform: PlatformId): HighlightVerdict {
    if (!author) return 'no author';
    if (!audienceAllows(this.audience, author, platform)) return 'not allowed';
    const rank = channelRank(author, platform);
    if (rank === 'broadcaster' || rank === 'moderator') return 'ok';
    const key = `${platform}\u0000${author.id ?? author.name.toLowerCase()}`;
    const now = this._now();
    const last = this._lastAt.get(key);
    if (last !== undefined && now - last < this.perViewerIntervalMs) return 'too soon';
    this._lastAt.delete(key); // re-insert so the map stays in time order
    this._lastAt.set(key, now);
    if (this._lastAt.size > HighlightPolicy._MAX_TRACKED) this._lastAt.delete(this._lastAt.keys().next().value!);
    return 'ok';
  }
}

/** The active highlights, oldest first, never more than `max`: adding past it drops the oldest. */
export class ActiveHighlights<T extends { readonly id: string }> {
  private _items: T[] = [];

  constructor(readonly max: number = HighlightPolicy.DEFAULT_MAX_ACTIVE) {}

  get items(): readonly T[] {
    return this._items;
  }

  get(id: string): T | undefined {
    return this._items.find((item) => item.id === id);
  }

  /** Adds one; returns the ones dropped to stay within `max`. */
  add(item: T): T[] {
    this._items = [...this._items, item];
    return this._items.length > this.max ? this._items.splice(0, this._items.length - this.max) : [];
  }

  /** Removes those matching; returns them. */
  removeWhere(predicate: (item: T) => boolean): T[] {
    const removed = this._items.filter(predicate);
    if (removed.length > 0) this._items = this._items.filter((item) => !predicate(item));
    return removed;
  }

  remove(id: string): boolean {
    return this.removeWhere((item) => item.id === id).length > 0;
  }

  /** Replaces items in place (e.g. after an edit moved their lines); `undefined` removes one. Returns whether any changed. */
  update(fn: (item: T) => T | undefined): boolean {
    let changed = false;
    this._items = this._items.flatMap((item) => {
      const next = fn(item);
      if (next !== item) changed = true;
      return next ?? [];
    });
    return changed;
  }

  clear(): T[] {
    const removed = this._items;
    this._items = [];
    return removed;
  }
}
