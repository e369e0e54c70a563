import { describe, expect, it } from 'vitest';
import { ChatError } from '../../../src/core/errors';
import type { PlatformId } from '../../../src/core/message';
import { ChatOutbox } from '../../../src/send/outbox';
import { FakeClock } from '../core/fakeClock';

function fakeHub(fail?: (text: string, n: number) => boolean) {
  const sent: Array<{ platform: PlatformId; text: string; at: number }> = [];
  const clock = new FakeClock();
  const hub = {
    send: async (platform: PlatformId, text: string) => {
      if (fail?.(text, sent.length)) throw new ChatError('REFUSED', 'the platform refused it');
      sent.push({ platform, text, at: clock.now() });
    },
  };
  return { sent, clock, outbox: new ChatOutbox(hub, clock) };
}

describe('ChatOutbox', () => {
  it('refuses text that looks like a secret and sends nothing', async () => {
    const { sent, outbox } = fakeHub();
    const error = await outbox
      .send('tau', '@viewer here: AKIAIOSFODNN7EXAMPLE')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatError);
    expect((error as ChatError).code).toBe('SECRET');
    expect((error as ChatError).message).not.toContain('AKIA');
    expect(sent).toEqual([]);
  });

  it('splits to the platform’s length and paces the parts by its rules', async () => {
    const { sent, clock, outbox } = fakeHub();
    const done = outbox.send('tau', `@viewer ${'word '.repeat(150)}`);
    await clock.advance(10_000);
    expect(await done).toEqual({ sent: 2, total: 2 });
    expect(sent.map((s) => [...s.text].length).every((n) => n <= 500)).toBe(true);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(2000);
  });

  it('one pace per platform, shared by every caller', async () => {
    const { sent, clock, outbox } = fakeHub();
    const a = outbox.send('tau', 'one');
    const b = outbox.acquire('tau').then(() => 'slot');
    const c = outbox.send('glimesh', 'other platform');
    await clock.advance(0);
    expect(sent.map((s) => s.text)).toEqual(['one', 'other platform']);
    await clock.advance(2000);
    expect(await b).toBe('slot');
    await Promise.all([a, c]);
  });

  it('a platform error is the caller’s error; after a part went out it says how many', async () => {
    const first = fakeHub(() => true);
    await expect(first.outbox.send('mixer', 'hi')).rejects.toThrow('the platform refused it');
    const second = fakeHub((_t, n) => n === 1);
    const done = second.outbox.send('glimesh', 'x'.repeat(600)).catch((e: unknown) => e);
    await second.clock.advance(10_000);
    expect(((await done) as ChatError).message).toMatch(/^sent 1 of 3/);
  });
});
