import type * as vscode from 'vscode';
import { BURST_POST_GAP_MS, BurstMeter } from '../core/burstMeter';
import { ChatHub } from '../core/chatHub';
import { Clock, systemClock } from '../core/clock';
import { Emitter, Event } from '../core/event';
import { Disposable, DisposableObject, MutableDisposable, toDisposable } from '../core/lifecycle';
import { Logger } from '../core/log';
import { TimelineOp } from '../core/message';
import {
  HighlightSummary,
  HostToWebview,
  ViewSettings,
  WebviewToHost,
  assertNever,
  encodeHostPost,
  isWebviewToHost,
  pageOfRequest,
} from '../protocol/messages';
import { ChatViewBridge, ChatViewBridgeSession } from '../protocol/bridge';
import type { WebviewStringTable } from '../protocol/webviewStrings';

/** The `!line` highlights, as the view needs them (implemented by the highlight controller). */
export interface HighlightSource {
  readonly onDidChange: Event<void>;
  summaries(): HighlightSummary[];
  jumpTo(id: string): void | Promise<void>;
  dismiss(id: string): void;
}

export interface ChatViewDeps {
  readonly hub: ChatHub;
  readonly log: Logger;
  readonly viewSettings: () => ViewSettings;
  readonly onDidChangeViewSettings: Event<void>;
  readonly highlights?: HighlightSource;
  readonly bridges?: readonly ChatViewBridge[];
  /** Handles the view's moderation messages (`moderate`, `clearChat`, `selectLine`); true when it took one. */
  readonly moderation?: {
    handleViewMessage(message: WebviewToHost, post: (reply: HostToWebview) => void): boolean;
  };
  /** The user asked to connect a platform from the view (failures then get a notification). */
  readonly onConnectRequested?: () => void;
  /** The view's strings in the display language (src/ui/webviewStrings.ts); English without. */
  readonly strings?: () => WebviewStringTable;
  readonly clock?: Clock;
  /** The streamer is typing in an editor (src/ui/editorActivity.ts): posts wait `TYPING_POST_GAP_MS`. */
  readonly editorTyping?: () => boolean;
}

/**
 * The shortest time between two posts while the streamer types. In a browser-hosted VS Code the
 * view shares the editor's renderer: four chat updates a second leave most frames to the keys
 * (`npm run bench`, typing with chat at 1,000 msg/s: p95 ×1.5 of idle at 100 ms, ×1.3 at 250 ms).
 */
export const TYPING_POST_GAP_MS = 250;

/**
 * Posts that may be on their way at once. Delivery is confirmed only once the renderer took the
 * message, so with one a line arriving just after a post waits a whole round trip; with two it
 * goes at once, and a renderer that cannot keep up still holds back all but two batches (more
 * only when a snapshot looms: see `_mayPost`).
 */
export const MAX_POSTS_IN_FLIGHT = 2;

/**
 * Connects one webview (view or panel) to the hub. Holds everything until the page says `ready`,
 * then sends a snapshot and streams timeline ops. When the pipe is idle an op is posted at once
 * (after the current task, so ops applied together travel together); while `MAX_POSTS_IN_FLIGHT`
 * posts are outstanding, or within the gap after the last one (a burst, typing), ops are coalesced
 * into the next post. What waits is bounded: past `scrollback` queued ops the queue is dropped and
 * the next post is a snapshot of the hub (which holds the newest `scrollback` lines), never a
 * backlog.
 */
export class ChatViewConnection extends DisposableObject {
  private _isReady = false;
  /** The id the current page gave in its `ready`: results for any other page's requests are dropped. */
  private _pageId: string | undefined;
  /** A composer focus asked for before the page was ready: posted right after the snapshot. */
  private _focusWhenReady = false;
  private _pending: TimelineOp[] = [];
  /** The queue overflowed: the next post replaces the page's timeline with the hub's. */
  private _needsSnapshot = false;
  private _platformsDirty = false;
  /** Posts of ours whose delivery the webview has not yet confirmed, and the ops (or snapshot lines) in them. */
  private _inFlight = 0;
  private _inFlightOps = 0;
  /** Posts of an earlier page (before `reset`) that settle late must not touch this one's state. */
  private _generation = 0;
  private _lastPostAt = Number.NEGATIVE_INFINITY;
  /** Ops queued lately: during a burst posts wait `BURST_POST_GAP_MS` (src/core/burstMeter.ts). */
  private readonly _burst = new BurstMeter(BURST_POST_GAP_MS);
  private _flushQueued = false;
  private readonly _flushTimer = this._register(new MutableDisposable<Disposable>());
  private readonly _clock: Clock;
  private readonly _bridges: readonly ChatViewBridgeSession[];
  private readonly _onDidRead = this._register(new Emitter<void>());
  /** The page reports the user has read to the bottom. */
  readonly onDidRead = this._onDidRead.event;

  constructor(
    private readonly _webview: vscode.Webview,
    private readonly _deps: ChatViewDeps,
  ) {
    super();
    this._clock = _deps.clock ?? systemClock;
    this._register(_webview.onDidReceiveMessage((m) => this._onMessage(m)));
    this._register(_deps.hub.onDidApply((op) => this._queue(op)));
    this._register(
      _deps.hub.onDidChangeStatus(() => {
        this._platformsDirty = true;
        this._schedule();
      }),
    );
    this._register(
      _deps.onDidChangeViewSettings(() =>
        this._post({ type: 'settings', settings: _deps.viewSettings() }),
      ),
    );
    if (_deps.highlights) {
      const highlights = _deps.highlights;
      this._register(
        highlights.onDidChange(() =>
          this._post({ type: 'highlights', highlights: highlights.summaries() }),
        ),
      );
    }
    this._register(toDisposable(() => this.reset()));
    this._bridges = (_deps.bridges ?? []).map((bridge) =>
      this._register(bridge.connect({ post: (m) => this._post(m) })),
    );
  }

  /** The page was (re)loaded or hidden: wait for its next `ready`. */
  reset(): void {
    this._isReady = false;
    this._pageId = undefined;
    this._pending = [];
    this._needsSnapshot = false;
    this._platformsDirty = false;
    this._inFlight = 0;
    this._inFlightOps = 0;
    this._flushQueued = false;
    this._generation++;
    this._flushTimer.clear();
  }

  /** Sends a message to the page now (if it is ready). */
  post(message: HostToWebview): void {
    this._post(message);
  }

  /** Puts the caret in the page's composer, now or as soon as the page is ready. */
  focusComposer(): void {
    if (this._isReady) this._post({ type: 'focusComposer' });
    else this._focusWhenReady = true;
  }

  private _onMessage(message: unknown): void {
    if (!isWebviewToHost(message)) {
      this._deps.log.warn(`chat view: ignored an unexpected message from the webview`);
      return;
    }
    switch (message.type) {
      case 'ready':
        // A (re)loaded page shows nothing yet: whatever was queued is in the snapshot.
        this.reset();
        this._isReady = true;
        this._pageId = message.pageId;
        // Before the snapshot: the page builds its labels once it has the strings.
        if (this._deps.strings) this._post({ type: 'strings', strings: this._deps.strings() });
        this._needsSnapshot = true;
        this._flush();
        for (const bridge of this._bridges) bridge.ready?.();
        if (this._focusWhenReady) {
          this._focusWhenReady = false;
          this._post({ type: 'focusComposer' });
        }
        break;
      case 'send': {
        const { requestId, platform, text } = message;
        this._deps.hub.send(platform, text).then(
          () => this._postResult({ type: 'sendResult', requestId, ok: true }),
          (error: unknown) =>
            this._postResult({
              type: 'sendResult',
              requestId,
              ok: false,
              error: error instanceof Error ? error.message : String(error),
            }),
        );
        break;
      }
      case 'togglePlatform': {
        const client = this._deps.hub.client(message.platform);
        if (!client) break;
        const kind = client.state.kind;
        if (kind === 'connected' || kind === 'connecting' || kind === 'reconnecting')
          client.disconnect();
        else {
          this._deps.onConnectRequested?.();
          client.connect();
        }
        break;
      }
      case 'jumpToHighlight':
        void this._deps.highlights?.jumpTo(message.id);
        break;
      case 'dismissHighlight':
        this._deps.highlights?.dismiss(message.id);
        break;
      case 'openCodeRef':
        if (!this._bridges.some((bridge) => bridge.handle?.(message)))
          this._deps.log.warn(`chat view: nothing handles ${message.type}`);
        break;
      case 'read':
        this._onDidRead.fire();
        break;
      case 'log':
        this._deps.log[message.level](`chat view: ${message.message}`);
        break;
      case 'moderate':
      case 'clearChat':
      case 'selectLine':
        this._deps.moderation?.handleViewMessage(message, (reply) => this._postResult(reply));
        break;
      default:
        assertNever(message);
    }
  }

  private _queue(op: TimelineOp): void {
    if (!this._isReady) return;
    this._burst.note(1, this._clock.now());
    if (!this._needsSnapshot) {
      this._pending.push(op);
      // The page cannot keep up (or a burst outran the pipe): the hub already holds the newest
      // `scrollback` lines, so one snapshot replaces a backlog the page would trim anyway.
      if (this._pending.length > this._queueLimit) {
        this._pending = [];
        this._needsSnapshot = true;
      }
    }
    this._schedule();
  }

  /**
   * Whether another post may go now. Up to `MAX_POSTS_IN_FLIGHT`, always: waiting for deliveries
   * coalesces lines into fewer posts when the renderer is slow, and every post costs it a message.
   * Past that only during a burst, and only when the queue is half way to a snapshot with less
   * than `scrollback` lines on their way: a renderer busy for a moment (a major GC, a long frame:
   * confirmations took up to 250 ms at 5,000 msg/s) then gets the lines late instead of a
   * snapshot in their place, and one that cannot keep up is still sent at most about two
   * scrollbacks of lines it has not taken.
   */
  private _mayPost(now: number): boolean {
    if (this._inFlight < MAX_POSTS_IN_FLIGHT) return true;
    // A queue that overflowed is empty: its snapshot waits for a delivery like any post.
    const limit = this._queueLimit;
    return (
      this._pending.length * 2 >= limit && this._inFlightOps < limit && this._burst.bursting(now)
    );
  }

  /** The most ops that wait for the page before the queue becomes a snapshot: the hub's scrollback. */
  private get _queueLimit(): number {
    return Math.max(1, this._deps.hub.scrollback);
  }

  private _schedule(): void {
    const now = this._clock.now();
    if (!this._isReady || !this._mayPost(now) || this._flushQueued || this._flushTimer.value)
      return;
    // Slower chat waits for nothing but the previous delivery (a fixed 16 ms gap cost 6 ms of p50
    // at 100 msg/s). During a burst the view repaints only every BURST_FRAME_MS, so posting more
    // often than twice per repaint costs the renderer a message each and shows nothing sooner
    // (`npm run bench` at 1,000 msg/s: about a quarter less CPU over the whole pipe).
    const wait = this._deps.editorTyping?.()
      ? this._lastPostAt + TYPING_POST_GAP_MS - now
      : this._burst.wait(now, this._lastPostAt);
    if (wait > 0) {
      this._flushTimer.value = this._clock.setTimeout(() => {
        this._flushTimer.value = undefined;
        this._flush();
      }, wait);
      return;
    }
    // Idle: post after the current task, so the ops of one socket frame or history load share a post.
    this._flushQueued = true;
    const generation = this._generation;
    queueMicrotask(() => {
      if (generation !== this._generation) return;
      this._flushQueued = false;
      this._flush();
    });
  }

  private _flush(): void {
    if (!this._isReady || !this._mayPost(this._clock.now())) return;
    let message: HostToWebview | undefined;
    let ops = 0;
    if (this._needsSnapshot) {
      message = this._snapshot();
      ops = message.messages.length;
      this._needsSnapshot = false;
      this._platformsDirty = false;
      this._pending = [];
    } else if (this._pending.length > 0) {
      message = { type: 'ops', ops: this._pending };
      ops = this._pending.length;
      this._pending = [];
    }
    if (this._platformsDirty) {
      this._platformsDirty = false;
      void this._send({ type: 'platforms', platforms: this._deps.hub.statuses });
    }
    if (!message) return;
    this._lastPostAt = this._clock.now();
    this._inFlight++;
    this._inFlightOps += ops;
    const generation = this._generation;
    const settled = () => {
      if (generation !== this._generation) return;
      this._inFlight--;
      this._inFlightOps -= ops;
      if (this._needsSnapshot || this._pending.length > 0 || this._platformsDirty) this._schedule();
    };
    this._send(message).then(settled, settled);
  }

  private _snapshot(): Extract<HostToWebview, { type: 'snapshot' }> {
    return {
      type: 'snapshot',
      messages: this._deps.hub.messages,
      platforms: this._deps.hub.statuses,
      settings: this._deps.viewSettings(),
      highlights: this._deps.highlights?.summaries() ?? [],
    };
  }

  private _post(message: HostToWebview): void {
    if (this._isReady) void this._send(message);
  }

  /** Every post to the page goes as JSON text (`HostPost`, src/protocol/messages.ts). */
  private _send(message: HostToWebview): Thenable<boolean> {
    return this._webview.postMessage(encodeHostPost(message));
  }

  /**
   * Posts the answer to a request only to the page that asked: a request of an earlier page
   * (the page reloads on every hide/show) settles after that page is gone, and its id means
   * nothing to the page now shown.
   */
  private _postResult(message: HostToWebview): void {
    if ('requestId' in message && pageOfRequest(message.requestId) !== this._pageId) {
      this._deps.log.debug(`chat view: dropped a ${message.type} for an earlier page`);
      return;
    }
    this._post(message);
  }
}
