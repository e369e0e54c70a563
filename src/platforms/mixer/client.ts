import { PlatformDeps } from '../../core/client';
import { abortedError, toChatError } from '../../core/errors';
import { RecentIds } from '../../core/recentIds';
import {
  ReconnectTuning,
  ReconnectingClient,
  Session,
  SessionContext,
} from '../../core/reconnectingClient';
import { MixerAuthResult, MixerDecodeContext, MixerEventOutcome } from './codec';
import {
  MixerChatDetails,
  MixerDiscoveryRequest,
  MixerFetch,
  discoverChat,
  fetchChat,
} from './http';
import { MixerModeration } from './moderation';
import { MIXER_RULES } from './rules';
import {
  DEFAULT_TIMINGS,
  MixerConnection,
  MixerConnectionTimings,
  MixerSocketFactory,
  defaultSocketFactory,
  describeEndpoint,
  openFirstReachable,
} from './session';
import { MixerSettings, mixerSettingsFrom, parseChannelSetting } from './settings';

/** How many earlier messages to ask for on each join (`history`; Mixer's maximum is 100). */
export const DEFAULT_HISTORY_COUNT = 50;

/** History is a nicety; live events are held while it loads, so it gets a short timeout. */
const HISTORY_TIMEOUT_MS = 5_000;

/** Mixer calls the authkey "short lived" without saying how short; past this age we fetch another. */
export const DEFAULT_AUTHKEY_MAX_AGE_MS = 10_000;

/** Knobs for tests and tuning; every default matches Mixer's official client. */
export interface MixerClientOptions extends Partial<MixerConnectionTimings>, ReconnectTuning {
  readonly fetch?: MixerFetch;
  readonly createSocket?: MixerSocketFactory;
  /** Timeout of each REST call. */
  readonly requestTimeoutMs?: number;
  /** Earlier messages requested on join (0: none). */
  readonly historyCount?: number;
  /** An authkey older than this when the socket is finally welcomed (slow or dead endpoints) is fetched again. */
  readonly authkeyMaxAgeMs?: number;
}

/**
 * Mixer chat. Each session runs a fresh discovery (so every `auth` gets a fresh single-use
 * authkey, unlike the official client, which replays a spent one after an outage), opens the
 * endpoints in order (rotating on reconnects, falling through dead ones within an attempt),
 * waits for `WelcomeEvent`, authenticates (or joins anonymously, read-only), back-fills with
 * `history`, and keeps the socket alive with `ping`. Everything the socket brings arrives
 * decoded on one road, `_deliver`.
 */
export class MixerClient extends ReconnectingClient {
  private readonly _settings: MixerSettings;
  private readonly _getToken: () => Promise<string | undefined>;
  private readonly _options: MixerClientOptions;
  private readonly _timings: MixerConnectionTimings;
  private readonly _historyCount: number;
  /** Which endpoint the next attempt starts at. */
  private readonly _endpointCursor = { value: 0 };
  /** Message ids already delivered: the `msg` reply, its event and `history` overlap. */
  private readonly _seenIds = new RecentIds(5000);
  private _seq = 0;
  private _joins = 0;
  private _leaves = 0;
  /** Delete, time out, ban…, for the account of the live session. */
  readonly moderation = new MixerModeration();

  constructor(deps: PlatformDeps<MixerSettings>, options: MixerClientOptions = {}) {
    super('mixer', { ...options, ...deps, ...MIXER_RULES });
    this._settings = deps.settings;
    this._getToken = deps.getToken;
    this._options = options;
    this._timings = {
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_TIMINGS.connectTimeoutMs,
      welcomeTimeoutMs: options.welcomeTimeoutMs ?? DEFAULT_TIMINGS.welcomeTimeoutMs,
      callTimeoutMs: options.callTimeoutMs ?? DEFAULT_TIMINGS.callTimeoutMs,
      pingIntervalMs: options.pingIntervalMs ?? DEFAULT_TIMINGS.pingIntervalMs,
      pingTimeoutMs: options.pingTimeoutMs ?? DEFAULT_TIMINGS.pingTimeoutMs,
    };
    this._historyCount = Math.max(
      0,
      Math.min(100, Math.floor(options.historyCount ?? DEFAULT_HISTORY_COUNT)),
    );
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
    this._endpointCursor.value = 0;
  }

  protected async openSession(context: SessionContext): Promise<Session> {
    const token = await this._getToken();
    if (context.signal.aborted) throw abortedError('Connecting to Mixer');
    const request: MixerDiscoveryRequest = {
      apiUrl: this._settings.apiUrl,
      channel: this._settings.channel,
      ...(this._settings.clientId ? { clientId: this._settings.clientId } : {}),
      ...(token ? { token } : {}),
      signal: context.signal,
      clock: this.clock,
      ...(this._options.fetch ? { fetch: this._options.fetch } : {}),
      ...(this._options.requestTimeoutMs !== undefined
        ? { timeoutMs: this._options.requestTimeoutMs }
        : {}),
    };
    let details = await discoverChat(request);
    const discoveredAt = this.clock.now();
    if (context.signal.aborted) throw abortedError('Connecting to Mixer');
    this.log.debug(
      `channel ${details.channelId}: ${details.endpoints.length} chat endpoint(s), ${details.authkey ? 'with' : 'without'} an authkey`,
    );
    const connection = await openFirstReachable({
      endpoints: details.endpoints,
      cursor: this._endpointCursor,
      clientId: this._settings.clientId,
      signal: context.signal,
      timings: this._timings,
      clock: this.clock,
      log: this.log,
      decode: (self) => this._decodeContext(self),
      onOutcome: (outcome) => this._deliver(outcome, context),
      createSocket: this._options.createSocket ?? defaultSocketFactory,
    });
    try {
      await connection.whenWelcomed(context.signal);
      // An authkey that aged on slow endpoints is swapped for a fresh one.
      const maxAge = this._options.authkeyMaxAgeMs ?? DEFAULT_AUTHKEY_MAX_AGE_MS;
      if (details.authkey && this.clock.now() - discoveredAt > maxAge) {
        this.log.debug('the authkey aged while connecting; fetching a fresh one');
        const chat = await fetchChat(request, details.channelId);
        const authkey = chat.authkey ? { authkey: chat.authkey } : {};
        details = { ...details, ...authkey, permissions: chat.permissions };
      }
      const auth = await connection.establish(details, {
        hasToken: Boolean(token),
        historyCount: this._historyCount,
        // A short timeout: live events wait behind the history.
        historyTimeoutMs: Math.min(this._timings.callTimeoutMs, HISTORY_TIMEOUT_MS),
        signal: context.signal,
      });
      connection.startLiveness();
      this._attach(connection, details, auth);
      return connection;
    } catch (error) {
      connection.dispose();
      throw toChatError(error);
    }
  }

  private _attach(
    connection: MixerConnection,
    details: MixerChatDetails,
    auth: MixerAuthResult,
  ): void {
    this.moderation.attach(
      {
        channelId: details.channelId,
        apiUrl: this._settings.apiUrl,
        ...(this._settings.clientId ? { clientId: this._settings.clientId } : {}),
        call: (method, args) => connection.call(method, args),
        getToken: this._getToken,
        ...(this._options.fetch ? { fetch: this._options.fetch } : {}),
      },
      auth.authenticated,
      auth.roles,
    );
    connection.onDidClose(() => this.moderation.detach());
    const where = describeEndpoint(connection.endpoint);
    this.log.info(
      `joined Mixer chat of channel ${details.channelId} on ${where} ${auth.authenticated ? `as user ${details.userId}` : 'anonymously'}${connection.readOnlyReason ? ' (read-only)' : ''}`,
    );
    connection.detail = `${this._channelLabel()} on ${where}`;
  }

  /** The one road into the timeline: events, history and sent messages, decoded. */
  private _deliver(outcome: MixerEventOutcome, context: SessionContext): void {
    switch (outcome.kind) {
      case 'welcome':
        return;
      case 'message':
        if (this._seenIds.add(outcome.message.id))
          context.emit({ op: 'append', message: outcome.message });
        return;
      case 'presence':
        if (outcome.change === 'join') this._joins++;
        else this._leaves++;
        for (const op of outcome.ops) context.emit(op);
        return;
      case 'ops':
        for (const op of outcome.ops) context.emit(op);
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
