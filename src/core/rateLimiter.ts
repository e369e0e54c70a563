import { Clock, monotonicNow } from './clock';
import { ChatError } from './errors';
import { Disposable } from './lifecycle';
import { Pending } from './pending';

/**
 * A sliding-window pacer: at most `limit` acquisitions in any `windowMs`. `acquire()` resolves
 * when the caller may go, in FIFO order, so a burst is spread out instead of refused. Time is
 * measured on the clock's monotonic time, so setting the system clock back never stalls it;
 * disposing it rejects every wait at once and leaves no timer behind.
 */
export class RateLimiter implements Disposable {
  private readonly _stamps: number[] = [];
  private _tail: Promise<void> = Promise.resolve();
  private readonly _waits = new Set<Pending>();
  private _isDisposed = false;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** How long the next caller would wait now, in ms. */
  waitMs(): number {
    const now = monotonicNow(this.clock);
    while (this._stamps.length > 0 && now - this._stamps[0]! >= this.windowMs) this._stamps.shift();
    if (this._stamps.length < this.limit) return 0;
    return this._stamps[0]! + this.windowMs - now;
  }

  acquire(): Promise<void> {
    if (this._isDisposed) return Promise.reject(disposedError());
    const turn = this._tail.then(async () => {
      for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) await this._sleep(wait);
      if (this._isDisposed) throw disposedError();
      this._stamps.push(monotonicNow(this.clock));
    });
    this._tail = turn.catch(() => {});
    return turn;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    for (const wait of [...this._waits]) wait.reject(disposedError());
  }

  private _sleep(ms: number): Promise<void> {
    if (this._isDisposed) return Promise.reject(disposedError());
    const wait: Pending = new Pending({
      onSettled: () => {
        timer.dispose();
        this._waits.delete(wait);
      },
    });
    const timer = this.clock.setTimeout(() => wait.resolve(), ms);
    this._waits.add(wait);
    return wait.promise;
  }
}

function disposedError(): ChatError {
  return new ChatError('DISPOSED', 'Not sent: the connection was closed.', 'network');
}
