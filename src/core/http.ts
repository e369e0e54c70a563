/**
 * HTTP for every platform's REST and GraphQL-over-HTTP calls: one timeout (on the injected
 * clock), cancellation, `Retry-After`, the body read as capped JSON, and every way a request can
 * fail without an answer turned into a `ChatError` worded by the platform.
 */
import { Clock, systemClock } from './clock';
import { ChatError } from './errors';
import { DEFAULT_MAX_JSON_CHARS, parseJson } from './json';

/** What a request sends (a subset of `RequestInit`, so the global `fetch` fits). */
export interface RequestLike {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

/** What a request reads of its answer (a subset of `Response`). */
export interface ResponseLike {
  readonly status: number;
  readonly ok: boolean;
  readonly headers?: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** The `fetch` platforms call, injectable for tests; `R` narrows the answer (e.g. to `Response`). */
export type FetchLike<R extends ResponseLike = ResponseLike> = (
  url: string,
  init: RequestLike,
) => Promise<R>;

/** The longest wait a `Retry-After` may ask for. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * A `Retry-After` value (seconds, or an HTTP date) in ms, at most an hour; undefined when absent
 * or unreadable.
 */
export function retryAfterMs(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS) : undefined;
}

/** Whether a status asks to come back later (the ones `Retry-After` is honoured on). */
export function isBusyStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/** How long a refused request (HTTP or a websocket upgrade) asked to wait: only on 429/503. */
export function busyRetryAfterMs(
  status: number,
  header: string | readonly string[] | null | undefined,
): number | undefined {
  if (!isBusyStatus(status)) return undefined;
  return retryAfterMs(Array.isArray(header) ? header[0] : (header as string | null | undefined));
}

/** Why a request got no answer, in a few words ("connection refused", "ENOTFOUND", …). */
export function networkReason(error: unknown): string {
  // undici wraps the socket error: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }).
  const cause =
    error instanceof Error
      ? (error.cause as { code?: unknown; message?: unknown } | undefined)
      : undefined;
  if (cause && typeof cause.code === 'string')
    return cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** The host of a URL for sentences ("127.0.0.1:4001"); never user-info, path or query. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || 'the configured URL';
  } catch {
    return 'the configured URL';
  }
}

/** The platform's sentences for a request that got no answer. */
export interface RequestFailures {
  /** The caller's signal aborted. */
  aborted(): ChatError;
  /** No answer within the timeout. */
  timedOut(timeoutMs: number): ChatError;
  /** The request failed before an answer (refused, DNS, TLS…); `reason` from `networkReason`. */
  unreachable(reason: string, error: unknown): ChatError;
}

export interface JsonRequest extends Omit<RequestLike, 'signal'> {
  readonly url: string;
  readonly fetch?: FetchLike;
  /** Cancels the request (disconnect, dispose). */
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
  /** The clock the timeout runs on. */
  readonly clock?: Clock;
  /** A body longer than this is not parsed (`body` is undefined). */
  readonly maxBodyChars?: number;
  readonly failures: RequestFailures;
}

/** An answer, read: status, text, the JSON body when it is JSON, and `Retry-After` on 429/503. */
export interface JsonResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly text: string;
  /** The parsed body; undefined when empty, not JSON or too long (`isJson` tells which). */
  readonly body: unknown;
  readonly isJson: boolean;
  readonly retryAfterMs: number | undefined;
}

const defaultFetch: FetchLike = (url, init) => fetch(url, init);

/**
 * One request, read to the end: resolves with any answer (the caller judges the status) and
 * rejects only with the platform's `ChatError` for no answer at all.
 */
export async function requestJson(request: JsonRequest): Promise<JsonResponse> {
  const { signal, timeoutMs, failures } = request;
  if (signal?.aborted) throw failures.aborted();
  const controller = new AbortController();
  let timedOut = false;
  const timer = (request.clock ?? systemClock).setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const fail = (error: unknown): ChatError => {
    if (signal?.aborted) return failures.aborted();
    if (timedOut) return failures.timedOut(timeoutMs);
    return failures.unreachable(networkReason(error), error);
  };
  try {
    let response: ResponseLike;
    try {
      response = await (request.fetch ?? defaultFetch)(request.url, {
        ...(request.method ? { method: request.method } : {}),
        ...(request.headers ? { headers: request.headers } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal: controller.signal,
      });
    } catch (error) {
      throw fail(error);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The answer started but its body never finished (dropped, timed out, cancelled).
      if (signal?.aborted || timedOut) throw fail(error);
      text = '';
    }
    const parsed = text
      ? parseJson(text, request.maxBodyChars ?? DEFAULT_MAX_JSON_CHARS)
      : undefined;
    return {
      status: response.status,
      ok: response.ok,
      text,
      body: parsed?.ok ? parsed.value : undefined,
      isJson: parsed?.ok === true,
      retryAfterMs: busyRetryAfterMs(response.status, response.headers?.get('retry-after')),
    };
  } finally {
    timer.dispose();
    signal?.removeEventListener('abort', onAbort);
  }
}
