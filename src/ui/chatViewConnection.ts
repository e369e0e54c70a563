import * as vscode from 'vscode';
import { ChatHub } from '../core/chatHub';
import { Clock, systemClock } from '../core/clock';
import { Emitter, Event } from '../core/event';
import { Disposable, DisposableObject, MutableDisposable, toDisposable } from '../core/lifecycle';
import { Logger } from '../core/log';
import { TimelineOp } from '../core/message';
import { HighlightSummary, HostToWebview, ViewSettings, assertNever, isWebviewToHost } from '../protocol/messages';

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
  /** The user asked to connect a platform from the view (failures then get a notification). */
  readonly onConnectRequested?: () => void;
  readonly clock?: Clock;
  /** How long ops are gathered before one post: at most one post per this many ms. */
  readonly batchMs?: number;
}

/**
 * Connects one webview (view or panel) to the hub. Holds everything until the page says `ready`,
 * then sends a snapshot and streams timeline ops in batches: at most one `postMessage` per 50 ms,
 * however fast chat arrives.
 */
export class ChatViewConnection extends DisposableObject {
  private _isReady = false;
  /** A composer focus asked for before the page was ready: posted right after the snapshot. */
  private _focusWhenReady = false;
  private _pending: TimelineOp[] = [];
  private _platformsDirty = false;
  private readonly _flushTimer = this._register(new MutableDisposable<Disposable>());
  private readonly _clock: Clock;
  private readonly _batchMs: number;
  private readonly _onDidReceiveOps = this._register(new Emitter<readonly TimelineOp[]>());
  /** Fires with each batch posted (the provider counts unread lines from it). */
  readonly onDidPostOps = this._onDidReceiveOps.event;
  private readonly _onDidRead = this._register(new Emitter<void>());
  /** The page reports the user has read to the bottom. */
  readonly onDidRead = this._onDidRead.event;

  constructor(
    private readonly _webview: vscode.Webview,
    private readonly _deps: ChatViewDeps,
  ) {
    super();
    this._clock = _deps.clock ?? systemClock;
    this._batchMs = _deps.batchMs ?? 50;
    this._register(_webview.onDidReceiveMessage((m) => this._onMessage(m)));
    this._register(_deps.hub.onDidApply((op) => this._queue(op)));
    this._register(
      _deps.hub.onDidChangeStatus(() => {
        this._platformsDirty = true;
        this._schedule();
      }),
    );
    this._register(_deps.onDidChangeViewSettings(() => this._post({ type: 'settings', settings: _deps.viewSettings() })));
    if (_deps.highlights) {
      const highlights = _deps.highlights;
      this._register(highlights.onDidChange(() => this._post({ type: 'highlights', highlights: highlights.summaries() })));
    }
    this._register(toDisposable(() => (this._pending = [])));
  }

  /** The page was (re)loaded or hidden: wait for its next `ready`. */
  reset(): void {
    this._isReady = false;
    this._pending = [];
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
        this._isReady = true;
        this._pending = [];
        this._platformsDirty = false;
        void this._webview.postMessage({
          type: 'snapshot',
          messages: this._deps.hub.messages,
          platforms: this._deps.hub.statuses,
          settings: this._deps.viewSettings(),
          highlights: this._deps.highlights?.summaries() ?? [],
        } satisfies HostToWebview);
        if (this._focusWhenReady) {
          this._focusWhenReady = false;
          this._post({ type: 'focusComposer' });
        }
        break;
      case 'send': {
        const { requestId, platform, text } = message;
        this._deps.hub.send(platform, text).then(
          () => this._post({ type: 'sendResult', requestId, ok: true }),
          (error: unknown) =>
            this._post({ type: 'sendResult', requestId, ok: false, error: error instanceof Error ? error.message : String(error) }),
        );
        break;
      }
      case 'togglePlatform': {
        const client = this._deps.hub.client(message.platform);
        if (!client) break;
        const kind = client.state.kind;
        if (kind === 'connected' || kind === 'connecting' || kind === 'reconnecting') client.disconnect();
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
      case 'read':
        this._onDidRead.fire();
        break;
      case 'log':
        this._deps.log[message.level](`chat view: ${message.message}`);
        break;
      default:
        assertNever(message);
    }
  }

  private _queue(op: TimelineOp): void {
    if (!this._isReady) return;
    this._pending.push(op);
    this._schedule();
  }

  private _schedule(): void {
    if (!this._isReady || this._flushTimer.value) return;
    this._flushTimer.value = this._clock.setTimeout(() => {
      this._flushTimer.value = undefined;
      this._flush();
    }, this._batchMs);
  }

  private _flush(): void {
    if (!this._isReady) return;
    if (this._pending.length > 0) {
      const ops = this._pending;
      this._pending = [];
      void this._webview.postMessage({ type: 'ops', ops } satisfies HostToWebview);
      this._onDidReceiveOps.fire(ops);
    }
    if (this._platformsDirty) {
      this._platformsDirty = false;
      void this._webview.postMessage({ type: 'platforms', platforms: this._deps.hub.statuses } satisfies HostToWebview);
    }
  }

  private _post(message: HostToWebview): void {
    if (this._isReady) void this._webview.postMessage(message);
  }
}
