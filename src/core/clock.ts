import { Disposable, toDisposable } from './lifecycle';

/** Time and timers, injected so that protocol logic can be tested with fake time. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): Disposable;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    // Node fires a delay above 2^31 − 1 ms at once (with a warning): cap it instead.
    const handle = setTimeout(callback, Math.min(Math.max(0, ms), 2 ** 31 - 1));
    return toDisposable(() => clearTimeout(handle));
  },
};

/** Resolves after `ms` on the given clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
