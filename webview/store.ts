import type { ChatMessage, PlatformId, TimelineOp } from '../src/core/message';

/** What one batch of ops changed, for the renderer. */
export interface StoreChanges {
  readonly appended: ChatMessage[];
  /** Keys whose message changed (e.g. deleted). */
  readonly updated: string[];
  /** Keys that left the timeline, oldest first (trimmed or cleared). */
  readonly removed: string[];
  /** Whether a `clear` removed lines from the middle (the renderer then rebuilds its rows). */
  readonly cleared: boolean;
  /** New messages that the same batch already trimmed (a burst bigger than the scrollback): they arrived, unseen. */
  readonly dropped: ChatMessage[];
}

export const keyOf = (m: Pick<ChatMessage, 'platform' | 'id'>): string => `${m.platform}:${m.id}`;

const withoutKeys = (keys: string[], drop: ReadonlySet<string>): string[] =>
  keys.filter((k) => !drop.has(k));

/** Authors remembered for `is:first` (oldest forgotten first), so a raid of new names stays bounded. */
const MAX_AUTHORS = 50_000;

const authorOf = (m: ChatMessage): string | undefined =>
  m.kind === 'chat' && m.author
    ? `${m.platform}:${m.author.id ?? m.author.name.toLowerCase()}`
    : undefined;

/**
 * The view's copy of the timeline: messages in arrival order, capped at `scrollback`, with the
 * same op semantics as the host's hub (de-duplicated appends, deletes, purges, clears). It also
 * knows which lines were their author's first since the view started (`is:first`).
 */
export class TimelineStore {
  private readonly _byKey = new Map<string, ChatMessage>();
  /** Insertion-ordered keys (a Map keeps order and deletes in O(1)). */
  private readonly _order = new Map<string, true>();
  private readonly _authors = new Set<string>();
  private readonly _first = new Set<string>();

  constructor(private _scrollback: number) {}

  get size(): number {
    return this._order.size;
  }

  get scrollback(): number {
    return this._scrollback;
  }

  get(key: string): ChatMessage | undefined {
    return this._byKey.get(key);
  }

  /** Whether the message was its author's first chat line the view saw. */
  isFirst(message: ChatMessage): boolean {
    return this._first.has(keyOf(message));
  }

  /** Messages oldest first. */
  messages(): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (const k of this._order.keys()) out.push(this._byKey.get(k)!);
    return out;
  }

  /** Replaces everything (snapshot). Authors seen before stay seen, and their first lines stay first. */
  reset(messages: readonly ChatMessage[], scrollback: number): void {
    const first = [...this._first];
    this._byKey.clear();
    this._order.clear();
    this._first.clear();
    this._scrollback = scrollback;
    this.apply(messages.map((message) => ({ op: 'append', message }) as const));
    for (const key of first) if (this._byKey.has(key)) this._first.add(key);
  }

  setScrollback(value: number): string[] {
    this._scrollback = value;
    return this._trim();
  }

  apply(ops: readonly TimelineOp[]): StoreChanges {
    const appended: ChatMessage[] = [];
    const updated = new Set<string>();
    const removed: string[] = [];
    let cleared = false;
    for (const op of ops) {
      switch (op.op) {
        case 'append': {
          const key = keyOf(op.message);
          if (this._byKey.has(key)) break;
          this._byKey.set(key, op.message);
          this._order.set(key, true);
          this._noteAuthor(key, op.message);
          appended.push(op.message);
          break;
        }
        case 'delete':
          for (const id of op.ids) this._markDeleted(`${op.platform}:${id}`, updated);
          break;
        case 'purgeUser':
          for (const [key, m] of this._byKey) {
            if (m.platform === op.platform && m.kind === 'chat' && m.author?.id === op.userId)
              this._markDeleted(key, updated);
          }
          break;
        case 'clear': {
          const gone = this._clear(op.platform);
          if (gone.length > 0) cleared = true;
          removed.push(...gone);
          break;
        }
      }
    }
    removed.push(...this._trim());
    if (removed.length === 0)
      return { appended, updated: [...updated], removed, cleared, dropped: [] };
    const gone = new Set(removed);
    const kept: ChatMessage[] = [];
    const dropped: ChatMessage[] = [];
    for (const m of appended) (gone.has(keyOf(m)) ? dropped : kept).push(m);
    return {
      appended: kept,
      updated: [...updated].filter((k) => !gone.has(k)),
      // A message added and trimmed in one batch was never there for the renderer.
      removed: dropped.length > 0 ? withoutKeys(removed, new Set(dropped.map(keyOf))) : removed,
      cleared,
      dropped,
    };
  }

  private _noteAuthor(key: string, message: ChatMessage): void {
    const author = authorOf(message);
    if (!author || this._authors.has(author)) return;
    if (this._authors.size >= MAX_AUTHORS)
      this._authors.delete(this._authors.values().next().value!);
    this._authors.add(author);
    this._first.add(key);
  }

  private _markDeleted(key: string, updated: Set<string>): void {
    const m = this._byKey.get(key);
    if (!m || m.flags.deleted) return;
    this._byKey.set(key, { ...m, flags: { ...m.flags, deleted: true } });
    updated.add(key);
  }

  private _forget(key: string): void {
    this._byKey.delete(key);
    this._order.delete(key);
    this._first.delete(key);
  }

  private _clear(platform: PlatformId): string[] {
    const removed: string[] = [];
    for (const [key, m] of this._byKey) {
      if (m.platform === platform && m.kind === 'chat') {
        this._forget(key);
        removed.push(key);
      }
    }
    return removed;
  }

  private _trim(): string[] {
    const removed: string[] = [];
    for (const key of this._order.keys()) {
      if (this._order.size <= this._scrollback) break;
      this._forget(key);
      removed.push(key);
    }
    return removed;
  }
}
