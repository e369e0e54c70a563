import { describe, expect, it } from 'vitest';
import { TimelineStore } from '../../../webview/store';
import { chatMessage } from './builders';

describe('TimelineStore', () => {
  it('appends in order and ignores a message it already has', () => {
    const store = new TimelineStore(100);
    const a = chatMessage({ id: 'a' });
    const changes = store.apply([{ op: 'append', message: a }, { op: 'append', message: a }, { op: 'append', message: chatMessage({ id: 'b' }) }]);
    expect(changes.appended.map((m) => m.id)).toEqual(['a', 'b']);
    expect(store.messages().map((m) => m.id)).toEqual(['a', 'b']);
  });

  it('caps at scrollback, reporting what left', () => {
    const store = new TimelineStore(3);
    const changes = store.apply(['1', '2', '3', '4', '5'].map((id) => ({ op: 'append', message: chatMessage({ id }) })));
    expect(store.messages().map((m) => m.id)).toEqual(['3', '4', '5']);
    expect(changes.appended.map((m) => m.id)).toEqual(['3', '4', '5']);
    expect(changes.removed).toEqual(['glimesh:1', 'glimesh:2']);
  });

  it('marks deletes and purges, and clears one platform’s chat only', () => {
    const store = new TimelineStore(100);
    store.apply([
      { op: 'append', message: chatMessage({ id: 'a', user: 'x', platform: 'mixer' }) },
      { op: 'append', message: chatMessage({ id: 'b', user: 'y', platform: 'mixer' }) },
      { op: 'append', message: chatMessage({ id: 'c', user: 'y', platform: 'tau' }) },
    ]);
    const deleted = store.apply([{ op: 'delete', platform: 'mixer', ids: ['a'] }, { op: 'purgeUser', platform: 'mixer', userId: 'u-y' }]);
    expect(deleted.updated.sort()).toEqual(['mixer:a', 'mixer:b']);
    expect(store.get('tau:c')?.flags.deleted).toBeUndefined();
    const cleared = store.apply([{ op: 'clear', platform: 'mixer' }]);
    expect(cleared.removed.sort()).toEqual(['mixer:a', 'mixer:b']);
    expect(store.messages().map((m) => m.id)).toEqual(['c']);
  });
});
