import { ChatMessage, PlatformId, TimelineOp, partText } from './message';

/** One line of a timeline: its row key (unique within the timeline) and its message. */
export interface TimelineEntry {
  readonly key: string;
  /** The (platform, channel, id) it is de-duplicated on; absent for a message with no id. */
  readonly dedupe: string | undefined;
  message: ChatMessage;
}

/** What ops changed, gathered across a batch: pass the same object to each `apply`. */
export interface TimelineChanges {
  readonly appended: TimelineEntry[];
  /** Keys whose message changed (marked deleted). */
  readonly updated: Set<string>;
  /** Keys that left (trimmed or cleared), in the order they left. */
  readonly removed: string[];
  /** Whether a `clear` removed lines. */
  cleared: boolean;
}

export const newChanges = (): TimelineChanges => ({
  appended: [],
  updated: new Set(),
  removed: [],
  cleared: false,
});

/** The key a message is de-duplicated on: (platform, channel, id). An empty id is no id. */
export function dedupeKeyOf(
  m: Pick<ChatMessage, 'platform' | 'channel' | 'id'>,
): string | undefined {
  return m.id ? `${m.platform}\u0000${m.channel}\u0000${m.id}` : undefined;
}

/**
 * Row keys given to a message whose `platform:id` a line of its timeline already had (the same id
 * in another channel, a restarted server counting from 1, no id at all). Held by message object,
 * so `keyOf` stays a function of the message for the view's rows.
 */
const ownKeys = new WeakMap<object, string>();

/** A line's row key: `platform:id`, unless its timeline had to give it one of its own. */
export const keyOf = (m: Pick<ChatMessage, 'platform' | 'id'>): string =>
  ownKeys.get(m) ?? `${m.platform}:${m.id}`;

/**
 * What a repeat of a message looks like: the same author saying the same thing, as a 53-bit hash
 * of the author's name and the plain text. Every trimmed line leaves one behind for twice the
 * scrollback, and as a string (a copy of the line's text) that was most of what a timeline held
 * per line: 1.4 KB of a line's 2.2 KB in the view, all of it kept long enough to reach V8's old
 * generation and its mark-compact pauses. A hash is a number, built without a string.
 */
export function fingerprintOf(m: ChatMessage): number {
  // Two 32-bit lanes of FNV-1a over the UTF-16 units (different seeds and multipliers), each
  // finished with a mixer; the name and the text are joined by a unit no string holds.
  const name = m.author?.name ?? '';
  let a = Math.imul(fnv1a(FNV_SEED_A, name, FNV_PRIME_A) ^ 0x10000, FNV_PRIME_A);
  let b = Math.imul(fnv1a(FNV_SEED_B, name, FNV_PRIME_B) ^ 0x10000, FNV_PRIME_B);
  for (const part of m.parts) {
    const text = partText(part);
    a = fnv1a(a, text, FNV_PRIME_A);
    b = fnv1a(b, text, FNV_PRIME_B);
  }
  return (mix32(b) & 0x1fffff) * 0x100000000 + mix32(a);
}

const FNV_SEED_A = 0x811c9dc5;
const FNV_PRIME_A = 0x01000193;
const FNV_SEED_B = 0x050c5d1f;
const FNV_PRIME_B = 0x9e3779b1;

function fnv1a(hash: number, text: string, prime: number): number {
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), prime);
  return hash;
}

/** Spreads every input bit over the output (a 32-bit avalanche finaliser), unsigned. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

function markDeleted(entry: TimelineEntry, changes: TimelineChanges | undefined): void {
  const m = entry.message;
  if (m.flags.deleted) return;
  entry.message = { ...m, flags: { ...m.flags, deleted: true } };
  if (entry.key !== `${m.platform}:${m.id}`) ownKeys.set(entry.message, entry.key);
  changes?.updated.add(entry.key);
}

/**
 * The timeline-op rules, one copy for the host's hub and the view's store: messages in arrival
 * order, capped at `scrollback`, appends de-duplicated on (platform, channel, id), deletes, purges
 * and clears. Deterministic and I/O-free; `apply` reports what changed.
 */
export class Timeline {
  /** Insertion-ordered (a Map keeps order and deletes in O(1)). */
  private readonly _entries = new Map<string, TimelineEntry>();
  /** The newest entry per de-duplication key: the one a delete by id means. */
  private readonly _holders = new Map<string, TimelineEntry>();
  /** Keys that left the scrollback recently, with their fingerprint: a history refetch must not bring them back. */
  private readonly _evicted = new Map<string, number>();
  /**
   * The entries in arrival order from `_oldestAt` on, so trimming takes the oldest without walking
   * `_entries` from its start: V8 keeps a deleted entry's slot until the Map is rehashed, so that
   * walk passes every line trimmed since, hundreds per line at a full scrollback.
   */
  private _order: Array<TimelineEntry | undefined> = [];
  private _oldestAt = 0;
  private _ownKeys = 0;

  constructor(private _scrollback: number) {}

  get size(): number {
    return this._entries.size;
  }

  get scrollback(): number {
    return this._scrollback;
  }

  /** Changes the cap; the keys trimmed go into `changes`. */
  setScrollback(value: number, changes?: TimelineChanges): void {
    this._scrollback = value;
    this._trim(changes);
  }

  get(key: string): ChatMessage | undefined {
    return this._entries.get(key)?.message;
  }

  /** Messages oldest first. */
  messages(): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (const entry of this._entries.values()) out.push(entry.message);
    return out;
  }

  /** Forgets everything, remembered evictions included (a snapshot replaces the timeline). */
  clear(): void {
    this._entries.clear();
    this._holders.clear();
    this._evicted.clear();
    this._order = [];
    this._oldestAt = 0;
  }

  /** Applies one op; false when it was an append of a message already seen (dropped). */
  apply(op: TimelineOp, changes?: TimelineChanges): boolean {
    switch (op.op) {
      case 'append':
        return this._append(op.message, changes);
      case 'delete': {
        // Delete ops name no channel: every channel's line with that id on the platform, but of
        // lines sharing a de-duplication key only the newest (a restarted server's, not the restored one).
        const ids = new Set(op.ids);
        for (const entry of this._entries.values()) {
          const m = entry.message;
          if (
            m.platform === op.platform &&
            ids.has(m.id) &&
            entry.dedupe !== undefined &&
            this._holders.get(entry.dedupe) === entry
          )
            markDeleted(entry, changes);
        }
        return true;
      }
      case 'purgeUser':
        for (const entry of this._entries.values()) {
          const m = entry.message;
          if (m.platform === op.platform && m.kind === 'chat' && m.author?.id === op.userId)
            markDeleted(entry, changes);
        }
        return true;
      case 'clear':
        this._clear(op.platform, changes);
        return true;
    }
  }

  private _append(m: ChatMessage, changes: TimelineChanges | undefined): boolean {
    const dedupe = dedupeKeyOf(m);
    if (dedupe !== undefined) {
      const seen = this._holders.get(dedupe)?.message;
      const seenPrint = seen ? fingerprintOf(seen) : this._evicted.get(dedupe);
      // The same id saying the same thing is a repeat (history overlap, an echo); the same id
      // saying something else is a restarted server counting from 1 again: a new message.
      if (seenPrint !== undefined && seenPrint === fingerprintOf(m)) return false;
    }
    let key = `${m.platform}:${m.id}`;
    if (this._entries.has(key)) {
      while (this._entries.has(`${m.platform}:${m.id}#${++this._ownKeys}`));
      key = `${m.platform}:${m.id}#${this._ownKeys}`;
      ownKeys.set(m, key);
    }
    const entry: TimelineEntry = { key, dedupe, message: m };
    this._entries.set(key, entry);
    this._order.push(entry);
    if (dedupe !== undefined) this._holders.set(dedupe, entry);
    changes?.appended.push(entry);
    this._trim(changes);
    return true;
  }

  private _clear(platform: PlatformId, changes: TimelineChanges | undefined): void {
    for (const [key, entry] of this._entries) {
      const m = entry.message;
      if (m.platform !== platform || m.kind !== 'chat') continue;
      this._entries.delete(key);
      if (entry.dedupe !== undefined && this._holders.get(entry.dedupe) === entry)
        this._holders.delete(entry.dedupe);
      if (changes) {
        changes.removed.push(key);
        changes.cleared = true;
      }
    }
    // What is left, in order: a clear is rare, and trimming then never meets a removed line.
    this._order = [...this._entries.values()];
    this._oldestAt = 0;
  }

  private _trim(changes: TimelineChanges | undefined): void {
    while (this._entries.size > this._scrollback) {
      const entry = this._order[this._oldestAt]!;
      // The slot lets go of the line at once: until the list is compacted it would keep every
      // trimmed message alive (over a thousand at a full scrollback), long enough to reach V8's old generation.
      this._order[this._oldestAt++] = undefined;
      this._entries.delete(entry.key);
      changes?.removed.push(entry.key);
      if (entry.dedupe === undefined || this._holders.get(entry.dedupe) !== entry) continue;
      this._holders.delete(entry.dedupe);
      this._evicted.delete(entry.dedupe);
      this._evicted.set(entry.dedupe, fingerprintOf(entry.message));
    }
    if (this._oldestAt > 1024 && this._oldestAt * 2 > this._order.length) {
      this._order = this._order.slice(this._oldestAt);
      this._oldestAt = 0;
    }
    // Remember evicted keys up to twice the scrollback (enough for any history overlap), trimmed
    // back to that once they pass it by half a scrollback: one walk from the start per many lines.
    const keep = this._scrollback * 2;
    if (this._evicted.size <= keep + Math.max(1, this._scrollback / 2)) return;
    for (const key of this._evicted.keys()) {
      if (this._evicted.size <= keep) break;
      this._evicted.delete(key);
    }
  }
}
