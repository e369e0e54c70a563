// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLATFORM_IDS } from '../../../src/core/message';
import { chipAction } from '../../../webview/header';
import { MentionMatcher } from '../../../webview/mentions';
import { readableColor } from '../../../webview/render/color';
import { COLLAPSE_CHARACTERS, EVENT_ICONS, LineContext, ROLE_BADGES, SEVERITY_ICONS, eventIcon, renderLine } from '../../../webview/render/line';
import { chatMessage } from './builders';

const ctx = (background = '#1e1e1e'): LineContext => ({ document, mentions: new MentionMatcher(['codercat']), readableColor: (c) => readableColor(c, background) });

describe('a chat line', () => {
  it('has the platform mark with an accessible name, the time, badges, the author and the text', () => {
    const line = renderLine(chatMessage({ id: 'k1', platform: 'tau', user: 'ModBot', roles: ['moderator', 'vip'], text: 'be kind' }), ctx());
    expect(line.dataset).toMatchObject({ key: 'tau:k1', platform: 'tau', kind: 'chat', author: 'modbot' });
    const mark = line.querySelector('.platform')!;
    expect(mark.getAttribute('role')).toBe('img');
    expect(mark.getAttribute('aria-label')).toBe('Twitch (TAU)');
    const time = line.querySelector('time')!;
    expect(time.dateTime).toBe('2026-11-22T12:00:00.000Z');
    expect([...line.querySelectorAll('.badge')].map((b) => b.getAttribute('aria-label'))).toEqual(['Moderator', 'VIP']);
    expect(line.querySelector('.author')!.textContent).toBe('ModBot');
    expect(line.querySelector('.sep')!.textContent).toBe(': ');
    expect(line.querySelector('.text')!.textContent).toBe('be kind');
  });

  it('colours the author with the platform colour made readable on the theme, or a stable one from the name', () => {
    const dark = renderLine(chatMessage({ author: { name: 'a', displayName: 'a', roles: [], color: '#0000ff' } }), ctx('#1e1e1e'));
    const light = renderLine(chatMessage({ author: { name: 'a', displayName: 'a', roles: [], color: '#ffff00' } }), ctx('#ffffff'));
    expect(dark.style.getPropertyValue('--author-color')).not.toBe('#0000ff');
    expect(light.style.getPropertyValue('--author-color')).not.toBe('#ffff00');
    const noColor1 = renderLine(chatMessage({ user: 'samename' }), ctx());
    const noColor2 = renderLine(chatMessage({ user: 'samename' }), ctx());
    expect(noColor1.style.getPropertyValue('--author-color')).toMatch(/^#[0-9a-f]{6}$/);
    expect(noColor1.style.getPropertyValue('--author-color')).toBe(noColor2.style.getPropertyValue('--author-color'));
  });

  it('shows the login as a tooltip when the display name differs', () => {
    const line = renderLine(chatMessage({ author: { name: 'kanji_fan', displayName: '漢字ファン', roles: [] } }), ctx());
    expect(line.querySelector<HTMLElement>('.author')!.title).toBe('kanji_fan');
  });

  it('renders /me in the author colour, without the colon', () => {
    const line = renderLine(chatMessage({ text: 'waves', flags: { action: true } }), ctx());
    expect(line.classList.contains('action')).toBe(true);
    expect(line.querySelector('.sep')!.textContent).toBe(' ');
  });

  it('marks deleted, own, whisper and test lines', () => {
    const line = renderLine(chatMessage({ flags: { deleted: true, self: true, whisper: true, test: true } }), ctx());
    expect(line.dataset.deleted).toBe('true');
    expect(line.classList.contains('deleted')).toBe(true);
    expect(line.classList.contains('self')).toBe(true);
    expect(line.querySelector('.tag.test')!.textContent).toBe('TEST');
    expect(line.querySelector('.tag.whisper')).not.toBeNull();
  });
});

describe('parts', () => {
  it('text runs are isolated <bdi> elements', () => {
    const line = renderLine(chatMessage({ text: 'plain' }), ctx());
    expect(line.querySelector('.text > bdi.run')!.textContent).toBe('plain');
  });

  it('an emote is an https image named by alt and title, lazy, sized by CSS', () => {
    const line = renderLine(chatMessage({ parts: [{ type: 'emote', name: 'Kappa', url: 'https://cdn.test/25/1.0' }] }), ctx());
    const img = line.querySelector('img.emote')!;
    expect(img.getAttribute('src')).toBe('https://cdn.test/25/1.0');
    expect(img.getAttribute('alt')).toBe('Kappa');
    expect(img.getAttribute('title')).toBe('Kappa');
    expect(img.getAttribute('loading')).toBe('lazy');
    expect(img.getAttribute('data-emote')).toBe('Kappa');
    expect(img.getAttribute('style')).toBeNull();
  });

  it('a sprite emote is a box showing its rectangle of the sheet, set through the CSSOM', () => {
    const line = renderLine(chatMessage({ parts: [{ type: 'emote', name: ':)', url: 'https://mixer.test/emoticons/default.png', sprite: { x: 96, y: 24, width: 24, height: 24 } }] }), ctx());
    const sprite = line.querySelector<HTMLElement>('.emote.sprite')!;
    expect(sprite.getAttribute('role')).toBe('img');
    expect(sprite.getAttribute('aria-label')).toBe(':)');
    expect(sprite.style.getPropertyValue('background-image')).toBe('url("https://mixer.test/emoticons/default.png")');
    expect(sprite.style.getPropertyValue('background-position')).toBe('-96px -24px');
    expect(sprite.style.getPropertyValue('width')).toBe('24px');
  });

  it('a sprite with nonsense coordinates reads as its name', () => {
    const line = renderLine(chatMessage({ parts: [{ type: 'emote', name: ':(', url: 'https://m.test/s.png', sprite: { x: -1, y: Number.NaN, width: 24, height: 24 } }] }), ctx());
    expect(line.querySelector('.sprite')).toBeNull();
    expect(line.querySelector('.text')!.textContent).toBe(':(');
  });

  it('a link opens outside, with no referrer or opener', () => {
    const line = renderLine(chatMessage({ parts: [{ type: 'link', text: 'the docs', url: 'https://example.test/docs?a=1' }] }), ctx());
    const a = line.querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://example.test/docs?a=1');
    expect(a.rel).toBe('noopener noreferrer');
    expect(a.target).toBe('_blank');
    expect(a.textContent).toBe('the docs');
  });

  it('an image part is an https image with its alt text', () => {
    const line = renderLine(chatMessage({ parts: [{ type: 'image', alt: 'sticker', url: 'https://img.test/s.png' }] }), ctx());
    expect(line.querySelector('img.chat-image')!.getAttribute('alt')).toBe('sticker');
  });

  it('mentions of the streamer are marked, as parts or as words in text; others are not', () => {
    const asPart = renderLine(chatMessage({ parts: [{ type: 'mention', text: '@CoderCat', username: 'codercat' }, { type: 'text', text: ' hi' }] }), ctx());
    expect(asPart.classList.contains('mentions-me')).toBe(true);
    expect(asPart.querySelector('.mention.me')!.textContent).toBe('@CoderCat');
    const asText = renderLine(chatMessage({ text: 'nice one codercat!' }), ctx());
    expect(asText.classList.contains('mentions-me')).toBe(true);
    expect(asText.querySelector('.mention.me')!.textContent).toBe('codercat');
    expect(asText.querySelector('.text')!.textContent).toBe('nice one codercat!');
    const other = renderLine(chatMessage({ parts: [{ type: 'mention', text: '@someone', username: 'someone' }] }), ctx());
    expect(other.classList.contains('mentions-me')).toBe(false);
    expect(other.querySelector('.mention')).not.toBeNull();
  });
});

describe('event and notice lines', () => {
  it('an event line has its own icon and colour and names who in its text only once', () => {
    const line = renderLine(chatMessage({ kind: 'event', eventType: 'channel-raid', user: 'FriendlyCoder', text: 'FriendlyCoder is raiding with 42 viewers!' }), ctx());
    expect(line.dataset.event).toBe('channel-raid');
    expect(line.querySelector('.event-icon')!.className).toContain('codicon-rocket');
    expect(line.querySelector('.author')).toBeNull();
    expect(line.textContent!.match(/FriendlyCoder/g)).toHaveLength(1);
    expect(line.style.getPropertyValue('--author-color')).not.toBe('');
  });

  it.each([
    ['channel-follow', 'heart'],
    ['channel-subscription-gift', 'gift'],
    ['channel-subscribe', 'star-full'],
    ['channel-cheer', 'zap'],
    ['channel-channel_points_custom_reward_redemption-add', 'sparkle-filled'],
    ['something-new', 'megaphone'],
  ])('%s → %s', (type, icon) => {
    expect(eventIcon(type)).toBe(icon);
  });

  it('a notice shows its severity and never counts as a mention (it names the channel)', () => {
    const line = renderLine(chatMessage({ kind: 'system', author: undefined, severity: 'error', text: 'Mixer: codercat refused the token.' }), ctx());
    expect(line.classList.contains('severity-error')).toBe(true);
    expect(line.querySelector('.severity-icon')!.className).toContain('codicon-error');
    expect(line.classList.contains('mentions-me')).toBe(false);
  });
});

describe('long lines', () => {
  it('a spam wall starts collapsed with a button that expands it', () => {
    const line = renderLine(chatMessage({ text: 'x'.repeat(COLLAPSE_CHARACTERS + 1) }), ctx());
    const button = line.querySelector<HTMLButtonElement>('button.expand')!;
    expect(line.classList.contains('collapsed')).toBe(true);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    button.click();
    expect(line.classList.contains('collapsed')).toBe(false);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(line.querySelector('.text')!.textContent).toHaveLength(COLLAPSE_CHARACTERS + 1);
  });

  it('a normal line has no button', () => {
    expect(renderLine(chatMessage({ text: 'short' }), ctx()).querySelector('button')).toBeNull();
  });
});

describe('icons', () => {
  const css = readFileSync(require.resolve('@vscode/codicons/dist/codicon.css'), 'utf8');
  const exists = (name: string) => css.includes(`.codicon-${name}:before`);

  it('every codicon the view uses exists in the bundled font', () => {
    const names = [
      ...Object.values(ROLE_BADGES).map((b) => b.icon),
      ...EVENT_ICONS.map(([, icon]) => icon),
      'megaphone',
      ...Object.values(SEVERITY_ICONS),
      'debug-disconnect',
      'sync',
      'pass-filled',
      'error',
      'arrow-down',
      'send',
      'close',
    ];
    expect(names.filter((n) => !exists(n))).toEqual([]);
  });

  it('chips connect when idle or failed and disconnect otherwise', () => {
    const send = { canSend: false, maxLength: 1 };
    expect(chipAction({ platform: PLATFORM_IDS[0], enabled: true, state: { kind: 'failed', category: 'auth', message: 'x' }, send })).toBe('connect');
    expect(chipAction({ platform: PLATFORM_IDS[0], enabled: true, state: { kind: 'reconnecting', attempt: 1, delayMs: 500, reason: 'x' }, send })).toBe('disconnect');
  });
});
