/** TAU's REST API: token pre-flight, test events, and the Helix passthrough. */
import { ChatError } from '../../core/errors';
import { displayUrl } from '../../core/origin';

/** The part of `fetch` TAU's REST calls use (injectable for tests). */
export type FetchLike = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{
  status: number;
  ok: boolean;
  headers?: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

const defaultFetch: FetchLike = (url, init) => fetch(url, init);

/**
 * The REST base for a TAU URL: `http://host:8000/` → `http://host:8000`. A `ws(s)://` URL is
 * taken as its `http(s)://` twin; any other scheme is a settings error.
 */
export function baseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new ChatError(
      'TAU_BAD_URL',
      `streamChat.tau.url "${displayUrl(url).slice(0, 100)}" is not a URL (expected e.g. http://localhost:8000).`,
      'config',
    );
  }
  const scheme = { 'http:': 'http:', 'ws:': 'http:', 'https:': 'https:', 'wss:': 'https:' }[
    parsed.protocol
  ];
  if (!scheme)
    throw new ChatError(
      'TAU_BAD_URL',
      `streamChat.tau.url must start with http:// or https:// (it is "${parsed.protocol}//…").`,
      'config',
    );
  // fetch refuses URLs with credentials, and TAU's own Authorization header leaves no room for them.
  if (parsed.username || parsed.password)
    throw new ChatError(
      'TAU_BAD_URL',
      'streamChat.tau.url must not contain a user name or password (TAU authenticates with its token).',
      'config',
    );
  parsed.protocol = scheme;
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString().replace(/\/+$/, '');
}

/** The websocket URL for a TAU path: `http` → `ws`, `https` → `wss`. */
export function socketUrl(url: string, path: string): string {
  const u = new URL(baseUrl(url) + path);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

/** Every TAU REST call ends within this (a Helix call on an unlinked TAU can hang the request). */
export const TAU_REQUEST_TIMEOUT_MS = 10_000;

async function request(
  url: string,
  init: Parameters<FetchLike>[1],
  fetchImpl: FetchLike,
  what: string,
  timeoutMs = TAU_REQUEST_TIMEOUT_MS,
) {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  try {
    return await fetchImpl(url, { ...init, signal });
  } catch (error) {
    if (init?.signal?.aborted) throw new ChatError('ABORTED', `${what} was cancelled.`, 'network');
    if (timeout.aborted)
      throw new ChatError(
        'TAU_TIMEOUT',
        `${what}: TAU at ${new URL(url).origin} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
        'network',
      );
    throw new ChatError(
      'TAU_UNREACHABLE',
      `TAU is not reachable at ${new URL(url).origin} (${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}). Is it running?`,
      'network',
      { cause: error },
    );
  }
}

/** Seconds a 429/503 asks to wait (`Retry-After` as seconds or an HTTP date), in ms; undefined when absent. */
export function retryAfterMs(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 3600) * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.min(Math.max(0, date - now), 3_600_000) : undefined;
}

/**
 * TAU never acknowledges a token on its sockets, so the token is checked first with an
 * authenticated REST call: 401 means a wrong token (an auth failure, not worth retrying).
 */
export async function checkToken(
  url: string,
  token: string,
  options: { fetch?: FetchLike; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<void> {
  const res = await request(
    `${baseUrl(url)}/api/v1/twitch-events?page_size=1`,
    { headers: { Authorization: `Token ${token}` }, signal: options.signal },
    options.fetch ?? defaultFetch,
    'The token check',
    options.timeoutMs,
  );
  if (res.status === 401 || res.status === 403) {
    throw new ChatError(
      'TAU_BAD_TOKEN',
      'TAU refused the token. Copy it from the TAU dashboard (menu → Show Auth Token) and run Stream Chat: Set Token….',
      'auth',
    );
  }
  if (res.status === 404)
    throw new ChatError(
      'TAU_NOT_FOUND',
      `${new URL(baseUrl(url)).origin} has no TAU API (HTTP 404 for /api/v1/twitch-events): check streamChat.tau.url.`,
      'config',
    );
  if (res.status === 429 || res.status === 503) {
    const wait = retryAfterMs(res.headers?.get('retry-after'));
    throw new ChatError(
      'TAU_BUSY',
      `TAU answered the token check with HTTP ${res.status}${wait !== undefined ? `; retrying after ${Math.ceil(wait / 1000)} s` : ''}.`,
      'network',
      { retryAfterMs: wait },
    );
  }
  if (!res.ok)
    throw new ChatError(
      'TAU_HTTP',
      `TAU answered the token check with HTTP ${res.status}.`,
      'network',
    );
}

/** The test-event envelope TAU broadcast (the response of the test endpoint). */
export interface TestEventResponse {
  readonly event_type?: string;
  readonly origin?: string;
}

/** `POST /api/v1/twitch-events/<type>/test` with an EventSub-shaped body; TAU broadcasts it as a test event. */
export async function postTestEvent(
  url: string,
  token: string | undefined,
  eventType: string,
  data: Record<string, unknown>,
  options: { fetch?: FetchLike } = {},
): Promise<TestEventResponse> {
  if (!/^[a-z0-9_.-]{1,100}$/i.test(eventType))
    throw new ChatError('TAU_EVENT_TYPE', `"${eventType}" is not a TAU event type.`, 'config');
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Token ${token}`;
  const res = await request(
    `${baseUrl(url)}/api/v1/twitch-events/${encodeURIComponent(eventType)}/test`,
    { method: 'POST', headers, body: JSON.stringify(data) },
    options.fetch ?? defaultFetch,
    'The test event',
  );
  if (res.status === 401 || res.status === 403)
    throw new ChatError(
      'TAU_BAD_TOKEN',
      'TAU refused the token for the test event. Set the right one with Stream Chat: Set Token….',
      'auth',
    );
  if (res.status === 404)
    throw new ChatError(
      'TAU_NO_TEST_ENDPOINT',
      `TAU has no test endpoint for "${eventType}" (HTTP 404). Is this a TAU server, and is the event type enabled?`,
      'config',
    );
  if (!res.ok) {
    const body = (await res.text().catch(() => '')).slice(0, 200);
    throw new ChatError(
      'TAU_HTTP',
      `TAU refused the test event: HTTP ${res.status}${body ? ` ${body}` : ''}.`,
      'protocol',
    );
  }
  const body = await res.json().catch(() => ({}));
  return (typeof body === 'object' && body !== null ? body : {}) as TestEventResponse;
}

/** The Twitch account TAU is connected as. */
export interface Broadcaster {
  readonly id: string;
  readonly login: string;
  readonly name: string;
}

/** The broadcaster TAU is connected as, via its Helix passthrough (best effort: undefined on any failure). */
export async function fetchBroadcaster(
  url: string,
  token: string,
  options: { fetch?: FetchLike } = {},
): Promise<Broadcaster | undefined> {
  try {
    const res = await request(
      `${baseUrl(url)}/api/twitch/helix/users`,
      { headers: { Authorization: `Token ${token}` } },
      options.fetch ?? defaultFetch,
      'The broadcaster lookup',
    );
    if (!res.ok) return undefined;
    const body = (await res.json()) as {
      data?: Array<{ id?: unknown; login?: unknown; display_name?: unknown }>;
    };
    const user = body.data?.[0];
    if (!user || typeof user.id !== 'string' || typeof user.login !== 'string') return undefined;
    return {
      id: user.id,
      login: user.login,
      name: typeof user.display_name === 'string' ? user.display_name : user.login,
    };
  } catch {
    return undefined;
  }
}
