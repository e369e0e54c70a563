// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlatformStatus } from '../../../src/core/chatHub';
import type { ChatMessage } from '../../../src/core/message';
import type { HostToWebview, ViewSettings, WebviewToHost } from '../../../src/protocol/messages';
import { ChatApp, ViewState, sanitizeState } from '../../../webview/app';
import { boot, isHostMessage, readTheme } from '../../../webview/boot';
import { SEND_TIMEOUT_MS } from '../../../webview/composer';
import { chatMessage } from './builders';

const settings: ViewSettings = { showTimestamps: true, hideDeleted: false, fontSize: 13, scrollback: 50, mentionNames: ['codercat'] };
const glimeshCanSend: PlatformStatus = { platform: 'glimesh', enabled: true, state: { kind: 'connected', readOnly: false }, send: { canSend: true, maxLength: 10 } };
const mixerCanSend: PlatformStatus = { platform: 'mixer', enabled: true, state: { kind: 'connected', readOnly: false }, send: { canSend: true, maxLength: 360 } };
const tauReadOnly: PlatformStatus = { platform: 'tau', enabled: true, state: { kind: 'connected', readOnly: true }, send: { canSend: false, reason: 'Set streamChat.tau.chatBot.', maxLength: 500 } };

/** A fake webview API whose state survives "reloads" (new apps on the same fake). */
function fakeVsCode(initial?: unknown) {
  let state = initial;
  const posted: WebviewToHost[] = [];
  return { posted, postMessage: (m: WebviewToHost) => posted.push(m), getState: () => state, setState: (s: unknown) => (state = s), get state() { return state as ViewState } };
}

function setup(api = fakeVsCode()) {
  document.body.replaceChildren();
  const root = document.createElement('div');
  root.id = 'app';
  document.body.append(root);
  const frames: Array<() => void> = [];
  const app = new ChatApp(root, { post: (m) => api.postMessage(m), getState: () => api.getState(), setState: (s) => api.setState(s) }, (cb) => frames.push(cb));
  const receive = (m: HostToWebview) => app.receive(m);
  const flush = () => frames.splice(0).forEach((f) => f());
  const snapshot = (messages: ChatMessage[] = [], platforms: PlatformStatus[] = [glimeshCanSend], extra: Partial<ViewSettings> = {}) =>
    receive({ type: 'snapshot', messages, platforms, settings: { ...settings, ...extra }, highlights: [] });
  return { app, root, posted: api.posted, api, receive, flush, snapshot };
}

const lines = () => [...document.querySelectorAll<HTMLElement>('#timeline .line')];
const input = () => document.querySelector<HTMLTextAreaElement>('#composer-input')!;
const type = (text: string) => {
  input().value = text;
  input().dispatchEvent(new Event('input'));
};
const key = (k: string, init: KeyboardEventInit = {}) => input().dispatchEvent(new KeyboardEvent('keydown', { key: k, cancelable: true, ...init }));
const sends = (posted: WebviewToHost[]) => posted.filter((m): m is Extract<WebviewToHost, { type: 'send' }> => m.type === 'send');

beforeEach(() => document.body.replaceChildren());
afterEach(() => vi.useRealTimers());

describe('ChatApp timeline', () => {
  it('renders the snapshot and then appended ops once per frame', () => {
    const { receive, flush, snapshot } = setup();
    snapshot([chatMessage({ id: 'a', text: 'first' })]);
    expect(lines()).toHaveLength(1);
    receive({ type: 'ops', ops: [{ op: 'append', message: chatMessage({ id: 'b', text: 'second' }) }] });
    receive({ type: 'ops', ops: [{ op: 'append', message: chatMessage({ id: 'c', text: 'third' }) }] });
    expect(lines()).toHaveLength(1);
    flush();
    expect(lines().map((l) => l.querySelector('.text')!.textContent)).toEqual(['first', 'second', 'third']);
  });

  it('never holds more lines than the scrollback', () => {
    const { receive, flush, snapshot } = setup();
    snapshot();
    for (let i = 0; i < 200; i++) receive({ type: 'ops', ops: [{ op: 'append', message: chatMessage({ id: `m${i}` }) }] });
    flush();
    expect(lines()).toHaveLength(50);
    expect(lines()[0]!.dataset.key).toBe('glimesh:m150');
  });

  it('a smaller scrollback setting trims the DOM on the next frame', () => {
    const { receive, flush, snapshot } = setup();
    snapshot(Array.from({ length: 40 }, (_, i) => chatMessage({ id: `s${i}` })));
    receive({ type: 'settings', settings: { ...settings, scrollback: 10 } });
    flush();
    expect(lines()).toHaveLength(10);
    expect(lines()[0]!.dataset.key).toBe('glimesh:s30');
  });

  it('the timeline is a polite log', () => {
    setup();
    const timeline = document.querySelector('#timeline')!;
    expect(timeline.getAttribute('role')).toBe('log');
    expect(timeline.getAttribute('aria-live')).toBe('polite');
  });

  it('strikes through a deleted message; the hideDeleted setting hides it instead', () => {
    const { root, receive, flush, snapshot } = setup();
    snapshot([chatMessage({ id: 'x', platform: 'mixer' })]);
    receive({ type: 'ops', ops: [{ op: 'delete', platform: 'mixer', ids: ['x'] }] });
    flush();
    expect(lines()[0]!.classList.contains('deleted')).toBe(true);
    expect(lines()[0]!.dataset.deleted).toBe('true');
    receive({ type: 'settings', settings: { ...settings, hideDeleted: true } });
    expect(root.classList.contains('hide-deleted')).toBe(true);
  });

  it('settings: timestamps and font size are styles on #app, not re-renders', () => {
    const { root, receive, snapshot } = setup();
    snapshot([chatMessage({ id: 'a' })]);
    const node = lines()[0];
    receive({ type: 'settings', settings: { ...settings, showTimestamps: false, fontSize: 18 } });
    expect(root.classList.contains('hide-timestamps')).toBe(true);
    expect(root.style.getPropertyValue('--chat-font-size')).toBe('18px');
    expect(lines()[0]).toBe(node);
  });

  it('highlights a mention of the streamer, and re-marks lines when the names change', () => {
    const { receive, snapshot } = setup();
    snapshot([chatMessage({ text: 'hey codercat, nice refactor' }), chatMessage({ text: 'hey rubberduck' })]);
    expect(lines().map((l) => l.classList.contains('mentions-me'))).toEqual([true, false]);
    receive({ type: 'settings', settings: { ...settings, mentionNames: ['rubberduck'] } });
    expect(lines().map((l) => l.classList.contains('mentions-me'))).toEqual([false, true]);
  });

  it('filters without losing messages, shows the count, and Escape clears it', () => {
    const { snapshot, receive, flush } = setup();
    snapshot([chatMessage({ user: 'ann', text: 'one' }), chatMessage({ user: 'bob', text: 'two' })]);
    const filter = document.querySelector<HTMLInputElement>('#filter')!;
    const count = document.querySelector<HTMLElement>('#filter-count')!;
    filter.value = 'from:bob';
    filter.dispatchEvent(new Event('input'));
    expect(lines().map((l) => l.hidden)).toEqual([true, false]);
    expect(count.textContent).toBe('1 of 2');
    receive({ type: 'ops', ops: [{ op: 'append', message: chatMessage({ user: 'bob', text: 'three' }) }, { op: 'append', message: chatMessage({ user: 'cat', text: 'four' }) }] });
    flush();
    expect(lines().map((l) => l.hidden)).toEqual([true, false, false, true]);
    expect(count.textContent).toBe('2 of 4');
    filter.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', cancelable: true }));
    expect(filter.value).toBe('');
    expect(lines().every((l) => !l.hidden)).toBe(true);
    expect(count.hidden).toBe(true);
  });
});

describe('header', () => {
  it('shows a chip per enabled platform with its state; clicking (a button: Enter and Space too) asks the host to toggle it', () => {
    const { posted, snapshot } = setup();
    snapshot([], [glimeshCanSend, tauReadOnly, { ...glimeshCanSend, platform: 'mixer', enabled: false }]);
    const chips = [...document.querySelectorAll<HTMLButtonElement>('.chip')];
    expect(chips.map((c) => `${c.dataset.platform}:${c.dataset.state}`)).toEqual(['glimesh:connected', 'tau:connected']);
    expect(chips.every((c) => c.tagName === 'BUTTON' && c.type === 'button')).toBe(true);
    expect(chips[0]!.getAttribute('aria-label')).toBe('Glimesh: Connected. Activate to disconnect.');
    expect(chips[1]!.title).toContain('Connected (read-only)');
    chips[1]!.click();
    expect(posted).toContainEqual({ type: 'togglePlatform', platform: 'tau' });
  });

  it('updates chips in place, so a focused chip keeps the focus when its state changes', () => {
    const { receive, snapshot } = setup();
    snapshot([], [glimeshCanSend]);
    const chip = document.querySelector<HTMLButtonElement>('.chip')!;
    chip.focus();
    receive({ type: 'platforms', platforms: [{ ...glimeshCanSend, state: { kind: 'reconnecting', attempt: 2, delayMs: 4000, reason: 'socket closed' } }] });
    expect(document.querySelector('.chip')).toBe(chip);
    expect(document.activeElement).toBe(chip);
    expect(chip.dataset.state).toBe('reconnecting');
    expect(chip.title).toContain('Reconnecting in 4 s (attempt 2): socket closed');
    expect(chip.querySelector('.codicon')!.classList.contains('codicon-modifier-spin')).toBe(true);
  });

  it('says how to enable a platform when none is', () => {
    const { snapshot } = setup();
    snapshot([], []);
    expect(document.querySelector('#chips')!.textContent).toContain('Settings');
  });
});

describe('composer', () => {
  it('offers only sendable destinations; live count; refuses over the limit; Enter sends; Up recalls', () => {
    const { posted, snapshot, receive } = setup();
    snapshot([], [glimeshCanSend, tauReadOnly]);
    const count = document.querySelector('#composer-count')!;
    expect([...document.querySelectorAll('#composer-destination vscode-option')].map((o) => o.getAttribute('value'))).toEqual(['glimesh']);
    type('nine char');
    expect(count.textContent).toBe('9/10');
    expect(count.classList.contains('near')).toBe(true);
    type('this is too long');
    expect(count.textContent).toBe('16/10');
    expect(count.classList.contains('over')).toBe(true);
    expect(input().getAttribute('aria-invalid')).toBe('true');
    key('Enter');
    expect(sends(posted)).toHaveLength(0);
    expect(document.querySelector('#composer-error')!.textContent).toContain('at most 10 characters');
    type('hi');
    key('Enter');
    expect(sends(posted)).toEqual([{ type: 'send', requestId: expect.any(Number), platform: 'glimesh', text: 'hi' }]);
    receive({ type: 'sendResult', requestId: sends(posted)[0]!.requestId, ok: true });
    expect(input().value).toBe('');
    key('ArrowUp');
    expect(input().value).toBe('hi');
    key('ArrowDown');
    expect(input().value).toBe('');
  });

  it('counts code points as the platforms do (an emoji is one character)', () => {
    const { snapshot } = setup();
    snapshot([], [glimeshCanSend]);
    type('👍👍');
    expect(document.querySelector('#composer-count')!.textContent).toBe('2/10');
  });

  it('Shift+Enter does not send (it makes a new line); Up inside a draft does not recall', () => {
    const { posted, snapshot } = setup();
    snapshot([], [glimeshCanSend]);
    type('line one');
    expect(key('Enter', { shiftKey: true })).toBe(true);
    expect(sends(posted)).toHaveLength(0);
    expect(key('ArrowUp')).toBe(true);
    expect(input().value).toBe('line one');
  });

  it('Up walks back through several sent messages', () => {
    const { posted, snapshot, receive } = setup();
    snapshot([], [glimeshCanSend]);
    for (const text of ['one', 'two', 'three']) {
      type(text);
      key('Enter');
      receive({ type: 'sendResult', requestId: sends(posted).at(-1)!.requestId, ok: true });
    }
    key('ArrowUp');
    key('ArrowUp');
    expect(input().value).toBe('two');
    key('ArrowUp');
    key('ArrowUp');
    expect(input().value).toBe('one');
  });

  it('keeps the text and shows the platform’s sentence when sending fails', () => {
    const { posted, snapshot, receive } = setup();
    snapshot([], [glimeshCanSend]);
    type('hello');
    key('Enter');
    receive({ type: 'sendResult', requestId: sends(posted)[0]!.requestId, ok: false, error: 'You are banned from this channel for 5 more minutes.' });
    expect(input().value).toBe('hello');
    const error = document.querySelector<HTMLElement>('#composer-error')!;
    expect(error.hidden).toBe(false);
    expect(error.textContent).toBe('You are banned from this channel for 5 more minutes.');
    expect(error.getAttribute('role')).toBe('alert');
  });

  it('one send at a time; a send the host never answers is released with a sentence', () => {
    vi.useFakeTimers();
    const { posted, snapshot } = setup();
    snapshot([], [glimeshCanSend]);
    type('hello');
    key('Enter');
    key('Enter');
    expect(sends(posted)).toHaveLength(1);
    vi.advanceTimersByTime(SEND_TIMEOUT_MS);
    expect(document.querySelector('#composer-error')!.textContent).toContain('No answer');
    expect(input().value).toBe('hello');
    key('Enter');
    expect(sends(posted)).toHaveLength(2);
  });

  it('is disabled with the reason when nothing can send, keeping the draft', () => {
    const { snapshot, receive } = setup();
    snapshot([], [glimeshCanSend]);
    type('draft in progress');
    receive({ type: 'platforms', platforms: [tauReadOnly] });
    expect(input().disabled).toBe(true);
    expect(input().value).toBe('draft in progress');
    const reason = document.querySelector<HTMLElement>('#composer-reason')!;
    expect(reason.hidden).toBe(false);
    expect(reason.textContent).toContain('Set streamChat.tau.chatBot.');
    expect(input().placeholder).toContain('Set streamChat.tau.chatBot.');
  });

  it('keeps the chosen destination when platforms change', () => {
    const { posted, snapshot, receive } = setup();
    snapshot([], [glimeshCanSend, mixerCanSend]);
    const destination = document.querySelector<HTMLElement & { value: string }>('#composer-destination')!;
    destination.value = 'mixer';
    destination.dispatchEvent(new Event('change'));
    receive({ type: 'platforms', platforms: [glimeshCanSend, { ...mixerCanSend, state: { kind: 'connected', readOnly: false } }] });
    expect(document.querySelector('#composer-count')!.textContent).toBe('0/360');
    type('to mixer');
    key('Enter');
    expect(sends(posted)[0]!.platform).toBe('mixer');
  });

  it('focusComposer puts the caret in the field', () => {
    const { receive, snapshot } = setup();
    snapshot([], [glimeshCanSend]);
    receive({ type: 'focusComposer' });
    expect(document.activeElement).toBe(input());
  });
});

describe('state across hide, show and reload', () => {
  it('keeps the filter, the draft and the recall history in the webview state', () => {
    const api = fakeVsCode();
    const first = setup(api);
    first.snapshot([], [glimeshCanSend]);
    const filter = document.querySelector<HTMLInputElement>('#filter')!;
    filter.value = 'from:bob';
    filter.dispatchEvent(new Event('input'));
    type('sent one');
    key('Enter');
    first.receive({ type: 'sendResult', requestId: sends(api.posted)[0]!.requestId, ok: true });
    type('unsent draft');

    const second = setup(api);
    second.snapshot([chatMessage({ user: 'ann' }), chatMessage({ user: 'bob' })], [glimeshCanSend]);
    expect(document.querySelector<HTMLInputElement>('#filter')!.value).toBe('from:bob');
    expect(lines().map((l) => l.hidden)).toEqual([true, false]);
    expect(input().value).toBe('unsent draft');
    type('');
    key('ArrowUp');
    expect(input().value).toBe('sent one');
  });

  it('marks where the user left off when the page comes back', () => {
    const api = fakeVsCode();
    const first = setup(api);
    first.snapshot([chatMessage({ id: 'a' }), chatMessage({ id: 'b' })]);
    expect(api.state.lastSeen).toBe('glimesh:b');
    const second = setup(api);
    second.snapshot([chatMessage({ id: 'a' }), chatMessage({ id: 'b' }), chatMessage({ id: 'c' }), chatMessage({ id: 'd' })]);
    expect(lines().filter((l) => l.classList.contains('first-unread')).map((l) => l.dataset.key)).toEqual(['glimesh:c']);
  });

  it('reads older or malformed state without failing', () => {
    expect(sanitizeState({ filter: 'x', draft: { text: 'old draft', platform: 'mixer' } })).toEqual({ filter: 'x', lastSeen: undefined, composer: { text: 'old draft', platform: 'mixer', history: undefined } });
    expect(sanitizeState('garbage')).toEqual({});
    expect(sanitizeState({ filter: 5, composer: { text: 3 }, lastSeen: {} })).toEqual({ filter: undefined, lastSeen: undefined, composer: undefined });
    const api = fakeVsCode({ composer: { text: 7, history: 'nope' }, filter: ['x'] });
    expect(() => setup(api).snapshot()).not.toThrow();
  });
});

describe('read and unread', () => {
  it('tells the host it read to the bottom, at most once a second and once more after the last line', () => {
    vi.useFakeTimers();
    const { posted, snapshot, receive, flush } = setup();
    snapshot([chatMessage({ id: 'a' })]);
    const reads = () => posted.filter((m) => m.type === 'read').length;
    expect(reads()).toBe(1);
    for (let i = 0; i < 5; i++) {
      receive({ type: 'ops', ops: [{ op: 'append', message: chatMessage({ id: `r${i}` }) }] });
      flush();
    }
    expect(reads()).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(reads()).toBe(2);
  });

  it('does not report reading while the page is hidden', () => {
    const { app, posted, snapshot } = setup();
    app.setVisible(false);
    snapshot([chatMessage({ id: 'a' })]);
    expect(posted.filter((m) => m.type === 'read')).toHaveLength(0);
    app.setVisible(true);
    expect(posted.filter((m) => m.type === 'read')).toHaveLength(1);
  });
});

describe('highlights', () => {
  it('lists highlights with jump and dismiss buttons that post to the host', () => {
    const { posted, receive, snapshot } = setup();
    snapshot();
    receive({ type: 'highlights', highlights: [{ id: 'h1', file: 'src/app.ts', startLine: 3, endLine: 5, author: 'pixelfan', comment: 'off by one?', platform: 'mixer' }] });
    const item = document.querySelector<HTMLElement>('#highlights .highlight')!;
    expect(document.querySelector<HTMLElement>('#highlights')!.hidden).toBe(false);
    expect(item.textContent).toContain('src/app.ts:3-5');
    item.querySelector<HTMLButtonElement>('.highlight-jump')!.click();
    item.querySelector<HTMLButtonElement>('.highlight-dismiss')!.click();
    expect(posted).toContainEqual({ type: 'jumpToHighlight', id: 'h1' });
    expect(posted).toContainEqual({ type: 'dismissHighlight', id: 'h1' });
    receive({ type: 'highlights', highlights: [] });
    expect(document.querySelector<HTMLElement>('#highlights')!.hidden).toBe(true);
  });
});

describe('boot', () => {
  it('installs its listener before posting ready, then renders what the host sends', () => {
    document.body.replaceChildren();
    const api = fakeVsCode();
    const frames: Array<() => void> = [];
    api.postMessage = (m: WebviewToHost) => {
      api.posted.push(m);
      // The host answers `ready` at once: the listener must already be there.
      if (m.type === 'ready') window.dispatchEvent(new MessageEvent('message', { data: { type: 'snapshot', messages: [chatMessage({ id: 'hello' })], platforms: [], settings, highlights: [] } }));
    };
    boot(window, api, (cb) => frames.push(cb));
    expect(api.posted.filter((m) => m.type === 'ready')).toHaveLength(1);
    expect(lines().map((l) => l.dataset.key)).toEqual(['glimesh:hello']);
  });

  it('ignores messages that are not the host’s, and logs (not throws) when handling one fails', () => {
    document.body.replaceChildren();
    const api = fakeVsCode();
    boot(window, api, () => {});
    window.dispatchEvent(new MessageEvent('message', { data: 'not an object' }));
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'evil' } }));
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'ops', ops: null } }));
    expect(api.posted.filter((m) => m.type === 'log')).toEqual([{ type: 'log', level: 'error', message: expect.stringContaining("'ops'") }]);
    expect(isHostMessage({ type: 'focusComposer' })).toBe(true);
    expect(isHostMessage({ type: 'ready' })).toBe(false);
  });

  it('reads the theme and follows a theme change (author colours recomputed for the new background)', async () => {
    document.body.replaceChildren();
    document.body.className = 'vscode-dark';
    document.documentElement.style.setProperty('--vscode-editor-background', '#1e1e1e');
    const api = fakeVsCode();
    const app = boot(window, api, () => {});
    app.receive({ type: 'snapshot', messages: [chatMessage({ author: { name: 'a', displayName: 'a', roles: [], color: '#0000ff' } })], platforms: [], settings, highlights: [] });
    expect(readTheme(document)).toEqual({ backgrounds: ['#1e1e1e'], highContrast: false, reducedMotion: false });
    const dark = lines()[0]!.style.getPropertyValue('--author-color');
    document.documentElement.style.setProperty('--vscode-editor-background', '#ffffff');
    document.body.className = 'vscode-light';
    await new Promise((r) => setTimeout(r, 0));
    const light = lines()[0]!.style.getPropertyValue('--author-color');
    expect(light).not.toBe(dark);
    document.body.className = 'vscode-high-contrast vscode-reduce-motion';
    expect(readTheme(document)).toMatchObject({ highContrast: true, reducedMotion: true });
    document.body.className = '';
    document.documentElement.style.removeProperty('--vscode-editor-background');
  });
});
