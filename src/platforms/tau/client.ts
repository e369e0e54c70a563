import WebSocket from 'ws';
import { BackoffOptions } from '../../core/backoff';
import { PlatformDeps } from '../../core/client';
import { Clock } from '../../core/clock';
import { ChatError } from '../../core/errors';
import { Emitter } from '../../core/event';
import { Disposable, DisposableStore, MutableDisposable, toDisposable } from '../../core/lifecycle';
import { DEFAULT_LIVENESS, LivenessOptions, SocketLiveness } from '../../core/liveness';
import { Logger } from '../../core/log';
import { systemNotice } from '../../core/message';
import { RateLimiter } from '../../core/rateLimiter';
import { ReconnectingClient, Session, SessionContext } from '../../core/reconnectingClient';
import {
  TWITCH_MAX_LENGTH,
  decodeChatFrame,
  decodeEventsFrame,
  describeEvent,
  encodeChatSend,
  encodeTokenFrame,
  ownChatMessage,
  splitForTwitch,
} from './codec';
import { TauModeration } from './moderation';
import { FetchLike, baseUrl, checkToken, socketUrl } from './rest';

/** `streamChat.tau.*`, typed. */
export interface TauSettings {
  readonly url: string;
  /** Chat-bot login whose socket carries chat; empty: events only. */
  readonly chatBot: string;
  /** Twitch channel sent messages go to. */
  readonly channel: string;
  /** TAU's keep-alive interval; silence for twice this long is a dead connection. */
  readonly keepAliveIntervalMs: number;
}

/** TAU's default address (a local install). */
export const DEFAULT_TAU_URL = 'http://localhost:8000';
/** TAU's `KEEP_ALIVE_DELAY`. */
export const DEFAULT_KEEP_ALIVE_SECONDS = 120;

/** Raw settings (as VS Code stores them, `keepAliveIntervalSeconds` in seconds) → `TauSettings`. */
export function tauSettingsFrom(raw: Readonly<Record<string, unknown>>): TauSettings {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const given = raw.keepAliveIntervalSeconds;
  // 5–3600 s as the manifest documents; twice the interval must stay a valid timer delay.
  const seconds =
    typeof given === 'number' && Number.isFinite(given) && given > 0
      ? Math.min(3600, Math.max(5, given))
      : DEFAULT_KEEP_ALIVE_SECONDS;
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
  /** How long after the token frame a socket must stay open to count as accepted (TAU never acks). */
  readonly authCloseWindowMs?: number;
  readonly connectTimeoutMs?: number;
  /** Timeout of each REST call (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** A send counts as delivered once the socket outlives the write by this long (TAU has no ack). */
  readonly sendSettleMs?: number;
  /** Reconnect delays (default: the shared 0.5 s → 30 s with jitter). */
  readonly backoff?: BackoffOptions;
  /** Websocket pings on both sockets (default: every 15 s, dead after 15 s without a pong). */
  readonly liveness?: LivenessOptions;
}

/** Twitch's limit for a regular chatter: 20 messages per 30 s. */
const TWITCH_SEND_LIMIT = { messages: 20, windowMs: 30_000 };
/** Daphne closes a socket whose consumer raised (a wrong token) within a moment of the frame. */
const AUTH_CLOSE_MS = 5_000;
/** Longest text one `send` takes; it is split into ≤500-character, single-line messages. */
const MAX_SEND_TEXT = 10_000;

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
    super('tau', {
      log: deps.log,
      clock: deps.clock,
      backoff: options.backoff,
      maxLength: MAX_SEND_TEXT,
      redact: deps.redact,
    });
    this._settings = deps.settings;
    this._getToken = deps.getToken;
    this._options = options;
    const limit = options.sendLimit ?? TWITCH_SEND_LIMIT;
    this._limiter = new RateLimiter(limit.messages, limit.windowMs, this.clock);
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

  /** Twitch takes 500 characters a message; longer or multi-line text is split into several. */
  override get sendCapability() {
    return { ...super.sendCapability, maxLength: TWITCH_MAX_LENGTH };
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
      fetch: this._options.fetch,
      signal: ctx.signal,
      timeoutMs: this._options.requestTimeoutMs,
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

type SocketKind = 'events' | 'chat';

/** One connection: the events socket, and the chat-bot socket when configured. */
class TauSession implements Session {
  private readonly _onDidClose = new Emitter<ChatError>();
  readonly onDidClose = this._onDidClose.event;
  readonly detail: string;
  readonly readOnlyReason: string | undefined;
  private readonly _store = new DisposableStore();
  private readonly _eventsWatchdog = new MutableDisposable<Disposable>();
  /** Armed once the chat socket has shown it gets keep-alives (older TAU sends none there). */
  private readonly _chatWatchdog = new MutableDisposable<Disposable>();
  /** Every socket this session opened, for teardown (even one still connecting). */
  private readonly _sockets = new Set<WebSocket>();
  private _chat: WebSocket | undefined;
  /** The chat socket's pings, which also confirm sends. */
  private _chatLiveness: SocketLiveness | undefined;
  private _closed = false;
  /** Rejects `open()` when the session ends while it is still opening. */
  private _failOpen: ((error: ChatError) => void) | undefined;
  /** Sends write one after another, so the lines of one message stay together and in order. */
  private _writing: Promise<unknown> = Promise.resolve();
  private _ownSeq = 0;

  constructor(
    private readonly _clock: Clock,
    private readonly _log: Logger,
    private readonly _ctx: SessionContext,
    private readonly _settings: TauSettings,
    private readonly _limiter: RateLimiter,
    private readonly _options: TauClientOptions,
  ) {
    const host = new URL(baseUrl(_settings.url)).host;
    this.detail = _settings.chatBot ? `${host} as ${_settings.chatBot}` : `${host} (events only)`;
    this.readOnlyReason = _settings.chatBot
      ? undefined
      : 'TAU: events only; set streamChat.tau.chatBot (a TAU chat-bot login) to chat.';
    this._store.add(this._eventsWatchdog);
    this._store.add(this._chatWatchdog);
  }

  /** Opens the sockets; resolves once both are open, their token frames sent, and no refusal followed. */
  async open(eventsUrl: string, token: string): Promise<void> {
    const ended = new Promise<never>((_, reject) => (this._failOpen = reject));
    ended.catch(() => {});
    try {
      await Promise.race([this._connect(eventsUrl, token, 'events'), ended]);
      if (this._settings.chatBot) {
        const chatUrl = socketUrl(
          this._settings.url,
          `/ws/chat-bots/${encodeURIComponent(this._settings.chatBot)}/`,
        );
        this._chat = await Promise.race([this._connect(chatUrl, token, 'chat'), ended]);
      }
    } finally {
      this._failOpen = undefined;
    }
  }

  private _connect(url: string, token: string, kind: SocketKind): Promise<WebSocket> {
    return new Promise<WebSocket>((resolve, reject) => {
      // The token goes in the first frame; still leave out any user:password in the URL.
      const shown = new URL(url);
      this._log.info(
        `opening the ${kind} socket ${shown.protocol}//${shown.host}${shown.pathname}`,
      );
      const ws = new WebSocket(url, { handshakeTimeout: this._options.connectTimeoutMs ?? 10_000 });
      this._sockets.add(ws);
      let settled = false;
      let tokenSentAt = 0;
      const fail = (error: ChatError) => {
        if (!settled) {
          settled = true;
          ws.removeAllListeners();
          ws.on('error', () => {});
          ws.terminate();
          reject(error);
        } else this._end(error);
      };
      // Once open, a disconnect disposes the session (a clean close); only an attempt is aborted here.
      const abort = () => {
        if (!settled) fail(new ChatError('ABORTED', 'Connecting was cancelled.', 'network'));
      };
      this._ctx.signal.addEventListener('abort', abort, { once: true });
      this._store.add(toDisposable(() => this._ctx.signal.removeEventListener('abort', abort)));
      ws.on('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        if (kind === 'chat' && status === 403) {
          fail(
            new ChatError(
              'TAU_UNKNOWN_BOT',
              `TAU refused the chat bot "${this._settings.chatBot}" (HTTP 403): set streamChat.tau.chatBot to a chat bot set up in TAU (or the streamer's login), in lowercase.`,
              'config',
            ),
          );
        } else
          fail(
            new ChatError(
              'TAU_HANDSHAKE',
              `TAU refused the ${kind} socket (HTTP ${status}).`,
              status === 401 ? 'auth' : 'network',
            ),
          );
      });
      ws.on('error', (error) =>
        fail(new ChatError('TAU_SOCKET', `TAU ${kind} socket error: ${error.message}`, 'network')),
      );
      ws.on('open', () => {
        ws.send(encodeTokenFrame(token));
        tokenSentAt = this._clock.now();
        // TAU never says the token was good; a refused one closes with 1011 straight away.
        this._store.add(
          this._clock.setTimeout(() => {
            if (!settled && ws.readyState === WebSocket.OPEN) {
              settled = true;
              this._log.info(`${kind} socket open`);
              const liveness = this._store.add(
                new SocketLiveness(
                  ws,
                  this._clock,
                  this._options.liveness ?? DEFAULT_LIVENESS,
                  (error) => this._end(error),
                  `TAU's ${kind} socket`,
                ),
              );
              liveness.start();
              if (kind === 'chat') this._chatLiveness = liveness;
              resolve(ws);
            }
          }, this._options.authCloseWindowMs ?? 750),
        );
      });
      ws.on('close', (code, reason) => {
        if (code === 1011 && tokenSentAt > 0 && this._clock.now() - tokenSentAt < AUTH_CLOSE_MS) {
          fail(
            new ChatError(
              'TAU_BAD_TOKEN',
              'TAU closed the connection right after the token (1011): the token was refused. Set the right one with Stream Chat: Set Token….',
              'auth',
            ),
          );
        } else {
          fail(
            new ChatError(
              'TAU_CLOSED',
              `TAU closed the ${kind} socket (${code}${reason.length ? ` ${reason.toString().slice(0, 100)}` : ''}).`,
              'network',
            ),
          );
        }
      });
      ws.on('message', (data) => {
        const text = data.toString();
        if (kind === 'events') this._onEventsFrame(text);
        else if (this._onChatFrame(text) === 'refused' && !settled) {
          fail(
            new ChatError(
              'TAU_BAD_TOKEN',
              'TAU did not accept the token on the chat-bot socket. Set the right one with Stream Chat: Set Token….',
              'auth',
            ),
          );
        }
      });
    });
  }

  private _onEventsFrame(text: string): void {
    const frame = decodeEventsFrame(text);
    // Keep-alives come only from a TAU linked to Twitch: watch for their silence once they came.
    if (frame.type === 'keepAlive' || this._eventsWatchdog.value) this._armWatchdog('events');
    switch (frame.type) {
      case 'keepAlive':
        return;
      case 'malformed':
        this._log.warn(`skipped a malformed events frame (${frame.reason})`);
        return;
      case 'event':
        for (const op of describeEvent(frame.envelope, this._clock.now(), this._settings.channel))
          this._ctx.emit(op);
    }
  }

  /** Handles a chat-bot frame; says 'refused' for TAU's error frame (the socket is not authenticated). */
  private _onChatFrame(text: string): 'refused' | undefined {
    const frame = decodeChatFrame(text, this._clock.now(), this._settings.chatBot);
    if (frame.type === 'keepAlive' || this._chatWatchdog.value) this._armWatchdog('chat');
    switch (frame.type) {
      case 'keepAlive':
      case 'ignored':
        return undefined;
      case 'malformed':
        this._log.warn(`skipped a malformed chat frame (${frame.reason})`);
        return undefined;
      case 'error':
        this._log.warn(`TAU chat bot error: ${frame.error}`);
        this._ctx.emit({
          op: 'append',
          message: systemNotice(
            'tau',
            `TAU chat bot ${this._settings.chatBot}: ${frame.error}`,
            'error',
            this._clock.now(),
          ),
        });
        return 'refused';
      case 'privmsg':
        this._ctx.emit({ op: 'append', message: frame.message });
        return undefined;
    }
  }

  /** Keep-alive watchdog per socket: each frame re-arms it; silence for 2 × the interval ends the session. */
  private _armWatchdog(kind: SocketKind): void {
    if (this._closed) return;
    const limitMs = this._settings.keepAliveIntervalMs * 2;
    const watchdog = kind === 'events' ? this._eventsWatchdog : this._chatWatchdog;
    watchdog.value = this._clock.setTimeout(() => {
      this._log.warn(`no keep-alive on the ${kind} socket for ${limitMs} ms; reconnecting`);
      this._end(
        new ChatError(
          'TAU_SILENT',
          `no keep-alive from TAU for ${Math.round(limitMs / 1000)} s`,
          'network',
        ),
      );
    }, limitMs);
  }

  /**
   * Says `text` in the channel: one message per line, each at most 500 characters, paced under
   * Twitch's limit. TAU never acknowledges, so it resolves once a pong for a ping written after
   * the messages came back (and the socket outlived them a moment), and rejects saying how many of
   * the messages went out when it could not finish.
   */
  async send(text: string): Promise<void> {
    const chat = this._chat;
    if (!chat)
      throw new ChatError(
        'SEND_UNAVAILABLE',
        'TAU: set streamChat.tau.chatBot to send chat.',
        'config',
      );
    const messages = splitForTwitch(text);
    if (messages.length === 0)
      throw new ChatError('EMPTY_MESSAGE', 'The message is empty.', 'config');
    const written = this._writing.then(() => this._write(chat, messages));
    this._writing = written.catch(() => {});
    await written;
    // A write in flight when the socket drops is lost without a trace: only a pong for a ping
    // written after the messages proves they reached TAU; then the socket must outlive them a moment.
    const confirmed = await (
      this._chatLiveness?.confirm() ?? Promise.reject(new Error('no chat socket'))
    ).then(
      () => true,
      () => false,
    );
    const settleMs = this._options.sendSettleMs ?? 500;
    const survived =
      confirmed &&
      (await new Promise<boolean>((resolve) => {
        if (this._closed) return resolve(false);
        const sub = this.onDidClose(() => {
          timer.dispose();
          resolve(false);
        });
        const timer = this._clock.setTimeout(() => {
          sub.dispose();
          resolve(true);
        }, settleMs);
      }));
    if (!survived || this._closed) {
      throw new ChatError(
        'TAU_SEND_UNCONFIRMED',
        `TAU did not confirm receiving ${messages.length > 1 ? `the ${messages.length} messages` : 'the message'} (the connection dropped or stopped answering); it may not have reached chat.`,
        'network',
      );
    }
    // Twitch does not echo a connection's own messages: show them as sent.
    const now = this._clock.now();
    for (const message of messages) {
      this._ctx.emit({
        op: 'append',
        message: ownChatMessage(
          `tau-own-${now.toString(36)}-${(this._ownSeq++).toString(36)}`,
          this._settings.chatBot,
          this._settings.channel,
          message,
          now,
        ),
      });
    }
  }

  private async _write(chat: WebSocket, messages: readonly string[]): Promise<void> {
    let sent = 0;
    const notSent = (why: string) =>
      new ChatError(
        'TAU_SEND_FAILED',
        messages.length > 1
          ? `Sent ${sent} of ${messages.length} messages; ${why}.`
          : `Not sent: ${why}.`,
        'network',
      );
    for (const message of messages) {
      await this._limiter.acquire();
      if (this._closed || chat.readyState !== WebSocket.OPEN)
        throw notSent('the connection to TAU closed');
      await new Promise<void>((resolve, reject) =>
        chat.send(encodeChatSend(this._settings.channel, message), (error) =>
          error ? reject(notSent(error.message)) : resolve(),
        ),
      );
      sent++;
    }
  }

  private _end(error: ChatError): void {
    if (this._closed) return;
    this._closed = true;
    this._failOpen?.(error);
    // Terminate: the peer may be gone (a stall), and a polite close would wait for it.
    this._teardown(false);
    this._onDidClose.fire(error);
  }

  private _teardown(polite: boolean): void {
    this._store.dispose();
    for (const ws of this._sockets) {
      ws.removeAllListeners();
      ws.on('error', () => {});
      if (polite && ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
    }
    this._sockets.clear();
  }

  dispose(): void {
    this._closed = true;
    this._teardown(true);
    this._onDidClose.dispose();
  }
}

/** A TAU client from typed settings (tests, soak). */
export function createTauClient(
  deps: PlatformDeps<TauSettings>,
  options?: TauClientOptions,
): TauClient {
  return new TauClient(deps, options);
}

/** The composition root's factory: raw `streamChat.tau.*` settings in, a client out. */
export function tauPlatformFactory(
  deps: PlatformDeps<Readonly<Record<string, unknown>>>,
): TauClient {
  return new TauClient({ ...deps, settings: tauSettingsFrom(deps.settings) });
}
