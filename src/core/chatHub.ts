import { PlatformClient, SendCapability } from './client';
import { Clock, systemClock } from './clock';
import { ChatError } from './errors';
import { Emitter } from './event';
import { DisposableObject, DisposableStore } from './lifecycle';
import { Logger } from './log';
import { Translate, english } from './l10n';
import {
  CANNOT_MODERATE,
  ModerationCapability,
  ModerationRequest,
  ModerationResult,
} from './moderation';
import {
  ChatMessage,
  PLATFORM_IDS,
  PLATFORM_LABELS,
  PlatformId,
  TimelineOp,
  systemNotice,
} from './message';
import { ConnectionState, DISCONNECTED, isActive } from './state';
import { Timeline } from './timeline';

/** One platform as the UI sees it. */
export interface PlatformStatus {
  readonly platform: PlatformId;
  /** Enabled in settings (a client exists). */
  readonly enabled: boolean;
  readonly state: ConnectionState;
  readonly send: SendCapability;
  /** Whether the connected account may moderate there (absent: the platform has no moderation). */
  readonly moderation?: ModerationCapability;
}

/** Counts for the status bar. */
export interface AggregateState {
  readonly enabled: number;
  readonly connected: number;
  readonly connecting: number;
  readonly reconnecting: number;
  readonly failed: number;
}

/**
 * The merged timeline and the platform clients installed into it: it listens to each client,
 * applies their ops to one `Timeline` (see timeline.ts for the rules), routes sends and moderation,
 * and turns state changes into notices. It does not own the clients (whoever creates them
 * disposes them: `ClientRegistry` in the extension). It knows nothing of VS Code; the chat view
 * and status item listen to it.
 */
export class ChatHub extends DisposableObject {
  private readonly _onDidChangeStatus = this._register(new Emitter<PlatformId>());
  /** A platform's state, send capability or enablement changed. */
  readonly onDidChangeStatus = this._onDidChangeStatus.event;
  private readonly _onDidApply = this._register(new Emitter<TimelineOp>());
  /** A timeline op was applied (after de-duplication); the view mirrors these. */
  readonly onDidApply = this._onDidApply.event;

  private readonly _clients = new Map<
    PlatformId,
    { client: PlatformClient; subscriptions: DisposableStore }
  >();
  private readonly _timeline: Timeline;
  private readonly _clock: Clock;
  private readonly _log: Logger;
  private readonly _t: Translate;

  /** `t` localises the hub's own sentences (notices, reasons): the host passes vscode.l10n.t. */
  constructor(options: { scrollback: number; log: Logger; clock?: Clock; t?: Translate }) {
    super();
    this._timeline = new Timeline(options.scrollback);
    this._clock = options.clock ?? systemClock;
    this._log = options.log;
    this._t = options.t ?? english;
  }

  /**
   * Installs (or with `undefined`, removes) a platform's client. The hub stops listening to the
   * previous one; disposing it stays with whoever created it.
   */
  setClient(platform: PlatformId, client: PlatformClient | undefined): void {
    const previous = this._clients.get(platform);
    if (previous) {
      previous.subscriptions.dispose();
      this._clients.delete(platform);
    }
    if (client) {
      const subscriptions = new DisposableStore();
      let last: ConnectionState = client.state;
      subscriptions.add(
        client.onDidChangeState((state) => {
          this._noticeFor(platform, last, state);
          last = state;
          this._onDidChangeStatus.fire(platform);
        }),
      );
      subscriptions.add(client.onDidReceive((op) => this.apply(op)));
      if (client.moderation)
        subscriptions.add(
          client.moderation.onDidChange(() => this._onDidChangeStatus.fire(platform)),
        );
      this._clients.set(platform, { client, subscriptions });
    }
    this._onDidChangeStatus.fire(platform);
  }

  client(platform: PlatformId): PlatformClient | undefined {
    return this._clients.get(platform)?.client;
  }

  status(platform: PlatformId): PlatformStatus {
    const client = this.client(platform);
    return {
      platform,
      enabled: client !== undefined,
      state: client?.state ?? DISCONNECTED,
      send: client?.sendCapability ?? {
        canSend: false,
        reason: this._t('{0} is not enabled.', PLATFORM_LABELS[platform]),
        maxLength: 0,
      },
      ...(client?.moderation ? { moderation: client.moderation.capability } : {}),
    };
  }

  get statuses(): PlatformStatus[] {
    return PLATFORM_IDS.map((p) => this.status(p));
  }

  get aggregate(): AggregateState {
    const counts = { enabled: 0, connected: 0, connecting: 0, reconnecting: 0, failed: 0 };
    for (const { client } of this._clients.values()) {
      counts.enabled++;
      const kind = client.state.kind;
      if (kind !== 'disconnected') counts[kind]++;
    }
    return counts;
  }

  get isAnyActive(): boolean {
    return [...this._clients.values()].some(({ client }) => isActive(client.state));
  }

  connectAll(): void {
    for (const { client } of this._clients.values()) client.connect();
  }

  disconnectAll(): void {
    for (const { client } of this._clients.values()) client.disconnect();
  }

  /** The status item's action: disconnect all if any is active, else connect every enabled one. */
  toggle(): 'connected' | 'disconnected' {
    if (this.isAnyActive) {
      this.disconnectAll();
      return 'disconnected';
    }
    this.connectAll();
    return 'connected';
  }

  /** Sends through one platform; rejects with a `ChatError` fit to show. */
  send(platform: PlatformId, text: string): Promise<void> {
    const client = this.client(platform);
    if (!client) {
      return Promise.reject(
        new ChatError(
          'NOT_ENABLED',
          `${PLATFORM_LABELS[platform]} is not enabled (setting streamChat.${platform}.enabled).`,
          'config',
        ),
      );
    }
    return client.send(text);
  }

  /**
   * Performs a moderation action through one platform and applies the ops it returns (for
   * platforms that broadcast nothing afterwards). Rejects with a `ChatError` fit to show: the
   * platform's own refusal, or why the account cannot moderate there.
   */
  async moderate(platform: PlatformId, request: ModerationRequest): Promise<ModerationResult> {
    const client = this.client(platform);
    if (!client) {
      throw new ChatError(
        'NOT_ENABLED',
        `${PLATFORM_LABELS[platform]} is not enabled (setting streamChat.${platform}.enabled).`,
        'config',
      );
    }
    const moderation = client.moderation;
    const capability = moderation?.capability ?? CANNOT_MODERATE;
    if (!moderation || !capability.canModerate) {
      throw new ChatError(
        'CANNOT_MODERATE',
        capability.reason ?? `${PLATFORM_LABELS[platform]}: this account cannot moderate.`,
        'auth',
      );
    }
    if (!capability.actions.includes(request.action)) {
      throw new ChatError(
        'UNSUPPORTED_ACTION',
        `${PLATFORM_LABELS[platform]} has no "${request.action}" action.`,
        'config',
      );
    }
    const result = await moderation.perform(request);
    for (const op of result.ops) this.apply(op);
    return result;
  }

  /** The scrollback, oldest first. */
  get messages(): ChatMessage[] {
    return this._timeline.messages();
  }

  get scrollback(): number {
    return this._timeline.scrollback;
  }

  set scrollback(value: number) {
    this._timeline.setScrollback(value);
  }

  /** Applies one op; appends of a message already seen are dropped. */
  apply(op: TimelineOp): void {
    if (this._timeline.apply(op)) this._onDidApply.fire(op);
  }

  /** Adds one of our own notices to the timeline. */
  notice(
    platform: PlatformId,
    text: string,
    severity: 'info' | 'warning' | 'error' = 'info',
  ): void {
    this.apply({
      op: 'append',
      message: systemNotice(platform, text, severity, this._clock.now()),
    });
  }

  override dispose(): void {
    for (const { subscriptions } of this._clients.values()) subscriptions.dispose();
    this._clients.clear();
    super.dispose();
  }

  private _noticeFor(platform: PlatformId, previous: ConnectionState, next: ConnectionState): void {
    const label = PLATFORM_LABELS[platform];
    const t = this._t;
    if (previous.kind === next.kind && next.kind !== 'failed') return;
    switch (next.kind) {
      case 'connected':
        this.notice(
          platform,
          next.detail
            ? next.readOnly
              ? t('{0}: connected (read-only) to {1}.', label, next.detail)
              : t('{0}: connected to {1}.', label, next.detail)
            : next.readOnly
              ? t('{0}: connected (read-only).', label)
              : t('{0}: connected.', label),
        );
        break;
      case 'disconnected':
        if (previous.kind !== 'failed') this.notice(platform, t('{0}: disconnected.', label));
        break;
      case 'reconnecting':
        if (previous.kind !== 'reconnecting')
          this.notice(
            platform,
            t('{0}: connection lost ({1}); reconnecting…', label, next.reason),
            'warning',
          );
        break;
      case 'failed':
        this.notice(platform, t('{0}: {1}', label, next.message), 'error');
        this._log.warn(`[${platform}] failed (${next.category}): ${next.message}`);
        break;
      case 'connecting':
        break;
    }
  }
}
