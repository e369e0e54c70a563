import { Clock } from '../../../src/core/clock';
import { Disposable } from '../../../src/core/lifecycle';

/** A manual clock: time moves only when a test calls `advance`. */
export class FakeClock implements Clock {
  private _now = 0;
  private _timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private _nextId = 0;

  now(): number {
    return this._now;
  }

  setTimeout(fn: () => void, ms: number): Disposable {
    const timer = { at: this._now + ms, fn, id: this._nextId++ };
    this._timers.push(timer);
    return { dispose: () => (this._timers = this._timers.filter((t) => t !== timer)) };
  }

  get pending(): number {
    return this._timers.length;
  }

  /** Moves time forward, running due timers in order (and awaiting microtasks between them). */
  async advance(ms: number): Promise<void> {
    const end = this._now + ms;
    for (;;) {
      await flushMicrotasks();
      const due = this._timers
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this._timers = this._timers.filter((t) => t !== due);
      this._now = due.at;
      due.fn();
    }
    this._now = end;
    await flushMicrotasks();
  }
}

/** Lets every queued promise callback run (a macrotask turn drains the whole microtask queue). */
export async function flushMicrotasks(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}
