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
