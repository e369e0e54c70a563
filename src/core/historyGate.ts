/**
 * Holds live items until history is in, so a timeline stays oldest-first: items pushed before
 * `release` wait; `release` delivers the history, then what waited, and from then on items pass
 * straight through.
 */
export class HistoryGate<T> {
  private _held: T[] | undefined = [];

  constructor(private readonly _deliver: (item: T) => void) {}

  /** Whether items are still held. */
  get isHolding(): boolean {
    return this._held !== undefined;
  }

  push(item: T): void {
    if (this._held) this._held.push(item);
    else this._deliver(item);
  }

  /** Delivers `history` (oldest first), then the held items; later pushes are delivered at once. */
  release(history: Iterable<T> = []): void {
    for (const item of history) this._deliver(item);
    const held = this._held ?? [];
    this._held = undefined;
    for (const item of held) this._deliver(item);
  }

  /** Forgets what is held (the connection ended). */
  drop(): void {
    if (this._held) this._held = [];
  }
}
