import { Clock } from './clock';
import { ChatError } from './errors';
import { Disposable, MutableDisposable } from './lifecycle';

/** The part of a websocket that liveness needs (`ws`'s WebSocket has it): RFC 6455 ping and pong. */
export interface PingableSocket {
  ping(data?: undefined, mask?: undefined, callback?: (error?: Error) => void): void;
  on(event: 'pong', listener: () => void): unknown;
  off(event: 'pong', listener: () => void): unknown;
}

export interface LivenessOptions {
  /** A ping goes out this long after the last one was answered. */
  readonly intervalMs: number;
  /** A ping unanswered this long means the connection is dead. */
  readonly timeoutMs: number;
}

/** Every socket's default: a dead one is found within 30 s at worst, usually 15. */
export const DEFAULT_LIVENESS: LivenessOptions = { intervalMs: 15_000, timeoutMs: 15_000 };

/**
 * Websocket-level liveness: pings on a timer, and a missing pong within the timeout calls
 * `onDead` once. A server that never sends anything (TAU before it is linked to Twitch) still
 * answers pings, so a quiet connection is never mistaken for a dead one. `confirm()` proves that
 * everything written before it reached the peer: it writes a ping and resolves on that ping's pong
 * (pongs come back in order, behind every byte written before their ping).
 */
export class SocketLiveness implements Disposable {
  private _sent = 0;
  private _answered = 0;
  private _isDead = false;
  private _isDisposed = false;
  private readonly _deadline = new MutableDisposable<Disposable>();
  private readonly _next = new MutableDisposable<Disposable>();
  private readonly _waiters: Array<{
    readonly index: number;
    resolve(): void;
    reject(error: ChatError): void;
  }> = [];
  private readonly _onPong = () => this._pong();

  constructor(
    private readonly _socket: PingableSocket,
    private readonly _clock: Clock,
    private readonly _options: LivenessOptions,
    private readonly _onDead: (error: ChatError) => void,
    private readonly _what = 'the server',
  ) {
    _socket.on('pong', this._onPong);
  }

  /** Starts the periodic pings. */
  start(): void {
    this._scheduleNext();
  }

  /** Resolves once the peer has answered a ping written now; rejects when the connection dies first. */
  confirm(): Promise<void> {
    if (this._isDead || this._isDisposed) return Promise.reject(this._deadError());
    const index = this._ping();
    return new Promise<void>((resolve, reject) => this._waiters.push({ index, resolve, reject }));
  }

  private _ping(): number {
    const index = ++this._sent;
    try {
      this._socket.ping(undefined, undefined, (error) => {
        if (error) this._die();
      });
    } catch {
      this._die();
      return index;
    }
    this._deadline.value ??= this._clock.setTimeout(() => this._die(), this._options.timeoutMs);
    return index;
  }

  private _pong(): void {
    if (this._isDead || this._isDisposed) return;
    this._answered = Math.min(this._sent, this._answered + 1);
    for (let i = this._waiters.length - 1; i >= 0; i--) {
      const waiter = this._waiters[i]!;
      if (waiter.index <= this._answered) {
        this._waiters.splice(i, 1);
        waiter.resolve();
      }
    }
    // The next outstanding ping gets a deadline of its own.
    this._deadline.clear();
    if (this._answered < this._sent)
      this._deadline.value = this._clock.setTimeout(() => this._die(), this._options.timeoutMs);
    else this._scheduleNext();
  }

  private _scheduleNext(): void {
    if (this._isDead || this._isDisposed) return;
    this._next.value = this._clock.setTimeout(() => {
      if (this._answered === this._sent) this._ping();
    }, this._options.intervalMs);
  }

  private _deadError(): ChatError {
    return new ChatError(
      'PING_TIMEOUT',
      `${this._what} did not answer a ping within ${this._options.timeoutMs >= 1000 ? `${Math.round(this._options.timeoutMs / 1000)} s` : `${this._options.timeoutMs} ms`}: the connection is dead.`,
      'network',
    );
  }

  private _die(): void {
    if (this._isDead || this._isDisposed) return;
    this._isDead = true;
    const error = this._deadError();
    this._stop(error);
    this._onDead(error);
  }

  private _stop(error: ChatError): void {
    this._deadline.clear();
    this._next.clear();
    this._socket.off('pong', this._onPong);
    for (const waiter of this._waiters.splice(0)) waiter.reject(error);
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    this._stop(new ChatError('DISPOSED', 'The connection was closed.', 'network'));
  }
}
