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
  plainText,
  systemNotice,
} from './message';
import { ConnectionState, DISCONNECTED, isActive } from './state';

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

interface Entry {
  readonly key: string;
  message: ChatMessage;
}

const keyOf = (platform: PlatformId, channel: string, id: string) =>
  `${platform}\u0000${channel}\u0000${id}`;
/** What a repeat of a message looks like: the same author saying the same thing. */
const fingerprint = (m: ChatMessage) => `${m.author?.name ?? ''}\u0000${plainText(m)}`;

/**
 * Owns the platform clients and the merged timeline: de-duplicates messages by (platform, id),
 * keeps the last `scrollback` lines, applies moderation, and turns state changes into notices.
 * It knows nothing of VS Code; the chat view and status item listen to it.
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
  private _entries: Entry[] = [];
  private readonly _byKey = new Map<string, Entry>();
  /** Keys that left the scrollback recently: a history refetch must not bring them back. */
  private readonly _evicted = new Map<string, string>();
  private _scrollback: number;
  private readonly _clock: Clock;
  private readonly _log: Logger;
  private readonly _t: Translate;

  /** `t` localises the hub's own sentences (notices, reasons): the host passes vscode.l10n.t. */
  constructor(options: { scrollback: number; log: Logger; clock?: Clock; t?: Translate }) {
    super();
    this._scrollback = options.scrollback;
    this._clock = options.clock ?? systemClock;
    this._log = options.log;
    this._t = options.t ?? english;
  }

  /** Installs (or with `undefined`, removes) a platform's client, disposing the previous one. */
  setClient(platform: PlatformId, client: PlatformClient | undefined): void {
    const previous = this._clients.get(platform);
    if (previous) {
      previous.subscriptions.dispose();
      previous.client.dispose();
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
    const start = Math.max(0, this._entries.length - this._scrollback);
    return this._entries.slice(start).map((e) => e.message);
  }

  get scrollback(): number {
    return this._scrollback;
  }

  set scrollback(value: number) {
    this._scrollback = value;
    this._trim();
  }

  /** Applies one op; appends of a message already seen are dropped. */
  apply(op: TimelineOp): void {
    switch (op.op) {
      case 'append': {
        const m = op.message;
        // An empty id is no id: nothing to de-duplicate on.
        if (!m.id) {
          this._entries.push({ key: '', message: m });
          this._trim();
          break;
        }
        const key = keyOf(m.platform, m.channel, m.id);
        const seen = this._byKey.get(key)?.message;
        const seenPrint = seen ? fingerprint(seen) : this._evicted.get(key);
        // The same id saying the same thing is a repeat (history overlap, an echo); the same id
        // saying something else is a restarted server counting from 1 again: a new message.
        if (seenPrint !== undefined && seenPrint === fingerprint(m)) return;
        const entry = { key, message: m };
        this._entries.push(entry);
        this._byKey.set(key, entry);
        this._trim();
        break;
      }
      case 'delete':
        for (const id of op.ids) {
          // Delete ops name no channel: every channel's line with that id on the platform.
          for (const entry of this._entries) {
            if (
              entry.message.platform === op.platform &&
              entry.message.id === id &&
              this._byKey.get(entry.key) === entry
            )
              entry.message = markDeleted(entry.message);
          }
        }
        break;
      case 'purgeUser':
        for (const entry of this._entries) {
          const m = entry.message;
          if (m.platform === op.platform && m.author?.id === op.userId && m.kind === 'chat')
            entry.message = markDeleted(m);
        }
        break;
      case 'clear':
        this._entries = this._entries.filter((entry) => {
          const drop = entry.message.platform === op.platform && entry.message.kind === 'chat';
          if (drop && this._byKey.get(entry.key) === entry) this._byKey.delete(entry.key);
          return !drop;
        });
        break;
    }
    this._onDidApply.fire(op);
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
    for (const { client, subscriptions } of this._clients.values()) {
      subscriptions.dispose();
      client.dispose();
    }
    this._clients.clear();
    super.dispose();
  }

  private _trim(): void {
    // Let the array run over by 1/8 before cutting, so a steady stream costs one splice per
    // many messages instead of one per message; `messages` hides the slack.
    const slack = Math.max(1, this._scrollback >> 3);
    if (this._entries.length <= this._scrollback + slack) return;
    const removed = this._entries.splice(0, this._entries.length - this._scrollback);
    for (const entry of removed) {
      if (!entry.key || this._byKey.get(entry.key) !== entry) continue;
      this._byKey.delete(entry.key);
      this._evicted.set(entry.key, fingerprint(entry.message));
    }
    // Remember evicted keys up to twice the scrollback: enough for any history overlap.
    const overflow = this._evicted.size - this._scrollback * 2;
    if (overflow > 0) {
      let dropped = 0;
      for (const key of this._evicted.keys()) {
        if (dropped++ >= overflow) break;
        this._evicted.delete(key);
      }
    }
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

function markDeleted(message: ChatMessage): ChatMessage {
  return message.flags.deleted
    ? message
    : { ...message, flags: { ...message.flags, deleted: true } };
}
