import { describe, expect, it } from 'vitest';
import { ChatHub } from '../../../src/core/chatHub';
import { nullLogger } from '../../../src/core/log';
import { ChatMessage, plainText } from '../../../src/core/message';

const line = (id: string, text: string, channel = 'codercat', user = 'viewer'): ChatMessage => ({
  id,
  platform: 'glimesh',
  channel,
  kind: 'chat',
  author: { name: user, displayName: user, roles: [] },
  parts: [{ type: 'text', text }],
  receivedAt: 1,
  flags: {},
});

describe('de-duplication by (platform, channel, id)', () => {
  it('drops a repeat of the same message (history overlap, an echo)', () => {
    const hub = new ChatHub({ scrollback: 100, log: nullLogger });
    hub.apply({ op: 'append', message: line('1', 'hello') });
    hub.apply({ op: 'append', message: line('1', 'hello') });
    expect(hub.messages.map(plainText)).toEqual(['hello']);
  });

  it('a restarted server counting ids from 1 again does not lose its first messages behind restored lines', () => {
    const hub = new ChatHub({ scrollback: 100, log: nullLogger });
    for (const [id, text] of [
      ['1', 'restored one'],
      ['2', 'restored two'],
    ])
      hub.apply({ op: 'append', message: line(id!, text!) });
    for (const [id, text] of [
      ['1', 'new one'],
      ['2', 'new two'],
    ])
      hub.apply({ op: 'append', message: line(id!, text!) });
    expect(hub.messages.map(plainText)).toEqual([
      'restored one',
      'restored two',
      'new one',
      'new two',
    ]);
    // A delete by id now means the newer line.
    hub.apply({ op: 'delete', platform: 'glimesh', ids: ['1'] });
    expect(hub.messages.filter((m) => m.flags.deleted).map(plainText)).toEqual(['new one']);
  });

  it('the same id in another channel is another message; an empty id is no id', () => {
    const hub = new ChatHub({ scrollback: 100, log: nullLogger });
    hub.apply({ op: 'append', message: line('7', 'same text', 'a') });
    hub.apply({ op: 'append', message: line('7', 'same text', 'b') });
    hub.apply({ op: 'append', message: line('', 'no id') });
    hub.apply({ op: 'append', message: line('', 'no id') });
    expect(hub.messages.map((m) => `${m.channel}:${plainText(m)}`)).toEqual([
      'a:same text',
      'b:same text',
      'codercat:no id',
      'codercat:no id',
    ]);
  });

  it('an evicted repeat stays out; an evicted id with new content comes in', () => {
    const hub = new ChatHub({ scrollback: 100, log: nullLogger });
    for (let i = 0; i < 150; i++) hub.apply({ op: 'append', message: line(String(i), `m${i}`) });
    hub.apply({ op: 'append', message: line('0', 'm0') });
    expect(hub.messages.some((m) => plainText(m) === 'm0')).toBe(false);
    hub.apply({ op: 'append', message: line('0', 'after a restart') });
    expect(hub.messages.at(-1) && plainText(hub.messages.at(-1)!)).toBe('after a restart');
  });
});
