import WebSocket from 'ws';
import { Clock } from '../../core/clock';
import { ChatError, abortedError, toChatError } from '../../core/errors';
import { Emitter } from '../../core/event';
import { HistoryGate } from '../../core/historyGate';
import { busyRetryAfterMs } from '../../core/http';
import { Disposable, MutableDisposable } from '../../core/lifecycle';
import { DEFAULT_LIVENESS, LivenessOptions, SocketLiveness } from '../../core/liveness';
import { Logger } from '../../core/log';
import { Pending } from '../../core/pending';
import { Session } from '../../core/reconnectingClient';
import {
  MixerAuthResult,
  MixerDecodeContext,
  MixerEventOutcome,
  MixerPacket,
  authArguments,
  decodeAuthResult,
  decodeChatMessage,
  decodeEvent,
  decodePacket,
  encodeMethod,
  replyErrorToChatError,
} from './codec';
import type { MixerChatDetails } from './http';

/** Opens a socket; injectable so tests can observe or replace the transport. */
export type MixerSocketFactory = (
  url: string,
  headers: Readonly<Record<string, string>>,
) => WebSocket;

/** The default transport: `ws`, with the `Client-ID` header when given. */
export const defaultSocketFactory: MixerSocketFactory = (url, headers) =>
  new WebSocket(url, { headers: { ...headers }, maxPayload: 4 * 1024 * 1024 });

/** Timings of one connection. Defaults match the official client (`Socket.ts`). */
export interface MixerConnectionTimings {
  /** The socket must open within this (official: 5 s). */
  readonly connectTimeoutMs: number;
  /** After opening, `WelcomeEvent` must arrive within this (official: 5 s). */
  readonly welcomeTimeoutMs: number;
  /** A method call without a reply fails after this (official: 20 s). */
  readonly callTimeoutMs: number;
  /** Silence this long triggers a `ping` (official: 15 s). */
  readonly pingIntervalMs: number;
  /** A `ping` without a reply in this long counts the connection dead (official: 5 s). */
  readonly pingTimeoutMs: number;
  /** Websocket-level pings (default: every 15 s, dead after 15 s without a pong). */
  readonly wsLiveness?: LivenessOptions;
}

export const DEFAULT_TIMINGS: MixerConnectionTimings = {
  connectTimeoutMs: 5_000,
  welcomeTimeoutMs: 5_000,
  callTimeoutMs: 20_000,
  pingIntervalMs: 15_000,
  pingTimeoutMs: 5_000,
};

interface PendingCall {
  readonly method: string;
  readonly reply: Pending<unknown>;
}

/** How the session decodes what arrives: the client's context for the user it signed in as. */
export type MixerDecoder = (selfUserId: string | undefined) => MixerDecodeContext;

/** Builds the socket URL: the endpoint plus `version=1.0` and, when set, `Client-ID`. */
export function chatSocketUrl(endpoint: string, clientId: string | undefined): string {
  const url = new URL(endpoint);
  url.searchParams.set('version', '1.0');
  if (clientId) url.searchParams.set('Client-ID', clientId);
  return url.toString();
}

/** The socket URL without its query, fit for logs and tooltips. */
export function describeEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(invalid endpoint)';
  }
}

/**
 * One chat socket: opening, the `WelcomeEvent` gate, method calls matched to replies by id, and
 * liveness (`ping` after silence). Every call settles exactly once: reply, error reply, timeout,
 * or the socket closing. Frames that cannot be read are logged and skipped. Everything that
 * arrives (events, history, the reply to a sent message) leaves decoded, as one stream of
 * outcomes; events wait behind the history until `release`.
 */
export class MixerConnection implements Session {
  private readonly _onDidClose = new Emitter<ChatError>();
  /** Fires once when the socket ends by itself (never after `dispose()`). */
  readonly onDidClose = this._onDidClose.event;
  /** Set by the client once it knows what the signed-in account may do. */
  readOnlyReason: string | undefined;
  detail: string | undefined;
  /** The signed-in user (after `auth`), to flag our own messages. */
  selfUserId: string | undefined;

  private readonly _socket: WebSocket;
  private readonly _pending = new Map<number, PendingCall>();
  private _nextCallId = 0;
  private _isClosed = false;
  private _isDisposed = false;
  private _closeError: ChatError | undefined;
  private _isWelcomed = false;
  private _isOpened = false;
  /** The socket's last error (e.g. ECONNREFUSED), to explain a close before opening. */
  private _lastSocketError: string | undefined;
  /** Who waits for the open or the welcome (at most one gate at a time). */
  private _gate: { readonly kind: 'open' | 'welcome'; readonly pending: Pending } | undefined;
  private readonly _silenceTimer = new MutableDisposable<Disposable>();
  private _isLivenessOn = false;
  /** Websocket pings beside Mixer's own `ping` method: a half-open socket is found either way. */
  private readonly _wsLiveness = new MutableDisposable<SocketLiveness>();
  private readonly _events = new HistoryGate<{ event: string; data: unknown }>(({ event, data }) =>
    this._emit(decodeEvent(event, data, this._decode(this.selfUserId))),
  );

  constructor(
    readonly endpoint: string,
    url: string,
    headers: Readonly<Record<string, string>>,
    private readonly _timings: MixerConnectionTimings,
    private readonly _clock: Clock,
    private readonly _log: Logger,
    private readonly _decode: MixerDecoder,
    /** Every decoded outcome, in delivery order. */
    private readonly _onOutcome: (outcome: MixerEventOutcome) => void,
    createSocket: MixerSocketFactory,
  ) {
    // Listeners go on before anything can arrive, so no frame slips past between open and welcome.
    this._socket = createSocket(url, headers);
    this._socket.on('open', () => this._handleOpen());
    this._socket.on('message', (data, isBinary) => this._handleMessage(data, isBinary));
    this._socket.on('error', (error: Error & { code?: unknown }) => {
      this._lastSocketError = typeof error.code === 'string' ? error.code : error.message;
      this._log.debug(`socket error on ${describeEndpoint(endpoint)}: ${error.message}`);
    });
    this._socket.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      this._fail(
        new ChatError(
          'MIXER_SOCKET_REFUSED',
          `${describeEndpoint(endpoint)} refused the connection (HTTP ${status})`,
          'network',
          { retryAfterMs: busyRetryAfterMs(status, response.headers['retry-after']) },
        ),
      );
    });
    this._socket.on('close', (code) => this._handleClose(code));
  }

  get isClosed(): boolean {
    return this._isClosed;
  }

  /** Why the socket closed, once it has. */
  get closeError(): ChatError | undefined {
    return this._closeError;
  }

  /** Resolves when the socket is open; rejects (and closes it) if it does not open within the connect timeout. */
  whenOpen(signal?: AbortSignal): Promise<void> {
    if (this._socket.readyState === WebSocket.OPEN) return Promise.resolve();
    return this._wait(
      'open',
      this._timings.connectTimeoutMs,
      signal,
      () =>
        new ChatError(
          'MIXER_CONNECT_TIMEOUT',
          `${describeEndpoint(this.endpoint)} did not accept the connection within ${seconds(this._timings.connectTimeoutMs)}`,
          'network',
        ),
    );
  }

  /** Resolves on `WelcomeEvent`; without one within the welcome timeout the socket is closed. */
  whenWelcomed(signal?: AbortSignal): Promise<void> {
    if (this._isWelcomed) return Promise.resolve();
    return this._wait(
      'welcome',
      this._timings.welcomeTimeoutMs,
      signal,
      () =>
        new ChatError(
          'MIXER_NO_WELCOME',
          `Mixer's chat server ${describeEndpoint(this.endpoint)} did not welcome the connection within ${seconds(this._timings.welcomeTimeoutMs)}; reconnecting.`,
          'network',
        ),
    );
  }

  /** A timeout or an abort of the wait ends the whole socket; the wait then rejects with why. */
  private _wait(
    kind: 'open' | 'welcome',
    timeoutMs: number,
    signal: AbortSignal | undefined,
    onTimeout: () => ChatError,
  ): Promise<void> {
    if (this._isClosed) return Promise.reject(this._closeError ?? closedError());
    if (this._gate?.kind === kind) return this._gate.pending.promise;
    const pending: Pending = new Pending({
      onSettled: () => {
        if (this._gate?.pending === pending) this._gate = undefined;
        watchdog.dispose();
        signal?.removeEventListener('abort', onAbort);
      },
    });
    const watchdog = this._clock.setTimeout(() => this._fail(onTimeout()), timeoutMs);
    const onAbort = () => this._fail(abortedError('Connecting to Mixer'));
    signal?.addEventListener('abort', onAbort, { once: true });
    this._gate = { kind, pending };
    if (signal?.aborted) onAbort();
    return pending.promise;
  }

  /**
   * Calls a method and resolves with the reply's data. Rejects with the server's error as a
   * sentence, with a timeout, or when the socket closes first.
   */
  call(
    method: string,
    args: readonly unknown[],
    timeoutMs = this._timings.callTimeoutMs,
  ): Promise<unknown> {
    if (this._isClosed || this._isDisposed || this._socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(
        new ChatError('MIXER_NOT_OPEN', 'The Mixer chat connection is not open.', 'network'),
      );
    }
    const id = this._nextCallId++;
    const reply = new Pending<unknown>({
      clock: this._clock,
      timeoutMs,
      timeout: () =>
        new ChatError(
          'MIXER_CALL_TIMEOUT',
          method === 'msg'
            ? `Mixer did not confirm the message within ${seconds(timeoutMs)}; it may not have been posted.`
            : `Mixer did not answer ${method} within ${seconds(timeoutMs)}.`,
          'network',
        ),
      onSettled: () => this._pending.delete(id),
    });
    this._pending.set(id, { method, reply });
    this._socket.send(encodeMethod(id, method, args), (error) => {
      if (error)
        reply.reject(
          new ChatError(
            'MIXER_SEND_FAILED',
            `Could not send to Mixer: ${error.message}.`,
            'network',
          ),
        );
    });
    return reply.promise;
  }

  /** Says `text` in chat; the reply carries the posted message (its event may come before or after). */
  async send(text: string): Promise<void> {
    const data = await this.call('msg', [text]);
    const message = decodeChatMessage(data, this._decode(this.selfUserId));
    if (message) this._emit({ kind: 'message', message });
  }

  /**
   * Signs in (or joins anonymously), back-fills the history, then lets the held events through.
   * Resolves with what `auth` said; rejects when the socket closed meanwhile.
   */
  async establish(
    details: MixerChatDetails,
    options: {
      readonly hasToken: boolean;
      readonly historyCount: number;
      readonly historyTimeoutMs: number;
      readonly signal: AbortSignal;
    },
  ): Promise<MixerAuthResult> {
    const credentials =
      details.userId !== undefined && details.authkey
        ? { userId: details.userId, authkey: details.authkey }
        : undefined;
    const auth = decodeAuthResult(
      await this.call('auth', authArguments(details.channelId, credentials)),
    );
    if (!auth)
      throw new ChatError(
        'MIXER_BAD_AUTH_REPLY',
        'Mixer answered the chat sign-in with something unexpected; reconnecting.',
        'protocol',
      );
    this.selfUserId = auth.authenticated && credentials ? String(credentials.userId) : undefined;
    this.readOnlyReason = readOnlyReasonFor(
      options.hasToken,
      credentials !== undefined,
      auth.authenticated,
      details.permissions,
    );
    if (options.historyCount > 0) {
      await this.history(options.historyCount, options.historyTimeoutMs).catch((error: unknown) => {
        // History only fills a gap; the live chat works without it.
        this._log.info(`Mixer chat history unavailable: ${toChatError(error).message}`);
      });
    }
    this.release();
    if (this._isClosed)
      throw (
        this._closeError ??
        new ChatError('MIXER_CLOSED', 'Mixer closed the chat connection; reconnecting.', 'network')
      );
    if (options.signal.aborted) throw abortedError('Connecting to Mixer');
    return auth;
  }

  /** Asks for the last `count` messages (a short timeout: live events wait behind them). */
  async history(count: number, timeoutMs: number): Promise<void> {
    const data = await this.call('history', [count], timeoutMs);
    if (!Array.isArray(data)) {
      this._log.info('Mixer chat history was not a list; skipped');
      return;
    }
    const context = this._decode(this.selfUserId);
    for (const item of data) {
      const message = decodeChatMessage(item, context);
      if (message) this._emit({ kind: 'message', message });
    }
  }

  /** Lets the events held behind the history through, in arrival order. */
  release(): void {
    this._events.release();
  }

  /** Starts the silence timer: after `pingIntervalMs` without a frame, `ping`; no reply → close. */
  startLiveness(): void {
    this._isLivenessOn = true;
    this._armSilenceTimer();
    const liveness = new SocketLiveness(
      this._socket,
      this._clock,
      this._timings.wsLiveness ?? DEFAULT_LIVENESS,
      (error) => this._fail(error),
      `Mixer's chat server ${describeEndpoint(this.endpoint)}`,
    );
    this._wsLiveness.value = liveness;
    liveness.start();
  }

  private _emit(outcome: MixerEventOutcome): void {
    try {
      this._onOutcome(outcome);
    } catch (error) {
      this._log.error(`handling a Mixer ${outcome.kind} failed: ${String(error)}`);
    }
  }

  private _armSilenceTimer(): void {
    if (!this._isLivenessOn || this._isClosed) return;
    this._silenceTimer.value = this._clock.setTimeout(
      () => this._sendPing(),
      this._timings.pingIntervalMs,
    );
  }

  private _sendPing(): void {
    this.call('ping', [], this._timings.pingTimeoutMs).then(
      () => this._armSilenceTimer(),
      (error: ChatError) => {
        if (error.code !== 'MIXER_CALL_TIMEOUT') return;
        this._fail(
          new ChatError(
            'MIXER_PING_TIMEOUT',
            `Mixer stopped answering (no reply to a ping within ${seconds(this._timings.pingTimeoutMs)}); reconnecting.`,
            'network',
          ),
        );
      },
    );
  }

  private _handleOpen(): void {
    if (this._isClosed) return;
    this._isOpened = true;
    if (this._gate?.kind === 'open') this._gate.pending.resolve();
  }

  private _handleMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (this._isClosed || this._isDisposed) return;
    // Any frame proves the connection alive (as in the official client).
    this._armSilenceTimer();
    if (isBinary) {
      this._log.warn('skipped a binary frame from Mixer');
      return;
    }
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data).toString('utf8');
    let packet: MixerPacket;
    try {
      packet = decodePacket(text);
    } catch (error) {
      // decodePacket does not throw; this guards the socket handler all the same.
      this._log.warn(`skipped a frame from Mixer: ${String(error)}`);
      return;
    }
    switch (packet.type) {
      case 'reply':
        this._handleReply(packet);
        return;
      case 'event':
        if (packet.event === 'WelcomeEvent') {
          if (!this._isWelcomed) {
            this._isWelcomed = true;
            if (this._gate?.kind === 'welcome') this._gate.pending.resolve();
          }
          return;
        }
        this._events.push({ event: packet.event, data: packet.data });
        return;
      case 'method':
        this._log.debug(`ignored a method packet from Mixer (${packet.method.slice(0, 40)})`);
        return;
      case 'unknown':
        this._log.warn(`skipped a Mixer packet of unknown type "${packet.packetType}"`);
        return;
      case 'malformed':
        this._log.warn(
          `skipped a malformed frame from Mixer (${packet.reason}, ${text.length} characters)`,
        );
        return;
    }
  }

  private _handleReply(packet: Extract<MixerPacket, { type: 'reply' }>): void {
    const pending = this._pending.get(packet.id);
    if (!pending) {
      this._log.debug(`reply ${packet.id} from Mixer matches no call (late, after a timeout?)`);
      return;
    }
    if (packet.error) pending.reply.reject(replyErrorToChatError(packet.error, pending.method));
    else pending.reply.resolve(packet.data);
  }

  private _handleClose(code: number): void {
    if (this._isClosed) return;
    this._isClosed = true;
    const error =
      this._closeError ??
      (this._isOpened
        ? new ChatError(
            'MIXER_CLOSED',
            `Mixer closed the chat connection (${describeEndpoint(this.endpoint)}, code ${code}); reconnecting.`,
            'network',
          )
        : new ChatError(
            'MIXER_CONNECT_FAILED',
            `${describeEndpoint(this.endpoint)} did not accept the connection (${this._lastSocketError ?? `code ${code}`})`,
            'network',
          ));
    this._closeError = error;
    this._teardown(error);
    if (!this._isDisposed) this._onDidClose.fire(error);
    this._onDidClose.dispose();
  }

  /** Ends the socket at once because of `error` (watchdog, liveness, refusal). */
  private _fail(error: ChatError): void {
    if (this._isClosed) return;
    this._closeError ??= error;
    // A silent peer gets no polite close handshake to wait for.
    this._socket.terminate();
    // terminate() emits 'close' asynchronously; settle waiters now.
    this._handleClose(1006);
  }

  private _teardown(error: ChatError): void {
    this._silenceTimer.clear();
    this._wsLiveness.clear();
    this._isLivenessOn = false;
    this._events.drop();
    this._gate?.pending.reject(error);
    for (const call of [...this._pending.values()]) {
      call.reply.reject(
        call.method === 'msg'
          ? new ChatError(
              'MIXER_CONNECTION_LOST',
              'The Mixer connection dropped before Mixer confirmed the message; it may not have been posted.',
              'network',
            )
          : error,
      );
    }
  }

  /** Closes cleanly (code 1000) without firing `onDidClose`; pending calls are rejected. */
  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    if (this._isClosed) return;
    const error = new ChatError('MIXER_DISPOSED', 'The Mixer connection was closed.', 'network');
    this._closeError ??= error;
    if (this._socket.readyState === WebSocket.OPEN) this._socket.close(1000);
    else this._socket.terminate();
    this._handleClose(1000);
  }
}

function closedError(): ChatError {
  return new ChatError('MIXER_CLOSED', 'The Mixer chat connection closed.', 'network');
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

/** What `openFirstReachable` needs for one attempt. */
export interface MixerOpenRequest {
  readonly endpoints: readonly string[];
  /** Which endpoint to try first; moved past the one that opened (or one on, when none did). */
  readonly cursor: { value: number };
  readonly clientId: string;
  readonly signal: AbortSignal;
  readonly timings: MixerConnectionTimings;
  readonly clock: Clock;
  readonly log: Logger;
  readonly decode: MixerDecoder;
  readonly onOutcome: (outcome: MixerEventOutcome) => void;
  readonly createSocket: MixerSocketFactory;
}

/**
 * Tries the endpoints from the cursor on; the first that opens wins. Otherwise rejects naming the
 * last failure; a server that asked to be left alone (`Retry-After`) makes the error carry the
 * longest such wait.
 */
export async function openFirstReachable(request: MixerOpenRequest): Promise<MixerConnection> {
  const { endpoints, log } = request;
  const count = endpoints.length;
  const start = request.cursor.value % count;
  const headers: Record<string, string> = request.clientId ? { 'Client-ID': request.clientId } : {};
  let lastError: ChatError | undefined;
  let retryAfterMs: number | undefined;
  for (let i = 0; i < count; i++) {
    const index = (start + i) % count;
    const endpoint = endpoints[index]!;
    let connection: MixerConnection;
    try {
      const url = chatSocketUrl(endpoint, request.clientId || undefined);
      log.info(`connecting to ${describeEndpoint(endpoint)} (endpoint ${index + 1} of ${count})`);
      connection = new MixerConnection(
        endpoint,
        url,
        headers,
        request.timings,
        request.clock,
        log,
        request.decode,
        request.onOutcome,
        request.createSocket,
      );
    } catch (error) {
      lastError = toChatError(error, 'MIXER_BAD_ENDPOINT', 'protocol');
      log.warn(`skipped Mixer endpoint ${describeEndpoint(endpoint)}: ${lastError.message}`);
      continue;
    }
    try {
      await connection.whenOpen(request.signal);
      request.cursor.value = index + 1;
      return connection;
    } catch (error) {
      connection.dispose();
      lastError = toChatError(error);
      if (request.signal.aborted) throw lastError;
      if (lastError.retryAfterMs !== undefined)
        retryAfterMs = Math.max(retryAfterMs ?? 0, lastError.retryAfterMs);
      log.warn(
        `${describeEndpoint(endpoint)}: ${lastError.message}${i + 1 < count ? ' Trying the next endpoint.' : ''}`,
      );
    }
  }
  const last = trimStop(lastError?.message ?? 'no usable endpoint');
  // Next attempt starts one further along, so a dead first endpoint is not always tried first.
  request.cursor.value = start + 1;
  throw new ChatError(
    'MIXER_UNREACHABLE',
    count === 1
      ? `Could not connect to Mixer's chat server: ${last}; retrying.`
      : `Could not connect to any of Mixer's ${count} chat servers (last: ${last}); retrying.`,
    'network',
    { retryAfterMs },
  );
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
