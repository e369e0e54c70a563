import { describe, expect, it } from 'vitest';
import { Reveals } from '../../../src/screen/reveals';
import { FakeClock } from '../core/fakeClock';

const setup = () => {
  const clock = new FakeClock();
  const expired: string[] = [];
  return { clock, expired, reveals: new Reveals(clock, 30_000, (key) => expired.push(key)) };
};

describe('Reveals', () => {
  it('masks a revealed document again after exactly 30 s', async () => {
    const { clock, expired, reveals } = setup();
    expect(reveals.set('a', true)).toBe(true);
    await clock.advance(29_999);
    expect(reveals.has('a')).toBe(true);
    expect(expired).toEqual([]);
    await clock.advance(1);
    expect(reveals.has('a')).toBe(false);
    expect(expired).toEqual(['a']);
  });

  it('restarts the 30 s when revealed again', async () => {
    const { clock, expired, reveals } = setup();
    reveals.set('a', true);
    await clock.advance(20_000);
    reveals.set('a', true);
    await clock.advance(20_000);
    expect(reveals.has('a')).toBe(true);
    await clock.advance(10_000);
    expect(expired).toEqual(['a']);
    expect(clock.pending).toBe(0);
  });

  it('masking again, forgetting or clearing cancels the timer without a callback', async () => {
    const { clock, expired, reveals } = setup();
    reveals.set('a', true);
    reveals.set('b', true);
    reveals.set('c', true);
    expect(reveals.set('a', false)).toBe(false);
    reveals.delete('b');
    expect(reveals.has('c')).toBe(true);
    reveals.dispose();
    expect(clock.pending).toBe(0);
    await clock.advance(60_000);
    expect(expired).toEqual([]);
    expect(['a', 'b', 'c'].some((k) => reveals.has(k))).toBe(false);
  });
});
