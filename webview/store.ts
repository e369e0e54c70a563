import type { ChatMessage, TimelineOp } from '../src/core/message';
import { Timeline, keyOf, newChanges } from '../src/core/timeline';

export { keyOf };

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

/** Authors remembered for `is:first` (oldest forgotten first), so a raid of new names stays bounded. */
const MAX_AUTHORS = 50_000;

const authorOf = (m: ChatMessage): string | undefined =>
  m.kind === 'chat' && m.author
    ? `${m.platform}:${m.author.id ?? m.author.name.toLowerCase()}`
    : undefined;

/**
 * The view's copy of the timeline: the host's rules (src/core/timeline.ts) over the ops the host
 * posts, plus what only the view needs: which lines were their author's first since the view
 * started (`is:first`), and per batch what the renderer must add, update and remove.
 */
export class TimelineStore {
  private readonly _timeline: Timeline;
  private readonly _authors = new Set<string>();
  private readonly _first = new Set<string>();

  constructor(scrollback: number) {
    this._timeline = new Timeline(scrollback);
  }

  get size(): number {
    return this._timeline.size;
  }

  get scrollback(): number {
    return this._timeline.scrollback;
  }

  get(key: string): ChatMessage | undefined {
    return this._timeline.get(key);
  }

  /** Whether the message was its author's first chat line the view saw. */
  isFirst(message: ChatMessage): boolean {
    return this._first.has(keyOf(message));
  }

  /** Messages oldest first. */
  messages(): ChatMessage[] {
    return this._timeline.messages();
  }

  /** Replaces everything (snapshot). Authors seen before stay seen, and their first lines stay first. */
  reset(messages: readonly ChatMessage[], scrollback: number): void {
    const first = [...this._first];
    this._timeline.clear();
    this._first.clear();
    this._timeline.setScrollback(scrollback);
    this.apply(messages.map((message) => ({ op: 'append', message }) as const));
    for (const key of first) if (this._timeline.get(key)) this._first.add(key);
  }

  setScrollback(value: number): string[] {
    const changes = newChanges();
    this._timeline.setScrollback(value, changes);
    for (const key of changes.removed) this._first.delete(key);
    return changes.removed;
  }

  apply(ops: readonly TimelineOp[]): StoreChanges {
    const changes = newChanges();
    for (const op of ops) this._timeline.apply(op, changes);
    for (const entry of changes.appended) this._noteAuthor(entry.key, entry.message);
    const { removed, cleared } = changes;
    const appended = changes.appended.map((entry) => entry.message);
    if (removed.length === 0)
      return { appended, updated: [...changes.updated], removed, cleared, dropped: [] };
    const gone = new Set(removed);
    for (const key of removed) this._first.delete(key);
    const kept: ChatMessage[] = [];
    const dropped: ChatMessage[] = [];
    for (const entry of changes.appended)
      (gone.has(entry.key) ? dropped : kept).push(entry.message);
    // A message added and trimmed in one batch was never there for the renderer.
    const unseen = new Set(changes.appended.filter((e) => gone.has(e.key)).map((e) => e.key));
    return {
      appended: kept,
      updated: [...changes.updated].filter((k) => !gone.has(k)),
      removed: unseen.size > 0 ? removed.filter((k) => !unseen.has(k)) : removed,
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
}
