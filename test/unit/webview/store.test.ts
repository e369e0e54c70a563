import { describe, expect, it } from 'vitest';
import { TimelineStore, keyOf } from '../../../webview/store';
import { chatMessage } from './builders';

describe('TimelineStore', () => {
  it('appends in order and ignores a message it already has', () => {
    const store = new TimelineStore(100);
    const a = chatMessage({ id: 'a' });
    const changes = store.apply([
      { op: 'append', message: a },
      { op: 'append', message: a },
      { op: 'append', message: chatMessage({ id: 'b' }) },
    ]);
    expect(changes.appended.map((m) => m.id)).toEqual(['a', 'b']);
    expect(store.messages().map((m) => m.id)).toEqual(['a', 'b']);
  });

  it('caps at scrollback, reporting what left; a burst bigger than it reports what never stayed as dropped', () => {
    const store = new TimelineStore(3);
    const changes = store.apply(
      ['1', '2', '3', '4', '5'].map((id) => ({ op: 'append', message: chatMessage({ id }) })),
    );
    expect(store.messages().map((m) => m.id)).toEqual(['3', '4', '5']);
    expect(changes.appended.map((m) => m.id)).toEqual(['3', '4', '5']);
    expect(changes.dropped.map((m) => m.id)).toEqual(['1', '2']);
    expect(changes.removed).toEqual([]);
    const next = store.apply([{ op: 'append', message: chatMessage({ id: '6' }) }]);
    expect(next.removed).toEqual(['glimesh:3']);
    expect(next.dropped).toEqual([]);
  });

  it('knows each author’s first line since the view started, across a snapshot', () => {
    const store = new TimelineStore(100);
    const a1 = chatMessage({ id: 'a1', user: 'ann' });
    const b1 = chatMessage({ id: 'b1', user: 'bob' });
    const a2 = chatMessage({ id: 'a2', user: 'ann' });
    store.apply([a1, b1, a2].map((message) => ({ op: 'append' as const, message })));
    expect([a1, b1, a2].map((m) => store.isFirst(m))).toEqual([true, true, false]);
    store.reset([b1, a2], 100);
    expect([b1, a2].map((m) => store.isFirst(m))).toEqual([true, false]);
    const event = chatMessage({ id: 'e', user: 'cat', kind: 'event' });
    store.apply([{ op: 'append', message: event }]);
    expect(store.isFirst(event)).toBe(false);
  });

  it('marks deletes and purges, and clears one platform’s chat only', () => {
    const store = new TimelineStore(100);
    store.apply([
      { op: 'append', message: chatMessage({ id: 'a', user: 'x', platform: 'mixer' }) },
      { op: 'append', message: chatMessage({ id: 'b', user: 'y', platform: 'mixer' }) },
      { op: 'append', message: chatMessage({ id: 'c', user: 'y', platform: 'tau' }) },
    ]);
    const deleted = store.apply([
      { op: 'delete', platform: 'mixer', ids: ['a'] },
      { op: 'purgeUser', platform: 'mixer', userId: 'u-y' },
    ]);
    expect(deleted.updated.sort()).toEqual(['mixer:a', 'mixer:b']);
    expect(store.get('tau:c')?.flags.deleted).toBeUndefined();
    const cleared = store.apply([{ op: 'clear', platform: 'mixer' }]);
    expect(cleared.removed.sort()).toEqual(['mixer:a', 'mixer:b']);
    expect(store.messages().map((m) => m.id)).toEqual(['c']);
  });

  it('follows the host’s rules: a reused id with new content, another channel, or no id is a line of its own', () => {
    const store = new TimelineStore(100);
    const changes = store.apply([
      { op: 'append', message: chatMessage({ id: '1', text: 'restored' }) },
      { op: 'append', message: chatMessage({ id: '1', text: 'after a restart' }) },
      { op: 'append', message: chatMessage({ id: '1', text: 'restored', channel: 'other' }) },
      { op: 'append', message: chatMessage({ id: '', text: 'no id' }) },
      { op: 'append', message: chatMessage({ id: '', text: 'no id' }) },
    ]);
    expect(changes.appended).toHaveLength(5);
    expect(new Set(changes.appended.map(keyOf)).size).toBe(5);
    expect(store.messages().map((m) => store.get(keyOf(m)))).toEqual(store.messages());
  });
});
