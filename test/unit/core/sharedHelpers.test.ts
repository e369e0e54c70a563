import { describe, expect, it } from 'vitest';
import { ChatError } from '../../../src/core/errors';
import { HistoryGate } from '../../../src/core/historyGate';
import { isRecord, parseJson } from '../../../src/core/json';
import { Pending } from '../../../src/core/pending';
import { RecentIds } from '../../../src/core/recentIds';
import { charCount, cutLine } from '../../../src/core/rules';
import { FakeClock } from './fakeClock';

describe('Pending', () => {
  it('settles once: the first answer wins, and its timer is gone', async () => {
    const clock = new FakeClock();
    const pending = new Pending<number>({ clock, timeoutMs: 1000 });
    expect(pending.resolve(1)).toBe(true);
    expect(pending.reject(new ChatError('LATE', 'late'))).toBe(false);
    expect(await pending.promise).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('times out with the given error, and an abort rejects at once', async () => {
    const clock = new FakeClock();
    const timing = new Pending({
      clock,
      timeoutMs: 1000,
      timeout: () => new ChatError('SLOW', 'no answer'),
    });
    const caught = timing.promise.catch((e: unknown) => e);
    await clock.advance(1000);
    expect(await caught).toMatchObject({ code: 'SLOW' });

    const abort = new AbortController();
    const aborted = new Pending({ signal: abort.signal });
    abort.abort();
    await expect(aborted.promise).rejects.toMatchObject({ code: 'ABORTED' });
    const already = new Pending({ signal: abort.signal });
    expect(already.isSettled).toBe(true);
    await expect(already.promise).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('HistoryGate', () => {
  it('holds live items until history is in, then passes them straight through', () => {
    const out: string[] = [];
    const gate = new HistoryGate<string>((item) => out.push(item));
    gate.push('live 1');
    expect(out).toEqual([]);
    gate.release(['old 1', 'old 2']);
    gate.push('live 2');
    expect(out).toEqual(['old 1', 'old 2', 'live 1', 'live 2']);
  });
});

describe('RecentIds', () => {
  it('drops repeats and forgets the oldest beyond its capacity', () => {
    const ids = new RecentIds(2);
    expect([ids.add('a'), ids.add('a'), ids.add('b'), ids.add('c'), ids.add('a')]).toEqual([
      true,
      false,
      true,
      true,
      true,
    ]);
  });

  it('over many ids remembers exactly the newest `capacity`, wrapping its ring', () => {
    const ids = new RecentIds(3);
    for (let i = 0; i < 1000; i++) expect(ids.add(`id${i}`)).toBe(true);
    expect(['id997', 'id998', 'id999'].map((id) => ids.add(id))).toEqual([false, false, false]);
    expect(ids.add('id996')).toBe(true);
    // id996 pushed out id997, the oldest; id997 back pushes out id998.
    expect([ids.add('id997'), ids.add('id999'), ids.add('id998')]).toEqual([true, false, true]);
  });
});

describe('json', () => {
  it('parses capped text and says why not', () => {
    expect(parseJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJson('[1]', 2)).toEqual({ ok: false, reason: 'frame of 3 characters is too long' });
    expect(parseJson('{')).toEqual({ ok: false, reason: 'not JSON' });
    expect(parseJson(42)).toEqual({ ok: false, reason: 'not a text frame' });
    expect([isRecord({}), isRecord([]), isRecord(null)]).toEqual([true, false, false]);
  });
});

describe('rules: characters', () => {
  it('counts graphemes or code points, and cuts never inside one', () => {
    const family = '👨‍👩‍👧';
    expect(charCount(family, 'graphemes')).toBe(1);
    expect(charCount(family, 'codePoints')).toBe(5);
    expect(cutLine(family.repeat(3), 2, 'graphemes')).toEqual([family.repeat(2), family]);
    expect(cutLine('aaaaa bbb', 7, 'codePoints', { atSpace: true })).toEqual(['aaaaa', 'bbb']);
    expect(cutLine('abcdefgh', 3, 'codePoints')).toEqual(['abc', 'def', 'gh']);
  });
});
