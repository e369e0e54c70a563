/** Exponential backoff with jitter, shared by every platform. */
export interface BackoffOptions {
  /** First delay. */
  readonly initialMs: number;
  /** Cap. */
  readonly maxMs: number;
  /** Spread around the exponential value: 0.5 means ±25 %. */
  readonly jitter: number;
  readonly random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 500,
  maxMs: 30_000,
  jitter: 0.5,
  random: Math.random,
};

/**
 * The delay before retry number `attempt` (1-based): 0.5 s, 1 s, 2 s … capped at 30 s, each spread
 * by jitter so that many clients dropped at once do not come back at once. Never below the
 * initial delay nor above the cap.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const base = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  const spread = base * options.jitter * (options.random() - 0.5);
  return Math.round(Math.min(options.maxMs, Math.max(options.initialMs, base + spread)));
}
