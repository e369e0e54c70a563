import { Channel, Socket } from 'phoenix';
import WebSocket from 'ws';
import { PlatformDeps } from '../../core/client';
import { ChatError } from '../../core/errors';
import { Emitter } from '../../core/event';
import { ReconnectingClient, Session, SessionContext } from '../../core/reconnectingClient';
import { CHANNEL_LOOKUP, CHAT_SUBSCRIPTION, CONTROL_TOPIC, HISTORY_QUERY, SEND_MUTATION, channelIdFrom, decodeFrame, graphqlErrors, historyNodes, mapChatMessage, subscriptionMessage } from './codec';

/** `streamChat.glimesh.*`, typed. */
export interface GlimeshSettings {
  readonly channel: string;
  readonly clientId: string;
  readonly apiUrl: string;
  readonly socketUrl: string;
}

export const GLIMESH_MAX_LENGTH = 255;

export function glimeshSettingsFrom(raw: Readonly<Record<string, unknown>>): GlimeshSettings {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  return {
    channel: text(raw.channel).replace(/^@/, ''),
    clientId: text(raw.clientId),
    apiUrl: text(raw.apiUrl) || 'https://glimesh.tv/api/graph',
    socketUrl: text(raw.socketUrl) || 'wss://glimesh.tv/api/graph/websocket',
  };
}

export interface GlimeshClientOptions {
  /** Phoenix heartbeat; a missing reply by the next beat ends the connection. */
  readonly heartbeatIntervalMs?: number;
  /** Join, subscribe and send replies wait this long. */
  readonly pushTimeoutMs?: number;
  readonly fetch?: typeof fetch;
}

type Credentials = { readonly kind: 'token'; readonly value: string } | { readonly kind: 'clientId'; readonly value: string };

/**
 * Glimesh chat over the official Phoenix client (`phoenix`, with `ws` as its transport) and
 * Absinthe subscriptions, plus GraphQL over HTTP for the channel id and history. One Phoenix
 * Socket per session: our ReconnectingClient owns retries, so on any close or channel error the
 * socket is torn down (Phoenix never reconnects by itself) and the next session re-joins,
 * re-subscribes and uses the new subscription id.
 */
export class GlimeshClient extends ReconnectingClient {
  private readonly _settings: GlimeshSettings;
  private readonly _getToken: () => Promise<string | undefined>;
  private readonly _options: GlimeshClientOptions;
  /** Ids already emitted, so history after a reconnect never repeats a line (bounded). */
  private readonly _seen = new Set<string>();

  constructor(deps: PlatformDeps<GlimeshSettings>, options: GlimeshClientOptions = {}) {
    super('glimesh', { log: deps.log, clock: deps.clock, maxLength: GLIMESH_MAX_LENGTH });
    this._settings = deps.settings;
    this._getToken = deps.getToken;
    this._options = options;
  }

  private _remember(id: string): boolean {
    if (this._seen.has(id)) return false;
    this._seen.add(id);
    if (this._seen.size > 5000) this._seen.delete(this._seen.values().next().value as string);
    return true;
  }

  private async _graphql(credentials: Credentials, query: string, variables: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Authorization: credentials.kind === 'token' ? `Bearer ${credentials.value}` : `Client-ID ${credentials.value}` };
    let res: Response;
    try {
      res = await (this._options.fetch ?? fetch)(this._settings.apiUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal });
    } catch (error) {
      throw new ChatError('GLIMESH_UNREACHABLE', `Glimesh is not reachable at ${safeOrigin(this._settings.apiUrl)}: ${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}.`, 'network');
    }
    if (res.status === 401 || res.status === 403) {
      throw new ChatError('GLIMESH_BAD_CREDENTIALS', credentials.kind === 'token' ? 'Glimesh refused the token. Set a valid one with Stream Chat: Set Token….' : 'Glimesh refused the client id (streamChat.glimesh.clientId).', 'auth');
    }
    if (!res.ok) throw new ChatError('GLIMESH_HTTP', `Glimesh answered HTTP ${res.status}.`, 'network');
    return res.json();
  }

  protected async openSession(ctx: SessionContext): Promise<Session> {
    const token = await this._getToken();
    const credentials: Credentials | undefined = token ? { kind: 'token', value: token } : this._settings.clientId ? { kind: 'clientId', value: this._settings.clientId } : undefined;
    if (!credentials) throw new ChatError('GLIMESH_NO_CREDENTIALS', 'Set a Glimesh token (Stream Chat: Set Token…) or a client id (streamChat.glimesh.clientId).', 'config');
    if (!this._settings.channel) throw new ChatError('GLIMESH_NO_CHANNEL', 'Set the Glimesh channel to join (streamChat.glimesh.channel).', 'config');

    const lookup = await this._graphql(credentials, CHANNEL_LOOKUP, { username: this._settings.channel }, ctx.signal);
    const channelId = channelIdFrom(lookup);
    if (!channelId) throw new ChatError('GLIMESH_UNKNOWN_CHANNEL', `Glimesh has no channel "${this._settings.channel}" (streamChat.glimesh.channel).`, 'config');

    const session = new GlimeshSession(ctx, this._settings, credentials, channelId, this._options, this.log, (node) => {
      const message = mapChatMessage(node, this._settings.channel, this.clock.now());
      if (!message) {
        this.log.warn('skipped a chat message without id or user');
        return;
      }
      if (this._remember(message.id)) ctx.emit({ op: 'append', message });
    });
    try {
      await session.open();
      // History after the subscription, so nothing falls between the two; duplicates are skipped.
      const history = await this._graphql(credentials, HISTORY_QUERY, { channelId }, ctx.signal).catch((error: unknown) => {
        this.log.warn(`history unavailable: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      session.deliverHistory(historyNodes(history));
    } catch (error) {
      session.dispose();
      throw error;
    }
    return session;
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the configured URL';
  }
}

class GlimeshSession implements Session {
  private readonly _onDidClose = new Emitter<ChatError>();
  readonly onDidClose = this._onDidClose.event;
  readonly readOnlyReason: string | undefined;
  readonly detail: string;
  private readonly _socket: Socket;
  private _channel: Channel | undefined;
  private _subscriptionId: string | undefined;
  private _closed = false;
  /** Live messages that arrive before history is in are held, so the order stays oldest-first. */
  private _held: unknown[] | undefined = [];

  constructor(
    private readonly _ctx: SessionContext,
    settings: GlimeshSettings,
    credentials: Credentials,
    private readonly _channelId: string,
    private readonly _options: GlimeshClientOptions,
    private readonly _log: { warn(m: string): void; info(m: string): void; debug(m: string): void },
    private readonly _deliver: (node: unknown) => void,
  ) {
    this.readOnlyReason = credentials.kind === 'clientId' ? 'Read-only: connected with a client id. Set a Glimesh token to chat.' : undefined;
    this.detail = `${settings.channel} on ${safeOrigin(settings.socketUrl)}`;
    // Phoenix appends /websocket itself; never log its endpoint URL (the token is in the query).
    const endpoint = settings.socketUrl.replace(/\/websocket\/?$/, '');
    const params = credentials.kind === 'token' ? { token: credentials.value } : { client_id: credentials.value };
    this._socket = new Socket(endpoint, {
      transport: WebSocket as unknown as typeof globalThis.WebSocket,
      params,
      vsn: '2.0.0',
      heartbeatIntervalMs: _options.heartbeatIntervalMs ?? 30_000,
      timeout: _options.pushTimeoutMs ?? 10_000,
      reconnectAfterMs: () => 2 ** 30,
      rejoinAfterMs: () => 2 ** 30,
      // Phoenix's own decoder throws on a frame that is not JSON; ours logs and skips it.
      decode: (raw: string, callback: (message: object) => void) => {
        const frame = decodeFrame(raw);
        if (frame.type === 'malformed') {
          _log.warn(`skipped a malformed Glimesh frame (${frame.reason})`);
          return;
        }
        callback({ join_ref: frame.joinRef, ref: frame.ref, topic: frame.topic, event: frame.event, payload: frame.payload });
      },
    });
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: ChatError) => {
        if (!settled) {
          settled = true;
          this._teardown();
          reject(error);
        } else this._end(error);
      };
      const abort = () => fail(new ChatError('ABORTED', 'Connecting was cancelled.', 'network'));
      this._ctx.signal.addEventListener('abort', abort, { once: true });
      this._socket.onError((error: unknown) => {
        const text = String((error as { message?: unknown })?.message ?? '');
        // Phoenix refuses a bad token at the upgrade: HTTP 403, no frames.
        if (/\b403\b/.test(text)) fail(new ChatError('GLIMESH_SOCKET_REFUSED', 'Glimesh refused the connection (HTTP 403): the token or client id is not valid.', 'auth'));
        else fail(new ChatError('GLIMESH_SOCKET', `Glimesh socket error${text ? `: ${text}` : ''}.`, 'network'));
      });
      this._socket.onClose((event: unknown) => {
        const code = (event as { code?: number })?.code;
        fail(new ChatError('GLIMESH_CLOSED', `Glimesh closed the connection${code ? ` (${code})` : ''}.`, 'network'));
      });
      this._socket.onMessage((message: object) => {
        const { topic, event, payload } = message as { topic: string; event: string; payload: unknown };
        if (event !== 'subscription:data') return;
        if (topic !== this._subscriptionId) {
          this._log.debug(`ignored a push for an unknown subscription`);
          return;
        }
        const node = subscriptionMessage(payload);
        if (node === undefined) this._log.warn('skipped a malformed subscription push');
        else if (this._held) this._held.push(node);
        else this._deliver(node);
      });
      this._socket.connect();
      const channel = this._socket.channel(CONTROL_TOPIC, {});
      this._channel = channel;
      channel.onError(() => fail(new ChatError('GLIMESH_CHANNEL_ERROR', 'the Glimesh chat channel failed (missed heartbeat or server error)', 'network')));
      channel
        .join()
        .receive('ok', () => {
          channel
            .push('doc', { query: CHAT_SUBSCRIPTION, variables: { channelId: this._channelId } })
            .receive('ok', (reply: { subscriptionId?: string }) => {
              if (!reply?.subscriptionId) return fail(new ChatError('GLIMESH_SUBSCRIBE', 'Glimesh did not return a subscription id.', 'protocol'));
              this._subscriptionId = reply.subscriptionId;
              settled = true;
              resolve();
            })
            .receive('error', (reply: unknown) => fail(new ChatError('GLIMESH_SUBSCRIBE', `Glimesh refused the chat subscription: ${graphqlErrors(reply).join(' ') || JSON.stringify(reply).slice(0, 200)}`, 'protocol')))
            .receive('timeout', () => fail(new ChatError('GLIMESH_TIMEOUT', 'Glimesh did not answer the chat subscription in time.', 'network')));
        })
        .receive('error', () => fail(new ChatError('GLIMESH_JOIN', 'Glimesh refused to join the chat channel.', 'protocol')))
        .receive('timeout', () => fail(new ChatError('GLIMESH_TIMEOUT', 'Glimesh did not answer the join in time.', 'network')));
    });
  }

  /** Emits history (oldest first), then whatever arrived live meanwhile. */
  deliverHistory(nodes: unknown[]): void {
    for (const node of nodes) this._deliver(node);
    const held = this._held ?? [];
    this._held = undefined;
    for (const node of held) this._deliver(node);
  }

  send(text: string): Promise<void> {
    const channel = this._channel;
    if (!channel || this._closed) return Promise.reject(new ChatError('NOT_CONNECTED', 'Not sent: Glimesh is not connected.', 'network'));
    return new Promise((resolve, reject) => {
      channel
        .push('doc', { query: SEND_MUTATION, variables: { channelId: this._channelId, message: text } })
        .receive('ok', (reply: unknown) => {
          const errors = graphqlErrors(reply);
          // Glimesh reports refusals (bans, length, scope) as GraphQL errors with status ok.
          if (errors.length > 0) reject(new ChatError('GLIMESH_REFUSED', errors.join(' '), 'protocol'));
          else resolve();
        })
        .receive('error', (reply: unknown) => reject(new ChatError('GLIMESH_REFUSED', graphqlErrors(reply).join(' ') || 'Glimesh refused the message.', 'protocol')))
        .receive('timeout', () => reject(new ChatError('SEND_TIMEOUT', 'Not sent: Glimesh did not confirm the message in time.', 'network')));
    });
  }

  private _end(error: ChatError): void {
    if (this._closed) return;
    this._teardown();
    this._onDidClose.fire(error);
  }

  private _teardown(): void {
    if (this._closed) return;
    this._closed = true;
    try {
      this._channel?.leave();
    } catch {
      // the socket may already be gone
    }
    this._socket.disconnect();
  }

  dispose(): void {
    this._teardown();
    this._onDidClose.dispose();
  }
}

export function createGlimeshClient(deps: PlatformDeps<GlimeshSettings>, options?: GlimeshClientOptions): GlimeshClient {
  return new GlimeshClient(deps, options);
}

/** The composition root's factory: raw `streamChat.glimesh.*` settings in, a client out. */
export function glimeshPlatformFactory(deps: PlatformDeps<Readonly<Record<string, unknown>>>): GlimeshClient {
  return new GlimeshClient({ ...deps, settings: glimeshSettingsFrom(deps.settings) });
}
