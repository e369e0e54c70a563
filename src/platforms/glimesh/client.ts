import { Channel, Socket } from 'phoenix';
import WebSocket from 'ws';
import { BackoffOptions } from '../../core/backoff';
import { PlatformDeps } from '../../core/client';
import { ChatError, toChatError } from '../../core/errors';
import { Emitter } from '../../core/event';
import { Clock } from '../../core/clock';
import { MutableDisposable } from '../../core/lifecycle';
import { DEFAULT_LIVENESS, LivenessOptions, SocketLiveness } from '../../core/liveness';
import { Logger } from '../../core/log';
import { displayUrl } from '../../core/origin';
import { ReconnectingClient, Session, SessionContext } from '../../core/reconnectingClient';
import {
  CONTROL_TOPIC,
  GlimeshSelf,
  GraphqlRequest,
  NOT_FOUND_SENTENCE,
  channelLookupRequest,
  classifyFrame,
  decodeFrame,
  graphqlErrors,
  historyNodes,
  historyRequest,
  mapChatMessage,
  readChannelLookup,
  replyErrorText,
  sendRequest,
  subscriptionRequest,
} from './codec';
import { GlimeshModeration } from './moderation';

/** The `streamChat.glimesh.*` settings (except `enabled`). */
export interface GlimeshSettings {
  /** Streamer username whose chat to join. */
  readonly channel: string;
  /** Public client id, for read-only chat without a token. */
  readonly clientId: string;
  /** GraphQL over HTTP (channel lookup, history). */
  readonly apiUrl: string;
  /** The Phoenix socket, including its `/websocket` suffix. */
  readonly socketUrl: string;
}

/** The contract's default GraphQL endpoint. */
export const DEFAULT_GLIMESH_API_URL = 'https://glimesh.tv/api/graph';
/** The contract's default socket. */
export const DEFAULT_GLIMESH_SOCKET_URL = 'wss://glimesh.tv/api/graph/websocket';
/** Glimesh validates `validate_length(:message, min: 1, max: 255)` (graphemes). */
export const GLIMESH_MAX_LENGTH = 255;

/** Reads raw `streamChat.glimesh.*` values (as the composition root has them) into typed settings. */
export function glimeshSettingsFrom(raw: Readonly<Record<string, unknown>>): GlimeshSettings {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  return {
    channel: channelName(text(raw.channel)),
    clientId: text(raw.clientId),
    apiUrl: text(raw.apiUrl) || DEFAULT_GLIMESH_API_URL,
    socketUrl: text(raw.socketUrl) || DEFAULT_GLIMESH_SOCKET_URL,
  };
}

/** `@Name`, `glimesh.tv/Name` or a channel URL → `Name`. */
function channelName(value: string): string {
  const fromUrl = /^(?:https?:\/\/)?(?:www\.)?glimesh\.tv\/([^/?#\s]+)/i.exec(value);
  return (fromUrl ? fromUrl[1]! : value).replace(/^@/, '');
}

/** Knobs for tests and tuning; the defaults are Glimesh's and Phoenix's. */
export interface GlimeshClientOptions {
  /** Phoenix heartbeat; a heartbeat without a reply by the next one ends the connection. */
  readonly heartbeatIntervalMs?: number;
  /** How long the join, the subscription and each sent message wait for their reply. */
  readonly pushTimeoutMs?: number;
  /** Timeout of each GraphQL request over HTTP. */
  readonly requestTimeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly backoff?: BackoffOptions;
  /** Websocket pings (default: every 15 s, dead after 15 s without a pong). */
  readonly liveness?: LivenessOptions;
  readonly stableAfterMs?: number;
  readonly maxQueued?: number;
  readonly queueTimeoutMs?: number;
}

const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;
const DEFAULT_PUSH_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Ids remembered to drop repeats (history after a reconnect overlaps what was shown). */
const SEEN_IDS = 5000;

type Credentials =
  | { readonly kind: 'token'; readonly value: string }
  | { readonly kind: 'clientId'; readonly value: string };

/** The channel a username resolved to, kept across reconnects (it does not change). */
interface ResolvedChannel {
  readonly id: string;
  readonly self?: GlimeshSelf;
}

/**
 * Glimesh chat over the official Phoenix client (`phoenix`, with `ws` as its transport) and
 * Absinthe subscriptions, plus GraphQL over HTTP for the channel id and history. Each session
 * opens the socket first (so a refused token is one HTTP 403 at the upgrade), joins the control
 * channel, subscribes to the channel's chat with variables, then back-fills the last 50 messages.
 * One Phoenix Socket per session: our ReconnectingClient owns retries, so any close, channel error
 * or missed heartbeat tears the socket down (Phoenix never reconnects by itself) and the next
 * session joins and subscribes again with a new subscription id.
 */
export class GlimeshClient extends ReconnectingClient {
  private readonly _settings: GlimeshSettings;
  private readonly _getToken: () => Promise<string | undefined>;
  private readonly _options: GlimeshClientOptions;
  private readonly _seen = new RecentIds(SEEN_IDS);
  private _channel: ResolvedChannel | undefined;
  /** Delete, time out, ban, unban, for a token's account. */
  readonly moderation: GlimeshModeration;

  constructor(deps: PlatformDeps<GlimeshSettings>, options: GlimeshClientOptions = {}) {
    // ReconnectingClient defaults every option left undefined.
    super('glimesh', {
      log: deps.log,
      redact: deps.redact,
      maxLength: GLIMESH_MAX_LENGTH,
      clock: deps.clock,
      backoff: options.backoff,
      stableAfterMs: options.stableAfterMs,
      maxQueued: options.maxQueued,
      queueTimeoutMs: options.queueTimeoutMs,
    });
    this._settings = deps.settings;
    this._getToken = deps.getToken;
    this._options = options;
    this.moderation = this._register(new GlimeshModeration(this.log));
  }

  override disconnect(): void {
    this.moderation.detach();
    super.disconnect();
  }

  /** Glimesh counts characters as graphemes; so do we, so that no valid message is refused. */
  protected override validate(text: string): ChatError | undefined {
    if (text.trim().length === 0)
      return new ChatError('EMPTY_MESSAGE', 'The message is empty.', 'config');
    const length = graphemeCount(text);
    if (length > GLIMESH_MAX_LENGTH) {
      return new ChatError(
        'MESSAGE_TOO_LONG',
        `Glimesh accepts at most ${GLIMESH_MAX_LENGTH} characters; this message has ${length}.`,
        'config',
      );
    }
    return undefined;
  }

  protected async openSession(ctx: SessionContext): Promise<Session> {
    const settings = this._settings;
    const token = await this._getToken();
    if (ctx.signal.aborted) throw aborted();
    const credentials: Credentials | undefined = token
      ? { kind: 'token', value: token }
      : settings.clientId
        ? { kind: 'clientId', value: settings.clientId }
        : undefined;
    if (!credentials) {
      throw new ChatError(
        'GLIMESH_NO_CREDENTIALS',
        'Set a Glimesh token (Stream Chat: Set Token…) or a client id (streamChat.glimesh.clientId).',
        'config',
      );
    }
    if (!settings.channel)
      throw new ChatError(
        'GLIMESH_NO_CHANNEL',
        'Set the Glimesh channel to join (streamChat.glimesh.channel).',
        'config',
      );
    const endpoint = socketEndpoint(settings.socketUrl);
    const apiUrl = httpUrl(settings.apiUrl);

    this.log.info(
      `connecting to ${endpoint.display} with a ${credentials.kind === 'token' ? 'token' : 'client id (read-only)'}`,
    );
    const session = new GlimeshSession(ctx, endpoint, credentials, {
      channel: settings.channel,
      clock: this.clock,
      liveness: this._options.liveness ?? DEFAULT_LIVENESS,
      heartbeatIntervalMs: this._options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      pushTimeoutMs: this._options.pushTimeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS,
      log: this.log,
    });
    try {
      await session.join();
      const channel = this._channel ?? (await this._lookUpChannel(apiUrl, credentials, ctx.signal));
      this._channel = channel;
      session.deliver = (node) => this._deliver(node, channel.self, ctx);
      await session.subscribe(channel.id);
      // History after the subscription, so nothing falls between the two; repeats are dropped.
      const history = await this._graphql(
        apiUrl,
        credentials,
        historyRequest(channel.id),
        ctx.signal,
      ).catch((error: unknown) => {
        if (ctx.signal.aborted) throw aborted();
        this.log.warn(`history unavailable: ${toChatError(error).message}`);
        return undefined;
      });
      session.release(historyNodes(history));
      this.log.info(
        `joined ${settings.channel} (channel ${channel.id})${credentials.kind === 'clientId' ? ', read-only' : ''}`,
      );
      this._attachModeration(apiUrl, credentials, channel.id, session);
      return session;
    } catch (error) {
      session.dispose();
      throw toChatError(error);
    }
  }

  private _attachModeration(
    apiUrl: string,
    credentials: Credentials,
    channelId: string,
    session: Session,
  ): void {
    if (credentials.kind !== 'token') {
      this.moderation.detach(
        'Glimesh: connected with a client id, so you cannot moderate. Set a token to moderate.',
      );
      return;
    }
    session.onDidClose(() => this.moderation.detach());
    void this.moderation.attach({
      channelId,
      // The token is read for each request, as for sending.
      graphql: async (request) => {
        const token = await this._getToken();
        if (!token)
          throw new ChatError('GLIMESH_NO_TOKEN', 'Set a Glimesh token to moderate.', 'auth');
        return this._graphql(
          apiUrl,
          { kind: 'token', value: token },
          request,
          new AbortController().signal,
        );
      },
    });
  }

  private _deliver(node: unknown, self: GlimeshSelf | undefined, ctx: SessionContext): void {
    const message = mapChatMessage(node, this._settings.channel, this.clock.now(), self);
    if (!message) {
      this.log.warn('skipped a chat message without an id or a user');
      return;
    }
    if (this._seen.add(message.id)) ctx.emit({ op: 'append', message });
  }

  private async _lookUpChannel(
    apiUrl: string,
    credentials: Credentials,
    signal: AbortSignal,
  ): Promise<ResolvedChannel> {
    // `myself` needs a user behind the credential, so only a token asks for it.
    const body = await this._graphql(
      apiUrl,
      credentials,
      channelLookupRequest(this._settings.channel, credentials.kind === 'token'),
      signal,
    );
    const lookup = readChannelLookup(body);
    if (lookup.channelId)
      return { id: lookup.channelId, ...(lookup.self ? { self: lookup.self } : {}) };
    const errors = lookup.errors.filter((e) => e !== NOT_FOUND_SENTENCE);
    if (errors.length > 0)
      throw new ChatError(
        'GLIMESH_LOOKUP_FAILED',
        `Glimesh could not look up the channel: ${errors.join(' ')}`,
        'protocol',
      );
    throw new ChatError(
      'GLIMESH_UNKNOWN_CHANNEL',
      `Glimesh has no channel "${this._settings.channel}" (streamChat.glimesh.channel).`,
      'config',
    );
  }

  /** One GraphQL request over HTTP, with the credential as its Authorization header. */
  private async _graphql(
    apiUrl: string,
    credentials: Credentials,
    request: GraphqlRequest,
    signal: AbortSignal,
  ): Promise<unknown> {
    const timeoutMs = this._options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const controller = new AbortController();
    let timedOut = false;
    const timer = this.clock.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const where = originOf(apiUrl);
    try {
      let response: Response;
      try {
        response = await (this._options.fetch ?? fetch)(apiUrl, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json',
            Authorization:
              credentials.kind === 'token'
                ? `Bearer ${credentials.value}`
                : `Client-ID ${credentials.value}`,
          },
          body: JSON.stringify(request),
          signal: controller.signal,
        });
      } catch (error) {
        if (signal.aborted) throw aborted();
        if (timedOut)
          throw new ChatError(
            'GLIMESH_HTTP_TIMEOUT',
            `Glimesh did not answer within ${Math.round(timeoutMs / 1000)} s (${where}).`,
            'network',
          );
        const cause =
          error instanceof Error
            ? ((error.cause as Error | undefined)?.message ?? error.message)
            : String(error);
        throw new ChatError(
          'GLIMESH_UNREACHABLE',
          `Glimesh is not reachable at ${where}: ${cause}.`,
          'network',
        );
      }
      const text = await response.text().catch(() => '');
      if (response.status === 401 || response.status === 403) {
        const said = graphqlErrors(safeJson(text)).join(' ');
        throw new ChatError(
          'GLIMESH_BAD_CREDENTIALS',
          credentials.kind === 'token'
            ? `Glimesh refused the token${said ? ` ("${said}")` : ''}. Set the Glimesh token again with "Stream Chat: Set Token…".`
            : `Glimesh refused the client id${said ? ` ("${said}")` : ''} (streamChat.glimesh.clientId).`,
          'auth',
        );
      }
      if (response.status === 404)
        throw new ChatError(
          'GLIMESH_NOT_FOUND',
          `Glimesh has no GraphQL API at ${displayUrl(apiUrl)} (HTTP 404): check streamChat.glimesh.apiUrl.`,
          'config',
        );
      if (!response.ok) {
        // Retry-After (seconds) on 429/503: the next try waits at least that long.
        const retryAfter = Number(response.headers?.get('retry-after'));
        const retryAfterMs =
          (response.status === 429 || response.status === 503) &&
          Number.isFinite(retryAfter) &&
          retryAfter > 0
            ? Math.min(retryAfter, 3600) * 1000
            : undefined;
        throw new ChatError(
          'GLIMESH_HTTP',
          `Glimesh answered HTTP ${response.status} (${where}).`,
          response.status >= 500 || response.status === 429 ? 'network' : 'protocol',
          { retryAfterMs },
        );
      }
      const body = safeJson(text);
      if (body === undefined)
        throw new ChatError(
          'GLIMESH_NOT_JSON',
          `Glimesh answered with something that is not JSON (${where}).`,
          'protocol',
        );
      return body;
    } finally {
      timer.dispose();
      signal.removeEventListener('abort', onAbort);
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function aborted(): ChatError {
  return new ChatError('ABORTED', 'Connecting was cancelled.', 'network');
}

function originOf(url: string): string {
  try {
    return new URL(url).host || 'the configured URL';
  } catch {
    return 'the configured URL';
  }
}

let segmenter: Intl.Segmenter | undefined;
function graphemeCount(text: string): number {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/** Where Phoenix connects: it appends `/websocket` itself, so it gets the base without it. */
interface SocketEndpoint {
  readonly base: string;
  /** Extra query parameters the setting carried (never token, client_id or vsn). */
  readonly params: Readonly<Record<string, string>>;
  /** For logs and tooltips: no query, so never a credential. */
  readonly display: string;
}

function socketEndpoint(setting: string): SocketEndpoint {
  let url: URL;
  try {
    url = new URL(setting);
  } catch {
    throw new ChatError(
      'GLIMESH_BAD_SOCKET_URL',
      'streamChat.glimesh.socketUrl is not a URL (e.g. wss://glimesh.tv/api/graph/websocket).',
      'config',
    );
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) {
    throw new ChatError(
      'GLIMESH_BAD_SOCKET_URL',
      'streamChat.glimesh.socketUrl must start with wss:// or ws://.',
      'config',
    );
  }
  if (url.username || url.password) {
    throw new ChatError(
      'GLIMESH_BAD_SOCKET_URL',
      'streamChat.glimesh.socketUrl must not contain a user name or password (Glimesh authenticates with its token).',
      'config',
    );
  }
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams)
    if (!['token', 'client_id', 'vsn'].includes(key)) params[key] = value;
  const path = url.pathname.replace(/\/+$/, '').replace(/\/websocket$/, '');
  const base = `${url.protocol}//${url.host}${path}`;
  return { base, params, display: `${url.protocol}//${url.host}${path}/websocket` };
}

function httpUrl(setting: string): string {
  try {
    const url = new URL(setting);
    if (url.username || url.password) {
      throw new ChatError(
        'GLIMESH_BAD_API_URL',
        'streamChat.glimesh.apiUrl must not contain a user name or password (Glimesh authenticates with its token).',
        'config',
      );
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') return setting;
  } catch (error) {
    if (error instanceof ChatError) throw error;
    // reported below
  }
  throw new ChatError(
    'GLIMESH_BAD_API_URL',
    'streamChat.glimesh.apiUrl must be an http(s) URL (e.g. https://glimesh.tv/api/graph).',
    'config',
  );
}

/** A bounded set of recent ids, oldest forgotten first. */
class RecentIds {
  private readonly _ids = new Set<string>();
  constructor(private readonly _max: number) {}

  /** Adds the id; false when it was already there. */
  add(id: string): boolean {
    if (this._ids.has(id)) return false;
    this._ids.add(id);
    if (this._ids.size > this._max) this._ids.delete(this._ids.values().next().value as string);
    return true;
  }
}

interface SessionOptions {
  readonly clock: Clock;
  readonly liveness: LivenessOptions;
  readonly channel: string;
  readonly heartbeatIntervalMs: number;
  readonly pushTimeoutMs: number;
  readonly log: Logger;
}

/**
 * One Phoenix socket with the Absinthe control channel joined and (after `subscribe`) one chat
 * subscription. Ends exactly once: `onDidClose` on any loss, nothing after `dispose()`.
 */
class GlimeshSession implements Session {
  private readonly _onDidClose = new Emitter<ChatError>();
  readonly onDidClose = this._onDidClose.event;
  readonly readOnlyReason: string | undefined;
  readonly detail: string;
  /** Where chat nodes go once history is in; set by the client before subscribing. */
  deliver: (node: unknown) => void = () => undefined;

  private readonly _socket: Socket;
  private readonly _channel: Channel;
  private _subscriptionId: string | undefined;
  private _channelId = '';
  /** Live messages held until history is delivered, so the timeline stays oldest-first. */
  private _held: unknown[] | undefined = [];
  /** Sends awaiting their reply; failed at once when the session ends. */
  private readonly _pendingSends = new Set<(error: ChatError) => void>();
  /** Set while joining: how a failure before the session is established is reported. */
  private _failOpen: ((error: ChatError) => void) | undefined;
  private _closed = false;
  private readonly _log: Logger;
  private readonly _pushTimeoutMs: number;
  private readonly _credentialKind: Credentials['kind'];
  private readonly _liveness = new MutableDisposable<SocketLiveness>();
  private readonly _clock: Clock;
  private readonly _livenessOptions: LivenessOptions;

  constructor(
    private readonly _ctx: SessionContext,
    endpoint: SocketEndpoint,
    credentials: Credentials,
    options: SessionOptions,
  ) {
    this._log = options.log;
    this._pushTimeoutMs = options.pushTimeoutMs;
    this._credentialKind = credentials.kind;
    this._clock = options.clock;
    this._livenessOptions = options.liveness;
    this.readOnlyReason =
      credentials.kind === 'clientId'
        ? 'Read-only: connected with a client id. Set a Glimesh token to chat.'
        : undefined;
    this.detail = `${options.channel} on ${originOf(endpoint.display)}${credentials.kind === 'clientId' ? ' (read-only)' : ''}`;
    // Exactly one credential: with both, Glimesh lets client_id win and the socket is read-only.
    const params = {
      ...endpoint.params,
      ...(credentials.kind === 'token'
        ? { token: credentials.value }
        : { client_id: credentials.value }),
    };
    // No `logger`: Phoenix logs its endpoint URL, and the URL carries the token.
    this._socket = new Socket(endpoint.base, {
      transport: WebSocket as unknown as typeof globalThis.WebSocket,
      params,
      vsn: '2.0.0',
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      timeout: options.pushTimeoutMs,
      // Our ReconnectingClient owns retries; the session is torn down long before these fire.
      reconnectAfterMs: () => 2 ** 30,
      rejoinAfterMs: () => 2 ** 30,
      decode: (raw: unknown, callback: (message: object) => void) => this._decode(raw, callback),
    });
    this._channel = this._socket.channel(CONTROL_TOPIC, {});
  }

  /** Opens the socket and joins the control channel. */
  join(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: ChatError) => {
        if (settled) return;
        settled = true;
        this._failOpen = undefined;
        this._ctx.signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => settle(aborted());
      this._failOpen = (error) => settle(error);
      this._ctx.signal.addEventListener('abort', onAbort, { once: true });
      if (this._ctx.signal.aborted) return settle(aborted());

      this._socket.onError((error: unknown) => {
        const text = String((error as { message?: unknown } | undefined)?.message ?? '');
        // Phoenix refuses a bad token or client id at the upgrade: HTTP 403, no frames.
        if (/\b403\b/.test(text)) {
          const what =
            this._credentialKind === 'token'
              ? 'the token is not valid. Set the Glimesh token again with "Stream Chat: Set Token…".'
              : 'the client id (streamChat.glimesh.clientId) is not valid.';
          this._fail(
            new ChatError(
              'GLIMESH_SOCKET_REFUSED',
              `Glimesh refused the connection (HTTP 403): ${what}`,
              'auth',
            ),
          );
        } else if (/\b404\b/.test(text)) {
          this._fail(
            new ChatError(
              'GLIMESH_SOCKET_NOT_FOUND',
              'Glimesh has no socket at streamChat.glimesh.socketUrl (HTTP 404).',
              'config',
            ),
          );
        } else {
          this._fail(
            new ChatError(
              'GLIMESH_SOCKET_ERROR',
              `Glimesh socket error${text ? `: ${stripQuery(text)}` : ''}.`,
              'network',
            ),
          );
        }
      });
      this._socket.onClose((event: unknown) => {
        const code = (event as { code?: unknown } | undefined)?.code;
        this._fail(
          new ChatError(
            'GLIMESH_CLOSED',
            `Glimesh closed the connection${typeof code === 'number' ? ` (${code})` : ''}.`,
            'network',
          ),
        );
      });
      this._channel.onError((reason: unknown) => {
        const why = (reason as { reason?: unknown } | undefined)?.reason;
        this._fail(
          why === 'heartbeat_timeout'
            ? new ChatError(
                'GLIMESH_HEARTBEAT_TIMEOUT',
                'Glimesh did not answer a heartbeat: the connection is dead.',
                'network',
              )
            : new ChatError(
                'GLIMESH_CHANNEL_ERROR',
                `The Glimesh chat channel failed${typeof why === 'string' ? ` (${why})` : ''}.`,
                'network',
              ),
        );
      });
      this._channel.onClose(() =>
        this._fail(
          new ChatError('GLIMESH_CHANNEL_CLOSED', 'Glimesh closed the chat channel.', 'network'),
        ),
      );

      this._socket.onOpen(() => this._watch());
      this._socket.connect();
      this._channel
        .join(this._pushTimeoutMs)
        .receive('ok', () => settle())
        .receive('error', (response: unknown) =>
          this._fail(
            new ChatError(
              'GLIMESH_JOIN_REFUSED',
              `Glimesh refused to join the chat channel${suffix(replyErrorText(response))}.`,
              'protocol',
            ),
          ),
        )
        .receive('timeout', () =>
          this._fail(
            new ChatError(
              'GLIMESH_JOIN_TIMEOUT',
              'Glimesh did not answer the join in time.',
              'network',
            ),
          ),
        );
    });
  }

  /** Subscribes to one channel's chat (with variables) and remembers the subscription id. */
  subscribe(channelId: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: ChatError) => {
        if (settled) return;
        settled = true;
        this._failOpen = undefined;
        if (error) reject(error);
        else resolve();
      };
      this._failOpen = (error) => settle(error);
      if (this._closed)
        return settle(new ChatError('GLIMESH_CLOSED', 'Glimesh closed the connection.', 'network'));
      this._channelId = channelId;
      this._channel
        .push('doc', { ...subscriptionRequest(channelId) }, this._pushTimeoutMs)
        .receive('ok', (response: unknown) => {
          const id = (response as { subscriptionId?: unknown } | undefined)?.subscriptionId;
          if (typeof id !== 'string' || !id)
            return settle(
              new ChatError(
                'GLIMESH_SUBSCRIBE',
                'Glimesh did not return a subscription id.',
                'protocol',
              ),
            );
          this._subscriptionId = id;
          settle();
        })
        .receive('error', (response: unknown) =>
          settle(
            new ChatError(
              'GLIMESH_SUBSCRIBE',
              `Glimesh refused the chat subscription${suffix(replyErrorText(response))}.`,
              'protocol',
            ),
          ),
        )
        .receive('timeout', () =>
          settle(
            new ChatError(
              'GLIMESH_SUBSCRIBE_TIMEOUT',
              'Glimesh did not answer the chat subscription in time.',
              'network',
            ),
          ),
        );
    });
  }

  /** Delivers history (oldest first), then the live messages that arrived meanwhile. */
  release(history: readonly unknown[]): void {
    for (const node of history) this.deliver(node);
    const held = this._held ?? [];
    this._held = undefined;
    for (const node of held) this.deliver(node);
  }

  send(text: string): Promise<void> {
    if (this._closed)
      return Promise.reject(
        new ChatError('NOT_CONNECTED', 'Not sent: Glimesh is not connected.', 'network'),
      );
    return new Promise<void>((resolve, reject) => {
      const fail = (error: ChatError) => {
        this._pendingSends.delete(fail);
        reject(error);
      };
      this._pendingSends.add(fail);
      this._channel
        .push('doc', { ...sendRequest(this._channelId, text) }, this._pushTimeoutMs)
        .receive('ok', (response: unknown) => {
          // Glimesh reports refusals (bans, length, scope) as GraphQL errors with status ok.
          const errors = graphqlErrors(response);
          if (errors.length > 0)
            return fail(new ChatError('GLIMESH_REFUSED', refusal(errors), 'protocol'));
          this._pendingSends.delete(fail);
          resolve();
        })
        .receive('error', (response: unknown) =>
          fail(
            new ChatError(
              'GLIMESH_REFUSED',
              refusal(graphqlErrors(response), replyErrorText(response)),
              'protocol',
            ),
          ),
        )
        .receive('timeout', () =>
          fail(
            new ChatError(
              'SEND_TIMEOUT',
              'Not sent: Glimesh did not confirm the message in time.',
              'network',
            ),
          ),
        );
    });
  }

  dispose(): void {
    this._teardown(new ChatError('DISPOSED', 'Not sent: the connection was closed.', 'network'));
    this._onDidClose.dispose();
  }

  /**
   * Websocket pings on the socket Phoenix opened (its `conn`, a `ws` WebSocket): Phoenix's own
   * heartbeat takes up to two intervals to notice a half-open connection; a pong missing for 15 s
   * ends the session sooner.
   */
  private _watch(): void {
    const conn = (this._socket as unknown as { conn?: unknown }).conn;
    if (this._closed || !(conn instanceof WebSocket)) return;
    this._liveness.value = new SocketLiveness(
      conn,
      this._clock,
      this._livenessOptions,
      (error) => this._fail(error),
      'Glimesh',
    );
    this._liveness.value.start();
  }

  /** Phoenix's decode hook: our tolerant decoder, and subscription pushes routed here. */
  private _decode(raw: unknown, callback: (message: object) => void): void {
    const frame = decodeFrame(raw);
    if (frame.type === 'malformed') {
      this._log.warn(`skipped a malformed Glimesh frame (${frame.reason})`);
      return;
    }
    const meaning = classifyFrame(frame);
    if (meaning.type === 'subscriptionData') {
      if (meaning.subscriptionId !== this._subscriptionId) {
        this._log.warn('skipped a push for a subscription this session does not have');
      } else if (meaning.errors.length > 0 || meaning.message === undefined) {
        this._log.warn(
          `skipped a subscription push without a chat message${suffix(meaning.errors.join(' '))}`,
        );
      } else if (this._held) this._held.push(meaning.message);
      else this.deliver(meaning.message);
      return;
    }
    if (meaning.type === 'unknown' && frame.topic !== CONTROL_TOPIC && frame.topic !== 'phoenix') {
      this._log.warn(`skipped a Glimesh frame for an unknown topic (${frame.event})`);
      return;
    }
    try {
      callback({
        join_ref: frame.joinRef,
        ref: frame.ref,
        topic: frame.topic,
        event: frame.event,
        payload: frame.payload,
      });
    } catch (error) {
      // Nothing may throw out of the socket's message handler.
      this._log.warn(
        `a Glimesh frame could not be handled: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Ends the session: rejects the open step if still opening, else fires `onDidClose` once. */
  private _fail(error: ChatError): void {
    if (this._closed) return;
    const failOpen = this._failOpen;
    this._teardown(error);
    if (failOpen) failOpen(error);
    else this._onDidClose.fire(error);
  }

  private _teardown(error: ChatError): void {
    if (this._closed) return;
    this._closed = true;
    this._held = undefined;
    this._liveness.clear();
    for (const fail of [...this._pendingSends]) {
      fail(
        new ChatError(
          error.code === 'DISPOSED' ? 'DISCONNECTED' : 'CONNECTION_LOST',
          `Not sent: the connection to Glimesh ended before it confirmed the message (${error.message})`,
          'network',
        ),
      );
    }
    // disconnect() stops the socket's timers; leave() on the now closed socket then clears the
    // channel's rejoin and join timers at once (a polite phx_leave would only arm another timer).
    this._socket.disconnect();
    try {
      this._channel.leave(this._pushTimeoutMs);
    } catch {
      // nothing left to clean up
    }
  }
}

function suffix(reason: string): string {
  return reason ? `: ${reason}` : '';
}

/** The server's sentences, with a hint where the sentence alone does not say what to do. */
function refusal(errors: readonly string[], fallback = ''): string {
  if (errors.length === 0)
    return fallback ? `Glimesh refused the message: ${fallback}` : 'Glimesh refused the message.';
  const text = errors.join(' ');
  return errors.includes('unauthorized')
    ? `${text} (the Glimesh token needs the chat scope)`
    : text;
}

/** Error texts of the transport may quote the URL; the query carries the token. */
function stripQuery(text: string): string {
  return text.replace(/\?[^\s'"]*/g, '');
}

/** Creates a Glimesh client from typed settings (tests and tuning pass `options`). */
export function createGlimeshClient(
  deps: PlatformDeps<GlimeshSettings>,
  options?: GlimeshClientOptions,
): GlimeshClient {
  return new GlimeshClient(deps, options);
}

/** The composition root's factory: raw `streamChat.glimesh.*` settings in, a client out. */
export function glimeshPlatformFactory(
  deps: PlatformDeps<Readonly<Record<string, unknown>>>,
): GlimeshClient {
  return new GlimeshClient({ ...deps, settings: glimeshSettingsFrom(deps.settings) });
}
