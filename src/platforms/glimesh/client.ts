import { PlatformDeps } from '../../core/client';
import { ChatError, abortedError, toChatError } from '../../core/errors';
import { FetchLike } from '../../core/http';
import { DEFAULT_LIVENESS, LivenessOptions } from '../../core/liveness';
import { RecentIds } from '../../core/recentIds';
import {
  ReconnectTuning,
  ReconnectingClient,
  Session,
  SessionContext,
} from '../../core/reconnectingClient';
import { GlimeshSelf, mapChatMessage } from './codec';
import {
  Credentials,
  GlimeshHttp,
  ResolvedChannel,
  fetchHistory,
  graphql,
  lookUpChannel,
} from './http';
import { GlimeshModeration } from './moderation';
import { GLIMESH_RULES } from './rules';
import { GlimeshSession } from './session';
import { GlimeshSettings, apiEndpoint, glimeshSettingsFrom, socketEndpoint } from './settings';

/** Knobs for tests and tuning; the defaults are Glimesh's and Phoenix's. */
export interface GlimeshClientOptions extends ReconnectTuning {
  /** Phoenix heartbeat; a heartbeat without a reply by the next one ends the connection. */
  readonly heartbeatIntervalMs?: number;
  /** How long the join, the subscription and each sent message wait for their reply. */
  readonly pushTimeoutMs?: number;
  /** Timeout of each GraphQL request over HTTP. */
  readonly requestTimeoutMs?: number;
  readonly fetch?: FetchLike;
  /** Websocket pings (default: every 15 s, dead after 15 s without a pong). */
  readonly liveness?: LivenessOptions;
}

const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;
const DEFAULT_PUSH_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Ids remembered to drop repeats (history after a reconnect overlaps what was shown). */
const SEEN_IDS = 5000;

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
    super('glimesh', { ...options, ...deps, ...GLIMESH_RULES });
    this._settings = deps.settings;
    this._getToken = deps.getToken;
    this._options = options;
    this.moderation = this._register(new GlimeshModeration(this.log));
  }

  override disconnect(): void {
    this.moderation.detach();
    super.disconnect();
  }

  protected async openSession(ctx: SessionContext): Promise<Session> {
    const settings = this._settings;
    const token = await this._getToken();
    if (ctx.signal.aborted) throw abortedError();
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
    const http = this._http(apiEndpoint(settings.apiUrl));

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
      const channel =
        this._channel ?? (await lookUpChannel(http, credentials, settings.channel, ctx.signal));
      this._channel = channel;
      session.deliver = (node) => this._deliver(node, channel.self, ctx);
      await session.subscribe(channel.id);
      // History after the subscription, so nothing falls between the two; repeats are dropped.
      const history = await fetchHistory(http, credentials, channel.id, ctx.signal).catch(
        (error: unknown) => {
          if (ctx.signal.aborted) throw abortedError();
          this.log.warn(`history unavailable: ${toChatError(error).message}`);
          return [];
        },
      );
      session.release(history);
      this.log.info(
        `joined ${settings.channel} (channel ${channel.id})${credentials.kind === 'clientId' ? ', read-only' : ''}`,
      );
      this._attachModeration(http, credentials, channel.id, session);
      return session;
    } catch (error) {
      session.dispose();
      throw toChatError(error);
    }
  }

  private _http(apiUrl: string): GlimeshHttp {
    return {
      apiUrl,
      timeoutMs: this._options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      clock: this.clock,
      ...(this._options.fetch ? { fetch: this._options.fetch } : {}),
    };
  }

  private _attachModeration(
    http: GlimeshHttp,
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
        return graphql(http, { kind: 'token', value: token }, request);
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
}

/** The composition root's factory: raw `streamChat.glimesh.*` settings in, a client out. */
export function glimeshPlatformFactory(
  deps: PlatformDeps<Readonly<Record<string, unknown>>>,
): GlimeshClient {
  return new GlimeshClient({ ...deps, settings: glimeshSettingsFrom(deps.settings) });
}
