// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { MessagePart } from '../../../src/core/message';
import type { LineContext } from '../../../webview/render/line';
import { renderLine } from '../../../webview/render/line';
import { MentionMatcher } from '../../../webview/mentions';
import { chatMessage } from './builders';

const ctx = (): LineContext => ({
  document,
  mentions: new MentionMatcher(['codercat']),
  readableColor: (c) => (c.startsWith('#') ? c : undefined),
});

/** Hostile chat: what a raid of trolls sends. */
const HOSTILE_TEXT = [
  '<script>window.pwned = 1</script>',
  '<img src=x onerror="window.pwned=1">',
  '"><svg onload=alert(1)>',
  '</bdi></span><iframe src="javascript:alert(1)"></iframe>',
  'x { background: url(https://evil.test) } </style><style>body{display:none}</style>',
  '\u202Eevil\u202C reversed \u2066isolate',
  'Z̵̡̢̧̛̛̛̖̗̘̙̜̝̞̟̠̣̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼͇͈͉͍͎̀́̂̃̄̅̆̇̈̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿̀́͂̓̈́͆͊͋͌̕̚ͅalgo',
  'A'.repeat(10_000),
];

const HOSTILE_PARTS: MessagePart[] = [
  { type: 'link', text: 'click me', url: 'javascript:alert(1)' },
  { type: 'link', text: 'data', url: 'data:text/html,<script>alert(1)</script>' },
  { type: 'link', text: 'vb', url: 'VBScript:msgbox(1)' },
  { type: 'emote', name: '"><script>', url: 'javascript:alert(1)' },
  { type: 'emote', name: 'http-emote', url: 'http://insecure.test/e.png' },
  {
    type: 'emote',
    name: 'sprite',
    url: 'https://x.test/a"),url(https://evil.test/',
    sprite: { x: 1, y: 1, width: 24, height: 24 },
  },
  { type: 'image', alt: '<b>alt</b>', url: 'data:image/svg+xml,<svg onload=alert(1)>' },
  { type: 'mention', text: '@<i>codercat</i>', username: '<i>codercat</i>' },
];

function assertInert(root: Element): void {
  for (const node of root.querySelectorAll('*')) {
    expect(
      ['SCRIPT', 'IFRAME', 'STYLE', 'OBJECT', 'EMBED', 'SVG', 'FORM'].includes(
        node.tagName.toUpperCase(),
      ),
    ).toBe(false);
    for (const attr of node.attributes) {
      expect(attr.name.startsWith('on')).toBe(false);
      if (attr.name === 'href') expect(attr.value).toMatch(/^https?:\/\//);
      if (attr.name === 'src') expect(attr.value).toMatch(/^https:\/\//);
    }
  }
}

describe('hostile chat renders as inert text', () => {
  it.each(HOSTILE_TEXT.map((t) => [t.slice(0, 40), t]))('text %j', (_label, text) => {
    const line = renderLine(chatMessage({ text, user: '<script>alert(1)</script>' }), ctx());
    assertInert(line);
    expect(line.querySelector('.text')!.textContent).toBe(text);
    expect(line.querySelector('.author')!.textContent).toBe('<script>alert(1)</script>');
  });

  it('hostile parts: unsafe URLs become text, nothing executable is created', () => {
    const line = renderLine(chatMessage({ parts: HOSTILE_PARTS }), ctx());
    assertInert(line);
    expect(line.querySelectorAll('a')).toHaveLength(0);
    expect(line.querySelectorAll('img')).toHaveLength(0);
    // One url("…") token: the attacker's quote was percent-encoded, so it cannot close the string.
    const image = line
      .querySelector<HTMLElement>('.sprite')!
      .style.getPropertyValue('background-image');
    expect(image).toMatch(/^url\("[^"]*"\)$/);
  });

  it('a hostile author colour never reaches the style', () => {
    const line = renderLine(
      chatMessage({
        author: {
          name: 'x',
          displayName: 'x',
          roles: [],
          color: 'red;background:url(https://evil.test)',
        },
      }),
      ctx(),
    );
    expect(line.getAttribute('style') ?? '').not.toContain('evil');
  });

  it('1,000 emotes in one message render as 1,000 lazy images', () => {
    const parts: MessagePart[] = Array.from({ length: 1000 }, (_, i) => ({
      type: 'emote',
      name: `Kappa${i}`,
      url: 'https://static-cdn.jtvnw.net/emoticons/v2/25/default/dark/1.0',
    }));
    const line = renderLine(chatMessage({ parts }), ctx());
    const imgs = line.querySelectorAll('img.emote');
    expect(imgs).toHaveLength(1000);
    expect(imgs[999]!.getAttribute('loading')).toBe('lazy');
    expect(imgs[999]!.getAttribute('alt')).toBe('Kappa999');
  });

  it('isolates bidi text so an override cannot flip what follows', () => {
    const line = renderLine(chatMessage({ text: '\u202Egnp.exe' }), ctx());
    expect(line.querySelector('.text bdi')).not.toBeNull();
  });
});

describe('mentions', () => {
  it('marks chat that names the streamer, but not our own notices that name the channel', () => {
    const chat = renderLine(chatMessage({ text: 'nice one codercat' }), ctx());
    const notice = renderLine(
      chatMessage({ kind: 'system', author: undefined, text: 'Mixer: connected to codercat.' }),
      ctx(),
    );
    expect(chat.classList.contains('mentions-me')).toBe(true);
    expect(notice.classList.contains('mentions-me')).toBe(false);
  });
});

describe('event lines and emotes', () => {
  it('an event line names who in its text only once', () => {
    const line = renderLine(
      chatMessage({
        kind: 'event',
        eventType: 'channel-raid',
        user: 'FriendlyCoder',
        text: 'FriendlyCoder is raiding with 42 viewers!',
      }),
      ctx(),
    );
    expect(line.querySelector('.author')).toBeNull();
    expect(line.textContent).toContain('FriendlyCoder is raiding');
    expect(line.textContent!.match(/FriendlyCoder/g)).toHaveLength(1);
  });

  it('an emote that fails to load becomes its name', () => {
    const line = renderLine(
      chatMessage({ parts: [{ type: 'emote', name: 'Kappa', url: 'https://x.test/e.png' }] }),
      ctx(),
    );
    line.querySelector('img')!.dispatchEvent(new Event('error'));
    expect(line.querySelector('img')).toBeNull();
    expect(line.querySelector('.text')!.textContent).toBe('Kappa');
  });
});
