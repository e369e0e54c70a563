import { Clock } from '../core/clock';
import { Disposable } from '../core/lifecycle';

/**
 * Documents the streamer chose to show for a while: each key holds the timer that masks it again.
 * Revealing again restarts the time; masking again or clearing cancels it without a callback.
 */
export class Reveals implements Disposable {
  private readonly _timers = new Map<string, Disposable>();

  constructor(
    private readonly _clock: Clock,
    private readonly _durationMs: number,
    /** Called when a reveal runs out (not when it is cancelled). */
    private readonly _onExpire: (key: string) => void,
  ) {}

  has(key: string): boolean {
    return this._timers.has(key);
  }

  /** Reveals `key` for the duration (`true`) or masks it again at once (`false`); returns `revealed`. */
  set(key: string, revealed: boolean): boolean {
    this.delete(key);
    if (revealed) {
      this._timers.set(
        key,
        this._clock.setTimeout(() => {
          this._timers.delete(key);
          this._onExpire(key);
        }, this._durationMs),
      );
    }
    return revealed;
  }

  /** Forgets `key` (its document closed) without a callback. */
  delete(key: string): void {
    this._timers.get(key)?.dispose();
    this._timers.delete(key);
  }

  clear(): void {
    for (const timer of this._timers.values()) timer.dispose();
    this._timers.clear();
  }

  dispose(): void {
    this.clear();
  }
}
