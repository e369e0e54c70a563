import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../src/core/message';
import { RowList, spamKeyOf } from '../../../webview/rows';
import { keyOf } from '../../../webview/store';
import { chatMessage } from './builders';

describe('spam collapsing', () => {
  it('identical chat lines share a key; case and spacing do not matter; notices, events and own lines never collapse', () => {
    expect(spamKeyOf(chatMessage({ text: 'FREE  followers ' }))).toBe(
      spamKeyOf(chatMessage({ user: 'other', text: 'free followers' })),
    );
    expect(spamKeyOf(chatMessage({ text: 'free followers!' }))).not.toBe(
      spamKeyOf(chatMessage({ text: 'free followers' })),
    );
    expect(
      spamKeyOf(chatMessage({ kind: 'system', author: undefined, text: 'reconnecting' })),
    ).toBeUndefined();
    expect(spamKeyOf(chatMessage({ kind: 'event', text: 'x followed' }))).toBeUndefined();
    expect(spamKeyOf(chatMessage({ flags: { self: true }, text: 'hi' }))).toBeUndefined();
    expect(spamKeyOf(chatMessage({ text: '   ' }))).toBeUndefined();
    // Long walls compare on their start and length.
    expect(spamKeyOf(chatMessage({ text: 'a'.repeat(5000) }))).not.toBe(
      spamKeyOf(chatMessage({ text: 'a'.repeat(5001) })),
    );
  });

  it('a run becomes one row; trimming its oldest shows the next and keeps the row; a clear in the middle asks for a rebuild', () => {
    const store = new Map<string, ChatMessage>();
    const rows = new RowList((k) => store.get(k));
    const add = (m: ChatMessage) => {
      store.set(keyOf(m), m);
      return rows.push(m);
    };
    const a = chatMessage({ text: 'hi' });
    const s1 = chatMessage({ text: 'spam' });
    const s2 = chatMessage({ text: 'spam' });
    const s3 = chatMessage({ text: 'SPAM' });
    const b = chatMessage({ text: 'bye' });
    expect(add(a).grouped).toBe(false);
    expect(add(s1).grouped).toBe(false);
    expect(add(s2).grouped).toBe(true);
    expect(add(s3).grouped).toBe(true);
    add(b);
    expect(rows.length).toBe(3);
    expect(rows.messageCount).toBe(5);
    expect(rows.slice(rows.firstSeq, rows.endSeq).map((r) => r.keys.length)).toEqual([1, 3, 1]);
    expect(rows.remove(keyOf(a))).toMatchObject({ effect: 'removed' });
    expect(rows.firstSeq).toBe(1);
    store.delete(keyOf(s1));
    expect(rows.remove(keyOf(s1))).toMatchObject({ effect: 'changed' });
    expect(rows.at(rows.firstSeq)!.message).toBe(s2);
    expect(rows.remove(keyOf(b))).toBe('rebuild');
    expect(rows.remove('nope')).toBeUndefined();
  });

  it('a line joins only the newest row: one like an older row starts a row of its own', () => {
    const rows = new RowList(() => undefined);
    rows.push(chatMessage({ text: 'spam' }));
    rows.push(chatMessage({ text: 'other' }));
    expect(rows.slice(rows.firstSeq, rows.endSeq).every((r) => !('spam' in r))).toBe(true);
    expect(rows.push(chatMessage({ text: 'spam' })).grouped).toBe(false);
    expect(rows.push(chatMessage({ text: 'Spam' })).grouped).toBe(true);
    expect(rows.length).toBe(3);
  });
});
