import { BackoffOptions } from '../../core/backoff';
import { PlatformDeps } from '../../core/client';
import { ChatError, toChatError } from '../../core/errors';
import { ChatMessage, TimelineOp } from '../../core/message';
import { ReconnectingClient, Session, SessionContext } from '../../core/reconnectingClient';
import {
  MixerDecodeContext,
  authArguments,
  decodeAuthResult,
  decodeChatMessage,
  decodeEvent,
} from './codec';
import {
  DEFAULT_TIMINGS,
  MixerConnection,
  MixerConnectionTimings,
  MixerSocketFactory,
  chatSocketUrl,
  defaultSocketFactory,
  describeEndpoint,
} from './connection';
import { MixerModeration } from './moderation';
import {
  FetchLike,
  MixerChatDetails,
  MixerDiscoveryRequest,
  discoverChat,
  fetchChat,
  parseChannelSetting,
} from './discovery';

/** The `streamChat.mixer.*` settings (except `enabled`). */
export interface MixerSettings {
  /** Channel username or numeric id. */
  readonly channel: string;
  /** OAuth client id, sent as `Client-ID` on REST calls and the socket. */
  readonly clientId: string;
  /** REST base for the channel lookup and `/chats/{id}`. */
  readonly apiUrl: string;
  /** Show UserJoin / UserLeave as lines (they are always counted). */
  readonly showJoinLeave: boolean;
}

/** The contract's default REST base. */
export const DEFAULT_MIXER_API_URL = 'https://mixer.com/api/v1';

/**
 * Longest chat message. Neither the developer docs nor the official client state a limit; 360 is
 * what Mixer's web chat enforced, used here as an undocumented assumption.
 */
export const MIXER_MAX_MESSAGE_LENGTH = 360;

/** How many earlier messages to ask for on each join (`history`; Mixer's maximum is 100). */
export const DEFAULT_HISTORY_COUNT = 50;

/** History is a nicety; live events are held while it loads, so it gets a short timeout. */
const HISTORY_TIMEOUT_MS = 5_000;

/** Mixer calls the authkey "short lived" without saying how short; past this age we fetch another. */
export const DEFAULT_AUTHKEY_MAX_AGE_MS = 10_000;

/** Reads raw `streamChat.mixer.*` values (as the composition root has them) into typed settings. */
export function mixerSettingsFrom(raw: Readonly<Record<string, unknown>>): MixerSettings {
  const text = (value: unknown, fallback = '') =>
    typeof value === 'string' ? value.trim() : fallback;
  return {
    channel: text(raw.channel),
    clientId: text(raw.clientId),
    apiUrl: text(raw.apiUrl) || DEFAULT_MIXER_API_URL,
    showJoinLeave: raw.showJoinLeave === true,
  };
}

/** Knobs for tests and tuning; every default matches Mixer's official client. */
export interface MixerClientOptions extends Partial<MixerConnectionTimings> {
  readonly fetch?: FetchLike;
  readonly createSocket?: MixerSocketFactory;
  /** Timeout of each REST call. */
  readonly requestTimeoutMs?: number;
  /** Earlier messages requested on join (0: none). */
  readonly historyCount?: number;
  /** An authkey older than this when the socket is finally welcomed (slow or dead endpoints) is fetched again. */
  readonly authkeyMaxAgeMs?: number;
  readonly backoff?: BackoffOptions;
  readonly stableAfterMs?: number;
  readonly maxQueued?: number;
  readonly queueTimeoutMs?: number;
}

/** Per-session routing of events: held until history is in, then delivered in arrival order. */
interface EventRoute {
  held: Array<{ event: string; data: unknown }> | undefined;
  selfUserId: string | undefined;
}

/**
 * Mixer chat. Each session runs a fresh discovery (so every `auth` gets a fresh single-use
 * authkey, unlike the official client, which replays a spent one after an outage), opens the
 * endpoints in order (rotating on reconnects, falling through dead ones within an attempt),
 * waits for `WelcomeEvent`, authenticates (or joins anonymously, read-only), back-fills with
 * `history`, and keeps the socket alive with `ping`.
 */
export class MixerClient extends ReconnectingClient {
  private readonly _settings: MixerSettings;
  private readonly _getToken: () => Promise<string | undefined>;
  private readonly _timings: MixerConnectionTimings;
  private readonly _createSocket: MixerSocketFactory;
  private readonly _fetch: FetchLike | undefined;
  private readonly _requestTimeoutMs: number | undefined;
  private readonly _historyCount: number;
  private readonly _authkeyMaxAgeMs: number;
  /** Which endpoint the next attempt starts at. */
  private _endpointCursor = 0;
  /** Message ids already delivered: the `msg` reply, its event and `history` overlap. */
  private readonly _seenIds = new RecentIds(5000);
  private _seq = 0;
  private _joins = 0;
  private _leaves = 0;
  /** Delete, time out, ban…, for the account of the live session. */
  readonly moderation = new MixerModeration();

  constructor(deps: PlatformDeps<MixerSettings>, options: MixerClientOptions = {}) {
    // ReconnectingClient defaults every option left undefined.
    super('mixer', {
      log: deps.log,
      redact: deps.redact,
      maxLength: MIXER_MAX_MESSAGE_LENGTH,
      clock: deps.clock,
      backoff: options.backoff,
      stableAfterMs: options.stableAfterMs,
      maxQueued: options.maxQueued,
      queueTimeoutMs: options.queueTimeoutMs,
    });
    this._settings = deps.settings;
    this._getToken = deps.getToken;
    this._timings = {
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_TIMINGS.connectTimeoutMs,
      welcomeTimeoutMs: options.welcomeTimeoutMs ?? DEFAULT_TIMINGS.welcomeTimeoutMs,
      callTimeoutMs: options.callTimeoutMs ?? DEFAULT_TIMINGS.callTimeoutMs,
      pingIntervalMs: options.pingIntervalMs ?? DEFAULT_TIMINGS.pingIntervalMs,
      pingTimeoutMs: options.pingTimeoutMs ?? DEFAULT_TIMINGS.pingTimeoutMs,
    };
    this._createSocket = options.createSocket ?? defaultSocketFactory;
    this._fetch = options.fetch;
    this._requestTimeoutMs = options.requestTimeoutMs;
    this._historyCount = Math.max(
      0,
      Math.min(100, Math.floor(options.historyCount ?? DEFAULT_HISTORY_COUNT)),
    );
    this._authkeyMaxAgeMs = options.authkeyMaxAgeMs ?? DEFAULT_AUTHKEY_MAX_AGE_MS;
    this._register(this.moderation);
  }

  /** UserJoin / UserLeave events seen since this client was made. */
  get presence(): { readonly joins: number; readonly leaves: number } {
    return { joins: this._joins, leaves: this._leaves };
  }

  override disconnect(): void {
    this.moderation.detach();
    super.disconnect();
    // The next connect is a first connect again: start at the first endpoint, as the docs ask.
    this._endpointCursor = 0;
  }

  protected async openSession(context: SessionContext): Promise<Session> {
    const token = await this._getToken();
    if (context.signal.aborted) throw aborted();
    const request: MixerDiscoveryRequest = {
      apiUrl: this._settings.apiUrl,
      channel: this._settings.channel,
      ...(this._settings.clientId ? { clientId: this._settings.clientId } : {}),
      ...(token ? { token } : {}),
      signal: context.signal,
      ...(this._fetch ? { fetch: this._fetch } : {}),
      ...(this._requestTimeoutMs !== undefined ? { timeoutMs: this._requestTimeoutMs } : {}),
    };
    const details = await discoverChat(request);
    const discoveredAt = this.clock.now();
    if (context.signal.aborted) throw aborted();
    this.log.debug(
      `channel ${details.channelId}: ${details.endpoints.length} chat endpoint(s), ${details.authkey ? 'with' : 'without'} an authkey`,
    );

    const route: EventRoute = { held: [], selfUserId: undefined };
    const connection = await this._openFirstReachable(details.endpoints, context, (event, data) => {
      if (event === 'WelcomeEvent') return;
      if (route.held) route.held.push({ event, data });
      else this._handleEvent(event, data, route.selfUserId, context.emit);
    });
    try {
      const fresh = await this._refreshStaleAuthkey(request, details, discoveredAt, connection);
      return await this._establish(connection, fresh, Boolean(token), route, context);
    } catch (error) {
      connection.dispose();
      throw toChatError(error);
    }
  }

  /** Waits for the welcome, then swaps an authkey that aged on slow endpoints for a fresh one. */
  private async _refreshStaleAuthkey(
    request: MixerDiscoveryRequest,
    details: MixerChatDetails,
    discoveredAt: number,
    connection: MixerConnection,
  ): Promise<MixerChatDetails> {
    await connection.whenWelcomed(request.signal);
    if (!details.authkey || this.clock.now() - discoveredAt <= this._authkeyMaxAgeMs)
      return details;
    this.log.debug('the authkey aged while connecting; fetching a fresh one');
    const chat = await fetchChat(request, details.channelId);
    return {
      ...details,
      ...(chat.authkey ? { authkey: chat.authkey } : {}),
      permissions: chat.permissions,
    };
  }

  private async _establish(
    connection: MixerConnection,
    details: MixerChatDetails,
    hasToken: boolean,
    route: EventRoute,
    context: SessionContext,
  ): Promise<Session> {
    await connection.whenWelcomed(context.signal);
    const credentials =
      details.userId !== undefined && details.authkey
        ? { userId: details.userId, authkey: details.authkey }
        : undefined;
    const authData = await connection.call('auth', authArguments(details.channelId, credentials));
    const auth = decodeAuthResult(authData);
    if (!auth)
      throw new ChatError(
        'MIXER_BAD_AUTH_REPLY',
        'Mixer answered the chat sign-in with something unexpected; reconnecting.',
        'protocol',
      );
    route.selfUserId = auth.authenticated && credentials ? String(credentials.userId) : undefined;
    const readOnlyReason = readOnlyReasonFor(
      hasToken,
      credentials !== undefined,
      auth.authenticated,
      details.permissions,
    );

    if (this._historyCount > 0) {
      try {
        // A short timeout: live events wait behind the history.
        const history = await connection.call(
          'history',
          [this._historyCount],
          Math.min(this._timings.callTimeoutMs, HISTORY_TIMEOUT_MS),
        );
        this._deliverHistory(history, route.selfUserId, context.emit);
      } catch (error) {
        // History only fills a gap; the live chat works without it.
        this.log.info(`Mixer chat history unavailable: ${toChatError(error).message}`);
      }
    }
    const held = route.held ?? [];
    route.held = undefined;
    for (const { event, data } of held)
      this._handleEvent(event, data, route.selfUserId, context.emit);

    if (connection.isClosed)
      throw (
        connection.closeError ??
        new ChatError('MIXER_CLOSED', 'Mixer closed the chat connection; reconnecting.', 'network')
      );
    if (context.signal.aborted) throw aborted();
    connection.startLiveness();
    this.moderation.attach(
      {
        channelId: details.channelId,
        apiUrl: this._settings.apiUrl,
        ...(this._settings.clientId ? { clientId: this._settings.clientId } : {}),
        call: (method, args) => connection.call(method, args),
        getToken: this._getToken,
        ...(this._fetch ? { fetch: this._fetch } : {}),
      },
      auth.authenticated,
      auth.roles,
    );
    connection.onDidClose(() => this.moderation.detach());
    this.log.info(
      `joined Mixer chat of channel ${details.channelId} on ${describeEndpoint(connection.endpoint)} ${auth.authenticated ? `as user ${details.userId}` : 'anonymously'}${readOnlyReason ? ' (read-only)' : ''}`,
    );
    return new MixerSession(
      connection,
      readOnlyReason,
      `${this._channelLabel()} on ${describeEndpoint(connection.endpoint)}`,
      async (text) => {
        const data = await connection.call('msg', [text]);
        // The reply carries the posted message; its ChatMessage event may come before or after.
        const message = decodeChatMessage(data, this._decodeContext(route.selfUserId));
        if (message) this._deliver(message, context.emit);
      },
    );
  }

  /** Tries the endpoints from the cursor on; the first that opens wins and the cursor moves past it. */
  private async _openFirstReachable(
    endpoints: readonly string[],
    context: SessionContext,
    onEvent: (event: string, data: unknown) => void,
  ): Promise<MixerConnection> {
    const count = endpoints.length;
    const start = this._endpointCursor % count;
    const headers: Record<string, string> = this._settings.clientId
      ? { 'Client-ID': this._settings.clientId }
      : {};
    let lastError: ChatError | undefined;
    for (let i = 0; i < count; i++) {
      const index = (start + i) % count;
      const endpoint = endpoints[index]!;
      let connection: MixerConnection;
      try {
        const url = chatSocketUrl(endpoint, this._settings.clientId || undefined);
        this.log.info(
          `connecting to ${describeEndpoint(endpoint)} (endpoint ${index + 1} of ${count})`,
        );
        connection = new MixerConnection(
          endpoint,
          url,
          headers,
          this._timings,
          this.clock,
          this.log,
          onEvent,
          this._createSocket,
        );
      } catch (error) {
        lastError = toChatError(error, 'MIXER_BAD_ENDPOINT', 'protocol');
        this.log.warn(`skipped Mixer endpoint ${describeEndpoint(endpoint)}: ${lastError.message}`);
        continue;
      }
      try {
        await connection.whenOpen(context.signal);
        this._endpointCursor = index + 1;
        return connection;
      } catch (error) {
        connection.dispose();
        lastError = toChatError(error);
        if (context.signal.aborted) throw lastError;
        this.log.warn(
          `${describeEndpoint(endpoint)}: ${lastError.message}${i + 1 < count ? ' Trying the next endpoint.' : ''}`,
        );
      }
    }
    // Next attempt starts one further along, so a dead first endpoint is not always tried first.
    this._endpointCursor = start + 1;
    throw new ChatError(
      'MIXER_UNREACHABLE',
      count === 1
        ? `Could not connect to Mixer's chat server: ${trimStop(lastError?.message ?? 'no usable endpoint')}; retrying.`
        : `Could not connect to any of Mixer's ${count} chat servers (last: ${trimStop(lastError?.message ?? 'no usable endpoint')}); retrying.`,
      'network',
    );
  }

  private _handleEvent(
    event: string,
    data: unknown,
    selfUserId: string | undefined,
    emit: (op: TimelineOp) => void,
  ): void {
    const outcome = decodeEvent(event, data, this._decodeContext(selfUserId));
    switch (outcome.kind) {
      case 'welcome':
        return;
      case 'message':
        this._deliver(outcome.message, emit);
        return;
      case 'ops':
        for (const op of outcome.ops) emit(op);
        return;
      case 'presence':
        if (outcome.change === 'join') this._joins++;
        else this._leaves++;
        for (const op of outcome.ops) emit(op);
        return;
      case 'ignored':
        this.log.trace(`Mixer event ${outcome.event} not shown`);
        return;
      case 'unknown':
        this.log.info(`ignored unknown Mixer event "${outcome.event}"`);
        return;
      case 'malformed':
        this.log.warn(`skipped a malformed Mixer ${outcome.event} event: ${outcome.reason}`);
        return;
    }
  }

  private _deliverHistory(
    data: unknown,
    selfUserId: string | undefined,
    emit: (op: TimelineOp) => void,
  ): void {
    if (!Array.isArray(data)) {
      this.log.info('Mixer chat history was not a list; skipped');
      return;
    }
    const context = this._decodeContext(selfUserId);
    for (const item of data) {
      const message = decodeChatMessage(item, context);
      if (message) this._deliver(message, emit);
    }
  }

  private _deliver(message: ChatMessage, emit: (op: TimelineOp) => void): void {
    if (!this._seenIds.add(message.id)) return;
    emit({ op: 'append', message });
  }

  private _decodeContext(selfUserId: string | undefined): MixerDecodeContext {
    return {
      channel: this._channelLabel(),
      receivedAt: this.clock.now(),
      ...(selfUserId ? { selfUserId } : {}),
      showJoinLeave: this._settings.showJoinLeave,
      nextSeq: () => this._seq++,
    };
  }

  private _channelLabel(): string {
    const ref = parseChannelSetting(this._settings.channel);
    return ref ? ('id' in ref ? String(ref.id) : ref.username) : '';
  }
}

/** One authenticated (or anonymous) socket, as the base class sees it. */
class MixerSession implements Session {
  readonly onDidClose;

  constructor(
    private readonly _connection: MixerConnection,
    readonly readOnlyReason: string | undefined,
    readonly detail: string,
    private readonly _send: (text: string) => Promise<void>,
  ) {
    this.onDidClose = _connection.onDidClose;
  }

  send(text: string): Promise<void> {
    return this._send(text);
  }

  dispose(): void {
    this._connection.dispose();
  }
}

/** Why this session cannot send, in words for the streamer; undefined when it can. */
export function readOnlyReasonFor(
  hasToken: boolean,
  hasAuthkey: boolean,
  authenticated: boolean,
  permissions: readonly string[],
): string | undefined {
  if (!hasToken)
    return 'Read-only: no Mixer token is set, so you joined chat anonymously. Set one with "Stream Chat: Set Token…" to send messages.';
  if (!hasAuthkey)
    return 'Read-only: Mixer gave no chat authkey for your account, so you joined chat anonymously.';
  if (!authenticated) return 'Read-only: Mixer joined you to chat anonymously.';
  if (!permissions.includes('chat'))
    return "Read-only: your Mixer account may not chat in this channel (no 'chat' permission).";
  return undefined;
}

function trimStop(sentence: string): string {
  return sentence
    .replace(/[.;]\s*(reconnecting|retrying|trying again)?\.?$/i, '')
    .replace(/\.$/, '');
}

function aborted(): ChatError {
  return new ChatError('ABORTED', 'Connecting to Mixer was cancelled.', 'network');
}

/** A bounded set of recent ids (oldest forgotten first). */
class RecentIds {
  private readonly _ids = new Set<string>();
  constructor(private readonly _capacity: number) {}

  /** Adds an id; false when it was already there. */
  add(id: string): boolean {
    if (this._ids.has(id)) return false;
    this._ids.add(id);
    if (this._ids.size > this._capacity) {
      const oldest = this._ids.values().next().value;
      if (oldest !== undefined) this._ids.delete(oldest);
    }
    return true;
  }
}

/** Builds the Mixer client from typed settings. */
export function createMixerClient(
  deps: PlatformDeps<MixerSettings>,
  options?: MixerClientOptions,
): MixerClient {
  return new MixerClient(deps, options);
}

/** The composition root's factory: raw `streamChat.mixer.*` settings in, a client out. */
export function mixerPlatformFactory(
  deps: PlatformDeps<Readonly<Record<string, unknown>>>,
): MixerClient {
  return new MixerClient({ ...deps, settings: mixerSettingsFrom(deps.settings) });
}
