import { Disposable, toDisposable } from './lifecycle';

/** Time and timers, injected so that protocol logic can be tested with fake time. */
export interface Clock {
  /** Wall-clock time (ms since the epoch), for timestamps. */
  now(): number;
  /**
   * Monotonic time in ms (never goes back when the system clock is set), for measuring waits;
   * clocks without one measure with `now()`.
   */
  monotonicNow?(): number;
  setTimeout(callback: () => void, ms: number): Disposable;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicNow: () => performance.now(),
  setTimeout(callback, ms) {
    // Node fires a delay above 2^31 − 1 ms at once (with a warning): cap it instead.
    const handle = setTimeout(callback, Math.min(Math.max(0, ms), 2 ** 31 - 1));
    return toDisposable(() => clearTimeout(handle));
  },
};

/** The clock's monotonic time, or its wall-clock time when it has none. */
export function monotonicNow(clock: Clock): number {
  return clock.monotonicNow ? clock.monotonicNow() : clock.now();
}

/** Resolves after `ms` on the given clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
