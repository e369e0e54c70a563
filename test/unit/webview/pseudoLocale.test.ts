// @vitest-environment jsdom
// The view in a pseudo locale: the host's table maps every key to its pseudo text (as the
// qps-ploc bundle does), the view is driven through every surface (chips, filter, timeline tags
// and badges, moderation toolbar and menu, Undo, user card, Mentions, highlights, composer
// errors), and every visible text, aria-label, title and placeholder must be pseudo-localised or
// chat data. A literal that skips `t` shows up here in English.
import { afterEach, describe, expect, it } from 'vitest';
import { pseudo } from '../../../scripts/l10n.mjs';
import type { PlatformStatus } from '../../../src/core/chatHub';
import { PLATFORM_LABELS } from '../../../src/core/message';
import { WEBVIEW_STRINGS } from '../../../src/protocol/webviewStrings';
import { mountChatApp } from './mount';
import { setStrings, t } from '../../../webview/strings';
import { chatMessage } from './builders';

const PSEUDO = Object.fromEntries(WEBVIEW_STRINGS.map((k) => [k, pseudo(k)]));

/** Chat data the view shows as it came (names, texts, files): not ours to translate. */
const DATA = [
  ...Object.values(PLATFORM_LABELS),
  'codercat',
  'CoderCat',
  'spambot',
  'SpamBot',
  'watcher',
  'viewer',
  'hello @codercat see',
  'hello @codercat see src/app.ts',
  'free followers',
  'src/app.ts:12',
  'src/app.ts',
  'nice stream',
  'first line',
  'token refused',
  'socket closed',
  'spambot was timed out',
  'a review comment',
  'kappa',
  'Kappa',
];

const settings = {
  showTimestamps: true,
  hideDeleted: false,
  fontSize: 13,
  scrollback: 100,
  mentionNames: ['codercat'],
};
const platforms: PlatformStatus[] = [
  {
    platform: 'mixer',
    enabled: true,
    state: { kind: 'connected', readOnly: false },
    send: { canSend: true, maxLength: 10 },
    moderation: { canModerate: true, actions: ['delete', 'timeout', 'ban', 'unban'] },
  },
  {
    platform: 'glimesh',
    enabled: true,
    state: { kind: 'reconnecting', attempt: 2, delayMs: 4000, reason: 'socket closed' },
    send: { canSend: false, maxLength: 255 },
  },
  {
    platform: 'tau',
    enabled: true,
    state: { kind: 'failed', category: 'auth', message: 'token refused' },
    send: { canSend: false, maxLength: 500 },
  },
];

/** Visible strings of the page that are neither pseudo text nor chat data. */
function untranslated(root: ParentNode): string[] {
  const found: string[] = [];
  const check = (where: string, value: string | null | undefined) => {
    if (!value) return;
    let rest = value;
    for (let before = ''; before !== rest;) {
      before = rest;
      rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ');
    }
    for (const data of [...DATA].sort((a, b) => b.length - a.length))
      rest = rest.split(data).join(' ');
    if (/[A-Za-z]/.test(rest)) found.push(`${where}: ${value}`);
  };
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // Times are formatted by Intl in the page's locale.
    if (node.parentElement?.closest('time') || (node instanceof Element && node.closest('time')))
      continue;
    if (node.nodeType === Node.TEXT_NODE) {
      check(`text in <${node.parentElement?.localName}>`, node.nodeValue);
      continue;
    }
    const el = node as Element;
    for (const attribute of ['aria-label', 'title', 'placeholder', 'alt'])
      check(
        `${attribute} of <${el.localName} class="${el.className}">`,
        el.getAttribute(attribute),
      );
  }
  return found;
}

describe('the chat view in a pseudo locale', () => {
  afterEach(() => setStrings({}));

  it('looks strings up in the host table, falling back to English, placeholders filled', () => {
    setStrings({ Undo: 'Annuler', '{0} of {1}': '{1} dont {0}', bogus: 'x', Ban: 42 });
    expect(t('Undo')).toBe('Annuler');
    expect(t('{0} of {1}', 3, 7)).toBe('7 dont 3');
    expect(t('Ban')).toBe('Ban');
    setStrings(undefined);
    expect(t('Undo')).toBe('Undo');
  });

  it('shows every string of ours pseudo-localised, on every surface', () => {
    setStrings(PSEUDO);
    const { app, posted } = mountChatApp();
    const offenders = new Set<string>();
    const sweep = () => untranslated(document.body).forEach((o) => offenders.add(o));
    sweep();

    const mention = chatMessage({
      id: 'm1',
      platform: 'mixer',
      user: 'watcher',
      roles: ['moderator', 'subscriber', 'vip', 'broadcaster'],
      text: 'hello @codercat see src/app.ts',
    });
    const spam = { platform: 'mixer' as const, user: 'SpamBot', text: 'free followers' };
    app.receive({
      type: 'snapshot',
      messages: [
        mention,
        chatMessage({ id: 'm2', ...spam }),
        chatMessage({ id: 'm3', ...spam }),
        chatMessage({ id: 'm4', platform: 'mixer', text: 'nice stream', flags: { test: true } }),
        chatMessage({ id: 'm5', platform: 'mixer', text: 'first line', flags: { whisper: true } }),
        chatMessage({ id: 'm6', platform: 'mixer', text: 'nice stream', flags: { deleted: true } }),
        chatMessage({
          id: 'm7',
          platform: 'mixer',
          user: 'CoderCat',
          parts: [
            { type: 'emote', name: 'Kappa', url: 'https://example.test/kappa.png' },
            { type: 'text', text: ' kappa' },
          ],
        }),
      ],
      platforms,
      settings,
      highlights: [
        {
          id: 'h1',
          file: 'src/app.ts',
          startLine: 12,
          endLine: 12,
          author: 'watcher',
          comment: 'a review comment',
          platform: 'mixer',
        },
      ],
    });
    app.receive({
      type: 'codeRefs',
      annotations: [
        {
          platform: 'mixer',
          messageId: 'm1',
          refs: [{ start: 20, end: 30, id: 'r1', label: 'src/app.ts:12' }],
        },
      ],
    });
    expect(document.querySelector('.repeat')).not.toBeNull();
    expect(document.querySelector('a[aria-label]')).not.toBeNull();
    sweep();

    // The moderation toolbar on a hovered line, its duration menu, and Undo after a timeout.
    const line = document.querySelector<HTMLElement>('.line[data-key="mixer:m1"]')!;
    line.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    const timeout = [...line.querySelectorAll<HTMLButtonElement>('.mod-action')].find(
      (b) => b.getAttribute('aria-label') === pseudo('Time out'),
    )!;
    timeout.click();
    expect(line.querySelectorAll('[role="menuitem"]').length).toBeGreaterThan(0);
    sweep();
    line.querySelector<HTMLElement>('[role="menuitem"]')!.click();
    app.receive({
      type: 'moderationResult',
      requestId: posted.flatMap((m) => (m.type === 'moderate' ? [m.requestId] : []))[0]!,
      ok: true,
      text: 'spambot was timed out',
      undo: { platform: 'mixer', request: { action: 'untimeout', user: { name: 'watcher' } } },
    });
    expect(document.querySelector('.mod-undo')).not.toBeNull();
    sweep();

    // The user card, the Mentions list, the filter count, a composer refusal.
    line.querySelector<HTMLElement>('.author')!.click();
    expect(document.querySelector('.user-card:not([hidden])')).not.toBeNull();
    sweep();
    document.querySelector<HTMLElement>('#mentions-toggle')!.click();
    expect(document.querySelector('.mention-jump')).not.toBeNull();
    sweep();
    const filter = document.querySelector<HTMLInputElement>('#filter')!;
    filter.value = 'free';
    filter.dispatchEvent(new Event('input'));
    expect(document.querySelector('#filter-count')!.textContent).not.toBe('');
    sweep();
    app.composer.input.value = 'far too long for ten';
    app.composer.submit();
    expect(document.querySelector('#composer-error')!.textContent).not.toBe('');
    sweep();

    // Nothing can send: the composer says why; no platform at all: the header says how.
    app.receive({ type: 'platforms', platforms: platforms.slice(1) });
    sweep();
    app.receive({ type: 'platforms', platforms: [] });
    expect(document.querySelector('#chips .hint')).not.toBeNull();
    sweep();
    // The idle label of the jump button, and the labels the stylesheet draws.
    expect(document.body.style.getPropertyValue('--label-unread')).toContain('⟦');
    expect(document.body.style.getPropertyValue('--label-unread-alt')).toContain('⟦');

    expect([...offenders]).toEqual([]);
  });

  it('would catch an English literal (the check can fail)', () => {
    document.body.replaceChildren();
    const b = document.createElement('button');
    b.title = 'Delete message';
    b.textContent = pseudo('Delete message');
    document.body.append(b);
    expect(untranslated(document.body)).toEqual(['title of <button class="">: Delete message']);
  });
});
