// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformStatus } from '../../../src/core/chatHub';
import type { ChatMessage } from '../../../src/core/message';
import type { HostToWebview } from '../../../src/protocol/messages';
import { mountChatApp } from './mount';
import { MAX_WINDOW_ROWS } from '../../../webview/timeline';
import { chatMessage } from './builders';
import { FakeLayout, fakeLayout } from './fakeLayout';

let layout: FakeLayout | undefined;
afterEach(() => {
  layout?.restore();
  layout = undefined;
});

const settings = {
  showTimestamps: false,
  hideDeleted: false,
  fontSize: 13,
  scrollback: 2000,
  mentionNames: ['codercat'],
};
const tau: PlatformStatus = {
  platform: 'tau',
  enabled: true,
  state: { kind: 'connected', readOnly: false },
  send: { canSend: true, maxLength: 500 },
};

function setup(scrollback = settings.scrollback) {
  const { app, root, posted, frames } = mountChatApp({ frames: 'queued' });
  const receive = (m: HostToWebview) => app.receive(m);
  // A layout for jsdom: lines 20 px, a 400 px viewport, the browser's scroll anchoring.
  layout = fakeLayout(root.querySelector<HTMLElement>('#timeline')!);
  const fake = layout;
  const flush = () => {
    for (let i = 0; i < 50 && frames.length > 0; i++)
      fake.frame(() => frames.splice(0).forEach((f) => f()));
  };
  const snapshot = (messages: ChatMessage[]) =>
    receive({
      type: 'snapshot',
      messages,
      platforms: [tau],
      settings: { ...settings, scrollback },
      highlights: [],
    });
  return { app, root, posted, receive, flush, snapshot };
}

const line = (key: string) =>
  document.querySelector<HTMLElement>(`#timeline .line[data-key="${key}"]`);
const refOf = (key: string) => line(key)?.querySelector<HTMLElement>(':scope > .reply-ref');

const parent = chatMessage({
  id: 'parent',
  platform: 'tau',
  user: 'CoderCat',
  text: 'use a map here, it is O(1)',
});
const replyTo = (id: string, text = 'use a map here, it is O(1)') => ({
  id,
  author: 'CoderCat',
  login: 'codercat',
  text,
});
const reply = (id: string, parentId = 'parent', text?: string) =>
  chatMessage({
    id,
    platform: 'tau',
    user: 'Lintergirl',
    text: '@CoderCat thanks!',
    replyTo: replyTo(parentId, text),
  });

describe('reply references in the chat view', () => {
  beforeEach(() => document.body.replaceChildren());

  it('shows the parent’s author and the start of its text above the reply, as a button with an accessible name', () => {
    const { snapshot } = setup();
    snapshot([parent, reply('r1')]);
    const ref = refOf('tau:r1')!;
    expect(ref.tagName).toBe('BUTTON');
    expect(ref.getAttribute('aria-label')).toBe('Replying to CoderCat: use a map here, it is O(1)');
    expect(ref.textContent).toBe('@CoderCatuse a map here, it is O(1)');
    expect(ref.querySelector('.reply-author')!.textContent).toBe('@CoderCat');
    // Above the line: first in it, and a break before the reply itself.
    expect(line('tau:r1')!.firstElementChild).toBe(ref);
    expect(ref.nextElementSibling!.tagName).toBe('BR');
    // Only the start of a long parent.
    const long = 'x'.repeat(300);
    snapshot([{ ...parent, parts: [{ type: 'text', text: long }] }, reply('r2', 'parent', long)]);
    expect(refOf('tau:r2')!.querySelector('.reply-text')!.textContent).toBe(`${'x'.repeat(80)}…`);
  });

  it('a click jumps to the parent when it is in the scrollback, building it when the virtual window does not hold it', () => {
    const { app, flush, snapshot } = setup();
    const filler = Array.from({ length: 1500 }, (_, i) =>
      chatMessage({ id: `f${i}`, platform: 'tau', text: `filler ${i}` }),
    );
    snapshot([parent, ...filler, reply('r1')]);
    flush();
    expect(line('tau:parent')).toBeNull();
    expect(app.timeline.lineCount).toBeLessThanOrEqual(MAX_WINDOW_ROWS);
    refOf('tau:r1')!.click();
    const target = line('tau:parent');
    expect(target).not.toBeNull();
    expect(document.activeElement).toBe(target);
    expect(target!.tabIndex).toBe(0);
    // It stays: the view stopped following the bottom.
    expect(app.timeline.following).toBe(false);
    flush();
    expect(line('tau:parent')).not.toBeNull();
    expect(app.timeline.lineCount).toBeLessThanOrEqual(MAX_WINDOW_ROWS);
  });

  it('the keyboard: a reference is in the tab order only while its line has the focus', () => {
    const { snapshot } = setup();
    snapshot([parent, reply('r1')]);
    const ref = refOf('tau:r1')!;
    expect(ref.tabIndex).toBe(-1);
    line('tau:r1')!.focus();
    expect(ref.tabIndex).toBe(0);
    ref.focus();
    expect(ref.tabIndex).toBe(0);
    line('tau:parent')!.focus();
    expect(ref.tabIndex).toBe(-1);
    // Enter or Space on a button is a click (the browser's own activation).
    ref.focus();
    ref.click();
    expect(document.activeElement).toBe(line('tau:parent'));
  });

  it('a parent that is not in the scrollback is plain text, with the same name', () => {
    const { snapshot } = setup();
    snapshot([reply('r1', 'gone-long-ago', 'an old question')]);
    const ref = refOf('tau:r1')!;
    expect(ref.tagName).toBe('SPAN');
    expect(ref.getAttribute('role')).toBe('note');
    expect(ref.getAttribute('aria-label')).toBe('Replying to CoderCat: an old question');
    expect(document.querySelectorAll('#timeline button.reply-ref')).toHaveLength(0);
  });

  it('a parent trimmed from the scrollback since: the click turns the reference into text; one hidden by the filter keeps it', () => {
    const { receive, flush, snapshot, app } = setup(100);
    snapshot([parent, reply('r1')]);
    const filtered = refOf('tau:r1')!;
    app.timeline.setFilter('from:lintergirl');
    flush();
    refOf('tau:r1')!.click();
    expect(refOf('tau:r1')!.tagName).toBe('BUTTON');
    expect(refOf('tau:r1')!.title).toMatch(/hidden by the filter/);
    expect(filtered.isConnected).toBe(true);
    app.timeline.setFilter('');
    flush();
    // 100 newer lines push the parent out; the reader scrolls up to the reply, now the oldest line.
    receive({
      type: 'ops',
      ops: Array.from({ length: 99 }, (_, i) => ({
        op: 'append' as const,
        message: chatMessage({ id: `n${i}`, platform: 'tau', text: `newer ${i}` }),
      })),
    });
    flush();
    expect(app.store.get('tau:parent')).toBeUndefined();
    layout!.scrollTo(0);
    flush();
    refOf('tau:r1')!.click();
    const ref = refOf('tau:r1')!;
    expect(ref.tagName).toBe('SPAN');
    expect(ref.getAttribute('aria-label')).toBe('Replying to CoderCat: use a map here, it is O(1)');
  });

  it('replies with the same words to different messages are not folded into one row', () => {
    const { snapshot } = setup();
    const other = chatMessage({ id: 'other', platform: 'tau', user: 'Dev', text: 'second q' });
    snapshot([
      parent,
      other,
      reply('r1'),
      reply('r2', 'other', 'second q'),
      reply('r3', 'other', 'second q'),
    ]);
    expect(line('tau:r1')).not.toBeNull();
    expect(line('tau:r2')).not.toBeNull();
    // The same words to the same message are one run, as any repeated line is.
    expect(line('tau:r2')!.dataset.repeat).toBe('2');
  });

  it('reply text is hostile input: only text nodes', () => {
    const { snapshot } = setup();
    snapshot([
      chatMessage({
        id: 'r1',
        platform: 'tau',
        replyTo: { id: 'x', author: '<img src=x onerror=alert(1)>', text: '<b>bold</b>\u202eevil' },
      }),
    ]);
    const ref = refOf('tau:r1')!;
    expect(ref.querySelector('img, b')).toBeNull();
    expect(ref.querySelector('.reply-text bdi')!.textContent).toBe('<b>bold</b>\u202eevil');
  });
});
