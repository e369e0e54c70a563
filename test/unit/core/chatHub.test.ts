import { describe, expect, it } from 'vitest';
import { ChatHub } from '../../../src/core/chatHub';
import { ChatMessage, PlatformId, TimelineOp } from '../../../src/core/message';
import { nullLogger } from '../../../src/core/log';

let n = 0;
function chat(platform: PlatformId, id: string, userId = 'u1'): ChatMessage {
  return {
    id,
    platform,
    channel: 'c',
    kind: 'chat',
    author: { id: userId, name: `user${userId}`, displayName: `User${userId}`, roles: [] },
    parts: [{ type: 'text', text: `message ${id}` }],
    receivedAt: n++,
    flags: {},
  };
}

function hub(scrollback = 100) {
  const h = new ChatHub({ scrollback, log: nullLogger });
  const applied: TimelineOp[] = [];
  h.onDidApply((op) => applied.push(op));
  return { h, applied };
}

describe('ChatHub timeline', () => {
  it('drops a message seen before on the same platform but keeps the same id on another platform', () => {
    const { h, applied } = hub();
    h.apply({ op: 'append', message: chat('glimesh', '1') });
    h.apply({ op: 'append', message: chat('glimesh', '1') });
    h.apply({ op: 'append', message: chat('mixer', '1') });
    expect(h.messages.map((m) => `${m.platform}:${m.id}`)).toEqual(['glimesh:1', 'mixer:1']);
    expect(applied).toHaveLength(2);
  });

  it('keeps only the last `scrollback` messages, oldest first', () => {
    const { h } = hub(100);
    for (let i = 0; i < 1000; i++) h.apply({ op: 'append', message: chat('tau', String(i)) });
    const ids = h.messages.map((m) => m.id);
    expect(ids).toHaveLength(100);
    expect(ids[0]).toBe('900');
    expect(ids.at(-1)).toBe('999');
  });

  it('does not let an evicted message come back (history refetch)', () => {
    const { h } = hub(100);
    for (let i = 0; i < 300; i++) h.apply({ op: 'append', message: chat('glimesh', String(i)) });
    h.apply({ op: 'append', message: chat('glimesh', '5') });
    expect(h.messages.some((m) => m.id === '5')).toBe(false);
  });

  it('marks deleted messages and a purged user’s messages, and clears a platform’s chat', () => {
    const { h } = hub();
    h.apply({ op: 'append', message: chat('mixer', 'a', 'u1') });
    h.apply({ op: 'append', message: chat('mixer', 'b', 'u2') });
    h.apply({ op: 'append', message: chat('mixer', 'c', 'u2') });
    h.apply({ op: 'append', message: chat('tau', 'd', 'u2') });
    h.apply({ op: 'delete', platform: 'mixer', ids: ['a'] });
    h.apply({ op: 'purgeUser', platform: 'mixer', userId: 'u2' });
    expect(h.messages.map((m) => [m.id, !!m.flags.deleted])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
      ['d', false],
    ]);
    h.apply({ op: 'clear', platform: 'mixer' });
    expect(h.messages.map((m) => m.id)).toEqual(['d']);
  });

  it('sending to a platform that is not enabled is refused with a clear reason', async () => {
    const { h } = hub();
    await expect(h.send('tau', 'hi')).rejects.toMatchObject({ code: 'NOT_ENABLED' });
  });
});
