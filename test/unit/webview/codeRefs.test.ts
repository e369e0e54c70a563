// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../src/core/message';
import type { CodeRefAnnotation, HostToWebview } from '../../../src/protocol/messages';
import { mountChatApp } from './mount';
import { CodeRefRegistry } from '../../../webview/render/codeRefs';
import { chatMessage } from './builders';

const settings = {
  showTimestamps: true,
  hideDeleted: false,
  fontSize: 13,
  scrollback: 50,
  mentionNames: [],
};

function setup(messages: ChatMessage[]) {
  const { app, posted, frames } = mountChatApp({ frames: 'queued' });
  const receive = (m: HostToWebview) => app.receive(m);
  receive({ type: 'snapshot', messages, platforms: [], settings, highlights: [] });
  return { app, posted, receive, flush: () => frames.splice(0).forEach((f) => f()) };
}

const line = (id: string) =>
  document.querySelector<HTMLElement>(`#timeline .line[data-key="glimesh:${id}"]`)!;
const annotation = (messageId: string, refs: CodeRefAnnotation['refs']): CodeRefAnnotation => ({
  platform: 'glimesh',
  messageId,
  refs,
});

describe('code references in the view', () => {
  beforeEach(() => document.body.replaceChildren());

  it('an annotation after the line turns exactly the referenced characters into links; the text reads the same', () => {
    const text = 'see app.ts:3 and src/config.ts#L1-L2 ok';
    const { posted, receive } = setup([chatMessage({ id: 'a', text })]);
    receive({
      type: 'codeRefs',
      annotations: [
        annotation('a', [
          { start: 4, end: 12, id: 'r1', label: 'src/app.ts:3', preview: '2  x\n3  y\n4  z' },
          { start: 17, end: 36, id: 'r2', label: 'src/config.ts:1-2' },
        ]),
      ],
    });
    const links = [...line('a').querySelectorAll<HTMLAnchorElement>('a.code-ref')];
    expect(links.map((a) => a.textContent)).toEqual(['app.ts:3', 'src/config.ts#L1-L2']);
    expect(line('a').querySelector('.text')!.textContent).toBe(text);
    expect(links[0]!.title).toBe('src/app.ts:3\n2  x\n3  y\n4  z');
    expect(links[0]!.getAttribute('href')).toBe('#');
    links[1]!.click();
    expect(posted.at(-1)).toEqual({ type: 'openCodeRef', id: 'r2' });
  });

  it('an annotation that arrives before its line is used when the line renders', () => {
    const { receive, flush } = setup([]);
    receive({
      type: 'codeRefs',
      annotations: [annotation('b', [{ start: 0, end: 8, id: 'r3', label: 'src/app.ts:2' }])],
    });
    receive({
      type: 'ops',
      ops: [{ op: 'append', message: chatMessage({ id: 'b', text: 'app.ts:2 is odd' }) }],
    });
    flush();
    expect(line('b').querySelector('a.code-ref')?.textContent).toBe('app.ts:2');
  });

  it('references across parts: only inside text parts; a repository link part becomes a code link', () => {
    const url = 'https://github.com/o/r/blob/main/src/app.ts#L2';
    const message = chatMessage({
      id: 'c',
      parts: [
        { type: 'emote', name: 'Kappa', url: 'https://e.example/k.png' },
        { type: 'text', text: ' app.ts:1 ' },
        { type: 'link', text: url, url },
      ],
    });
    const { receive } = setup([message]);
    receive({
      type: 'codeRefs',
      annotations: [
        annotation('c', [
          { start: 3, end: 6, id: 'bad', label: 'spans the emote' },
          { start: 6, end: 14, id: 'r4', label: 'src/app.ts:1' },
          { start: 15, end: 15 + url.length, id: 'r5', label: 'src/app.ts:2' },
        ]),
      ],
    });
    const links = [...line('c').querySelectorAll<HTMLAnchorElement>('a')];
    expect(links.map((a) => [a.className, a.textContent])).toEqual([
      ['link code-ref', 'app.ts:1'],
      ['link code-ref', url],
    ]);
    expect(line('c').querySelector('img.emote')).not.toBeNull();
  });

  it('twenty references on one line all become links', () => {
    const text = Array.from({ length: 20 }, (_, i) => `f${i}.ts:${i + 1}`).join(' ');
    const refs = [...text.matchAll(/\S+/g)].map((m, i) => ({
      start: m.index,
      end: m.index + m[0].length,
      id: `r${i}`,
      label: m[0],
    }));
    const { receive } = setup([chatMessage({ id: 'd', text })]);
    receive({ type: 'codeRefs', annotations: [annotation('d', refs)] });
    expect(line('d').querySelectorAll('a.code-ref')).toHaveLength(20);
    expect(line('d').querySelector('.text')!.textContent).toBe(text);
  });

  it('the registry drops what is malformed, overlapping or hostile', () => {
    const registry = new CodeRefRegistry();
    const bad = [
      { start: -1, end: 3, id: 'a', label: 'x' },
      { start: 3, end: 3, id: 'b', label: 'x' },
      { start: 0, end: 4, id: 'c"><img src=x>', label: 'x' },
      { start: 0, end: 4, id: 'd', label: 7 },
      { start: 1.5, end: 4, id: 'e', label: 'x' },
      null,
    ] as unknown as CodeRefAnnotation['refs'];
    expect(registry.set(annotation('x', bad))).toBeUndefined();
    expect(
      registry.set({
        platform: 'glimesh',
        messageId: 'y',
        refs: 'nope',
      } as unknown as CodeRefAnnotation),
    ).toBeUndefined();
    registry.set(
      annotation('z', [
        { start: 0, end: 5, id: 'ok', label: 'a' },
        { start: 3, end: 8, id: 'overlaps', label: 'b' },
        { start: 8, end: 9, id: 'ok2', label: 'c' },
      ]),
    );
    expect(registry.get('glimesh:z')!.map((r) => r.id)).toEqual(['ok', 'ok2']);
  });
});
