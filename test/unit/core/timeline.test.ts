import { describe, expect, it } from 'vitest';
import { ChatMessage, PlatformId, plainText } from '../../../src/core/message';
import {
  Timeline,
  dedupeKeyOf,
  fingerprintOf,
  keyOf,
  newChanges,
} from '../../../src/core/timeline';

const line = (
  id: string,
  text: string,
  { channel = 'c', platform = 'glimesh' as PlatformId, user = 'u1' } = {},
): ChatMessage => ({
  id,
  platform,
  channel,
  kind: 'chat',
  author: { id: user, name: user, displayName: user, roles: [] },
  parts: [{ type: 'text', text }],
  receivedAt: 1,
  flags: {},
});

const texts = (t: Timeline) => t.messages().map(plainText);

describe('Timeline (the one copy of the timeline-op rules)', () => {
  it('de-duplicates on (platform, channel, id); an empty id is no id', () => {
    expect(dedupeKeyOf(line('', 'x'))).toBeUndefined();
    const t = new Timeline(100);
    expect(t.apply({ op: 'append', message: line('1', 'a') })).toBe(true);
    expect(t.apply({ op: 'append', message: line('1', 'a') })).toBe(false);
    expect(t.apply({ op: 'append', message: line('1', 'a', { channel: 'other' }) })).toBe(true);
    expect(t.apply({ op: 'append', message: line('1', 'a', { platform: 'tau' }) })).toBe(true);
    expect(t.apply({ op: 'append', message: line('', 'no id') })).toBe(true);
    expect(t.apply({ op: 'append', message: line('', 'no id') })).toBe(true);
    expect(t.size).toBe(5);
  });

  it('gives every line a row key of its own: platform:id, or a new one when that is taken', () => {
    const t = new Timeline(100);
    const changes = newChanges();
    const restored = line('1', 'restored');
    const restarted = line('1', 'after a restart');
    t.apply({ op: 'append', message: restored }, changes);
    t.apply({ op: 'append', message: restarted }, changes);
    const keys = changes.appended.map((e) => e.key);
    expect(keys[0]).toBe('glimesh:1');
    expect(new Set(keys).size).toBe(2);
    expect(keyOf(restored)).toBe(keys[0]);
    expect(keyOf(restarted)).toBe(keys[1]);
    expect(t.get(keys[1]!)).toBe(restarted);
    // A delete by id means the newer line, and its deleted copy keeps the row key.
    const deleted = newChanges();
    t.apply({ op: 'delete', platform: 'glimesh', ids: ['1'] }, deleted);
    expect([...deleted.updated]).toEqual([keys[1]]);
    const copy = t.get(keys[1]!)!;
    expect(copy.flags.deleted).toBe(true);
    expect(keyOf(copy)).toBe(keys[1]);
    expect(t.get('glimesh:1')?.flags.deleted).toBeUndefined();
  });

  it('deletes every channel’s line with the id; purges a user’s chat; reports a line once', () => {
    const t = new Timeline(100);
    t.apply({ op: 'append', message: line('7', 'a', { channel: 'x' }) });
    t.apply({ op: 'append', message: line('7', 'b', { channel: 'y' }) });
    t.apply({ op: 'append', message: line('8', 'c', { user: 'u2' }) });
    t.apply({ op: 'append', message: line('9', 'd', { user: 'u2', platform: 'tau' }) });
    const changes = newChanges();
    t.apply({ op: 'delete', platform: 'glimesh', ids: ['7'] }, changes);
    t.apply({ op: 'delete', platform: 'glimesh', ids: ['7'] }, changes);
    t.apply({ op: 'purgeUser', platform: 'glimesh', userId: 'u2' }, changes);
    expect(changes.updated.size).toBe(3);
    expect(t.messages().map((m) => !!m.flags.deleted)).toEqual([true, true, true, false]);
  });

  it('clears one platform’s chat, keeping events and notices', () => {
    const t = new Timeline(100);
    t.apply({ op: 'append', message: line('1', 'chat') });
    t.apply({ op: 'append', message: { ...line('2', 'raid'), kind: 'event' } });
    t.apply({ op: 'append', message: line('3', 'elsewhere', { platform: 'mixer' }) });
    const changes = newChanges();
    t.apply({ op: 'clear', platform: 'glimesh' }, changes);
    expect(changes).toMatchObject({ removed: ['glimesh:1'], cleared: true });
    expect(texts(t)).toEqual(['raid', 'elsewhere']);
    // A cleared line is not an evicted one: it may come back.
    expect(t.apply({ op: 'append', message: line('1', 'chat') })).toBe(true);
  });

  it('trims to the scrollback, oldest first, and keeps an evicted repeat out', () => {
    const t = new Timeline(3);
    const changes = newChanges();
    for (const id of ['1', '2', '3', '4', '5'])
      t.apply({ op: 'append', message: line(id, `m${id}`) }, changes);
    expect(changes.removed).toEqual(['glimesh:1', 'glimesh:2']);
    expect(texts(t)).toEqual(['m3', 'm4', 'm5']);
    expect(t.apply({ op: 'append', message: line('1', 'm1') })).toBe(false);
    expect(t.apply({ op: 'append', message: line('1', 'new content') })).toBe(true);
    const shrunk = newChanges();
    t.setScrollback(2, shrunk);
    expect(shrunk.removed).toEqual(['glimesh:4']);
    expect(texts(t)).toEqual(['m5', 'new content']);
    t.clear();
    expect(t.size).toBe(0);
    expect(t.apply({ op: 'append', message: line('3', 'm3') })).toBe(true);
  });

  it('after a clear trims the oldest line left, and keeps the newest scrollback over a long run', () => {
    const t = new Timeline(3);
    t.apply({ op: 'append', message: line('1', 'g1') });
    t.apply({ op: 'append', message: line('2', 'm2', { platform: 'mixer' }) });
    t.apply({ op: 'append', message: line('3', 'g3') });
    t.apply({ op: 'clear', platform: 'glimesh' });
    const afterClear = newChanges();
    for (const id of ['4', '5', '6'])
      t.apply({ op: 'append', message: line(id, `g${id}`) }, afterClear);
    expect(afterClear.removed).toEqual(['mixer:2']);
    expect(texts(t)).toEqual(['g4', 'g5', 'g6']);

    const long = new Timeline(50);
    const removed: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const changes = newChanges();
      long.apply({ op: 'append', message: line(String(i), `l${i}`) }, changes);
      removed.push(...changes.removed);
    }
    expect(texts(long)).toEqual(Array.from({ length: 50 }, (_, i) => `l${9950 + i}`));
    expect(removed).toEqual(Array.from({ length: 9950 }, (_, i) => `glimesh:${i}`));
    // The oldest evicted lines are forgotten, the recent ones still kept out.
    expect(long.apply({ op: 'append', message: line('9949', 'l9949') })).toBe(false);
    expect(long.apply({ op: 'append', message: line('0', 'l0') })).toBe(true);
  });

  it('lets go of a trimmed line at once: no slot of its arrival list still holds one', () => {
    const t = new Timeline(1000);
    // 1,500 lines: 500 trimmed, fewer than the list compacts at.
    for (let i = 0; i < 1500; i++) t.apply({ op: 'append', message: line(String(i), `x${i}`) });
    const order = (t as unknown as { _order: unknown[]; _oldestAt: number })._order;
    const oldestAt = (t as unknown as { _oldestAt: number })._oldestAt;
    expect(oldestAt).toBe(500);
    expect(order.slice(0, oldestAt).filter((slot) => slot !== undefined)).toEqual([]);
    expect(order.slice(oldestAt)).toHaveLength(1000);
  });
});

describe('fingerprintOf (what a repeat looks like)', () => {
  const chat = (name: string, parts: ChatMessage['parts']): ChatMessage => ({
    ...line('1', ''),
    author: { id: name, name, displayName: name, roles: [] },
    parts,
  });

  it('is the same for the same author saying the same thing, however the text is split', () => {
    const a = chat('ann', [{ type: 'text', text: 'hello world' }]);
    const b = chat('ann', [
      { type: 'text', text: 'hello ' },
      { type: 'text', text: 'world' },
    ]);
    expect(fingerprintOf(a)).toBe(fingerprintOf(b));
    expect(Number.isSafeInteger(fingerprintOf(a))).toBe(true);
  });

  it('differs for another author, other text, or the same characters split between name and text', () => {
    const print = fingerprintOf(chat('ab', [{ type: 'text', text: 'c' }]));
    expect(fingerprintOf(chat('a', [{ type: 'text', text: 'bc' }]))).not.toBe(print);
    expect(fingerprintOf(chat('ab', [{ type: 'text', text: 'd' }]))).not.toBe(print);
    expect(fingerprintOf(chat('ba', [{ type: 'text', text: 'c' }]))).not.toBe(print);
    // An emote counts by its name, as plain text shows it.
    expect(fingerprintOf(chat('ab', [{ type: 'emote', name: 'c', url: 'https://e/1' }]))).toBe(
      print,
    );
  });

  it('gives 200,000 lines that differ by a character 200,000 different values', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200_000; i++)
      seen.add(fingerprintOf(chat(`user${i % 7}`, [{ type: 'text', text: `line ${i}` }])));
    expect(seen.size).toBe(200_000);
  });
});
