// @vitest-environment jsdom
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformStatus } from '../../../src/core/chatHub';
import type { TimelineOp } from '../../../src/core/message';
import type { ViewSettings } from '../../../src/protocol/messages';
import { ChatApp } from '../../../webview/app';
import { appends, chatMessage } from './builders';
import { FakeLayout, installFakeLayout, userScroll } from './fakeLayout';

const platforms: PlatformStatus[] = [{ platform: 'glimesh', enabled: true, state: { kind: 'connected', readOnly: false }, send: { canSend: true, maxLength: 255 } }];

let layout: FakeLayout | undefined;
afterEach(() => {
  layout?.restore();
  layout = undefined;
  document.body.replaceChildren();
});

function setup(settings: Partial<ViewSettings> = {}) {
  document.body.replaceChildren();
  const root = document.createElement('div');
  root.id = 'app';
  document.body.append(root);
  const frames: Array<() => void> = [];
  const app = new ChatApp(root, { post: () => {}, getState: () => undefined, setState: () => {} }, (cb) => frames.push(cb));
  const timeline = document.querySelector<HTMLElement>('#timeline')!;
  layout = installFakeLayout(timeline);
  app.receive({ type: 'snapshot', messages: [], platforms, settings: { showTimestamps: true, hideDeleted: false, fontSize: 13, scrollback: 50, mentionNames: [], ...settings }, highlights: [] });
  const ops = (list: TimelineOp[]) => app.receive({ type: 'ops', ops: list });
  const flush = () => frames.splice(0).forEach((f) => f());
  const keys = () => [...document.querySelectorAll<HTMLElement>('#timeline .line')].map((l) => l.dataset.key!);
  const button = document.querySelector<HTMLElement>('#new-messages')!;
  /** Where a line sits in the viewport (px from its top). */
  const viewportTop = (key: string) => document.querySelector<HTMLElement>(`.line[data-key="${key}"]`)!.offsetTop - timeline.scrollTop;
  return { app, timeline, frames, ops, flush, keys, button, viewportTop };
}

const atBottom = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight;

describe('timeline writes', () => {
  it('writes the DOM once per frame, however many ops arrive', () => {
    const { ops, frames, flush, keys } = setup();
    for (let i = 0; i < 40; i++) ops(appends(1, `b${i}-`));
    expect(frames).toHaveLength(1);
    expect(keys()).toHaveLength(0);
    flush();
    expect(keys()).toHaveLength(40);
  });

  it('a burst far larger than the scrollback builds only the lines that will be shown, and queues no more', () => {
    const { app, ops, flush, keys } = setup({ scrollback: 50 });
    const before = app.timeline.renderedCount;
    for (let batch = 0; batch < 20; batch++) ops(appends(1000, `burst${batch}-`));
    expect(app.timeline.pendingCount).toBeLessThanOrEqual(50);
    flush();
    expect(app.timeline.renderedCount - before).toBe(50);
    expect(keys()).toHaveLength(50);
    expect(keys().at(-1)).toBe('glimesh:burst19-999');
  });

  it('follows new lines while at the bottom', () => {
    const { timeline, ops, flush, button } = setup();
    ops(appends(30));
    flush();
    expect(atBottom(timeline)).toBe(0);
    expect(button.hidden).toBe(true);
  });
});

describe('paused timeline', () => {
  it('new lines below do not move the reader, and are counted', () => {
    const { timeline, ops, flush, button, viewportTop } = setup();
    ops(appends(30));
    flush();
    userScroll(timeline, 100);
    expect(button.hidden).toBe(false);
    ops(appends(5, 'late'));
    flush();
    expect(timeline.scrollTop).toBe(100);
    expect(viewportTop('glimesh:m5')).toBe(0);
    expect(button.textContent).toContain('5 new messages');
    expect(button.dataset.unseen).toBe('5');
  });

  it('at the scrollback, trims only lines above the reader and keeps the reader where it was', () => {
    const { timeline, ops, flush, keys, viewportTop } = setup({ scrollback: 50 });
    ops(appends(50));
    flush();
    userScroll(timeline, 20 * 20 + 7); // reading m20, 7 px of it scrolled out
    const before = viewportTop('glimesh:m20');
    ops(appends(10, 'late'));
    flush();
    expect(keys()).toHaveLength(50);
    expect(keys()[0]).toBe('glimesh:m10');
    expect(viewportTop('glimesh:m20')).toBe(before);
  });

  it('when trimming would reach the reader, holds new lines instead; jumping back catches up', () => {
    const { app, timeline, ops, flush, keys, button, viewportTop } = setup({ scrollback: 50 });
    ops(appends(50));
    flush();
    userScroll(timeline, 20 * 20);
    ops(appends(30, 'late'));
    flush();
    expect(keys()).toHaveLength(50);
    expect(keys()[0]).toBe('glimesh:m20');
    expect(viewportTop('glimesh:m20')).toBe(0);
    expect(app.timeline.behind).toBe(true);
    expect(button.dataset.unseen).toBe('30');
    ops(appends(5, 'later'));
    flush();
    expect(keys().at(-1)).toBe('glimesh:late19'); // still held: the DOM stays contiguous
    expect(button.dataset.unseen).toBe('35');

    button.click();
    expect(keys()).toEqual(app.store.messages().map((m) => `glimesh:${m.id}`));
    expect(keys().at(-1)).toBe('glimesh:later4');
    expect(atBottom(timeline)).toBe(0);
    expect(button.hidden).toBe(true);
  });

  it('scrolling back to the bottom by hand also catches up and follows', () => {
    const { app, timeline, ops, flush, keys } = setup({ scrollback: 50 });
    ops(appends(50));
    flush();
    userScroll(timeline, 0);
    ops(appends(10, 'late'));
    flush();
    expect(app.timeline.behind).toBe(true);
    userScroll(timeline, timeline.scrollHeight);
    flush();
    expect(app.timeline.following).toBe(true);
    expect(keys().at(-1)).toBe('glimesh:late9');
    expect(keys()).toHaveLength(50);
  });

  it('deleted lines hidden above the reader do not move it', () => {
    const { timeline, ops, flush, viewportTop } = setup({ hideDeleted: true });
    ops(appends(40));
    flush();
    userScroll(timeline, 20 * 20);
    ops([{ op: 'delete', platform: 'glimesh', ids: ['m1', 'm2', 'm3'] }]);
    flush();
    expect(viewportTop('glimesh:m20')).toBe(0);
    expect(timeline.scrollTop).toBe(17 * 20);
  });

  it('filtering while paused keeps the line being read in place', () => {
    const { timeline, ops, flush, viewportTop } = setup();
    ops([...appends(20, 'a', { user: 'ann' }), ...appends(20, 'b', { user: 'bob' })]);
    flush();
    userScroll(timeline, 25 * 20); // reading b5
    const filter = document.querySelector<HTMLInputElement>('#filter')!;
    filter.value = 'from:bob';
    filter.dispatchEvent(new Event('input'));
    expect(viewportTop('glimesh:b5')).toBe(0);
    expect(document.querySelector('#filter-count')!.textContent).toBe('20 of 40');
  });

  it('selecting text pauses following; clearing the selection resumes at the bottom', () => {
    const { timeline, ops, flush, button } = setup();
    ops(appends(30));
    flush();
    const selection = document.getSelection()!;
    selection.selectAllChildren(document.querySelector('.line[data-key="glimesh:m28"] .text')!);
    document.dispatchEvent(new Event('selectionchange'));
    const top = timeline.scrollTop;
    ops(appends(3, 'late'));
    flush();
    expect(timeline.scrollTop).toBe(top);
    expect(button.hidden).toBe(false);
    expect(button.textContent).toContain('3 new messages');
    selection.removeAllRanges();
    document.dispatchEvent(new Event('selectionchange'));
    flush();
    expect(button.hidden).toBe(true);
    expect(atBottom(timeline)).toBe(0);
  });
});

describe('moderation in the DOM', () => {
  it('strikes through deletions and purges, and clear removes one platform’s chat only', () => {
    const { ops, flush, keys } = setup();
    ops([
      { op: 'append', message: chatMessage({ id: 'a', user: 'troll', platform: 'mixer' }) },
      { op: 'append', message: chatMessage({ id: 'b', user: 'troll', platform: 'mixer' }) },
      { op: 'append', message: chatMessage({ id: 'c', user: 'troll', platform: 'tau' }) },
      { op: 'append', message: chatMessage({ id: 'd', user: 'friend', platform: 'mixer' }) },
      { op: 'append', message: chatMessage({ id: 'e', kind: 'event', eventType: 'UserFollow', user: 'fan', platform: 'mixer' }) },
    ]);
    flush();
    ops([{ op: 'purgeUser', platform: 'mixer', userId: 'u-troll' }]);
    flush();
    const deleted = () => [...document.querySelectorAll<HTMLElement>('.line[data-deleted="true"]')].map((l) => l.dataset.key);
    expect(deleted()).toEqual(['mixer:a', 'mixer:b']);
    ops([{ op: 'clear', platform: 'mixer' }]);
    flush();
    expect(keys()).toEqual(['tau:c', 'mixer:e']);
  });

  it('an append and its deletion in the same frame render deleted', () => {
    const { ops, flush } = setup();
    ops([{ op: 'append', message: chatMessage({ id: 'x' }) }, { op: 'delete', platform: 'glimesh', ids: ['x'] }]);
    flush();
    expect(document.querySelector<HTMLElement>('.line[data-key="glimesh:x"]')!.dataset.deleted).toBe('true');
  });
});

describe('invariants under random chat (property)', () => {
  type Step =
    | { kind: 'append'; count: number; platform: 'glimesh' | 'mixer' | 'tau'; user: number }
    | { kind: 'delete'; back: number }
    | { kind: 'purge'; user: number }
    | { kind: 'clear'; platform: 'glimesh' | 'mixer' | 'tau' }
    | { kind: 'scroll'; to: number }
    | { kind: 'bottom' }
    | { kind: 'flush' };
  const platform = fc.constantFrom('glimesh' as const, 'mixer' as const, 'tau' as const);
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 40 }), platform, user: fc.integer({ min: 0, max: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), back: fc.integer({ min: 0, max: 60 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('purge' as const), user: fc.integer({ min: 0, max: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const), platform }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('scroll' as const), to: fc.integer({ min: 0, max: 2000 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('bottom' as const) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('flush' as const) }) },
  );

  it('the DOM never exceeds the scrollback, stays in arrival order, and equals the store when following', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const { app, timeline, ops, flush, keys, button } = setup({ scrollback: 30 });
        let next = 0;
        const order = new Map<string, number>();
        for (const s of steps) {
          switch (s.kind) {
            case 'append': {
              const list: TimelineOp[] = [];
              for (let i = 0; i < s.count; i++) {
                const id = `r${next}`;
                order.set(`${s.platform}:${id}`, next++);
                list.push({ op: 'append', message: chatMessage({ id, platform: s.platform, user: `u${s.user}` }) });
              }
              ops(list);
              break;
            }
            case 'delete':
              ops([{ op: 'delete', platform: 'glimesh', ids: [`r${Math.max(0, next - 1 - s.back)}`] }]);
              break;
            case 'purge':
              ops([{ op: 'purgeUser', platform: 'mixer', userId: `u-u${s.user}` }]);
              break;
            case 'clear':
              ops([{ op: 'clear', platform: s.platform }]);
              break;
            case 'scroll':
              userScroll(timeline, s.to);
              break;
            case 'bottom':
              userScroll(timeline, timeline.scrollHeight);
              break;
            case 'flush':
              flush();
              break;
          }
          const shown = keys();
          expect(shown.length).toBeLessThanOrEqual(30);
          const positions = shown.map((k) => order.get(k)!);
          expect(positions).toEqual([...positions].sort((a, b) => a - b));
          expect(new Set(shown).size).toBe(shown.length);
        }
        flush();
        if (app.timeline.following) {
          expect(keys()).toEqual(app.store.messages().map((m) => `${m.platform}:${m.id}`));
          expect(button.hidden).toBe(true);
        } else {
          expect(button.hidden).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });
});
