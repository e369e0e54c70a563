// @vitest-environment jsdom
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, TimelineOp } from '../../../src/core/message';
import { NO_CONTEXT } from '../../../webview/filter';
import { MentionMatcher } from '../../../webview/mentions';
import { TimelineStore, keyOf } from '../../../webview/store';
import {
  FOLLOWING_WINDOW_SCREENS,
  MAX_WINDOW_ELEMENTS,
  MAX_WINDOW_ROWS,
  TimelineView,
} from '../../../webview/timeline';
import { chatMessage } from './builders';
import { FakeLayout, fakeLayout } from './fakeLayout';

let layout: FakeLayout | undefined;
afterEach(() => {
  layout?.restore();
  layout = undefined;
  document.body.replaceChildren();
});

let n = 0;
const msg = (overrides: Parameters<typeof chatMessage>[0] = {}): ChatMessage => {
  n++;
  return chatMessage({ id: `t${n}`, text: `line number ${n}`, ...overrides });
};
const append = (...messages: ChatMessage[]): TimelineOp[] =>
  messages.map((message) => ({ op: 'append', message }));

function setup(scrollback = 1000, options: { viewport?: number } = {}) {
  const container = document.createElement('div');
  container.id = 'timeline';
  const button = document.createElement('button');
  button.hidden = true;
  document.body.append(container, button);
  const store = new TimelineStore(scrollback);
  const frames: Array<() => void> = [];
  const seen: Array<string | undefined> = [];
  const counts: Array<[number, number]> = [];
  const view = new TimelineView(
    container,
    button,
    store,
    {
      line: () => ({
        document,
        mentions: new MentionMatcher(['codercat']),
        readableColor: (c) => c,
      }),
      filter: () => ({ ...NO_CONTEXT, isFirst: (m) => store.isFirst(m) }),
    },
    (cb) => frames.push(cb),
    { onSeen: (k) => seen.push(k), onCounts: (a, b) => counts.push([a, b]) },
  );
  layout = fakeLayout(container, options);
  const fake = layout;
  /** One browser frame: the queued callbacks, with scroll anchoring around them. */
  const step = (times = 1) => {
    for (let i = 0; i < times; i++) fake.frame(() => frames.splice(0).forEach((f) => f()));
  };
  const keys = () =>
    [...container.querySelectorAll<HTMLElement>('#lines > .line')].map((l) => l.dataset.key!);
  const texts = () =>
    [...container.querySelectorAll<HTMLElement>('#lines > .line .text')].map((l) => l.textContent);
  return { container, button, store, view, frames, step, keys, texts, layout: fake, seen, counts };
}

describe('TimelineView: virtual window', () => {
  it('holds at most a window of rows and elements, at a scrollback of 100,000', () => {
    const t = setup(100_000);
    for (let batch = 0; batch < 10; batch++) {
      t.view.apply(append(...Array.from({ length: 10_000 }, () => msg())));
      t.step();
    }
    t.step(10);
    expect(t.store.size).toBe(100_000);
    expect(t.view.rowCount).toBe(100_000);
    expect(t.view.lineCount).toBeLessThanOrEqual(MAX_WINDOW_ROWS);
    expect(t.container.querySelectorAll('*').length).toBeLessThanOrEqual(2500);
    // Following: the newest line is built, last, and at the bottom.
    expect(t.keys().at(-1)).toBe(keyOf({ platform: 'glimesh', id: `t${n}` }));
    expect(t.container.scrollTop).toBe(t.layout.maxScroll());
    // Anywhere the user scrolls, the bound holds and what is on screen is built.
    for (const fraction of [0, 0.5, 0.999]) {
      t.layout.scrollTo(Math.floor(t.layout.maxScroll() * fraction));
      t.step(4);
      expect(t.view.lineCount).toBeLessThanOrEqual(MAX_WINDOW_ROWS);
      expect(t.container.querySelectorAll('*').length).toBeLessThanOrEqual(2500);
      expect(t.layout.topLine()?.offset ?? 1).toBeLessThanOrEqual(0);
    }
  }, 60_000);

  it('under a burst while following builds only what fits on screen', () => {
    const t = setup(10_000);
    t.view.apply(append(msg()));
    t.step();
    const before = t.view.renderedCount;
    t.view.apply(append(...Array.from({ length: 5000 }, () => msg())));
    t.step();
    const screen = Math.ceil(t.layout.viewport / 16) + 1;
    expect(t.view.renderedCount - before).toBeLessThanOrEqual(screen);
    expect(t.keys().at(-1)).toBe(`glimesh:t${n}`);
    // Later frames (no burst) fill the window upward, a little at a time.
    t.step();
    expect(t.view.renderedCount - before).toBeLessThanOrEqual(screen + 25);
    t.step(20);
    expect(t.view.lineCount).toBe(FOLLOWING_WINDOW_SCREENS * screen);
  });

  it('following holds a few screens; scrolling up grows the window to its full size around the reader', () => {
    const t = setup(10_000);
    t.view.apply(append(...Array.from({ length: 5000 }, () => msg())));
    t.step(20);
    const screen = Math.ceil(t.layout.viewport / 16) + 1;
    expect(FOLLOWING_WINDOW_SCREENS * screen).toBeLessThan(MAX_WINDOW_ROWS);
    expect(t.view.lineCount).toBe(FOLLOWING_WINDOW_SCREENS * screen);
    // More chat while following: the window slides and stays that size.
    for (let i = 0; i < 30; i++) {
      t.view.apply(append(msg()));
      t.step();
    }
    expect(t.view.lineCount).toBe(FOLLOWING_WINDOW_SCREENS * screen);
    expect(t.keys().at(-1)).toBe(`glimesh:t${n}`);
    // Up by a screen: what the reader sees was already built, and older rows are built above.
    t.layout.scrollTo(t.container.scrollTop - t.layout.viewport);
    const before = t.layout.topLine()!;
    t.step();
    expect(t.view.following).toBe(false);
    expect(t.layout.topLine()!.node).toBe(before.node);
    t.step(20);
    expect(t.view.lineCount).toBe(MAX_WINDOW_ROWS);
    expect(t.layout.topLine()!.node).toBe(before.node);
  });

  it('keeps the DOM within the element budget when lines are emote walls', () => {
    const t = setup(1000);
    const wall = () =>
      msg({
        parts: Array.from({ length: 30 }, (_, i) => ({
          type: 'emote' as const,
          name: `E${n}-${i}`,
          url: 'https://x.test/e.png',
        })),
      });
    t.view.apply(append(...Array.from({ length: 100 }, wall)));
    t.step(12);
    expect(t.view.elementCount).toBeLessThanOrEqual(MAX_WINDOW_ELEMENTS);
    expect(t.keys().at(-1)).toBe(`glimesh:t${n}`);
  });

  it('scrolling up to the top of 10,000 lines builds the oldest ones', () => {
    const t = setup(10_000);
    const first = msg();
    t.view.apply(append(first, ...Array.from({ length: 9999 }, () => msg())));
    t.step(10);
    t.layout.scrollTo(0);
    t.step(3);
    expect(t.view.following).toBe(false);
    expect(t.keys()[0]).toBe(keyOf(first));
    expect(t.layout.topLine()!.node.dataset.key).toBe(keyOf(first));
    // And the way back down follows again.
    t.layout.scrollTo(1e9);
    t.step(3);
    t.layout.scrollTo(1e9);
    t.step(3);
    expect(t.view.following).toBe(true);
    expect(t.keys().at(-1)).toBe(`glimesh:t${n}`);
  });

  it('scrolling up a little at a time keeps the line at the top in place while older ones are built above', () => {
    const t = setup(5000);
    t.view.apply(append(...Array.from({ length: 5000 }, () => msg())));
    t.step(20);
    for (let i = 0; i < 40; i++) {
      t.layout.scrollTo(t.container.scrollTop - 150);
      const before = t.layout.topLine()!;
      t.step();
      const after = t.layout.topLine()!;
      expect(after.node).toBe(before.node);
      expect(after.offset).toBe(before.offset);
    }
    expect(t.view.following).toBe(false);
  });
});

describe('TimelineView: paused reading', () => {
  it('never trims or moves the line being read during a fast burst, and catches up at the bottom', () => {
    const t = setup(300);
    t.view.apply(append(...Array.from({ length: 300 }, () => msg())));
    t.step(20);
    t.layout.scrollTo(t.layout.maxScroll() - 2000);
    t.step(2);
    const reading = t.layout.topLine()!;
    for (let burst = 0; burst < 20; burst++) {
      t.view.apply(append(...Array.from({ length: 500 }, () => msg())));
      t.step();
      const now = t.layout.topLine()!;
      expect(now.node).toBe(reading.node);
      expect(now.offset).toBe(reading.offset);
      expect(reading.node.isConnected).toBe(true);
    }
    expect(t.view.held).toBe(true);
    expect(t.view.unseen).toBe(10_000);
    expect(t.button.hidden).toBe(false);
    expect(t.button.textContent).toContain('10,000 new messages');
    // The store stayed bounded meanwhile.
    expect(t.store.size).toBe(300);
    t.button.click();
    t.step(12);
    expect(t.view.following).toBe(true);
    expect(t.view.held).toBe(false);
    expect(t.keys().at(-1)).toBe(`glimesh:t${n}`);
    expect(t.container.scrollTop).toBe(t.layout.maxScroll());
  });

  it('counts new lines on the button and stops announcing while paused', () => {
    const t = setup();
    t.view.apply(append(...Array.from({ length: 100 }, () => msg())));
    t.step(10);
    expect(t.container.getAttribute('aria-live')).toBe('polite');
    t.layout.scrollTo(100);
    t.step();
    expect(t.container.getAttribute('aria-live')).toBe('off');
    t.view.apply(append(msg(), msg(), msg()));
    t.step();
    expect(t.view.unseen).toBe(3);
    expect(t.button.textContent).toContain('3 new messages');
    expect(t.container.scrollTop).toBe(100);
  });

  it('puts an unread divider on the first line that arrived after the user looked away, and keeps it when they come back', () => {
    const t = setup();
    t.view.apply(append(...Array.from({ length: 40 }, () => msg())));
    t.step(3);
    t.view.setVisible(false);
    const firstUnseen = msg();
    t.view.apply(append(firstUnseen, msg()));
    t.step();
    t.view.setVisible(true);
    t.step(2);
    const unread = () =>
      [...t.container.querySelectorAll<HTMLElement>('.line.unread')].map((l) => l.dataset.key);
    expect(unread()).toEqual([keyOf(firstUnseen)]);
    // Following again while visible: new lines do not move it.
    t.view.apply(append(msg()));
    t.step();
    expect(unread()).toEqual([keyOf(firstUnseen)]);
    // Scrolling away and back moves it to where they left off this time.
    t.layout.scrollTo(0);
    t.step();
    const next = msg();
    t.view.apply(append(next, msg()));
    t.step();
    expect(unread()).toEqual([keyOf(next)]);
  });

  it('selecting text pauses following; clearing the selection follows again', () => {
    const t = setup();
    t.view.apply(append(...Array.from({ length: 50 }, () => msg())));
    t.step(5);
    const text = t.container.querySelector('#lines > .line .text')!.firstChild!;
    const selection = document.getSelection()!;
    selection.setBaseAndExtent(text, 0, text, 4);
    document.dispatchEvent(new Event('selectionchange'));
    expect(t.view.following).toBe(false);
    expect(t.button.textContent).toContain('Paused while selecting');
    const node = t.container.querySelector('#lines > .line')!;
    t.view.apply(append(msg(), msg()));
    t.step();
    expect(node.isConnected).toBe(true);
    selection.removeAllRanges();
    document.dispatchEvent(new Event('selectionchange'));
    t.step(2);
    expect(t.view.following).toBe(true);
  });
});

describe('TimelineView: rows', () => {
  it('collapses runs of identical lines into one with ×N, and counts them for the filter', () => {
    const t = setup();
    t.view.apply(
      append(
        msg({ text: 'first!' }),
        ...Array.from({ length: 5 }, (_, i) => msg({ user: `u${i}`, text: 'COPY  pasta' })),
        msg({ text: 'copy pasta' }),
        msg({ text: 'something else' }),
      ),
    );
    t.step(3);
    expect(t.texts()).toEqual(['first!', 'COPY  pasta', 'something else']);
    const repeat = t.container.querySelector<HTMLElement>('.line[data-repeat]')!;
    expect(repeat.dataset.repeat).toBe('6');
    expect(repeat.querySelector('.repeat')!.textContent).toBe('×6');
    // Another one updates the count of the newest run; a different line starts a new row.
    t.view.apply(append(msg({ text: 'something else' })));
    t.step();
    expect(
      t.container.querySelector<HTMLElement>('#lines > .line:last-child')!.dataset.repeat,
    ).toBe('2');
    expect(t.view.rowCount).toBe(3);
    expect(t.counts.at(-1)).toEqual([9, 9]);
  });

  it('a deleted line stays struck through; a run is struck through when all of it is deleted', () => {
    const t = setup();
    const spam = Array.from({ length: 3 }, () => msg({ platform: 'mixer', text: 'buy followers' }));
    const single = msg({ platform: 'mixer', text: 'a real question' });
    t.view.apply(append(...spam, single));
    t.step(2);
    t.view.apply([{ op: 'delete', platform: 'mixer', ids: [single.id, spam[0]!.id] }]);
    t.step();
    const [run, one] = [...t.container.querySelectorAll<HTMLElement>('#lines > .line')];
    expect(one!.dataset.deleted).toBe('true');
    expect(run!.dataset.deleted).toBeUndefined();
    t.view.apply([{ op: 'delete', platform: 'mixer', ids: [spam[1]!.id, spam[2]!.id] }]);
    t.step();
    expect(run!.dataset.deleted).toBe('true');
  });

  it('filters build only matching lines, report the count, and clearing brings everything back', () => {
    const t = setup();
    t.view.apply(
      append(
        msg({ user: 'bot', text: 'follow me' }),
        msg({ user: 'ann', text: 'hello' }),
        msg({ user: 'bot', text: 'follow me again' }),
        msg({ user: 'bob', text: 'hi' }),
      ),
    );
    t.step(2);
    t.view.setFilter('-from:bot');
    expect(t.texts()).toEqual(['hello', 'hi']);
    expect(t.counts.at(-1)).toEqual([2, 4]);
    t.view.setFilter('"follow me"');
    expect(t.texts()).toEqual(['follow me', 'follow me again']);
    t.view.setFilter('is:first');
    expect(t.texts()).toEqual(['follow me', 'hello', 'hi']);
    t.view.setFilter('');
    expect(t.texts()).toHaveLength(4);
  });

  it('a platform clear removes its chat and keeps the rest', () => {
    const t = setup();
    t.view.apply(
      append(
        msg({ platform: 'mixer' }),
        msg({ platform: 'glimesh', text: 'stays' }),
        msg({ platform: 'mixer' }),
      ),
    );
    t.step(2);
    t.view.apply([{ op: 'clear', platform: 'mixer' }]);
    t.step(2);
    expect(t.texts()).toEqual(['stays']);
  });
});

describe('TimelineView: keyboard', () => {
  it('Up and Down move focus between lines (one in the tab order), Home builds and focuses the oldest', () => {
    const t = setup(5000);
    const first = msg();
    t.view.apply(append(first, ...Array.from({ length: 2999 }, () => msg())));
    t.step(12);
    t.container.focus();
    const key = (k: string) =>
      t.container.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
    key('ArrowUp');
    expect((document.activeElement as HTMLElement).dataset.key).toBe(`glimesh:t${n}`);
    key('ArrowUp');
    expect((document.activeElement as HTMLElement).dataset.key).toBe(`glimesh:t${n - 1}`);
    expect(t.container.querySelectorAll('.line[tabindex="0"]')).toHaveLength(1);
    key('ArrowDown');
    expect((document.activeElement as HTMLElement).dataset.key).toBe(`glimesh:t${n}`);
    key('Home');
    expect((document.activeElement as HTMLElement).dataset.key).toBe(keyOf(first));
    t.step(3);
    expect(t.keys()).toContain(keyOf(first));
    key('ArrowDown');
    expect((document.activeElement as HTMLElement).dataset.key).toBe(`glimesh:t${n - 2998}`);
  });
});

describe('TimelineView: invariants (property)', () => {
  type Action =
    | { kind: 'append'; count: number; spam: boolean }
    | { kind: 'scroll'; to: number }
    | { kind: 'frames'; count: number }
    | { kind: 'delete'; back: number }
    | { kind: 'filter'; text: string }
    | { kind: 'jump' };
  const action: fc.Arbitrary<Action> = fc.oneof(
    fc.record({
      kind: fc.constant('append' as const),
      count: fc.integer({ min: 1, max: 400 }),
      spam: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('scroll' as const),
      to: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    fc.record({ kind: fc.constant('frames' as const), count: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ kind: fc.constant('delete' as const), back: fc.integer({ min: 0, max: 50 }) }),
    fc.record({
      kind: fc.constant('filter' as const),
      text: fc.constantFrom('', 'from:ann', '-from:ann', 'number 1', 'is:first'),
    }),
    fc.record({ kind: fc.constant('jump' as const) }),
  );

  it('the DOM is a contiguous run of rows in arrival order, within the bounds; the bottom is followed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 3000 }),
        fc.array(action, { minLength: 1, maxLength: 25 }),
        (scrollback, actions) => {
          const t = setup(scrollback);
          const all: ChatMessage[] = [];
          for (const a of actions) {
            if (a.kind === 'append') {
              const batch = Array.from({ length: a.count }, (_, i) =>
                msg(a.spam ? { text: 'spam spam' } : { user: i % 3 === 0 ? 'ann' : 'bob' }),
              );
              all.push(...batch);
              t.view.apply(append(...batch));
            } else if (a.kind === 'scroll') t.layout.scrollTo(t.layout.maxScroll() * a.to);
            else if (a.kind === 'frames') t.step(a.count);
            else if (a.kind === 'delete' && all.length > a.back)
              t.view.apply([
                { op: 'delete', platform: 'glimesh', ids: [all[all.length - 1 - a.back]!.id] },
              ]);
            else if (a.kind === 'filter') t.view.setFilter(a.text);
            else if (a.kind === 'jump') t.view.jumpToBottom();
            t.step();
            expect(t.view.lineCount).toBeLessThanOrEqual(MAX_WINDOW_ROWS);
            expect(t.store.size).toBeLessThanOrEqual(scrollback);
            const keys = t.keys();
            expect(new Set(keys).size).toBe(keys.length);
            // In arrival order.
            const order = new Map(all.map((m, i) => [keyOf(m), i]));
            for (let i = 1; i < keys.length; i++)
              expect(order.get(keys[i]!)!).toBeGreaterThan(order.get(keys[i - 1]!)!);
            for (const s of t.container.querySelectorAll<HTMLElement>('.spacer'))
              expect(parseFloat(s.style.height || '0')).toBeGreaterThanOrEqual(0);
          }
          t.view.jumpToBottom();
          t.step(12);
          const lastKey = t.store.messages().at(-1);
          const keys = t.keys();
          if (lastKey && keys.length > 0) {
            // The newest matching line is the last one built, and it is in view.
            expect(t.view.following).toBe(true);
            expect(t.container.scrollTop).toBe(t.layout.maxScroll());
          }
          t.layout.restore();
          document.body.replaceChildren();
        },
      ),
      { numRuns: 40 },
    );
  });
});
