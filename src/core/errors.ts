/** Why a connection or request failed; drives whether the client retries. */
export type FailureCategory =
  /** The token, client id or authkey was refused: retrying cannot help until it changes. */
  | 'auth'
  /** Settings are incomplete or wrong (no channel, unknown channel): retrying cannot help. */
  | 'config'
  /** Transient: refused, dropped, timed out. Retried with backoff. */
  | 'network'
  /** The server said something we did not understand or rejected a request. */
  | 'protocol';

/**
 * An error with a stable code that tests assert on, a category that decides retrying, and a
 * message written for the streamer. Messages never contain tokens.
 */
export class ChatError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly category: FailureCategory = 'protocol',
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'ChatError';
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** How long the server asked to wait before the next try (`Retry-After` on 429/503). */
  readonly retryAfterMs: number | undefined;

  /** Whether a reconnect could fix this. */
  get isRetryable(): boolean {
    return this.category === 'network' || this.category === 'protocol';
  }
}

/** Turns anything thrown into a ChatError, keeping ChatErrors as they are. */
export function toChatError(
  error: unknown,
  code = 'UNEXPECTED',
  category: FailureCategory = 'network',
): ChatError {
  if (error instanceof ChatError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ChatError(code, message, category, { cause: error });
}

/** The error of an attempt the user (or a dispose) cancelled: `${what} was cancelled.` */
export function abortedError(what = 'Connecting'): ChatError {
  return new ChatError('ABORTED', `${what} was cancelled.`, 'network');
}
