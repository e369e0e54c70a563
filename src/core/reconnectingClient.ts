import { BackoffOptions, DEFAULT_BACKOFF, backoffDelay } from './backoff';
import { PlatformClient, SendCapability } from './client';
import { Clock, systemClock } from './clock';
import { ChatError, toChatError } from './errors';
import { Emitter, Event } from './event';
import { Disposable, DisposableObject, MutableDisposable } from './lifecycle';
import { Logger, redact as redactSecrets } from './log';
import { PLATFORM_LABELS, PlatformId, TimelineOp } from './message';
import { CharUnit, charCount } from './rules';
import { MAX_TIMER_MS } from './settings';
import { CONNECTING, ConnectionState, DISCONNECTED } from './state';

/** One established connection (socket joined / authenticated). Disposing it closes it cleanly. */
export interface Session extends Disposable {
  /** Fires at most once, when the connection ends by itself; never after `dispose()`. */
  readonly onDidClose: Event<ChatError>;
  /** Why this session cannot send (client id, anonymous, no chat permission); undefined if it can. */
  readonly readOnlyReason?: string;
  /** Short description for tooltips ("#channel on 127.0.0.1:4001"). */
  readonly detail?: string;
  /** Sends one validated message; settles with the platform's ack, its error, or a timeout. */
  send(text: string): Promise<void>;
}

/** What `openSession` gets for one attempt. */
export interface SessionContext {
  /** 0 for the first connect, then 1, 2… for retries since the last stable connection. */
  readonly attempt: number;
  /** Aborted when the user disconnects or the client is disposed mid-attempt. */
  readonly signal: AbortSignal;
  /** Delivers a timeline op (chat, event, moderation) from this session. */
  emit(op: TimelineOp): void;
}

/** The base's knobs every platform client's options carry (tests and tuning). */
export interface ReconnectTuning {
  readonly backoff?: BackoffOptions;
  /** A connection that lasts this long resets the backoff. */
  readonly stableAfterMs?: number;
  /** Messages held while reconnecting, at most. */
  readonly maxQueued?: number;
  /** A held message fails after this long without a connection. */
  readonly queueTimeoutMs?: number;
}

/**
 * Everything the base takes, in one object: a platform client passes its deps, its options and
 * its rules spread together (`{ ...options, ...deps, ...RULES }`).
 */
export interface ReconnectingClientOptions extends ReconnectTuning {
  readonly clock?: Clock;
  readonly log: Logger;
  /** Longest message; longer is refused before sending. */
  readonly maxLength: number;
  /** How characters count against `maxLength` (default: code points). */
  readonly countChars?: CharUnit;
  /** Applied to every error sentence before it becomes a state, a notice or a send's rejection. */
  readonly redact?: (text: string) => string;
}

interface QueuedSend {
  readonly text: string;
  readonly resolve: () => void;
  readonly reject: (error: ChatError) => void;
  readonly timer: Disposable;
}

/**
 * The connection state machine every platform shares: connect, retry with backoff and jitter on
 * network and protocol errors (forever), stop on auth and config errors until settings or the
 * token change, reset the backoff after a stable connection, queue sends while reconnecting.
 * A platform supplies only `openSession`.
 */
export abstract class ReconnectingClient extends DisposableObject implements PlatformClient {
  private readonly _onDidChangeState = this._register(new Emitter<ConnectionState>());
  readonly onDidChangeState = this._onDidChangeState.event;
  private readonly _onDidReceive = this._register(new Emitter<TimelineOp>());
  readonly onDidReceive = this._onDidReceive.event;

  protected readonly clock: Clock;
  protected readonly log: Logger;
  private readonly _backoff: BackoffOptions;
  private readonly _stableAfterMs: number;
  private readonly _maxQueued: number;
  private readonly _queueTimeoutMs: number;
  private readonly _redact: (text: string) => string;
  readonly maxLength: number;
  private readonly _countChars: CharUnit;

  private _state: ConnectionState = DISCONNECTED;
  private readonly _session = this._register(new MutableDisposable<Session>());
  private readonly _retryTimer = this._register(new MutableDisposable<Disposable>());
  private readonly _stableTimer = this._register(new MutableDisposable<Disposable>());
  private _abort: AbortController | undefined;
  /** Bumped on every connect/disconnect so that a late result of an old attempt is ignored. */
  private _generation = 0;
  private _retries = 0;
  private _queue: QueuedSend[] = [];
  private _flushing = false;

  constructor(
    readonly platform: PlatformId,
    options: ReconnectingClientOptions,
  ) {
    super();
    this.clock = options.clock ?? systemClock;
    this.log = options.log;
    this._backoff = options.backoff ?? DEFAULT_BACKOFF;
    this._stableAfterMs = options.stableAfterMs ?? 10_000;
    this.maxLength = options.maxLength;
    this._countChars = options.countChars ?? 'codePoints';
    this._maxQueued = options.maxQueued ?? 50;
    this._queueTimeoutMs = options.queueTimeoutMs ?? 30_000;
    const redact = options.redact ?? ((text: string) => text);
    // URLs are shown without user-info or query strings whatever the host's redactor knows.
    this._redact = (text) => redactSecrets(redact(text));
  }

  /** Opens and establishes one connection, or rejects with a `ChatError` saying why not. */
  protected abstract openSession(context: SessionContext): Promise<Session>;

  /** A reason sending is impossible whatever the connection (e.g. no chat bot configured). */
  protected sendBlockedReason(): string | undefined {
    return undefined;
  }

  /** Checks a message before it is queued or sent. Override to add platform rules. */
  protected validate(text: string): ChatError | undefined {
    if (text.trim().length === 0)
      return new ChatError('EMPTY_MESSAGE', 'The message is empty.', 'config');
    const length = charCount(text, this._countChars);
    if (length > this.maxLength) {
      return new ChatError(
        'MESSAGE_TOO_LONG',
        `${PLATFORM_LABELS[this.platform]} accepts at most ${this.maxLength} characters; this message has ${length}.`,
        'config',
      );
    }
    return undefined;
  }

  get state(): ConnectionState {
    return this._state;
  }

  get sendCapability(): SendCapability {
    const blocked = this.sendBlockedReason();
    if (blocked) return { canSend: false, reason: blocked, maxLength: this.maxLength };
    const session = this._session.value;
    if (this._state.kind === 'connected' && session) {
      return session.readOnlyReason
        ? { canSend: false, reason: session.readOnlyReason, maxLength: this.maxLength }
        : { canSend: true, maxLength: this.maxLength };
    }
    return {
      canSend: false,
      reason: `${PLATFORM_LABELS[this.platform]} is not connected.`,
      maxLength: this.maxLength,
    };
  }

  connect(): void {
    if (this.isDisposed) throw new Error('connect() on a disposed client');
    const kind = this._state.kind;
    if (kind === 'connecting' || kind === 'connected') return;
    this._retryTimer.clear();
    this._retries = 0;
    this._generation++;
    void this._attempt(this._generation);
  }

  disconnect(): void {
    this._generation++;
    this._abort?.abort();
    this._abort = undefined;
    this._retryTimer.clear();
    this._stableTimer.clear();
    this._session.clear();
    this._failQueue(
      new ChatError(
        'DISCONNECTED',
        'Not sent: disconnected before the message could be sent.',
        'network',
      ),
    );
    this._setState(DISCONNECTED);
  }

  async send(text: string): Promise<void> {
    try {
      await this._send(text);
    } catch (error) {
      throw this._clean(toChatError(error, 'SEND_FAILED', 'protocol'));
    }
  }

  private async _send(text: string): Promise<void> {
    const invalid = this.validate(text);
    if (invalid) throw invalid;
    const blocked = this.sendBlockedReason();
    if (blocked) throw new ChatError('SEND_UNAVAILABLE', blocked, 'config');
    const state = this._state;
    const session = this._session.value;
    if (state.kind === 'connected' && session) {
      if (session.readOnlyReason) throw new ChatError('READ_ONLY', session.readOnlyReason, 'auth');
      if (this._queue.length === 0) return session.send(text);
      return this._enqueue(text);
    }
    if (state.kind === 'connecting' || state.kind === 'reconnecting') return this._enqueue(text);
    throw new ChatError(
      'NOT_CONNECTED',
      `Not sent: ${PLATFORM_LABELS[this.platform]} is not connected${state.kind === 'failed' ? ` (${state.message})` : ''}.`,
      'network',
    );
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this._generation++;
    this._abort?.abort();
    this._failQueue(new ChatError('DISPOSED', 'Not sent: the connection was closed.', 'network'));
    super.dispose();
  }

  private async _attempt(generation: number): Promise<void> {
    this._setState(CONNECTING);
    const abort = new AbortController();
    this._abort = abort;
    let session: Session;
    try {
      session = await this.openSession({
        attempt: this._retries,
        signal: abort.signal,
        emit: (op) => {
          if (generation === this._generation) this._onDidReceive.fire(op);
        },
      });
    } catch (error) {
      if (generation !== this._generation) return;
      this._onFailure(toChatError(error));
      return;
    }
    if (generation !== this._generation || this.isDisposed) {
      session.dispose();
      return;
    }
    this._session.value = session;
    session.onDidClose((error) => {
      if (generation !== this._generation || this._session.value !== session) return;
      this._session.clear();
      this._stableTimer.clear();
      this._onFailure(error);
    });
    this._stableTimer.value = this.clock.setTimeout(() => {
      this._retries = 0;
    }, this._stableAfterMs);
    this._setState({
      kind: 'connected',
      readOnly: session.readOnlyReason !== undefined,
      detail: session.detail,
    });
    void this._flushQueue();
  }

  /** The same error with its sentence redacted, and without its cause (which may quote a token). */
  private _clean(error: ChatError): ChatError {
    const message = this._redact(error.message);
    return new ChatError(error.code, message, error.category, { retryAfterMs: error.retryAfterMs });
  }

  private _onFailure(raw: ChatError): void {
    const error = this._clean(raw);
    if (!error.isRetryable) {
      this.log.warn(
        `${error.code}: ${error.message} (not retrying until settings or token change)`,
      );
      this._failQueue(new ChatError(error.code, `Not sent: ${error.message}`, error.category));
      this._setState({ kind: 'failed', category: error.category, message: error.message });
      return;
    }
    this._retries++;
    // A server that said how long to wait (Retry-After) is not asked again sooner.
    const delayMs = Math.min(
      MAX_TIMER_MS,
      Math.max(backoffDelay(this._retries, this._backoff), error.retryAfterMs ?? 0),
    );
    this.log.info(`${error.code}: ${error.message}; retry ${this._retries} in ${delayMs} ms`);
    const generation = this._generation;
    this._retryTimer.value = this.clock.setTimeout(() => {
      if (generation === this._generation) void this._attempt(generation);
    }, delayMs);
    this._setState({
      kind: 'reconnecting',
      attempt: this._retries,
      delayMs,
      reason: error.message,
    });
  }

  private _enqueue(text: string): Promise<void> {
    if (this._queue.length >= this._maxQueued) {
      return Promise.reject(
        new ChatError(
          'QUEUE_FULL',
          `Not sent: ${this._maxQueued} messages are already waiting for the connection.`,
          'network',
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const entry: QueuedSend = {
        text,
        resolve,
        reject,
        timer: this.clock.setTimeout(() => {
          this._queue = this._queue.filter((e) => e !== entry);
          reject(
            new ChatError(
              'SEND_TIMEOUT',
              `Not sent: ${PLATFORM_LABELS[this.platform]} did not reconnect within ${Math.round(this._queueTimeoutMs / 1000)} s.`,
              'network',
            ),
          );
        }, this._queueTimeoutMs),
      };
      this._queue.push(entry);
    });
  }

  private async _flushQueue(): Promise<void> {
    if (this._flushing) return;
    this._flushing = true;
    try {
      while (this._queue.length > 0) {
        const session = this._session.value;
        if (!session || this._state.kind !== 'connected') return;
        const entry = this._queue.shift()!;
        entry.timer.dispose();
        if (session.readOnlyReason) {
          entry.reject(new ChatError('READ_ONLY', session.readOnlyReason, 'auth'));
          continue;
        }
        try {
          await session.send(entry.text);
          entry.resolve();
        } catch (error) {
          entry.reject(toChatError(error, 'SEND_FAILED', 'protocol'));
        }
      }
    } finally {
      this._flushing = false;
    }
  }

  private _failQueue(error: ChatError): void {
    const queue = this._queue;
    this._queue = [];
    for (const entry of queue) {
      entry.timer.dispose();
      entry.reject(error);
    }
  }

  protected _setState(state: ConnectionState): void {
    this._state = state;
    this._onDidChangeState.fire(state);
  }
}
