import { describe, expect, it } from 'vitest';
import { TimelineStore } from '../../../webview/store';
import { appends, chatMessage } from './builders';

const ids = (store: TimelineStore) => store.messages().map((m) => `${m.platform}:${m.id}`);

describe('TimelineStore', () => {
  it('appends in order and ignores a message it already has (same platform and id)', () => {
    const store = new TimelineStore(100);
    const a = chatMessage({ id: 'a' });
    const changes = store.apply([
      { op: 'append', message: a },
      { op: 'append', message: { ...a, parts: [{ type: 'text', text: 'a replay' }] } },
      { op: 'append', message: chatMessage({ id: 'a', platform: 'tau' }) },
      { op: 'append', message: chatMessage({ id: 'b' }) },
    ]);
    expect(changes.appended.map((m) => `${m.platform}:${m.id}`)).toEqual(['glimesh:a', 'tau:a', 'glimesh:b']);
    expect(ids(store)).toEqual(['glimesh:a', 'tau:a', 'glimesh:b']);
    expect(store.get('glimesh:a')?.parts).toEqual([{ type: 'text', text: 'hello chat' }]);
  });

  it('caps at scrollback, reporting what left and never reporting a line that left in the same batch as appended', () => {
    const store = new TimelineStore(3);
    const changes = store.apply(['1', '2', '3', '4', '5'].map((id) => ({ op: 'append', message: chatMessage({ id }) })));
    expect(ids(store)).toEqual(['glimesh:3', 'glimesh:4', 'glimesh:5']);
    expect(changes.appended.map((m) => m.id)).toEqual(['3', '4', '5']);
    expect(changes.removed).toEqual(['glimesh:1', 'glimesh:2']);
    expect(store.size).toBe(3);
  });

  it('marks deletes and purges (chat of that user on that platform only)', () => {
    const store = new TimelineStore(100);
    store.apply([
      { op: 'append', message: chatMessage({ id: 'a', user: 'x', platform: 'mixer' }) },
      { op: 'append', message: chatMessage({ id: 'b', user: 'y', platform: 'mixer' }) },
      { op: 'append', message: chatMessage({ id: 'c', user: 'y', platform: 'tau' }) },
      { op: 'append', message: chatMessage({ id: 'd', user: 'y', platform: 'mixer', kind: 'event' }) },
    ]);
    const deleted = store.apply([
      { op: 'delete', platform: 'mixer', ids: ['a', 'nope'] },
      { op: 'purgeUser', platform: 'mixer', userId: 'u-y' },
    ]);
    expect(deleted.updated.sort()).toEqual(['mixer:a', 'mixer:b']);
    expect(store.get('tau:c')?.flags.deleted).toBeUndefined();
    expect(store.get('mixer:d')?.flags.deleted).toBeUndefined();
    expect(store.apply([{ op: 'delete', platform: 'mixer', ids: ['a'] }]).updated).toEqual([]);
  });

  it('clear removes one platform’s chat and keeps its events and notices', () => {
    const store = new TimelineStore(100);
    store.apply([
      { op: 'append', message: chatMessage({ id: 'a', platform: 'mixer' }) },
      { op: 'append', message: chatMessage({ id: 'e', platform: 'mixer', kind: 'event' }) },
      { op: 'append', message: chatMessage({ id: 'c', platform: 'tau' }) },
    ]);
    const cleared = store.apply([{ op: 'clear', platform: 'mixer' }]);
    expect(cleared.removed).toEqual(['mixer:a']);
    expect(ids(store)).toEqual(['mixer:e', 'tau:c']);
  });

  it('applies ops in order: a delete before its append does nothing, one after it marks it', () => {
    const store = new TimelineStore(100);
    store.apply([{ op: 'delete', platform: 'glimesh', ids: ['late'] }, { op: 'append', message: chatMessage({ id: 'late' }) }]);
    expect(store.get('glimesh:late')?.flags.deleted).toBeUndefined();
    const changes = store.apply([{ op: 'append', message: chatMessage({ id: 'x' }) }, { op: 'delete', platform: 'glimesh', ids: ['x'] }]);
    expect(store.get('glimesh:x')?.flags.deleted).toBe(true);
    expect(changes.appended.map((m) => m.id)).toEqual(['x']);
  });

  it('reset replaces everything; a smaller scrollback trims the oldest', () => {
    const store = new TimelineStore(100);
    store.apply(appends(10, 'old'));
    store.reset(
      appends(5, 'new').map((op) => (op.op === 'append' ? op.message : undefined)!),
      100,
    );
    expect(ids(store)).toEqual(['glimesh:new0', 'glimesh:new1', 'glimesh:new2', 'glimesh:new3', 'glimesh:new4']);
    expect(store.setScrollback(2)).toEqual(['glimesh:new0', 'glimesh:new1', 'glimesh:new2']);
    expect(ids(store)).toEqual(['glimesh:new3', 'glimesh:new4']);
  });
});
