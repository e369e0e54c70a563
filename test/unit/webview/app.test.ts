// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlatformStatus } from '../../../src/core/chatHub';
import type { ChatMessage } from '../../../src/core/message';
import type { HostToWebview, WebviewToHost } from '../../../src/protocol/messages';
import { newPageId } from '../../../src/protocol/messages';
import { ChatApp } from '../../../webview/app';
import { mountChatApp } from './mount';
import { contrastRatio, parseColor } from '../../../webview/render/color';
import { chatMessage } from './builders';

const settings = {
  showTimestamps: true,
  hideDeleted: false,
  fontSize: 13,
  scrollback: 50,
  mentionNames: ['codercat'],
};
const glimeshCanSend: PlatformStatus = {
  platform: 'glimesh',
  enabled: true,
  state: { kind: 'connected', readOnly: false },
  send: { canSend: true, maxLength: 10 },
};
const tauReadOnly: PlatformStatus = {
  platform: 'tau',
  enabled: true,
  state: { kind: 'connected', readOnly: true },
  send: { canSend: false, reason: 'Set streamChat.tau.chatBot.', maxLength: 500 },
};

function setup(pageId?: string) {
  const { app, root, posted, frames } = mountChatApp({ frames: 'queued', pageId });
  const receive = (m: HostToWebview) => app.receive(m);
  const flush = () => frames.splice(0).forEach((f) => f());
  const snapshot = (messages: ChatMessage[] = [], platforms: PlatformStatus[] = [glimeshCanSend]) =>
    receive({ type: 'snapshot', messages, platforms, settings, highlights: [] });
  return { app, root, posted, receive, flush, snapshot };
}

const lines = () => [...document.querySelectorAll<HTMLElement>('#timeline .line')];

describe('ChatApp', () => {
  beforeEach(() => document.body.replaceChildren());

  it('renders the snapshot and then appended ops once per frame', () => {
    const { receive, flush, snapshot } = setup();
    snapshot([chatMessage({ id: 'a', text: 'first' })]);
    expect(lines()).toHaveLength(1);
    receive({
      type: 'ops',
      ops: [{ op: 'append', message: chatMessage({ id: 'b', text: 'second' }) }],
    });
    receive({
      type: 'ops',
      ops: [{ op: 'append', message: chatMessage({ id: 'c', text: 'third' }) }],
    });
    expect(lines()).toHaveLength(1); // nothing written before the frame
    flush();
    expect(lines().map((l) => l.querySelector('.text')!.textContent)).toEqual([
      'first',
      'second',
      'third',
    ]);
  });

  it('never holds more lines than the scrollback', () => {
    const { receive, flush, snapshot } = setup();
    snapshot();
    for (let i = 0; i < 200; i++)
      receive({
        type: 'ops',
        ops: [{ op: 'append', message: chatMessage({ id: `m${i}`, text: `line ${i}` }) }],
      });
    flush();
    flush();
    expect(lines()).toHaveLength(50);
    expect(lines()[0]!.dataset.key).toBe('glimesh:m150');
  });

  it('strikes through a deleted message and marks it for tests and styles', () => {
    const { receive, flush, snapshot } = setup();
    snapshot([chatMessage({ id: 'x', platform: 'mixer' })]);
    receive({ type: 'ops', ops: [{ op: 'delete', platform: 'mixer', ids: ['x'] }] });
    flush();
    expect(lines()[0]!.classList.contains('deleted')).toBe(true);
    expect(lines()[0]!.dataset.deleted).toBe('true');
  });

  it('highlights a mention of the streamer', () => {
    const { snapshot } = setup();
    snapshot([
      chatMessage({ text: 'hey codercat, nice refactor' }),
      chatMessage({ text: 'hey everyone' }),
    ]);
    expect(lines().map((l) => l.classList.contains('mentions-me'))).toEqual([true, false]);
  });

  it('filters without losing messages', () => {
    const { snapshot } = setup();
    snapshot([
      chatMessage({ user: 'ann', text: 'one' }),
      chatMessage({ user: 'bob', text: 'two' }),
    ]);
    const filter = document.querySelector<HTMLInputElement>('#filter')!;
    const count = document.querySelector<HTMLElement>('#filter-count')!;
    expect(count.hidden).toBe(true);
    filter.value = 'from:bob';
    filter.dispatchEvent(new Event('input'));
    // Lines that do not match are not built at all (the virtual list holds only matches).
    expect(lines().map((l) => l.querySelector('.text')!.textContent)).toEqual(['two']);
    expect(count.hidden).toBe(false);
    expect(count.textContent).toBe('1 of 2');
    filter.value = '';
    filter.dispatchEvent(new Event('input'));
    expect(lines().map((l) => l.querySelector('.text')!.textContent)).toEqual(['one', 'two']);
    expect(count.hidden).toBe(true);
  });

  it('Esc in the filter clears it; the filter survives a reload through the webview state', () => {
    const { snapshot } = setup();
    snapshot([
      chatMessage({ user: 'ann', text: 'one' }),
      chatMessage({ user: 'bob', text: 'two' }),
    ]);
    const filter = document.querySelector<HTMLInputElement>('#filter')!;
    filter.value = '-from:ann';
    filter.dispatchEvent(new Event('input'));
    expect(lines()).toHaveLength(1);
    filter.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(filter.value).toBe('');
    expect(lines()).toHaveLength(2);
  });

  it('puts the divider after the line the user last saw, from the saved state', () => {
    document.body.replaceChildren();
    const root = document.createElement('div');
    document.body.append(root);
    const app = new ChatApp(
      root,
      { post: () => {}, getState: () => ({ lastSeen: 'glimesh:b' }), setState: () => {} },
      () => {},
    );
    app.receive({
      type: 'snapshot',
      messages: ['a', 'b', 'c', 'd'].map((id) => chatMessage({ id, text: id })),
      platforms: [],
      settings,
      highlights: [],
    });
    app.timeline.flush();
    expect(
      lines()
        .filter((l) => l.classList.contains('unread'))
        .map((l) => l.dataset.key),
    ).toEqual(['glimesh:c']);
  });

  it('remembers the newest line seen (for the divider next time) and tells the host it was read', () => {
    document.body.replaceChildren();
    const root = document.createElement('div');
    document.body.append(root);
    const saved: unknown[] = [];
    const posted: WebviewToHost[] = [];
    const app = new ChatApp(
      root,
      { post: (m) => posted.push(m), getState: () => undefined, setState: (s) => saved.push(s) },
      () => {},
    );
    app.receive({
      type: 'snapshot',
      messages: [chatMessage({ id: 'x', text: 'x' })],
      platforms: [],
      settings,
      highlights: [],
    });
    expect(saved.at(-1)).toMatchObject({ lastSeen: 'glimesh:x' });
    expect(posted).toContainEqual({ type: 'read' });
  });

  it('recolours authors in place for a light theme, and reaches 7:1 in high contrast', () => {
    const { app, snapshot } = setup();
    snapshot([
      chatMessage({
        author: { name: 'y', displayName: 'y', roles: [], color: '#ffff00' },
        text: 'yellow',
      }),
    ]);
    const color = () => lines()[0]!.style.getPropertyValue('--author-color');
    expect(color()).toBe('#ffff00');
    const node = lines()[0];
    app.setTheme({ backgrounds: ['#ffffff', '#f8f8f8'], highContrast: false });
    expect(lines()[0]).toBe(node);
    expect(color()).not.toBe('#ffff00');
    app.setTheme({ backgrounds: ['#ffffff'], highContrast: true });
    const hc = color();
    expect(contrastRatio(parseColor(hc)!, parseColor('#ffffff')!)).toBeGreaterThanOrEqual(7);
  });

  it('shows a chip per enabled platform; clicking one asks the host to toggle it', () => {
    const { posted, snapshot } = setup();
    snapshot(
      [],
      [glimeshCanSend, tauReadOnly, { ...glimeshCanSend, platform: 'mixer', enabled: false }],
    );
    const chips = [...document.querySelectorAll<HTMLElement>('.chip')];
    expect(chips.map((c) => `${c.dataset.platform}:${c.dataset.state}`)).toEqual([
      'glimesh:connected',
      'tau:connected',
    ]);
    chips[1]!.click();
    expect(posted).toContainEqual({ type: 'togglePlatform', platform: 'tau' });
  });

  it('composer: only sendable destinations, live count, refuses over the limit, Enter sends, Up recalls', () => {
    const { posted, snapshot, receive } = setup();
    snapshot([], [glimeshCanSend, tauReadOnly]);
    const input = document.querySelector<HTMLTextAreaElement>('#composer-input')!;
    const count = document.querySelector('#composer-count')!;
    expect(
      [...document.querySelectorAll('#composer-destination vscode-option')].map((o) =>
        o.getAttribute('value'),
      ),
    ).toEqual(['glimesh']);
    input.value = 'this is too long';
    input.dispatchEvent(new Event('input'));
    expect(count.textContent).toBe('16/10');
    expect(count.classList.contains('over')).toBe(true);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(posted.filter((m) => m.type === 'send')).toHaveLength(0);
    input.value = 'hi';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    const send = posted.find((m) => m.type === 'send');
    expect(send).toMatchObject({ type: 'send', platform: 'glimesh', text: 'hi' });
    receive({ type: 'sendResult', requestId: (send as { requestId: string }).requestId, ok: true });
    expect(input.value).toBe('');
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp' }));
    expect(input.value).toBe('hi');
  });

  it('composer keeps the text and shows the platform’s sentence when sending fails', () => {
    const { posted, snapshot, receive } = setup();
    snapshot([], [glimeshCanSend]);
    const input = document.querySelector<HTMLTextAreaElement>('#composer-input')!;
    input.value = 'hello';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    const send = posted.find((m) => m.type === 'send') as { requestId: string };
    receive({
      type: 'sendResult',
      requestId: send.requestId,
      ok: false,
      error: 'You are banned from this channel for 5 more minutes.',
    });
    expect(input.value).toBe('hello');
    expect(document.querySelector('#composer-error')!.textContent).toBe(
      'You are banned from this channel for 5 more minutes.',
    );
  });

  it('composer is disabled with the reason when nothing can send', () => {
    const { snapshot } = setup();
    snapshot([], [tauReadOnly]);
    const input = document.querySelector<HTMLTextAreaElement>('#composer-input')!;
    expect(input.disabled).toBe(true);
    expect(input.placeholder).toContain('Set streamChat.tau.chatBot.');
  });
});

describe('request ids across page lifetimes', () => {
  beforeEach(() => document.body.replaceChildren());

  const type = (text: string) => {
    const input = document.querySelector<HTMLTextAreaElement>('#composer-input')!;
    input.value = text;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    return input;
  };
  const sends = (posted: WebviewToHost[]) =>
    posted.filter((m): m is Extract<WebviewToHost, { type: 'send' }> => m.type === 'send');

  it('each page load has its own random id (the one webview/main.ts names in ready), prefixing every request id', () => {
    const pageA = newPageId();
    const pageB = newPageId();
    expect(pageA).toMatch(/^[a-z0-9]{16,}$/);
    expect(pageA).not.toBe(pageB);
    setup(pageA);
    const second = setup(pageB);
    expect(second.app.requests.pageId).toBe(pageB);
    second.snapshot();
    type('hi');
    expect(sends(second.posted).map((m) => m.requestId)).toEqual([`${pageB}:1`]);
  });

  it('ignores a result for a request of an earlier page, although its counter matches', () => {
    // The first page asks, then is hidden (destroyed) before the answer comes.
    const before = setup('earlierPage00001');
    before.snapshot();
    type('old one');
    const old = sends(before.posted)[0]!;
    expect(old.requestId).toBe('earlierPage00001:1');
    // Shown again: a new page, whose first request is number 1 too.
    const after = setup('laterPage0000001');
    after.snapshot();
    const input = type('new one');
    const current = sends(after.posted)[0]!;
    expect(current.requestId).toBe('laterPage0000001:1');
    after.receive({ type: 'sendResult', requestId: old.requestId, ok: true });
    // Not taken for this page's send: the text stays, still sending.
    expect(input.value).toBe('new one');
    expect(document.querySelector('#composer')!.classList.contains('sending')).toBe(true);
    after.receive({ type: 'sendResult', requestId: old.requestId, ok: false, error: 'nope' });
    expect(document.querySelector<HTMLElement>('#composer-error')!.hidden).toBe(true);
    after.receive({ type: 'sendResult', requestId: current.requestId, ok: true });
    expect(input.value).toBe('');
    expect(document.querySelector('#composer')!.classList.contains('sending')).toBe(false);
  });
});
