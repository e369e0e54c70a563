// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlatformStatus } from '../../../src/core/chatHub';
import type { ChatMessage } from '../../../src/core/message';
import type { HostToWebview, WebviewToHost } from '../../../src/protocol/messages';
import { mountChatApp } from './mount';
import { UNDO_MS } from '../../../webview/moderation';
import { chatMessage } from './builders';

const settings = {
  showTimestamps: true,
  hideDeleted: false,
  fontSize: 13,
  scrollback: 50,
  mentionNames: [],
};
const mixer = (moderation?: PlatformStatus['moderation']): PlatformStatus => ({
  platform: 'mixer',
  enabled: true,
  state: { kind: 'connected', readOnly: false },
  send: { canSend: true, maxLength: 360 },
  ...(moderation ? { moderation } : {}),
});
const MOD = {
  canModerate: true,
  actions: ['delete', 'timeout', 'untimeout', 'ban', 'unban', 'clear'] as const,
};
const glimeshMod: PlatformStatus = {
  ...mixer(),
  platform: 'glimesh',
  moderation: {
    canModerate: true,
    actions: ['delete', 'timeout', 'ban', 'unban'],
    timeoutSeconds: [300, 900],
  },
};

function setup(platforms: PlatformStatus[], messages: ChatMessage[]) {
  const { app, posted } = mountChatApp();
  app.receive({ type: 'snapshot', messages, platforms, settings, highlights: [] });
  const line = (id: string, platform = 'mixer') =>
    document.querySelector<HTMLElement>(`.line[data-key="${platform}:${id}"]`)!;
  const hover = (el: HTMLElement) =>
    el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
  const button = (name: string) =>
    [...document.querySelectorAll<HTMLElement>('button')].find(
      (b) => b.getAttribute('aria-label') === name && !b.hidden && !b.closest('[hidden]'),
    );
  const moderated = () =>
    posted.filter((m): m is Extract<WebviewToHost, { type: 'moderate' }> => m.type === 'moderate');
  return {
    app,
    posted,
    line,
    hover,
    button,
    moderated,
    receive: (m: HostToWebview) => app.receive(m),
  };
}

describe('line moderation actions in the view', () => {
  beforeEach(() => document.body.replaceChildren());

  it('one toolbar, moved into the hovered line, with exactly the four named actions for a moderator', () => {
    const v = setup(
      [mixer(MOD)],
      [
        chatMessage({ id: 'a', platform: 'mixer', user: 'Spammer', text: 'first line' }),
        chatMessage({ id: 'b', platform: 'mixer', user: 'Other', text: 'second line' }),
      ],
    );
    v.hover(v.line('a'));
    expect(document.querySelectorAll('.mod-toolbar')).toHaveLength(1);
    expect(v.line('a').querySelector('.mod-toolbar')).not.toBeNull();
    const names = [...v.line('a').querySelectorAll('.mod-toolbar > button')]
      .filter((b) => !(b as HTMLElement).hidden)
      .map((b) => b.getAttribute('aria-label'));
    expect(names).toEqual(['Delete message', 'Time out', 'Ban', 'Unban']);
    v.hover(v.line('b'));
    expect(v.line('a').querySelector('.mod-toolbar')).toBeNull();
    expect(v.line('b').querySelector('.mod-toolbar')).not.toBeNull();
    expect(document.querySelectorAll('.mod-toolbar')).toHaveLength(1);
  });

  it('a viewer who cannot moderate gets no actions at all', () => {
    const v = setup(
      [mixer({ canModerate: false, reason: 'not a moderator', actions: [] })],
      [chatMessage({ id: 'a', platform: 'mixer' })],
    );
    v.hover(v.line('a'));
    expect(v.line('a').querySelector('.mod-toolbar')).toBeNull();
    expect(v.button('Delete message')).toBeUndefined();
    expect(v.button('Ban')).toBeUndefined();
  });

  it('a platform without moderation (no capability) shows none either, and capabilities arriving later show them', () => {
    const v = setup([mixer()], [chatMessage({ id: 'a', platform: 'mixer' })]);
    v.hover(v.line('a'));
    expect(v.button('Ban')).toBeUndefined();
    v.receive({ type: 'platforms', platforms: [mixer(MOD)] });
    expect(v.button('Ban')).toBeDefined();
  });

  it('Delete message and Ban post typed requests with the line’s id and author; a deleted line offers no Delete', () => {
    const v = setup([mixer(MOD)], [chatMessage({ id: 'a', platform: 'mixer', user: 'Spammer' })]);
    v.hover(v.line('a'));
    v.button('Delete message')!.click();
    v.button('Ban')!.click();
    expect(v.moderated().map((m) => [m.platform, m.request])).toEqual([
      ['mixer', { action: 'delete', messageId: 'a', user: { id: 'u-Spammer', name: 'spammer' } }],
      ['mixer', { action: 'ban', user: { id: 'u-Spammer', name: 'spammer' } }],
    ]);
    v.receive({ type: 'ops', ops: [{ op: 'delete', platform: 'mixer', ids: ['a'] }] });
    v.hover(v.line('a'));
    expect(v.button('Delete message')).toBeUndefined();
  });

  it('Time out opens a menu of the platform’s lengths (Glimesh: 5 and 15 minutes)', () => {
    const v = setup([glimeshMod], [chatMessage({ id: 'g', platform: 'glimesh', user: 'Troll' })]);
    v.hover(v.line('g', 'glimesh'));
    v.button('Time out')!.click();
    const items = [...document.querySelectorAll<HTMLElement>('[role="menuitem"]')];
    expect(items.map((i) => i.textContent)).toEqual(['5 minutes', '15 minutes']);
    expect(document.activeElement).toBe(items[0]);
    items[1]!.click();
    expect(v.moderated()[0]!.request).toEqual({
      action: 'timeout',
      user: { id: 'u-Troll', name: 'troll' },
      seconds: 900,
    });
  });

  it('after a ban the result shows with Undo, which sends the undo request; it goes after 10 s', () => {
    const v = setup([mixer(MOD)], [chatMessage({ id: 'a', platform: 'mixer', user: 'Spammer' })]);
    v.hover(v.line('a'));
    v.button('Ban')!.click();
    const { requestId } = v.moderated()[0]!;
    const user = { id: 'u-Spammer', name: 'spammer' };
    v.receive({
      type: 'moderationResult',
      requestId,
      ok: true,
      text: 'spammer has been banned.',
      undo: { platform: 'mixer', request: { action: 'unban', user } },
    });
    expect(document.querySelector('.mod-status')!.textContent).toContain(
      'spammer has been banned.',
    );
    v.button('Undo')!.click();
    expect(v.moderated()[1]).toMatchObject({
      platform: 'mixer',
      request: { action: 'unban', user },
    });
    expect(v.button('Undo')).toBeUndefined();
    expect(UNDO_MS).toBe(10_000);
  });

  it('ignores a moderation result for a request of an earlier page', () => {
    const v = setup([mixer(MOD)], [chatMessage({ id: 'a', platform: 'mixer', user: 'Spammer' })]);
    v.hover(v.line('a'));
    v.button('Ban')!.click();
    const { requestId } = v.moderated()[0]!;
    expect(requestId).toMatch(/^[A-Za-z0-9_-]+:1$/);
    // The same counter, from the page before a reload.
    v.receive({
      type: 'moderationResult',
      requestId: 'earlierPage00001:1',
      ok: false,
      text: 'an answer for another page',
    });
    expect(document.querySelector<HTMLElement>('.mod-status')!.hidden).toBe(true);
    v.receive({ type: 'moderationResult', requestId, ok: true, text: 'spammer has been banned.' });
    expect(document.querySelector('.mod-status')!.textContent).toContain(
      'spammer has been banned.',
    );
  });

  it('a refusal shows the platform’s sentence as an alert, without Undo', () => {
    const v = setup([mixer(MOD)], [chatMessage({ id: 'a', platform: 'mixer' })]);
    v.hover(v.line('a'));
    v.button('Delete message')!.click();
    v.receive({
      type: 'moderationResult',
      requestId: v.moderated()[0]!.requestId,
      ok: false,
      text: 'Mixer: <b>nope</b>',
    });
    const status = document.querySelector<HTMLElement>('.mod-status')!;
    expect(status.getAttribute('role')).toBe('alert');
    expect(status.textContent).toBe('Mixer: <b>nope</b>');
    expect(status.querySelector('b')).toBeNull();
    expect(v.button('Undo')).toBeUndefined();
  });

  it('keyboard: arrows select a line (it takes focus and is reported to the host), Delete deletes it', () => {
    const v = setup(
      [mixer(MOD)],
      [
        chatMessage({ id: 'a', platform: 'mixer', text: 'first line' }),
        chatMessage({ id: 'b', platform: 'mixer', text: 'second line' }),
      ],
    );
    const timeline = document.getElementById('timeline')!;
    timeline.focus();
    timeline.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    expect(document.activeElement).toBe(v.line('b'));
    v.line('b').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    expect(document.activeElement).toBe(v.line('a'));
    expect(v.posted.filter((m) => m.type === 'selectLine').at(-1)).toEqual({
      type: 'selectLine',
      platform: 'mixer',
      id: 'a',
    });
    expect(v.line('a').querySelector('.mod-toolbar')).not.toBeNull();
    v.line('a').dispatchEvent(new KeyboardEvent('keydown', { key: 'Delete', bubbles: true }));
    expect(v.moderated().map((m) => m.request)).toEqual([
      { action: 'delete', messageId: 'a', user: expect.objectContaining({ name: 'viewer' }) },
    ]);
  });
});

describe('Clear chat in the view', () => {
  beforeEach(() => document.body.replaceChildren());
  const tauMod: PlatformStatus = {
    ...mixer(),
    platform: 'tau',
    moderation: { canModerate: true, actions: ['delete', 'timeout', 'ban', 'unban', 'clear'] },
  };
  const clears = (posted: WebviewToHost[]) => posted.filter((m) => m.type === 'clearChat');

  it('is shown only where the account may clear: not for a viewer, not on Glimesh (no such mutation)', () => {
    const v = setup([mixer({ canModerate: false, reason: 'not a moderator', actions: [] })], []);
    expect(v.button('Clear chat')).toBeUndefined();
    v.receive({ type: 'platforms', platforms: [glimeshMod] });
    expect(v.button('Clear chat')).toBeUndefined();
    v.receive({ type: 'platforms', platforms: [glimeshMod, mixer(MOD)] });
    expect(v.button('Clear chat')).toBeDefined();
    v.receive({ type: 'platforms', platforms: [glimeshMod, mixer()] });
    expect(v.button('Clear chat')).toBeUndefined();
  });

  it('asks the host (which confirms) for the one platform that can clear; the host picks when several can', () => {
    const v = setup([glimeshMod, mixer(MOD)], []);
    v.button('Clear chat')!.click();
    expect(clears(v.posted)).toEqual([
      { type: 'clearChat', requestId: expect.stringMatching(/:1$/), platform: 'mixer' },
    ]);
    const firstId = clears(v.posted)[0]!.requestId;
    // One request at a time.
    v.button('Clear chat')!.click();
    expect(clears(v.posted)).toHaveLength(1);
    expect((v.button('Clear chat') as HTMLButtonElement).disabled).toBe(true);
    // Declined in the modal: nothing shown, the control is back.
    v.receive({
      type: 'moderationResult',
      requestId: firstId,
      ok: false,
      text: 'cancelled',
      cancelled: true,
    });
    expect(document.querySelector<HTMLElement>('.mod-status')!.hidden).toBe(true);
    expect((v.button('Clear chat') as HTMLButtonElement).disabled).toBe(false);

    v.receive({ type: 'platforms', platforms: [mixer(MOD), tauMod] });
    v.button('Clear chat')!.click();
    expect(clears(v.posted).at(-1)).toEqual({
      type: 'clearChat',
      requestId: expect.stringMatching(/:2$/),
    });
  });

  it('shows the platform’s sentence, or its refusal as an alert; the lines go when the platform’s clear arrives', () => {
    const v = setup([mixer(MOD)], [chatMessage({ id: 'a', platform: 'mixer', text: 'soon gone' })]);
    v.button('Clear chat')!.click();
    v.receive({
      type: 'moderationResult',
      requestId: clears(v.posted)[0]!.requestId,
      ok: true,
      text: 'Messages cleared.',
    });
    const status = document.querySelector<HTMLElement>('.mod-status')!;
    expect([status.hidden, status.textContent, status.getAttribute('role')]).toEqual([
      false,
      'Messages cleared.',
      'status',
    ]);
    expect(v.button('Undo')).toBeUndefined();
    v.receive({ type: 'ops', ops: [{ op: 'clear', platform: 'mixer' }] });
    expect(v.line('a')).toBeNull();
    v.button('Clear chat')!.click();
    v.receive({
      type: 'moderationResult',
      requestId: clears(v.posted)[1]!.requestId,
      ok: false,
      text: 'You do not have permission to clear messages.',
    });
    expect([status.textContent, status.getAttribute('role')]).toEqual([
      'You do not have permission to clear messages.',
      'alert',
    ]);
  });
});
