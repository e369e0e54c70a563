/** A bounded set of recent ids, oldest forgotten first: drops repeats where feeds overlap. */
export class RecentIds {
  private readonly _ids = new Set<string>();
  /**
   * The ids in the order they came, as a ring: the oldest is `_ring[_next]` once it is full. A Set's
   * own oldest (`values().next()`) walks past the slot of every id deleted since V8 last rehashed.
   */
  private readonly _ring: string[] = [];
  private _next = 0;

  constructor(private readonly _capacity: number) {}

  /** Adds the id; false when it was already there. */
  add(id: string): boolean {
    if (this._ids.has(id)) return false;
    this._ids.add(id);
    if (this._ring.length < this._capacity) this._ring.push(id);
    else {
      this._ids.delete(this._ring[this._next]!);
      this._ring[this._next] = id;
      this._next = (this._next + 1) % this._capacity;
    }
    return true;
  }
}
