import { Clock, systemClock } from './clock';
import { ChatError, abortedError } from './errors';
import { Disposable } from './lifecycle';

export interface PendingOptions {
  readonly clock?: Clock;
  /** Rejects with `timeout()` after this long without an answer. */
  readonly timeoutMs?: number;
  readonly timeout?: () => ChatError;
  /** Rejects with `aborted()` (default: "Connecting was cancelled.") when this aborts. */
  readonly signal?: AbortSignal;
  readonly aborted?: () => ChatError;
  /** Runs once, when it settles (whichever way). */
  readonly onSettled?: () => void;
}

/**
 * One outstanding request that settles exactly once: with its answer, an error, its timeout, an
 * abort, or when its owner ends it (the way Phoenix's `Push` is one object). Settling cancels
 * the timer and the abort listener; later answers are ignored.
 */
export class Pending<T = void> {
  readonly promise: Promise<T>;
  private _resolve!: (value: T) => void;
  private _reject!: (error: ChatError) => void;
  private _settled = false;
  private readonly _timer: Disposable | undefined;
  private readonly _signal: AbortSignal | undefined;
  private readonly _onAbort: (() => void) | undefined;
  private readonly _onSettled: (() => void) | undefined;

  constructor(options: PendingOptions = {}) {
    this.promise = new Promise<T>((resolve, reject) => {
      this._resolve = resolve;
      this._reject = reject;
    });
    this._onSettled = options.onSettled;
    const { timeoutMs, signal } = options;
    if (timeoutMs !== undefined) {
      const timeout =
        options.timeout ?? (() => new ChatError('TIMEOUT', 'No answer in time.', 'network'));
      this._timer = (options.clock ?? systemClock).setTimeout(
        () => this.reject(timeout()),
        timeoutMs,
      );
    }
    if (signal) {
      const aborted = options.aborted ?? (() => abortedError());
      this._signal = signal;
      this._onAbort = () => this.reject(aborted());
      if (signal.aborted) this._onAbort();
      else signal.addEventListener('abort', this._onAbort, { once: true });
    }
  }

  get isSettled(): boolean {
    return this._settled;
  }

  /** Settles with `value`; false when it had settled already. */
  resolve(value: T): boolean {
    if (!this._finish()) return false;
    this._resolve(value);
    return true;
  }

  /** Settles with `error`; false when it had settled already. */
  reject(error: ChatError): boolean {
    if (!this._finish()) return false;
    this._reject(error);
    return true;
  }

  private _finish(): boolean {
    if (this._settled) return false;
    this._settled = true;
    this._timer?.dispose();
    if (this._onAbort) this._signal?.removeEventListener('abort', this._onAbort);
    this._onSettled?.();
    return true;
  }
}
