import { Clock, sleep } from './clock';

/**
 * A sliding-window pacer: at most `limit` acquisitions in any `windowMs`. `acquire()` resolves
 * when the caller may go, in FIFO order, so a burst is spread out instead of refused.
 */
export class RateLimiter {
  private readonly _stamps: number[] = [];
  private _tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** How long the next caller would wait now, in ms. */
  waitMs(): number {
    const now = this.clock.now();
    while (this._stamps.length > 0 && now - this._stamps[0]! >= this.windowMs) this._stamps.shift();
    if (this._stamps.length < this.limit) return 0;
    return this._stamps[0]! + this.windowMs - now;
  }

  acquire(): Promise<void> {
    const turn = this._tail.then(async () => {
      for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) await sleep(this.clock, wait);
      this._stamps.push(this.clock.now());
    });
    this._tail = turn.catch(() => {});
    return turn;
  }
}
