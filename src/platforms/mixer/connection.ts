import WebSocket from 'ws';
import { Clock } from '../../core/clock';
import { ChatError } from '../../core/errors';
import { Emitter } from '../../core/event';
import { Disposable, MutableDisposable } from '../../core/lifecycle';
import { DEFAULT_LIVENESS, LivenessOptions, SocketLiveness } from '../../core/liveness';
import { Logger } from '../../core/log';
import { MixerPacket, decodePacket, encodeMethod, replyErrorToChatError } from './codec';

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
  readonly resolve: (data: unknown) => void;
  readonly reject: (error: ChatError) => void;
  readonly timer: Disposable;
}

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
 * or the socket closing. Frames that cannot be read are logged and skipped.
 */
export class MixerConnection implements Disposable {
  private readonly _onDidClose = new Emitter<ChatError>();
  /** Fires once when the socket ends by itself (never after `dispose()`). */
  readonly onDidClose = this._onDidClose.event;

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
  private readonly _openWaiters: Array<{ resolve: () => void; reject: (e: ChatError) => void }> =
    [];
  private readonly _welcomeWaiters: Array<{ resolve: () => void; reject: (e: ChatError) => void }> =
    [];
  private readonly _gateTimer = new MutableDisposable<Disposable>();
  private readonly _silenceTimer = new MutableDisposable<Disposable>();
  private _isLivenessOn = false;
  /** Websocket pings beside Mixer's own `ping` method: a half-open socket is found either way. */
  private readonly _wsLiveness = new MutableDisposable<SocketLiveness>();

  constructor(
    readonly endpoint: string,
    url: string,
    headers: Readonly<Record<string, string>>,
    private readonly _timings: MixerConnectionTimings,
    private readonly _clock: Clock,
    private readonly _log: Logger,
    /** Every event packet, in arrival order (WelcomeEvent included). */
    private readonly _onEvent: (event: string, data: unknown) => void,
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
      this._fail(
        new ChatError(
          'MIXER_SOCKET_REFUSED',
          `${describeEndpoint(endpoint)} refused the connection (HTTP ${response.statusCode})`,
          'network',
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
    return this._gate(
      this._openWaiters,
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
    return this._gate(
      this._welcomeWaiters,
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

  private _gate(
    waiters: Array<{ resolve: () => void; reject: (e: ChatError) => void }>,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    onTimeout: () => ChatError,
  ): Promise<void> {
    if (this._isClosed) return Promise.reject(this._closeError ?? closedError());
    return new Promise<void>((resolve, reject) => {
      const onAbort = () =>
        this._fail(new ChatError('ABORTED', 'Connecting to Mixer was cancelled.', 'network'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        this._gateTimer.clear();
      };
      waiters.push({
        resolve: () => {
          done();
          resolve();
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      this._gateTimer.value = this._clock.setTimeout(() => this._fail(onTimeout()), timeoutMs);
      if (signal?.aborted) onAbort();
    });
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
    return new Promise<unknown>((resolve, reject) => {
      const timer = this._clock.setTimeout(() => {
        this._pending.delete(id);
        reject(
          new ChatError(
            'MIXER_CALL_TIMEOUT',
            method === 'msg'
              ? `Mixer did not confirm the message within ${seconds(timeoutMs)}; it may not have been posted.`
              : `Mixer did not answer ${method} within ${seconds(timeoutMs)}.`,
            'network',
          ),
        );
      }, timeoutMs);
      this._pending.set(id, { method, resolve, reject, timer });
      this._socket.send(encodeMethod(id, method, args), (error) => {
        if (!error) return;
        const pending = this._pending.get(id);
        if (!pending) return;
        this._pending.delete(id);
        pending.timer.dispose();
        pending.reject(
          new ChatError(
            'MIXER_SEND_FAILED',
            `Could not send to Mixer: ${error.message}.`,
            'network',
          ),
        );
      });
    });
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
    this._gateTimer.clear();
    for (const waiter of this._openWaiters.splice(0)) waiter.resolve();
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
        if (packet.event === 'WelcomeEvent' && !this._isWelcomed) {
          this._isWelcomed = true;
          this._gateTimer.clear();
          for (const waiter of this._welcomeWaiters.splice(0)) waiter.resolve();
        }
        try {
          this._onEvent(packet.event, packet.data);
        } catch (error) {
          this._log.error(`handling Mixer event ${packet.event} failed: ${String(error)}`);
        }
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
    this._pending.delete(packet.id);
    pending.timer.dispose();
    if (packet.error) pending.reject(replyErrorToChatError(packet.error, pending.method));
    else pending.resolve(packet.data);
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
    this._gateTimer.clear();
    this._silenceTimer.clear();
    this._wsLiveness.clear();
    this._isLivenessOn = false;
    for (const waiter of [...this._openWaiters.splice(0), ...this._welcomeWaiters.splice(0)])
      waiter.reject(error);
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const call of pending) {
      call.timer.dispose();
      call.reject(
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
