// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { ChatMessage, MessagePart } from '../../../src/core/message';
import { ChatApp } from '../../../webview/app';
import { MentionMatcher } from '../../../webview/mentions';
import type { LineContext } from '../../../webview/render/line';
import { renderLine } from '../../../webview/render/line';
import { chatMessage } from './builders';

const ctx = (): LineContext => ({ document, mentions: new MentionMatcher(['codercat']), readableColor: (c) => (c.startsWith('#') ? c : undefined) });

const ZALGO = 'Z̵̡̢̧̛̛̛̖̗̘̙̜̝̞̟̠̣̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼͇͈͉͍͎̀́̂̃̄̅̆̇̈̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿̀́͂̓̈́͆͊͋͌̕̚ͅalgo';

/** Hostile chat: what a raid of trolls sends. */
const HOSTILE_TEXT = [
  '<script>window.pwned = 1</script>',
  '<img src=x onerror="window.pwned=1">',
  '"><svg onload=alert(1)>',
  '</bdi></span><iframe src="javascript:alert(1)"></iframe>',
  'x { background: url(https://evil.test) } </style><style>body{display:none}</style>',
  '<a href="javascript:alert(1)">click</a><form action="https://evil.test"><input name=x></form>',
  '<meta http-equiv="refresh" content="0;url=https://evil.test"><base href="https://evil.test/">',
  '\u202Eevil\u202C reversed \u2066isolate',
  '\u202E\u202E\u202E unterminated overrides',
  ZALGO,
  ZALGO.repeat(50),
  'A'.repeat(10_000),
  '{{constructor.constructor("alert(1)")()}} ${alert(1)} `${1}`',
];

const BAD_URLS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  '\tjavascript:alert(1)',
  'java\nscript:alert(1)',
  '\u0000javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'DATA:image/svg+xml,<svg onload=alert(1)>',
  'vbscript:msgbox(1)',
  'VBScript:msgbox(1)',
  'file:///etc/passwd',
  '//evil.test/x',
];

const HOSTILE_PARTS: MessagePart[] = [
  ...BAD_URLS.map((url): MessagePart => ({ type: 'link', text: `link ${url}`, url })),
  ...BAD_URLS.map((url): MessagePart => ({ type: 'emote', name: `emote ${url}`, url })),
  ...BAD_URLS.map((url): MessagePart => ({ type: 'image', alt: `image ${url}`, url })),
  { type: 'emote', name: 'http-emote', url: 'http://insecure.test/e.png' },
  { type: 'emote', name: '"><script>', url: 'https://x.test/e.png" onerror="alert(1)' },
  { type: 'emote', name: 'sprite', url: 'https://x.test/a"),url(https://evil.test/', sprite: { x: 1, y: 1, width: 24, height: 24 } },
  { type: 'emote', name: 'sprite2', url: 'https://x.test/a.png', sprite: { x: '1px; background: red' as unknown as number, y: 1, width: 24, height: 24 } },
  { type: 'mention', text: '@<i>codercat</i>', username: '<i>codercat</i>' },
];

const ALLOWED_TAGS = new Set(['DIV', 'SPAN', 'BDI', 'TIME', 'A', 'IMG', 'BUTTON', 'HEADER', 'MAIN', 'SECTION', 'FORM', 'TEXTAREA', 'INPUT', 'UL', 'LI', 'VSCODE-BUTTON', 'VSCODE-DROPDOWN', 'VSCODE-OPTION']);

/** Nothing in `root` can run code, load from a bad scheme, or style the page from chat text. */
function assertInert(root: Element): void {
  for (const node of [root, ...root.querySelectorAll('*')]) {
    expect(ALLOWED_TAGS, node.tagName).toContain(node.tagName.toUpperCase());
    if (node.tagName === 'FORM') expect(node.id).toBe('composer');
    for (const attr of node.attributes) {
      expect(attr.name.startsWith('on'), attr.name).toBe(false);
      if (attr.name === 'href') expect(attr.value).toMatch(/^https?:\/\/[^\s"]+$/);
      if (attr.name === 'src') expect(attr.value).toMatch(/^https:\/\/[^\s"]+$/);
      if (attr.name === 'style') {
        // Only our own custom properties and the sprite box (an https url in one quoted token).
        for (const decl of attr.value.split(';').map((d) => d.trim()).filter(Boolean)) {
          expect(decl).toMatch(/^(--author-color: #[0-9a-f]{6}|--chat-font-size: \d+px|background-image: url\("https:\/\/[^"\s]+"\)|background-position: -?\d+px -?\d+px|width: \d+px|height: \d+px)$/);
        }
      }
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

  it('unsafe URLs (every scheme trick) become text; nothing executable is created', () => {
    const line = renderLine(chatMessage({ parts: HOSTILE_PARTS }), ctx());
    assertInert(line);
    expect(line.querySelectorAll('a')).toHaveLength(0);
    expect(line.querySelectorAll('img')).toHaveLength(0);
    for (const url of BAD_URLS) expect(line.textContent).toContain(`link ${url}`);
    const image = line.querySelector<HTMLElement>('.sprite')!.style.getPropertyValue('background-image');
    expect(image).toMatch(/^url\("[^"]*"\)$/);
    expect(line.querySelectorAll('.sprite')).toHaveLength(1);
  });

  it('a hostile author colour never reaches the style', () => {
    const line = renderLine(chatMessage({ author: { name: 'x', displayName: 'x', roles: [], color: 'red;background:url(https://evil.test)' } }), ctx());
    expect(line.getAttribute('style') ?? '').not.toContain('evil');
  });

  it('1,000 emotes in one message render as 1,000 lazy images in a collapsed line', () => {
    const parts: MessagePart[] = Array.from({ length: 1000 }, (_, i) => ({ type: 'emote', name: `Kappa${i}`, url: 'https://static-cdn.jtvnw.net/emoticons/v2/25/default/dark/1.0' }));
    const line = renderLine(chatMessage({ parts }), ctx());
    const imgs = line.querySelectorAll('img.emote');
    expect(imgs).toHaveLength(1000);
    expect(imgs[999]!.getAttribute('loading')).toBe('lazy');
    expect(imgs[999]!.getAttribute('alt')).toBe('Kappa999');
    expect(line.classList.contains('collapsed')).toBe(true);
  });

  it('isolates bidi text: an override in a name cannot flip the separator or the message', () => {
    const line = renderLine(chatMessage({ user: '\u202Eevil', text: '\u202Egnp.exe' }), ctx());
    expect(line.querySelector('.author > bdi')!.textContent).toBe('\u202Eevil');
    expect(line.querySelector('.sep')!.closest('bdi')).toBeNull();
    expect(line.querySelector('.text > bdi')!.textContent).toBe('\u202Egnp.exe');
  });
});

describe('the whole view under a raid', () => {
  function raid(): ChatMessage[] {
    const hostileAuthor = { id: '"><img onerror=alert(1)>', name: '<svg onload=alert(1)>', displayName: '<img src=x onerror=alert(1)>\u202E', roles: ['moderator' as const], color: 'url(javascript:alert(1))' };
    return [
      ...HOSTILE_TEXT.map((text, i) => chatMessage({ id: `t${i}"]<x>`, text, author: hostileAuthor })),
      chatMessage({ id: 'parts', parts: HOSTILE_PARTS, author: hostileAuthor }),
      chatMessage({ id: 'emotes', parts: Array.from({ length: 1000 }, () => ({ type: 'emote', name: ':)', url: 'https://m.test/s.png', sprite: { x: 96, y: 0, width: 24, height: 24 } })) }),
      chatMessage({ id: 'ev', kind: 'event', eventType: '<script>alert(1)</script>', text: '<b>raid</b>', author: hostileAuthor }),
      chatMessage({ id: 'sys', kind: 'system', author: undefined, severity: 'bogus' as unknown as 'info', text: '<script>x</script>' }),
    ];
  }

  it('snapshot and live ops leave no script, frame, style, handler or bad URL anywhere, and the view still works', () => {
    const root = document.createElement('div');
    root.id = 'app';
    document.body.replaceChildren(root);
    const frames: Array<() => void> = [];
    const posted: unknown[] = [];
    const app = new ChatApp(root, { post: (m) => posted.push(m), getState: () => undefined, setState: () => {} }, (cb) => frames.push(cb));
    const settings = { showTimestamps: true, hideDeleted: false, fontSize: 13, scrollback: 1000, mentionNames: ['codercat', '<script>'] };
    app.receive({ type: 'snapshot', messages: raid(), platforms: [], settings, highlights: [{ id: 'h"1', file: '<img onerror=x>.ts', startLine: 1, endLine: 2, author: '<script>', comment: '\u202E<style>', platform: 'tau' }] });
    app.receive({ type: 'ops', ops: raid().map((m) => ({ op: 'append', message: { ...m, id: `live-${m.id}` } })) });
    frames.splice(0).forEach((f) => f());
    expect(document.querySelectorAll('#timeline .line')).toHaveLength(raid().length * 2);
    assertInert(root);
    expect(document.querySelectorAll('script, iframe, style, object, embed, svg, link, meta, base')).toHaveLength(0);
    // Still answering: a filter finds the line after the raid.
    app.receive({ type: 'ops', ops: [{ op: 'append', message: chatMessage({ id: 'after', text: 'still alive after the raid' }) }] });
    frames.splice(0).forEach((f) => f());
    const filter = document.querySelector<HTMLInputElement>('#filter')!;
    filter.value = 'alive';
    filter.dispatchEvent(new Event('input'));
    expect([...document.querySelectorAll<HTMLElement>('#timeline .line')].filter((l) => !l.hidden).map((l) => l.dataset.key)).toEqual(['glimesh:after']);
  });
});
