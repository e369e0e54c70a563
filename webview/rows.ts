import type { ChatMessage } from '../src/core/message';
import { plainText } from '../src/core/message';
import { keyOf } from './store';

/** One line of the timeline: a message, or a run of identical ones shown once with ×N. */
export interface Row {
  /** Increases with arrival; a row's position is `seq - RowList.firstSeq`. */
  readonly seq: number;
  /** The message shown: the oldest of the run still in the timeline. */
  message: ChatMessage;
  /** Keys of the messages the row stands for, oldest first (more than one for collapsed spam). */
  readonly keys: string[];
}

/** Characters of a line compared for collapsing (a longer wall is compared on its start and its length). */
const SPAM_COMPARE = 500;

/** The text that makes two chat lines identical: case and spacing ignored. Notices, events and the streamer's own lines never collapse. */
export function spamKeyOf(message: ChatMessage): string | undefined {
  if (message.kind !== 'chat' || message.flags.self) return undefined;
  const text = plainText(message).trim().replace(/\s+/g, ' ').toLowerCase();
  if (!text) return undefined;
  const key =
    text.length > SPAM_COMPARE ? `${text.slice(0, SPAM_COMPARE)}\u0000${text.length}` : text;
  // The same words answering different messages are different lines.
  return message.replyTo ? `${key}\u0000${message.replyTo.id}` : key;
}

/**
 * The timeline's rows: the messages that pass the filter, in arrival order, with consecutive
 * identical chat lines folded into one row. A deque indexed by sequence number, so trimming the
 * oldest is O(1) and the view can address any row without a scan.
 */
export class RowList {
  private _rows: Row[] = [];
  private _head = 0;
  private _firstSeq = 0;
  private readonly _byKey = new Map<string, Row>();
  /**
   * The newest row's spam key (`spamKeyOf`): only that row can take the next line in, so no row
   * keeps its own (a folded copy of every line's text, held for as long as the scrollback). Set by
   * every push and read only while a newest row exists, so nothing else needs to clear it.
   */
  private _newestSpam: string | undefined;

  /** `lookup` finds a message by key (the store), for a run whose shown message left. */
  constructor(private readonly _lookup: (key: string) => ChatMessage | undefined) {}

  get length(): number {
    return this._rows.length - this._head;
  }

  get firstSeq(): number {
    return this._firstSeq;
  }

  /** One past the newest row's sequence number. */
  get endSeq(): number {
    return this._firstSeq + this.length;
  }

  /** Messages the rows stand for (collapsed ones counted one by one). */
  get messageCount(): number {
    return this._byKey.size;
  }

  at(seq: number): Row | undefined {
    if (seq < this._firstSeq || seq >= this.endSeq) return undefined;
    return this._rows[this._head + seq - this._firstSeq];
  }

  rowOf(key: string): Row | undefined {
    return this._byKey.get(key);
  }

  /** Rows from `start` to `end` (sequence numbers, end excluded). */
  slice(start: number, end: number): Row[] {
    const from = Math.max(start, this._firstSeq) - this._firstSeq + this._head;
    const to = Math.min(end, this.endSeq) - this._firstSeq + this._head;
    return from < to ? this._rows.slice(from, to) : [];
  }

  /** Adds the newest message; `grouped` when it joined the last row's run. */
  push(message: ChatMessage): { row: Row; grouped: boolean } {
    const key = keyOf(message);
    const spam = spamKeyOf(message);
    const last = this.length > 0 ? this._rows[this._rows.length - 1] : undefined;
    if (last && spam !== undefined && this._newestSpam === spam) {
      last.keys.push(key);
      this._byKey.set(key, last);
      return { row: last, grouped: true };
    }
    const row: Row = { seq: this.endSeq, message, keys: [key] };
    this._newestSpam = spam;
    this._rows.push(row);
    this._byKey.set(key, row);
    return { row, grouped: false };
  }

  /**
   * A message left the timeline (trimmed, oldest first). Returns the row it left: `removed` when
   * that row went with it, `changed` when the row still stands for others; `rebuild` when it was
   * not the oldest row (a clear), which this deque does not splice.
   */
  remove(key: string): { row: Row; effect: 'removed' | 'changed' } | 'rebuild' | undefined {
    const row = this._byKey.get(key);
    if (!row) return undefined;
    const index = row.keys.indexOf(key);
    if (row.keys.length === 1) {
      if (row !== this._rows[this._head]) return 'rebuild';
      this._byKey.delete(key);
      this._rows[this._head] = undefined as unknown as Row;
      this._head++;
      this._firstSeq++;
      this._compact();
      return { row, effect: 'removed' };
    }
    this._byKey.delete(key);
    row.keys.splice(index, 1);
    if (index === 0) row.message = this._lookup(row.keys[0]!) ?? row.message;
    return { row, effect: 'changed' };
  }

  /** A message changed (deleted): the row shows the new copy when it is the one shown. */
  update(key: string, message: ChatMessage): Row | undefined {
    const row = this._byKey.get(key);
    if (row && row.keys[0] === key) row.message = message;
    return row;
  }

  /** Whether every message of the row was deleted. */
  isDeleted(row: Row): boolean {
    return row.keys.every(
      (k) => (k === row.keys[0] ? row.message : this._lookup(k))?.flags.deleted,
    );
  }

  /** Replaces every row (a filter change, a snapshot, a clear). Sequence numbers keep increasing. */
  reset(messages: Iterable<ChatMessage>): void {
    const next = this.endSeq;
    this._rows = [];
    this._head = 0;
    this._firstSeq = next;
    this._byKey.clear();
    for (const message of messages) this.push(message);
  }

  private _compact(): void {
    if (this._head > 1024 && this._head * 2 > this._rows.length) {
      this._rows = this._rows.slice(this._head);
      this._head = 0;
    }
  }
}
