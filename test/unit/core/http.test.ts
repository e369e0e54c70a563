import { describe, expect, it } from 'vitest';
import { ChatError } from '../../../src/core/errors';
import { FetchLike, busyRetryAfterMs, requestJson, retryAfterMs } from '../../../src/core/http';
import { FakeClock } from './fakeClock';

const failures = {
  aborted: () => new ChatError('ABORTED', 'cancelled', 'network'),
  timedOut: (ms: number) => new ChatError('TIMEOUT', `no answer in ${ms} ms`, 'network'),
  unreachable: (reason: string) => new ChatError('UNREACHABLE', reason, 'network'),
};

describe('Retry-After', () => {
  it('reads seconds or an HTTP date, capped at an hour; nothing else', () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs('86400')).toBe(3_600_000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('2015-10-21T07:28:00Z'))).toBe(
      30_000,
    );
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('is honoured only on 429 and 503', () => {
    expect(busyRetryAfterMs(429, '2')).toBe(2000);
    expect(busyRetryAfterMs(503, ['3'])).toBe(3000);
    expect(busyRetryAfterMs(500, '2')).toBeUndefined();
    expect(busyRetryAfterMs(403, '2')).toBeUndefined();
  });
});

describe('requestJson', () => {
  it('reads status, JSON and Retry-After', async () => {
    const fetch: FetchLike = async () => ({
      status: 429,
      ok: false,
      headers: { get: (name: string) => (name === 'retry-after' ? '5' : null) },
      json: async () => ({}),
      text: async () => '{"errors":[]}',
    });
    const answer = await requestJson({ url: 'http://x', fetch, timeoutMs: 1000, failures });
    expect(answer).toMatchObject({ status: 429, isJson: true, retryAfterMs: 5000 });
    expect(answer.body).toEqual({ errors: [] });
  });

  it('times out on the injected clock, and a cancel says so', async () => {
    const hang: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    const clock = new FakeClock();
    const timing = requestJson({ url: 'http://x', fetch: hang, timeoutMs: 1000, clock, failures });
    const caught = timing.catch((e: unknown) => e);
    await clock.advance(1000);
    expect(await caught).toMatchObject({ code: 'TIMEOUT' });
    expect(clock.pending).toBe(0);

    const abort = new AbortController();
    const cancelled = requestJson({
      url: 'http://x',
      fetch: hang,
      timeoutMs: 1000,
      clock,
      signal: abort.signal,
      failures,
    }).catch((e: unknown) => e);
    abort.abort();
    expect(await cancelled).toMatchObject({ code: 'ABORTED' });
  });
});
