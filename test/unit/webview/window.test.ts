import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Range, planWindow, rowAtTop, size } from '../../../webview/window';

const range = (start: number, end: number): Range => ({ start, end });
const within = (inner: Range, outer: Range) =>
  size(inner) === 0 || (inner.start >= outer.start && inner.end <= outer.end);
const built = (next: Range, current: Range) =>
  size(next) - Math.max(0, Math.min(next.end, current.end) - Math.max(next.start, current.start));

describe('planWindow', () => {
  it('following: hangs from the newest row and grows upward by the budget', () => {
    const rows = range(0, 10_000);
    let current = range(0, 0);
    current = planWindow({
      current,
      rows,
      must: range(9970, 10_000),
      focus: 'end',
      maxRows: 200,
      budget: 25,
    });
    expect(current).toEqual(range(9945, 10_000));
    for (let i = 0; i < 10; i++)
      current = planWindow({
        current,
        rows,
        must: range(9970, 10_000),
        focus: 'end',
        maxRows: 200,
        budget: 25,
      });
    expect(current).toEqual(range(9800, 10_000));
  });

  it('a burst that pushes everything built off screen starts again from the screen (no gap filled)', () => {
    const next = planWindow({
      current: range(9800, 10_000),
      rows: range(0, 15_000),
      must: range(14_970, 15_000),
      focus: 'end',
      maxRows: 200,
      budget: 0,
    });
    expect(next).toEqual(range(14_970, 15_000));
  });

  it('a small step appends and lets go of the oldest', () => {
    const next = planWindow({
      current: range(9800, 10_000),
      rows: range(0, 10_010),
      must: range(9980, 10_010),
      focus: 'end',
      maxRows: 200,
      budget: 0,
    });
    expect(next).toEqual(range(9810, 10_010));
  });

  it('paused: a jump far away builds around the new view; a small scroll extends what is built and lets go of rows beyond 200 around the view', () => {
    const rows = range(0, 10_000);
    expect(
      planWindow({
        current: range(9800, 10_000),
        rows,
        must: range(100, 190),
        focus: 130,
        maxRows: 200,
        budget: 0,
      }),
    ).toEqual(range(100, 190));
    expect(
      planWindow({
        current: range(100, 300),
        rows,
        must: range(80, 170),
        focus: 110,
        maxRows: 200,
        budget: 0,
      }),
    ).toEqual(range(80, 225));
  });

  it('always covers what the screen needs, stays within its size and its work (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 50 }),
        fc.boolean(),
        (first, count, cs, cl, ms, ml, budget, following) => {
          const rows = range(first, first + count);
          const current = range(cs, cs + cl);
          const must = following ? range(rows.end - ml, rows.end) : range(ms, ms + ml);
          const clampedMust = range(Math.max(must.start, rows.start), Math.min(must.end, rows.end));
          const next = planWindow({
            current,
            rows,
            must,
            focus: following ? 'end' : ms,
            maxRows: 200,
            budget,
          });
          expect(within(next, rows)).toBe(true);
          expect(size(next)).toBeLessThanOrEqual(200);
          if (size(clampedMust) > 0) expect(within(clampedMust, next)).toBe(true);
          const clampedCurrent = range(
            Math.max(current.start, rows.start),
            Math.min(current.end, rows.end),
          );
          expect(built(next, clampedCurrent)).toBeLessThanOrEqual(
            Math.max(0, size(clampedMust)) + budget,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('rowAtTop', () => {
  const rows = range(1000, 6000);
  it('inside the built rows: by their measured average; above or below: by the estimate', () => {
    const g = {
      clientHeight: 400,
      windowTop: 20 * 3000,
      windowBottom: 20 * 3000 + 200 * 25,
      estimate: 20,
    };
    expect(rowAtTop({ ...g, scrollTop: 20 * 3000 + 250 }, range(4000, 4200), rows)).toBe(4010);
    expect(rowAtTop({ ...g, scrollTop: 200 }, range(4000, 4200), rows)).toBe(1010);
    expect(rowAtTop({ ...g, scrollTop: g.windowBottom + 100 }, range(4000, 4200), rows)).toBe(4205);
    expect(rowAtTop({ ...g, scrollTop: 1e9 }, range(4000, 4200), rows)).toBe(5999);
  });
});
