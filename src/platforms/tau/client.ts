import { PlatformDeps } from '../../core/client';
import { charCount } from '../../core/rules';
import { ChatError } from '../../core/errors';
import { FetchLike } from '../../core/http';
import { RateLimiter } from '../../core/rateLimiter';
import {
  ReconnectTuning,
  ReconnectingClient,
  Session,
  SessionContext,
} from '../../core/reconnectingClient';
import { checkToken } from './http';
import { TauModeration } from './moderation';
import { MAX_SPLIT_MESSAGES, TAU_RULES, TWITCH_RATE_LIMIT } from './rules';
import { TauSession, TauSessionOptions } from './session';
import { TauSettings, socketUrl, tauSettingsFrom } from './settings';

/** Knobs for tests. */
export interface TauClientOptions extends TauSessionOptions, ReconnectTuning {
  readonly fetch?: FetchLike;
  /** Sends allowed per window (Twitch: 20 per 30 s). */
  readonly sendLimit?: { readonly messages: number; readonly windowMs: number };
  /** Timeout of each REST call (default 10 s). */
  readonly requestTimeoutMs?: number;
}

/** The longest text one `send` takes; it is split into ≤500-character, single-line messages. */
const MAX_SEND_TEXT = MAX_SPLIT_MESSAGES * TAU_RULES.maxLength;

/**
 * TAU: Twitch events from `ws/twitch-events/`, and chat both ways through a chat-bot socket.
 * TAU never acknowledges a token, so a session first checks it over REST (401: auth failure, no
 * socket, no retry), then treats a close with 1011 right after the token frame as a refused
 * token too. Liveness is websocket pings (Daphne answers them, and an unlinked TAU sends no
 * keep-alives at all); once keep-alives have been seen on a socket, silence for twice their
 * interval ends the session as well. TAU never acknowledges a chat message, so a send resolves
 * only when a pong for a ping written after it comes back: TCP order proves it reached TAU.
 */
export class TauClient extends ReconnectingClient {
  private readonly _settings: TauSettings;
  private readonly _getToken: () => Promise<string | undefined>;
  private readonly _options: TauClientOptions;
  /** Shared by every session, so pacing survives a reconnect. */
  private readonly _limiter: RateLimiter;
  /** Delete, time out, ban, unban, clear through TAU's Helix passthrough. */
  readonly moderation: TauModeration;

  constructor(deps: PlatformDeps<TauSettings>, options: TauClientOptions = {}) {
    super('tau', { ...options, ...deps, ...TAU_RULES });
    this._settings = deps.settings;
    this._getToken = deps.getToken;
    this._options = options;
    const limit = options.sendLimit ?? TWITCH_RATE_LIMIT;
    this._limiter = this._register(new RateLimiter(limit.messages, limit.windowMs, this.clock));
    this.moderation = this._register(
      new TauModeration({
        url: deps.settings.url,
        channel: deps.settings.channel,
        getToken: deps.getToken,
        log: deps.log,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    );
  }

  override disconnect(): void {
    this.moderation.detach();
    super.disconnect();
  }

  protected override sendBlockedReason(): string | undefined {
    if (!this._settings.chatBot)
      return 'TAU: set streamChat.tau.chatBot (a TAU chat-bot login) to send chat.';
    if (!this._settings.channel)
      return 'TAU: set streamChat.tau.channel (the Twitch channel to send to).';
    return undefined;
  }

  /** Longer or multi-line text is split into several messages, up to one rate-limit window's worth. */
  protected override validate(text: string): ChatError | undefined {
    if (text.trim().length === 0)
      return new ChatError('EMPTY_MESSAGE', 'The message is empty.', 'config');
    const length = charCount(text, TAU_RULES.countChars);
    if (length > MAX_SEND_TEXT)
      return new ChatError(
        'MESSAGE_TOO_LONG',
        `Twitch (TAU) takes at most ${MAX_SEND_TEXT} characters at once (${MAX_SPLIT_MESSAGES} messages); this text has ${length}.`,
        'config',
      );
    return undefined;
  }

  protected async openSession(ctx: SessionContext): Promise<Session> {
    const token = await this._getToken();
    if (!token)
      throw new ChatError(
        'TAU_NO_TOKEN',
        'Set a TAU token with Stream Chat: Set Token… (TAU dashboard → menu → Show Auth Token).',
        'config',
      );
    const eventsUrl = socketUrl(this._settings.url, '/ws/twitch-events/');
    await checkToken(this._settings.url, token, {
      ...(this._options.fetch ? { fetch: this._options.fetch } : {}),
      signal: ctx.signal,
      ...(this._options.requestTimeoutMs !== undefined
        ? { timeoutMs: this._options.requestTimeoutMs }
        : {}),
    });
    const session = new TauSession(
      this.clock,
      this.log,
      ctx,
      this._settings,
      this._limiter,
      this._options,
    );
    try {
      await session.open(eventsUrl, token);
    } catch (error) {
      session.dispose();
      throw error;
    }
    session.onDidClose(() => this.moderation.detach());
    void this.moderation.attach();
    return session;
  }
}

/** The composition root's factory: raw `streamChat.tau.*` settings in, a client out. */
export function tauPlatformFactory(
  deps: PlatformDeps<Readonly<Record<string, unknown>>>,
): TauClient {
  return new TauClient({ ...deps, settings: tauSettingsFrom(deps.settings) });
}
