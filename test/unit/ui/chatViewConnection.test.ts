import type * as vscode from 'vscode';
import { describe, expect, it } from 'vitest';
import { ChatHub } from '../../../src/core/chatHub';
import { Emitter } from '../../../src/core/event';
import { nullLogger } from '../../../src/core/log';
import { ChatMessage, TimelineOp } from '../../../src/core/message';
import { HostToWebview, ViewSettings, decodeHostPost } from '../../../src/protocol/messages';
import {
  ChatViewConnection,
  MAX_POSTS_IN_FLIGHT,
  TYPING_POST_GAP_MS,
} from '../../../src/ui/chatViewConnection';
import {
  BURST_LINES_PER_SECOND,
  BURST_POST_GAP_MS,
  RATE_WINDOW_MS,
} from '../../../src/core/burstMeter';
import { FakeClock, flushMicrotasks } from '../core/fakeClock';
import { FakeWebview } from '../support/fakeWebview';

const settings: ViewSettings = {
  showTimestamps: false,
  hideDeleted: false,
  fontSize: 13,
  scrollback: 100,
  mentionNames: [],
};

let seq = 0;
function append(id = String(seq++)): TimelineOp {
  const message: ChatMessage = {
    id,
    platform: 'glimesh',
    channel: 'c',
    kind: 'chat',
    author: { id: 'u', name: 'u', displayName: 'U', roles: [] },
    parts: [{ type: 'text', text: `line ${id}` }],
    receivedAt: 0,
    flags: {},
  };
  return { op: 'append', message };
}

function setup(options: { scrollback?: number; editorTyping?: () => boolean } = {}) {
  const clock = new FakeClock();
  const hub = new ChatHub({ scrollback: options.scrollback ?? 100, log: nullLogger, clock });
  const webview = new FakeWebview();
  const onDidChangeViewSettings = new Emitter<void>();
  const connection = new ChatViewConnection(webview as unknown as vscode.Webview, {
    hub,
    log: nullLogger,
    viewSettings: () => settings,
    onDidChangeViewSettings: onDidChangeViewSettings.event,
    clock,
    ...(options.editorTyping ? { editorTyping: options.editorTyping } : {}),
  });
  return { clock, hub, webview, connection };
}

/** The clock's time at each post of timeline ops from now on. */
function opsPostTimes(webview: FakeWebview, clock: FakeClock): number[] {
  const postedAt: number[] = [];
  const post = webview.postMessage.bind(webview);
  webview.postMessage = (m) => {
    if (decodeHostPost(m)?.type === 'ops') postedAt.push(clock.now());
    return post(m);
  };
  return postedAt;
}

/** A line applied now goes down the pipe in a post of its own, with no timer. */
async function expectPostedAtOnce(webview: FakeWebview, hub: ChatHub): Promise<void> {
  const posts = webview.of('ops').length;
  hub.apply(append('after'));
  await flushMicrotasks();
  expect(webview.of('ops')).toHaveLength(posts + 1);
  expect(shownIds(webview).at(-1)).toBe('after');
}

const PAGE_A = 'pageAAAAAAAAAAAA';
const PAGE_B = 'pageBBBBBBBBBBBB';

/** Starts a page: `ready`, its snapshot delivered. */
async function ready(webview: FakeWebview, pageId = PAGE_A): Promise<void> {
  webview.fromPage({ type: 'ready', pageId });
  await flushMicrotasks();
  webview.deliverAll();
  await flushMicrotasks();
}

/** The ids the page ends up showing: replay every snapshot and op it was sent, in order. */
function shownIds(webview: FakeWebview): string[] {
  let ids: string[] = [];
  for (const m of webview.posted) {
    if (m.type === 'snapshot') ids = m.messages.map((x) => x.id);
    if (m.type === 'ops') for (const op of m.ops) if (op.op === 'append') ids.push(op.message.id);
  }
  return ids;
}

describe('ChatViewConnection batching', () => {
  it('posts an op at once when the pipe is idle: no timer, no waiting', async () => {
    const { clock, hub, webview } = setup();
    await ready(webview);
    await clock.advance(100);
    hub.apply(append('a'));
    await flushMicrotasks();
    expect(webview.of('ops').map((m) => m.ops.length)).toEqual([1]);
    expect(clock.pending).toBe(0);
  });

  it('sends the ops applied in one task together', async () => {
    const { clock, hub, webview } = setup();
    await ready(webview);
    await clock.advance(100);
    for (let i = 0; i < 5; i++) hub.apply(append());
    await flushMicrotasks();
    expect(webview.of('ops').map((m) => m.ops.length)).toEqual([5]);
  });

  it('coalesces everything that arrives while MAX_POSTS_IN_FLIGHT posts are outstanding into the next post', async () => {
    const { clock, hub, webview } = setup();
    await ready(webview);
    await clock.advance(100);
    for (let i = 0; i < MAX_POSTS_IN_FLIGHT; i++) {
      hub.apply(append(`first${i}`));
      await flushMicrotasks();
    }
    for (let i = 0; i < 30; i++) {
      await clock.advance(2);
      hub.apply(append());
    }
    // The page has not confirmed those posts: nothing more went down the pipe.
    expect(webview.of('ops')).toHaveLength(MAX_POSTS_IN_FLIGHT);
    webview.deliverOldest();
    await flushMicrotasks();
    expect(webview.of('ops').map((m) => m.ops.length)).toEqual([
      ...Array<number>(MAX_POSTS_IN_FLIGHT).fill(1),
      30,
    ]);
  });

  it('posts at most every BURST_POST_GAP_MS during a burst even when the page confirms at once, and at once again after', async () => {
    const { clock, hub, webview } = setup();
    webview.autoDeliver = true;
    await ready(webview);
    await clock.advance(100);
    const postedAt = opsPostTimes(webview, clock);
    // 1,000 msg/s for 500 ms.
    for (let i = 0; i < 500; i++) {
      hub.apply(append());
      await clock.advance(1);
    }
    await clock.advance(BURST_POST_GAP_MS);
    // Until the meter sees the burst each line goes at once; from then on, one post per gap.
    const lead = Math.ceil((BURST_LINES_PER_SECOND * RATE_WINDOW_MS) / 1000);
    expect(postedAt.length).toBeLessThanOrEqual(lead + Math.ceil(500 / BURST_POST_GAP_MS) + 1);
    const gaps = postedAt.slice(lead + 1).map((t, i) => t - postedAt[lead + i]!);
    expect(gaps.length).toBeGreaterThan(10);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(BURST_POST_GAP_MS);
    expect(webview.of('ops').reduce((n, m) => n + m.ops.length, 0)).toBe(500);
    // The burst is over once the rate window has passed: the next line goes at once.
    await clock.advance(RATE_WINDOW_MS);
    await expectPostedAtOnce(webview, hub);
  });

  it('by default waits for nothing but the previous delivery: a fast page gets every line at once', async () => {
    const { clock, hub, webview } = setup();
    webview.autoDeliver = true;
    await ready(webview);
    await clock.advance(100);
    for (let i = 0; i < 20; i++) {
      hub.apply(append());
      await clock.advance(5);
    }
    expect(webview.of('ops').map((m) => m.ops.length)).toEqual(Array(20).fill(1));
    expect(clock.pending).toBe(0);
  });

  it('posts at most every TYPING_POST_GAP_MS while the streamer types, and at once again after', async () => {
    let typing = true;
    const { clock, hub, webview } = setup({ editorTyping: () => typing });
    webview.autoDeliver = true;
    await ready(webview);
    await clock.advance(TYPING_POST_GAP_MS);
    const postedAt = opsPostTimes(webview, clock);
    for (let i = 0; i < 100; i++) {
      hub.apply(append());
      await clock.advance(5);
    }
    expect(postedAt.length).toBeLessThanOrEqual(Math.ceil((100 * 5) / TYPING_POST_GAP_MS) + 1);
    for (let i = 1; i < postedAt.length; i++)
      expect(postedAt[i]! - postedAt[i - 1]!).toBeGreaterThanOrEqual(TYPING_POST_GAP_MS);
    typing = false;
    await clock.advance(TYPING_POST_GAP_MS);
    await expectPostedAtOnce(webview, hub);
    expect(shownIds(webview)).toHaveLength(101);
  });

  it('bounds what waits for a page that cannot keep up: past `scrollback` ops it sends one snapshot of the newest lines', async () => {
    const { clock, hub, webview } = setup({ scrollback: 50 });
    await ready(webview);
    await clock.advance(100);
    for (let i = 0; i < MAX_POSTS_IN_FLIGHT; i++) {
      hub.apply(append(`stuck${i}`));
      await flushMicrotasks();
    }
    for (let i = 0; i < 1000; i++) hub.apply(append(`b${i}`));
    await clock.advance(100);
    // The posts still outstanding, and nothing queued behind them: the backlog was dropped for a snapshot.
    expect(webview.undelivered).toBe(MAX_POSTS_IN_FLIGHT);
    expect(webview.of('ops')).toHaveLength(MAX_POSTS_IN_FLIGHT);
    webview.deliverAll();
    await flushMicrotasks();
    const last = webview.posted.at(-1);
    expect(last?.type).toBe('snapshot');
    const snapshot = last as Extract<HostToWebview, { type: 'snapshot' }>;
    expect(snapshot.messages.length).toBeLessThanOrEqual(50 + Math.max(1, 50 >> 3));
    expect(snapshot.messages.at(-1)?.id).toBe('b999');
    expect(shownIds(webview)).toEqual(hub.messages.map((m) => m.id));
  });

  it('queues at most `scrollback` ops however long the page stalls', async () => {
    const { clock, hub, webview, connection } = setup({ scrollback: 100 });
    await ready(webview);
    hub.apply(append());
    await flushMicrotasks();
    let most = 0;
    for (let i = 0; i < 5000; i++) {
      hub.apply(append());
      most = Math.max(most, (connection as unknown as { _pending: unknown[] })._pending.length);
      if (i % 100 === 0) await clock.advance(5);
    }
    expect(most).toBeLessThanOrEqual(100);
  });

  it('during a burst keeps posting past MAX_POSTS_IN_FLIGHT to a page busy for a moment, up to `scrollback` unconfirmed lines, and loses none', async () => {
    const { clock, hub, webview } = setup({ scrollback: 1000 });
    await ready(webview);
    await clock.advance(100);
    const sent: string[] = [];
    // 5,000 msg/s for 300 ms with no delivery confirmed: 1,500 lines, more than the scrollback.
    for (let ms = 0; ms < 300; ms++) {
      for (let i = 0; i < 5; i++) {
        const op = append(`burst${ms}-${i}`);
        sent.push((op as Extract<TimelineOp, { op: 'append' }>).message.id);
        hub.apply(op);
      }
      await clock.advance(1);
      const onTheirWay = webview
        .of('ops')
        .slice(-webview.undelivered)
        .reduce((n, m) => n + m.ops.length, 0);
      // What the page has not confirmed is bounded by the scrollback (the last post may carry up to a gap's lines past it).
      expect(onTheirWay).toBeLessThanOrEqual(1000 + 5 * BURST_POST_GAP_MS);
    }
    expect(webview.undelivered).toBeGreaterThan(MAX_POSTS_IN_FLIGHT);
    expect(webview.of('snapshot')).toHaveLength(1); // the page's first, at ready
    webview.deliverAll();
    await clock.advance(BURST_POST_GAP_MS);
    webview.deliverAll();
    await clock.advance(BURST_POST_GAP_MS);
    expect(webview.of('snapshot')).toHaveLength(1);
    expect(shownIds(webview)).toEqual(sent);
  });

  it('during a burst waits for deliveries as long as under half a scrollback is queued: a slow page gets fewer, bigger posts', async () => {
    const { clock, hub, webview } = setup({ scrollback: 1000 });
    await ready(webview);
    await clock.advance(100);
    // 5,000 msg/s for 90 ms: 450 lines, under half the scrollback.
    for (let ms = 0; ms < 90; ms++) {
      for (let i = 0; i < 5; i++) hub.apply(append());
      await clock.advance(1);
    }
    expect(webview.undelivered).toBe(MAX_POSTS_IN_FLIGHT);
    // Past half a scrollback queued, the next gap sends what waits.
    for (let ms = 0; ms < 30; ms++) {
      for (let i = 0; i < 5; i++) hub.apply(append());
      await clock.advance(1);
    }
    expect(webview.undelivered).toBe(MAX_POSTS_IN_FLIGHT + 1);
  });

  it('a page that stays stalled through a burst still gets one snapshot of the newest lines, after what is on its way', async () => {
    const { clock, hub, webview } = setup({ scrollback: 1000 });
    await ready(webview);
    await clock.advance(100);
    // 5,000 msg/s for a second: past the scrollback on its way and the scrollback queued behind it.
    for (let ms = 0; ms < 1000; ms++) {
      for (let i = 0; i < 5; i++) hub.apply(append(`s${ms}-${i}`));
      await clock.advance(1);
    }
    const undelivered = webview.undelivered;
    expect(webview.of('snapshot')).toHaveLength(1);
    webview.deliverAll();
    await flushMicrotasks();
    await clock.advance(BURST_POST_GAP_MS);
    expect(webview.undelivered).toBe(1);
    expect(webview.posted.at(-1)?.type).toBe('snapshot');
    expect(undelivered).toBeGreaterThan(MAX_POSTS_IN_FLIGHT);
    expect(shownIds(webview)).toEqual(hub.messages.map((m) => m.id));
  });

  it('sends nothing while hidden and a snapshot with everything when shown again', async () => {
    const { clock, hub, webview, connection } = setup();
    await ready(webview);
    hub.apply(append('before'));
    await flushMicrotasks();
    webview.deliverAll();
    connection.reset(); // hidden: the page is gone
    const postsWhenHidden = webview.posted.length;
    for (let i = 0; i < 20; i++) hub.apply(append(`hidden${i}`));
    await clock.advance(1000);
    expect(webview.posted.length).toBe(postsWhenHidden);
    await ready(webview); // shown: the page reloads and says ready
    const snapshot = webview.posted.at(-1) as Extract<HostToWebview, { type: 'snapshot' }>;
    expect(snapshot.type).toBe('snapshot');
    expect(snapshot.messages.map((m) => m.id)).toEqual([
      'before',
      ...Array.from({ length: 20 }, (_, i) => `hidden${i}`),
    ]);
  });

  it('ignores a late delivery from the page before a reload', async () => {
    const { clock, hub, webview, connection } = setup();
    await ready(webview);
    hub.apply(append('x'));
    await clock.advance(20);
    expect(webview.undelivered).toBe(1);
    connection.reset();
    webview.fromPage({ type: 'ready', pageId: PAGE_B });
    await flushMicrotasks();
    // The old page's ops post is outstanding, and the new page's snapshot and first ops fill its
    // window; the old one settling must not free a place in the new page's window.
    for (let i = 1; i < MAX_POSTS_IN_FLIGHT; i++) {
      hub.apply(append(`y${i}`));
      await flushMicrotasks();
    }
    hub.apply(append('z'));
    await flushMicrotasks();
    const before = webview.posted.length;
    webview.deliverOldest();
    await flushMicrotasks();
    await clock.advance(100);
    expect(webview.posted.length).toBe(before);
    webview.deliverOldest();
    await clock.advance(20);
    expect(webview.posted.length).toBe(before + 1);
    expect(webview.posted.at(-1)).toMatchObject({
      type: 'ops',
      ops: [{ op: 'append', message: { id: 'z' } }],
    });
  });

  it('loses and duplicates nothing across a random mix of bursts, stalls, moderation and overflows', async () => {
    // A small deterministic random walk (seeded), so a failure replays.
    let state = 7;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const { clock, hub, webview } = setup({ scrollback: 40 });
    await ready(webview);
    let next = 0;
    for (let step = 0; step < 3000; step++) {
      const r = random();
      if (r < 0.7) hub.apply(append(`m${next++}`));
      else if (r < 0.75)
        hub.apply({ op: 'delete', platform: 'glimesh', ids: [`m${Math.floor(random() * next)}`] });
      else if (r < 0.9) await clock.advance(Math.floor(random() * 20));
      else webview.deliverAll();
      if (random() < 0.3) await flushMicrotasks();
    }
    for (let i = 0; i < 10; i++) {
      webview.deliverAll();
      await clock.advance(20);
    }
    const shown = shownIds(webview);
    expect(new Set(shown).size).toBe(shown.length);
    // The page trims to its scrollback like the hub: its newest lines are exactly the hub's.
    const expected = hub.messages.map((m) => m.id);
    expect(shown.slice(-expected.length)).toEqual(expected);
    // Deletes reach the page as ops or inside a snapshot: the final deleted set matches the hub.
    const deleted = new Set<string>();
    for (const m of webview.posted) {
      if (m.type === 'snapshot') {
        deleted.clear();
        for (const x of m.messages) if (x.flags.deleted) deleted.add(x.id);
      }
      if (m.type === 'ops')
        for (const op of m.ops)
          if (op.op === 'delete') for (const id of op.ids) if (shown.includes(id)) deleted.add(id);
    }
    const hubDeleted = hub.messages.filter((m) => m.flags.deleted).map((m) => m.id);
    for (const id of hubDeleted) expect(deleted.has(id)).toBe(true);
  });

  it('posts platform changes with the next batch', async () => {
    const { clock, hub, webview, connection } = setup();
    await ready(webview);
    (hub as unknown as { _onDidChangeStatus: Emitter<string> })._onDidChangeStatus.fire('glimesh');
    await clock.advance(20);
    expect(webview.of('platforms')).toHaveLength(1);
    connection.dispose();
  });

  it('answers each ready with the string table first, then the snapshot', async () => {
    const hub = new ChatHub({ scrollback: 10, log: nullLogger, clock: new FakeClock() });
    const webview = new FakeWebview(true);
    const connection = new ChatViewConnection(webview as unknown as vscode.Webview, {
      hub,
      log: nullLogger,
      viewSettings: () => settings,
      onDidChangeViewSettings: new Emitter<void>().event,
      strings: () => ({ Undo: 'Annuler' }),
    });
    await ready(webview);
    await ready(webview);
    expect(webview.posted.map((m) => m.type)).toEqual([
      'strings',
      'snapshot',
      'strings',
      'snapshot',
    ]);
    expect(webview.of('strings')[0]!.strings).toEqual({ Undo: 'Annuler' });
    connection.dispose();
  });
});

/** A promise the test settles. */
function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('ChatViewConnection request ids across page lifetimes', () => {
  it('echoes the request id of the page that asked', async () => {
    const { hub, webview } = setup();
    webview.autoDeliver = true;
    const sending = deferred();
    hub.send = () => sending.promise;
    await ready(webview, PAGE_A);
    webview.fromPage({ type: 'send', requestId: `${PAGE_A}:1`, platform: 'glimesh', text: 'hi' });
    sending.resolve();
    await flushMicrotasks();
    expect(webview.of('sendResult')).toEqual([
      { type: 'sendResult', requestId: `${PAGE_A}:1`, ok: true },
    ]);
  });

  it('drops a result for a request of an earlier page: the reloaded page counts from 1 again', async () => {
    const { hub, webview, connection } = setup();
    webview.autoDeliver = true;
    const sends: Array<ReturnType<typeof deferred>> = [];
    hub.send = () => {
      const d = deferred();
      sends.push(d);
      return d.promise;
    };
    await ready(webview, PAGE_A);
    webview.fromPage({ type: 'send', requestId: `${PAGE_A}:1`, platform: 'glimesh', text: 'old' });
    connection.reset(); // hidden: the page is gone
    await ready(webview, PAGE_B); // shown again: a new page, whose first request is also number 1
    webview.fromPage({ type: 'send', requestId: `${PAGE_B}:1`, platform: 'glimesh', text: 'new' });
    sends[0]!.resolve(); // the old page's send settles now
    await flushMicrotasks();
    expect(webview.of('sendResult')).toEqual([]);
    sends[1]!.reject(new Error('refused'));
    await flushMicrotasks();
    expect(webview.of('sendResult')).toEqual([
      { type: 'sendResult', requestId: `${PAGE_B}:1`, ok: false, error: 'refused' },
    ]);
  });

  it('drops a moderation result for an earlier page too', async () => {
    const clock = new FakeClock();
    const hub = new ChatHub({ scrollback: 100, log: nullLogger, clock });
    const webview = new FakeWebview(true);
    const replies: Array<(reply: HostToWebview) => void> = [];
    const requests: string[] = [];
    const connection = new ChatViewConnection(webview as unknown as vscode.Webview, {
      hub,
      log: nullLogger,
      viewSettings: () => settings,
      onDidChangeViewSettings: new Emitter<void>().event,
      clock,
      moderation: {
        handleViewMessage(message, post) {
          if (message.type !== 'moderate') return false;
          requests.push(message.requestId);
          replies.push(post);
          return true;
        },
      },
    });
    const moderate = (requestId: string) =>
      webview.fromPage({
        type: 'moderate',
        requestId,
        platform: 'mixer',
        request: { action: 'ban', user: { name: 'troll' } },
      });
    await ready(webview, PAGE_A);
    moderate(`${PAGE_A}:1`);
    await ready(webview, PAGE_B);
    moderate(`${PAGE_B}:1`);
    const result = (requestId: string): HostToWebview => ({
      type: 'moderationResult',
      requestId,
      ok: true,
      text: 'troll has been banned.',
    });
    replies[0]!(result(requests[0]!));
    replies[1]!(result(requests[1]!));
    expect(webview.of('moderationResult').map((m) => m.requestId)).toEqual([`${PAGE_B}:1`]);
    connection.dispose();
  });

  it('ignores a ready without a page id and requests whose ids are not page-scoped', async () => {
    const { hub, webview } = setup();
    webview.autoDeliver = true;
    let sends = 0;
    hub.send = () => (sends++, Promise.resolve());
    webview.fromPage({ type: 'ready' });
    await flushMicrotasks();
    expect(webview.of('snapshot')).toHaveLength(0);
    await ready(webview, PAGE_A);
    webview.fromPage({ type: 'send', requestId: 1, platform: 'glimesh', text: 'hi' });
    webview.fromPage({ type: 'send', requestId: `${PAGE_A}:0`, platform: 'glimesh', text: 'hi' });
    expect(sends).toBe(0);
  });
});
