import type { ChatMessage, PlatformId, TimelineOp } from '../src/core/message';

/** What one batch of ops changed, for the renderer. */
export interface StoreChanges {
  readonly appended: ChatMessage[];
  /** Keys whose message changed (e.g. deleted). */
  readonly updated: string[];
  /** Keys that left the timeline (trimmed or cleared). */
  readonly removed: string[];
}

export const keyOf = (m: Pick<ChatMessage, 'platform' | 'id'>): string => `${m.platform}:${m.id}`;

/**
 * The view's copy of the timeline: messages in arrival order, capped at `scrollback`, with the
 * same op semantics as the host's hub (de-duplicated appends, deletes, purges, clears).
 */
export class TimelineStore {
  private readonly _byKey = new Map<string, ChatMessage>();
  /** Insertion-ordered keys (a Map keeps order and deletes in O(1)). */
  private readonly _order = new Map<string, true>();

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

  /** Messages oldest first. */
  messages(): ChatMessage[] {
    return [...this._order.keys()].map((k) => this._byKey.get(k)!);
  }

  /** Replaces everything (snapshot). */
  reset(messages: readonly ChatMessage[], scrollback: number): void {
    this._byKey.clear();
    this._order.clear();
    this._scrollback = scrollback;
    this.apply(messages.map((message) => ({ op: 'append', message }) as const));
  }

  setScrollback(value: number): string[] {
    this._scrollback = value;
    return this._trim();
  }

  apply(ops: readonly TimelineOp[]): StoreChanges {
    const appended: ChatMessage[] = [];
    const updated = new Set<string>();
    const removed: string[] = [];
    for (const op of ops) {
      switch (op.op) {
        case 'append': {
          const key = keyOf(op.message);
          if (this._byKey.has(key)) break;
          this._byKey.set(key, op.message);
          this._order.set(key, true);
          appended.push(op.message);
          break;
        }
        case 'delete':
          for (const id of op.ids) this._markDeleted(`${op.platform}:${id}`, updated);
          break;
        case 'purgeUser':
          for (const [key, m] of this._byKey) {
            if (m.platform === op.platform && m.kind === 'chat' && m.author?.id === op.userId) this._markDeleted(key, updated);
          }
          break;
        case 'clear':
          removed.push(...this._clear(op.platform));
          break;
      }
    }
    removed.push(...this._trim());
    const gone = new Set(removed);
    return {
      appended: appended.filter((m) => !gone.has(keyOf(m))),
      updated: [...updated].filter((k) => !gone.has(k)),
      removed,
    };
  }

  private _markDeleted(key: string, updated: Set<string>): void {
    const m = this._byKey.get(key);
    if (!m || m.flags.deleted) return;
    this._byKey.set(key, { ...m, flags: { ...m.flags, deleted: true } });
    updated.add(key);
  }

  private _clear(platform: PlatformId): string[] {
    const removed: string[] = [];
    for (const [key, m] of this._byKey) {
      if (m.platform === platform && m.kind === 'chat') {
        this._byKey.delete(key);
        this._order.delete(key);
        removed.push(key);
      }
    }
    return removed;
  }

  private _trim(): string[] {
    const removed: string[] = [];
    for (const key of this._order.keys()) {
      if (this._order.size <= this._scrollback) break;
      this._order.delete(key);
      this._byKey.delete(key);
      removed.push(key);
    }
    return removed;
  }
}
