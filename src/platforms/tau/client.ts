import WebSocket from 'ws';
import { PlatformDeps } from '../../core/client';
import { Clock } from '../../core/clock';
import { ChatError } from '../../core/errors';
import { Emitter } from '../../core/event';
import { Disposable, DisposableStore, MutableDisposable, toDisposable } from '../../core/lifecycle';
import { systemNotice } from '../../core/message';
import { RateLimiter } from '../../core/rateLimiter';
import { ReconnectingClient, Session, SessionContext } from '../../core/reconnectingClient';
import { TWITCH_MAX_LENGTH, decodeChatFrame, decodeEventsFrame, describeEvent, encodeChatSend, encodeTokenFrame, splitForTwitch } from './codec';
import { FetchLike, checkToken, socketUrl } from './rest';

/** `streamChat.tau.*`, typed. */
export interface TauSettings {
  readonly url: string;
  /** Chat-bot login whose socket carries chat; empty: events only. */
  readonly chatBot: string;
  /** Twitch channel sent messages go to. */
  readonly channel: string;
  readonly keepAliveIntervalMs: number;
}

export const DEFAULT_TAU_URL = 'http://localhost:8000';

/** Raw settings (as VS Code stores them) → `TauSettings`. */
export function tauSettingsFrom(raw: Readonly<Record<string, unknown>>): TauSettings {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const seconds = typeof raw.keepAliveIntervalSeconds === 'number' && raw.keepAliveIntervalSeconds >= 1 ? raw.keepAliveIntervalSeconds : 120;
  return {
    url: text(raw.url) || DEFAULT_TAU_URL,
    chatBot: text(raw.chatBot).toLowerCase(),
    channel: text(raw.channel).replace(/^#/, '').toLowerCase(),
    keepAliveIntervalMs: seconds * 1000,
  };
}

/** Knobs for tests. */
export interface TauClientOptions {
  readonly fetch?: FetchLike;
  /** Sends allowed per window (Twitch: 20 per 30 s). */
  readonly sendLimit?: { readonly messages: number; readonly windowMs: number };
  /** A close this soon after the token frame counts as a refused token (Daphne's 1011). */
  readonly authCloseWindowMs?: number;
  readonly connectTimeoutMs?: number;
  /** A send counts as delivered once the socket outlives the write by this long (TAU has no ack). */
  readonly sendSettleMs?: number;
}

/**
 * TAU: Twitch events from `ws/twitch-events/`, and chat both ways through a chat-bot socket.
 * TAU never acknowledges a token, so a session first checks it over REST (401: auth failure, no
 * socket, no retry), then treats a close with 1011 right after the token frame as a refused
 * token too. Liveness is TAU's keep-alive: silence for twice its interval ends the session.
 */
export class TauClient extends ReconnectingClient {
  private readonly _settings: TauSettings;
  private readonly _getToken: () => Promise<string | undefined>;
  private readonly _options: TauClientOptions;
  private readonly _limiter: RateLimiter;

  constructor(deps: PlatformDeps<TauSettings>, options: TauClientOptions = {}) {
    super('tau', { log: deps.log, clock: deps.clock, maxLength: 10_000 });
    this._settings = deps.settings;
    this._getToken = deps.getToken;
    this._options = options;
    const limit = options.sendLimit ?? { messages: 20, windowMs: 30_000 };
    this._limiter = new RateLimiter(limit.messages, limit.windowMs, this.clock);
  }

  protected override sendBlockedReason(): string | undefined {
    if (!this._settings.chatBot) return 'TAU: set streamChat.tau.chatBot (a TAU chat-bot login) to send chat.';
    if (!this._settings.channel) return 'TAU: set streamChat.tau.channel (the Twitch channel to send to).';
    return undefined;
  }

  /** Twitch takes 500 characters a message; longer or multi-line text is split into several. */
  override get sendCapability() {
    const capability = super.sendCapability;
    return { ...capability, maxLength: TWITCH_MAX_LENGTH };
  }

  protected async openSession(ctx: SessionContext): Promise<Session> {
    const token = await this._getToken();
    if (!token) throw new ChatError('TAU_NO_TOKEN', 'Set a TAU token with Stream Chat: Set Token… (TAU dashboard → menu → Show Auth Token).', 'config');
    let eventsUrl: string;
    try {
      eventsUrl = socketUrl(this._settings.url, '/ws/twitch-events/');
    } catch {
      throw new ChatError('TAU_BAD_URL', `streamChat.tau.url "${this._settings.url}" is not a valid http(s) URL.`, 'config');
    }
    await checkToken(this._settings.url, token, { fetch: this._options.fetch, signal: ctx.signal });
    const session = new TauSession(this.clock, this.log, ctx, this._settings, this._limiter, this._options);
    try {
      await session.open(eventsUrl, token);
    } catch (error) {
      session.dispose();
      throw error;
    }
    return session;
  }
}

/** One connection: the events socket, and the chat-bot socket when configured. */
class TauSession implements Session {
  private readonly _onDidClose = new Emitter<ChatError>();
  readonly onDidClose = this._onDidClose.event;
  readonly detail: string;
  private readonly _store = new DisposableStore();
  private readonly _watchdog = new MutableDisposable<Disposable>();
  private _events: WebSocket | undefined;
  private _chat: WebSocket | undefined;
  private _closed = false;

  constructor(
    private readonly _clock: Clock,
    private readonly _log: { info(m: string): void; warn(m: string): void },
    private readonly _ctx: SessionContext,
    private readonly _settings: TauSettings,
    private readonly _limiter: RateLimiter,
    private readonly _options: TauClientOptions,
  ) {
    this.detail = _settings.chatBot ? `${new URL(_settings.url).host} as ${_settings.chatBot}` : new URL(_settings.url).host;
    this._store.add(this._watchdog);
  }

  /** Opens the sockets; resolves once they are open and the token frames are sent, and no 1011 followed. */
  async open(eventsUrl: string, token: string): Promise<void> {
    this._events = await this._connect(eventsUrl, token, 'events');
    if (this._settings.chatBot) {
      this._chat = await this._connect(socketUrl(this._settings.url, `/ws/chat-bots/${encodeURIComponent(this._settings.chatBot)}/`), token, 'chat');
    }
    this._armWatchdog();
  }

  private _connect(url: string, token: string, kind: 'events' | 'chat'): Promise<WebSocket> {
    return new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: this._options.connectTimeoutMs ?? 10_000 });
      let settled = false;
      let tokenSentAt = 0;
      const fail = (error: ChatError) => {
        if (!settled) {
          settled = true;
          reject(error);
        } else this._end(error);
      };
      const abort = () => {
        ws.terminate();
        fail(new ChatError('ABORTED', 'Connecting was cancelled.', 'network'));
      };
      this._ctx.signal.addEventListener('abort', abort, { once: true });
      this._store.add(toDisposable(() => this._ctx.signal.removeEventListener('abort', abort)));
      ws.on('unexpected-response', (_req, res) => {
        ws.terminate();
        const status = res.statusCode ?? 0;
        if (kind === 'chat' && status === 403) fail(new ChatError('TAU_UNKNOWN_BOT', `TAU refused the chat bot "${this._settings.chatBot}" (HTTP 403): check streamChat.tau.chatBot is a chat bot set up in TAU, in lowercase.`, 'config'));
        else fail(new ChatError('TAU_HANDSHAKE', `TAU refused the ${kind} socket (HTTP ${status}).`, status === 401 || status === 403 ? 'auth' : 'network'));
      });
      ws.on('error', (error) => fail(new ChatError('TAU_SOCKET', `TAU ${kind} socket error: ${error.message}`, 'network')));
      ws.on('open', () => {
        ws.send(encodeTokenFrame(token));
        tokenSentAt = this._clock.now();
        // TAU never says the token was good; a refused one closes with 1011 straight away.
        const window = this._options.authCloseWindowMs ?? 750;
        this._store.add(
          this._clock.setTimeout(() => {
            if (!settled && ws.readyState === WebSocket.OPEN) {
              settled = true;
              resolve(ws);
            }
          }, window),
        );
      });
      ws.on('close', (code, reason) => {
        const sinceToken = this._clock.now() - tokenSentAt;
        if (code === 1011 && tokenSentAt > 0 && sinceToken < 5_000) {
          fail(new ChatError('TAU_BAD_TOKEN', 'TAU closed the connection right after the token (1011): the token was refused. Set the right one with Stream Chat: Set Token….', 'auth'));
        } else {
          fail(new ChatError('TAU_CLOSED', `TAU closed the ${kind} socket (${code}${reason.length ? ` ${reason.toString().slice(0, 100)}` : ''}).`, 'network'));
        }
      });
      ws.on('message', (data) => {
        this._armWatchdog();
        if (kind === 'events') this._onEventsFrame(data.toString());
        else this._onChatFrame(data.toString());
      });
    });
  }

  private _onEventsFrame(text: string): void {
    const frame = decodeEventsFrame(text);
    switch (frame.type) {
      case 'keepAlive':
        return;
      case 'malformed':
        this._log.warn(`skipped a malformed events frame (${frame.reason})`);
        return;
      case 'event':
        for (const op of describeEvent(frame.envelope, this._clock.now(), this._settings.channel)) this._ctx.emit(op);
    }
  }

  private _onChatFrame(text: string): void {
    const frame = decodeChatFrame(text, this._clock.now());
    switch (frame.type) {
      case 'keepAlive':
      case 'ignored':
        return;
      case 'malformed':
        this._log.warn(`skipped a malformed chat frame (${frame.reason})`);
        return;
      case 'error':
        this._log.warn(`TAU chat bot error: ${frame.error}`);
        this._ctx.emit({ op: 'append', message: systemNotice('tau', `TAU chat bot: ${frame.error}`, 'error', this._clock.now()) });
        return;
      case 'privmsg':
        this._ctx.emit({ op: 'append', message: frame.message });
    }
  }

  /** Keep-alive watchdog: any frame re-arms it; silence for 2 × the interval ends the session. */
  private _armWatchdog(): void {
    if (this._closed) return;
    const limit = this._settings.keepAliveIntervalMs * 2;
    this._watchdog.value = this._clock.setTimeout(() => {
      this._end(new ChatError('TAU_SILENT', `no keep-alive from TAU for ${Math.round(limit / 1000)} s`, 'network'));
    }, limit);
  }

  async send(text: string): Promise<void> {
    const chat = this._chat;
    if (!chat) throw new ChatError('SEND_UNAVAILABLE', 'TAU: set streamChat.tau.chatBot to send chat.', 'config');
    const messages = splitForTwitch(text);
    if (messages.length === 0) throw new ChatError('EMPTY_MESSAGE', 'The message is empty.', 'config');
    let sent = 0;
    for (const message of messages) {
      await this._limiter.acquire();
      if (this._closed || chat.readyState !== WebSocket.OPEN) {
        throw new ChatError('TAU_SEND_FAILED', `Sent ${sent} of ${messages.length} messages; the connection to TAU closed before the rest.`, 'network');
      }
      await new Promise<void>((resolve, reject) =>
        chat.send(encodeChatSend(this._settings.channel, message), (error) => (error ? reject(new ChatError('TAU_SEND_FAILED', `Sent ${sent} of ${messages.length}: ${error.message}`, 'network')) : resolve())),
      );
      sent++;
    }
    // TAU never acknowledges chat, and a write in flight when the socket drops is lost without a
    // trace: only call it sent once the connection has outlived the write by a moment.
    const settleMs = this._options.sendSettleMs ?? 500;
    const survived = await new Promise<boolean>((resolve) => {
      if (this._closed) return resolve(false);
      const timer = this._clock.setTimeout(() => {
        sub.dispose();
        resolve(true);
      }, settleMs);
      const sub = this.onDidClose(() => {
        timer.dispose();
        resolve(false);
      });
    });
    if (!survived || this._closed) {
      throw new ChatError('TAU_SEND_UNCONFIRMED', `The connection to TAU dropped right after sending${messages.length > 1 ? ` ${messages.length} messages` : ''}; it may not have reached chat.`, 'network');
    }
  }

  private _end(error: ChatError): void {
    if (this._closed) return;
    this._closed = true;
    this._teardown();
    this._onDidClose.fire(error);
  }

  private _teardown(): void {
    this._store.dispose();
    for (const ws of [this._events, this._chat]) {
      if (!ws) continue;
      ws.removeAllListeners();
      ws.on('error', () => {});
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
    }
  }

  dispose(): void {
    this._closed = true;
    this._teardown();
    this._onDidClose.dispose();
  }
}

export function createTauClient(deps: PlatformDeps<TauSettings>, options?: TauClientOptions): TauClient {
  return new TauClient(deps, options);
}

/** The composition root's factory: raw `streamChat.tau.*` settings in, a client out. */
export function tauPlatformFactory(deps: PlatformDeps<Readonly<Record<string, unknown>>>): TauClient {
  return new TauClient({ ...deps, settings: tauSettingsFrom(deps.settings) });
}
