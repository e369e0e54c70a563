/** A bounded set of recent ids, oldest forgotten first: drops repeats where feeds overlap. */
export class RecentIds {
  private readonly _ids = new Set<string>();

  constructor(private readonly _capacity: number) {}

  /** Adds the id; false when it was already there. */
  add(id: string): boolean {
    if (this._ids.has(id)) return false;
    this._ids.add(id);
    if (this._ids.size > this._capacity) {
      const oldest = this._ids.values().next().value;
      if (oldest !== undefined) this._ids.delete(oldest);
    }
    return true;
  }
}
