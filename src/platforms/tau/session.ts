import WebSocket from 'ws';
import { Clock } from '../../core/clock';
import { ChatError, abortedError } from '../../core/errors';
import { Emitter } from '../../core/event';
import { busyRetryAfterMs } from '../../core/http';
import { Disposable, DisposableStore, MutableDisposable, toDisposable } from '../../core/lifecycle';
import { DEFAULT_LIVENESS, LivenessOptions, SocketLiveness } from '../../core/liveness';
import { Logger } from '../../core/log';
import { Pending } from '../../core/pending';
import { systemNotice } from '../../core/message';
import { RateLimiter } from '../../core/rateLimiter';
import { Session, SessionContext } from '../../core/reconnectingClient';
import {
  decodeChatFrame,
  decodeEventsFrame,
  describeEvent,
  encodeChatSend,
  encodeTokenFrame,
  ownChatMessage,
} from './codec';
import { splitForTwitch } from './rules';
import { TauSettings, baseUrl, socketUrl } from './settings';

/** The session's knobs (from the client's options). */
export interface TauSessionOptions {
  /** How long after the token frame a socket must stay open to count as accepted (TAU never acks). */
  readonly authCloseWindowMs?: number;
  readonly connectTimeoutMs?: number;
  /** A send counts as delivered once the socket outlives the write by this long (TAU has no ack). */
  readonly sendSettleMs?: number;
  /** Websocket pings on both sockets (default: every 15 s, dead after 15 s without a pong). */
  readonly liveness?: LivenessOptions;
}

/** Daphne closes a socket whose consumer raised (a wrong token) within a moment of the frame. */
const AUTH_CLOSE_MS = 5_000;

type SocketKind = 'events' | 'chat';

/** One connection: the events socket, and the chat-bot socket when configured. */
export class TauSession implements Session {
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
    private readonly _options: TauSessionOptions,
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
    // The token goes in the first frame; still leave out any user:password in the URL.
    const shown = new URL(url);
    this._log.info(`opening the ${kind} socket ${shown.protocol}//${shown.host}${shown.pathname}`);
    const ws = new WebSocket(url, { handshakeTimeout: this._options.connectTimeoutMs ?? 10_000 });
    this._sockets.add(ws);
    /** Settles when the socket is accepted or refused; later failures end the session. */
    const opening = new Pending<WebSocket>();
    let tokenSentAt = 0;
    const fail = (error: ChatError) => {
      if (opening.isSettled) return this._end(error);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      opening.reject(error);
    };
    // Once open, a disconnect disposes the session (a clean close); only an attempt is aborted here.
    const abort = () => {
      if (!opening.isSettled) fail(abortedError());
    };
    this._ctx.signal.addEventListener('abort', abort, { once: true });
    this._store.add(toDisposable(() => this._ctx.signal.removeEventListener('abort', abort)));
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      const retryAfterMs = busyRetryAfterMs(status, res.headers['retry-after']);
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
            { retryAfterMs },
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
          if (!opening.isSettled && ws.readyState === WebSocket.OPEN) {
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
            opening.resolve(ws);
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
      else if (this._onChatFrame(text) === 'refused' && !opening.isSettled) {
        fail(
          new ChatError(
            'TAU_BAD_TOKEN',
            'TAU did not accept the token on the chat-bot socket. Set the right one with Stream Chat: Set Token….',
            'auth',
          ),
        );
      }
    });
    return opening.promise;
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
    const survived = confirmed && (await this._outlives(settleMs));
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

  /** Whether the session is still up `ms` from now (false as soon as it ends). */
  private _outlives(ms: number): Promise<boolean> {
    if (this._closed) return Promise.resolve(false);
    const wait: Pending<boolean> = new Pending({
      onSettled: () => {
        timer.dispose();
        closed.dispose();
      },
    });
    const closed = this.onDidClose(() => wait.resolve(false));
    const timer = this._clock.setTimeout(() => wait.resolve(true), ms);
    return wait.promise;
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
