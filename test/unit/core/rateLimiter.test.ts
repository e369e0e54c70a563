import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { FakeClock } from './fakeClock';

describe('RateLimiter', () => {
  it('lets `limit` through at once, then one more per freed slot, in order', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(3, 1000, clock);
    const passed: Array<[number, number]> = [];
    for (let i = 0; i < 7; i++) void limiter.acquire().then(() => passed.push([i, clock.now()]));
    await clock.advance(0);
    expect(passed).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    await clock.advance(2500);
    expect(passed.map(([i]) => i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(passed.slice(3).map(([, t]) => t)).toEqual([1000, 1000, 1000, 2000]);
  });
});

/** A fake clock whose wall time can be set back, as a user or NTP might. */
class SettableWallClock extends FakeClock {
  wallOffset = 0;
  override now(): number {
    return super.now() + this.wallOffset;
  }
  monotonicNow(): number {
    return super.now();
  }
}

describe('RateLimiter: the clock and dispose', () => {
  it('measures on the monotonic clock: setting the wall clock back an hour does not stall it', async () => {
    const clock = new SettableWallClock();
    const limiter = new RateLimiter(1, 1000, clock);
    await limiter.acquire();
    clock.wallOffset = -3_600_000;
    let passed = false;
    void limiter.acquire().then(() => (passed = true));
    await clock.advance(1000);
    expect(passed).toBe(true);
  });

  it('dispose ends every wait at once and leaves no timer behind', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(1, 60_000, clock);
    await limiter.acquire();
    const waiting = [limiter.acquire(), limiter.acquire()].map((p) =>
      p.then(
        () => 'went',
        (e: unknown) => (e as { code?: string }).code,
      ),
    );
    await clock.advance(0);
    expect(clock.pending).toBe(1);
    limiter.dispose();
    expect(await Promise.all(waiting)).toEqual(['DISPOSED', 'DISPOSED']);
    expect(clock.pending).toBe(0);
    await expect(limiter.acquire()).rejects.toMatchObject({ code: 'DISPOSED' });
  });
});
