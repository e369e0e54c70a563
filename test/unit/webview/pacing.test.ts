// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, TimelineOp } from '../../../src/core/message';
import { NO_CONTEXT } from '../../../webview/filter';
import { MentionMatcher } from '../../../webview/mentions';
import {
  BURST_FRAME_MS,
  BURST_LINES_PER_SECOND,
  BurstMeter,
  RATE_WINDOW_MS,
} from '../../../src/core/burstMeter';
import { TimelineStore } from '../../../webview/store';
import { FOLLOWING_WINDOW_SCREENS, TimelineView } from '../../../webview/timeline';
import { chatMessage } from './builders';
import { FakeLayout, fakeLayout } from './fakeLayout';

let layout: FakeLayout | undefined;
afterEach(() => {
  layout?.restore();
  layout = undefined;
  document.body.replaceChildren();
});

describe('BurstMeter', () => {
  it('lets every repaint take the next frame below the burst rate', () => {
    const meter = new BurstMeter();
    const perWindow = Math.floor((BURST_LINES_PER_SECOND * RATE_WINDOW_MS) / 1000) - 1;
    meter.note(perWindow, 0);
    expect(meter.wait(10, 5)).toBe(0);
  });

  it('spaces repaints by the burst frame while chat is faster, and forgets the burst after the window', () => {
    const meter = new BurstMeter();
    for (let t = 0; t < 200; t += 10) meter.note(5, t); // 500 lines a second
    expect(meter.rate(200)).toBeGreaterThanOrEqual(BURST_LINES_PER_SECOND);
    expect(meter.wait(200, 190)).toBe(BURST_FRAME_MS - 10);
    expect(meter.wait(300, 190)).toBe(0);
    // Quiet for a whole window: no longer a burst.
    expect(meter.wait(200 + RATE_WINDOW_MS, 200 + RATE_WINDOW_MS - 1)).toBe(0);
  });
});

describe('TimelineView: burst pacing', () => {
  let n = 0;
  const append = (count: number): TimelineOp[] =>
    Array.from({ length: count }, (): TimelineOp => {
      n++;
      const message: ChatMessage = chatMessage({ id: `p${n}`, text: `line ${n}` });
      return { op: 'append', message };
    });

  function setup() {
    const container = document.createElement('div');
    container.id = 'timeline';
    const button = document.createElement('button');
    document.body.append(container, button);
    const store = new TimelineStore(1000);
    const frames: Array<() => void> = [];
    const timers: Array<{ at: number; run: () => void }> = [];
    const clock = { now: 0 };
    const view = new TimelineView(
      container,
      button,
      store,
      {
        line: () => ({ document, mentions: new MentionMatcher([]), readableColor: (c) => c }),
        filter: () => ({ ...NO_CONTEXT, isFirst: (m) => store.isFirst(m) }),
      },
      (cb) => frames.push(cb),
      { onSeen: () => {} },
      {
        now: () => clock.now,
        setTimeout: (run, ms) => {
          const timer = { at: clock.now + ms, run };
          timers.push(timer);
          return { dispose: () => timers.splice(timers.indexOf(timer), 1) };
        },
      },
    );
    layout = fakeLayout(container);
    const fake = layout;
    const step = () => fake.frame(() => frames.splice(0).forEach((f) => f()));
    /** Moves the clock on, firing the timers that come due. */
    const advance = (ms: number) => {
      clock.now += ms;
      for (const timer of timers.filter((t) => t.at <= clock.now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.run();
      }
    };
    return { view, frames, timers, step, advance, container, layout: fake };
  }

  it('repaints slow chat on the next frame, every time', () => {
    const t = setup();
    for (let i = 0; i < 10; i++) {
      t.view.apply(append(1));
      expect(t.frames).toHaveLength(1);
      t.step();
      t.advance(100);
    }
    expect(t.timers).toHaveLength(0);
    expect(t.view.lineCount).toBe(10);
  });

  it('repaints a burst at most once per burst frame, and still shows its newest line', () => {
    const t = setup();
    let repaints = 0;
    // 1,000 lines a second for a second, 10 lines every 10 ms; frames run whenever one is asked for.
    for (let ms = 0; ms < 1000; ms += 10) {
      t.view.apply(append(10));
      if (t.frames.length > 0) {
        repaints++;
        t.step();
      }
      t.advance(10);
    }
    // Unpaced, it would be 100; the first few come before the meter sees a burst.
    expect(repaints).toBeLessThanOrEqual(Math.ceil(1000 / BURST_FRAME_MS) + 4);
    expect(repaints).toBeGreaterThanOrEqual(Math.floor(1000 / BURST_FRAME_MS) - 2);
    // The burst ends: the last lines are painted after at most one burst frame.
    t.advance(BURST_FRAME_MS);
    t.step();
    const last = [...t.container.querySelectorAll('#lines > .line .text')].at(-1);
    expect(last?.textContent).toBe(`line ${n}`);
  });

  it('builds no rows ahead during a burst, and fills the window once chat calms down', () => {
    const t = setup();
    // 1,000 lines a second in posts of 100 (the host while the streamer types): each post
    // replaces what is built; rows built ahead between posts would go with the next one.
    for (let ms = 0; ms < 2000; ms += 10) {
      if (ms % 100 === 0) t.view.apply(append(100));
      if (t.frames.length > 0) t.step();
      t.advance(10);
    }
    const screen = Math.ceil(t.layout.viewport / 16) + 1;
    expect(t.view.lineCount).toBeLessThanOrEqual(screen);
    // Quiet: the meter forgets the burst, and the window grows toward its size.
    for (let i = 0; i < 40; i++) {
      t.advance(BURST_FRAME_MS);
      t.step();
    }
    expect(t.view.lineCount).toBe(FOLLOWING_WINDOW_SCREENS * screen);
  });

  it('answers the user at once during a burst: scrolling up builds on the next frame', () => {
    const t = setup();
    for (let ms = 0; ms < 300; ms += 10) {
      t.view.apply(append(10));
      if (t.frames.length > 0) t.step();
      t.advance(10);
    }
    t.view.apply(append(10));
    expect(t.frames).toHaveLength(0); // waiting for the burst pace
    t.layout.scrollTo(0);
    expect(t.view.following).toBe(false);
    expect(t.frames).toHaveLength(1);
  });

  it('asks for no frame when its own scroll keeps it at the bottom', () => {
    const t = setup();
    t.view.apply(append(5));
    t.step();
    t.step();
    expect(t.frames).toHaveLength(0);
    t.container.dispatchEvent(new Event('scroll'));
    expect(t.view.following).toBe(true);
    expect(t.frames).toHaveLength(0);
  });
});
