import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffDelay } from '../../../src/core/backoff';

describe('backoffDelay', () => {
  const fixed = (r: number) => ({ ...DEFAULT_BACKOFF, random: () => r });

  it('doubles from 0.5 s without jitter in the middle of the range', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, fixed(0.5)))).toEqual([
      500, 1000, 2000, 4000, 8000,
    ]);
  });

  it('caps at 30 s however many attempts', () => {
    expect(backoffDelay(7, fixed(0.5))).toBe(30_000);
    expect(backoffDelay(1000, fixed(0.99))).toBe(30_000);
  });

  it('spreads delays with jitter but never below 0.5 s or above 30 s', () => {
    for (let attempt = 1; attempt < 20; attempt++) {
      for (const r of [0, 0.25, 0.75, 0.999]) {
        const d = backoffDelay(attempt, fixed(r));
        expect(d).toBeGreaterThanOrEqual(500);
        expect(d).toBeLessThanOrEqual(30_000);
      }
    }
    expect(backoffDelay(4, fixed(0))).toBeLessThan(backoffDelay(4, fixed(0.999)));
  });
});
