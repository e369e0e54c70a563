import { ChatError } from '../../core/errors';
import { displayUrl } from '../../core/origin';

// Mixer chat discovery over REST (developer-docs `reference/chat/connection`): the channel id, the
// signed-in user's id, and from `/chats/{channelId}` the socket endpoints, the permissions and, with a
// token, a short-lived single-use `authkey` for the socket's `auth` method.

/** The `fetch` this module needs; injectable for tests. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** What one discovery needs. The token is passed in per call and never kept. */
export interface MixerDiscoveryRequest {
  /** REST base, e.g. `https://mixer.com/api/v1`. */
  readonly apiUrl: string;
  /** Channel username or numeric id, as in `streamChat.mixer.channel`. */
  readonly channel: string;
  /** Sent as the `Client-ID` header on every call when set. */
  readonly clientId?: string;
  /** OAuth token; without one the connection is anonymous. */
  readonly token?: string;
  readonly signal?: AbortSignal;
  readonly fetch?: FetchLike;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
}

/** Everything needed to open and authenticate a chat socket. */
export interface MixerChatDetails {
  readonly channelId: number;
  /** The token's user; absent without a token. */
  readonly userId?: number;
  /** Single-use, short-lived; absent without a token (or when Mixer gave none: then chat is anonymous too). */
  readonly authkey?: string;
  readonly endpoints: readonly string[];
  readonly permissions: readonly string[];
}

/** The channel setting, read: a numeric id or a username. */
export type MixerChannelRef = { readonly id: number } | { readonly username: string };

const DEFAULT_TIMEOUT_MS = 10_000;

/** Reads `streamChat.mixer.channel`: digits are an id, anything else a username (a leading `@` or `#` is dropped). */
export function parseChannelSetting(channel: string): MixerChannelRef | undefined {
  const trimmed = channel.trim().replace(/^[@#]/, '');
  if (!trimmed) return undefined;
  if (/^\d{1,15}$/.test(trimmed)) return { id: Number(trimmed) };
  return { username: trimmed };
}

/**
 * Runs the whole discovery: channel id (looked up when the setting is a username), then with a
 * token the current user's id, then `/chats/{channelId}`. Call it before every `auth`: the authkey
 * works once.
 */
export async function discoverChat(request: MixerDiscoveryRequest): Promise<MixerChatDetails> {
  const ref = parseChannelSetting(request.channel);
  if (!ref) {
    throw new ChatError(
      'MIXER_NO_CHANNEL',
      'Set streamChat.mixer.channel to the Mixer channel (username or numeric id) whose chat to join.',
      'config',
    );
  }
  const channelId = 'id' in ref ? ref.id : await lookupChannelId(request, ref.username);
  const userId = request.token ? await fetchCurrentUserId(request) : undefined;
  const chat = await fetchChat(request, channelId);
  return {
    channelId,
    ...(userId !== undefined ? { userId } : {}),
    ...(chat.authkey ? { authkey: chat.authkey } : {}),
    endpoints: chat.endpoints,
    permissions: chat.permissions,
  };
}

/** `GET {apiUrl}/channels/{username}?fields=id` → the channel's numeric id. */
export async function lookupChannelId(
  request: MixerDiscoveryRequest,
  username: string,
): Promise<number> {
  const body = await getJson(request, `channels/${encodeURIComponent(username)}?fields=id`, {
    notFound: () =>
      new ChatError(
        'MIXER_CHANNEL_NOT_FOUND',
        `Mixer has no channel named "${clip(username)}". Check streamChat.mixer.channel.`,
        'config',
      ),
    withToken: false,
  });
  const id = isRecord(body) ? body.id : undefined;
  if (typeof id !== 'number' || !Number.isSafeInteger(id))
    throw badResponse('the channel lookup gave no id');
  return id;
}

/** `GET {apiUrl}/users/current` with the token → the signed-in user's id. */
export async function fetchCurrentUserId(request: MixerDiscoveryRequest): Promise<number> {
  const body = await getJson(request, 'users/current', { withToken: true });
  const id = isRecord(body) ? body.id : undefined;
  if (typeof id !== 'number' || !Number.isSafeInteger(id))
    throw badResponse('the current user has no id');
  return id;
}

/** `GET {apiUrl}/chats/{channelId}` → authkey (with a token), endpoints, permissions. */
export async function fetchChat(
  request: MixerDiscoveryRequest,
  channelId: number,
): Promise<{ authkey?: string; endpoints: string[]; permissions: string[] }> {
  const body = await getJson(request, `chats/${channelId}`, {
    notFound: () =>
      new ChatError(
        'MIXER_CHANNEL_NOT_FOUND',
        `Mixer has no channel with id ${channelId}. Check streamChat.mixer.channel.`,
        'config',
      ),
    withToken: true,
  });
  if (!isRecord(body)) throw badResponse('the chat details are not an object');
  const endpoints = Array.isArray(body.endpoints)
    ? body.endpoints.filter((e): e is string => typeof e === 'string' && /^wss?:\/\//i.test(e))
    : [];
  if (endpoints.length === 0)
    throw new ChatError(
      'MIXER_NO_ENDPOINT',
      'Mixer gave no chat server to connect to; trying again.',
      'protocol',
    );
  const permissions = Array.isArray(body.permissions)
    ? body.permissions.filter((p): p is string => typeof p === 'string')
    : [];
  const authkey =
    typeof body.authkey === 'string' && body.authkey.length > 0 ? body.authkey : undefined;
  return { ...(authkey ? { authkey } : {}), endpoints, permissions };
}

interface GetOptions {
  /** The error for a 404 (the default reads as a protocol problem). */
  readonly notFound?: () => ChatError;
  /** Whether to send the token: the public channel lookup does not need it. */
  readonly withToken: boolean;
}

async function getJson(
  request: MixerDiscoveryRequest,
  path: string,
  options: GetOptions,
): Promise<unknown> {
  const base = apiBase(request.apiUrl);
  const url = `${base}/${path}`;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (request.clientId) headers['Client-ID'] = request.clientId;
  if (options.withToken && request.token) headers.Authorization = `Bearer ${request.token}`;
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const doFetch = request.fetch ?? fetch;
  // The log and errors name the host and path only; the token travels in a header, never the URL.
  const where = `${new URL(base).host} (${path.split('?')[0]})`;
  let response: Response;
  try {
    response = await doFetch(url, { method: 'GET', headers, signal });
  } catch (error) {
    if (request.signal?.aborted)
      throw new ChatError('ABORTED', 'Connecting to Mixer was cancelled.', 'network');
    if (timeout.aborted)
      throw new ChatError(
        'MIXER_API_TIMEOUT',
        `Mixer's API at ${where} did not answer within ${Math.round(timeoutMs / 1000)} s; trying again.`,
        'network',
      );
    throw new ChatError(
      'MIXER_API_UNREACHABLE',
      `Could not reach Mixer's API at ${where}: ${networkReason(error)}; trying again.`,
      'network',
      { cause: error },
    );
  }
  if (!response.ok) {
    // Drain the body so the connection is released.
    await response.text().catch(() => '');
    throw httpError(response, where, options);
  }
  try {
    return await response.json();
  } catch (error) {
    throw new ChatError(
      'MIXER_API_BAD_RESPONSE',
      `Mixer's API at ${where} answered with something that is not JSON; trying again.`,
      'protocol',
      { cause: error },
    );
  }
}

function httpError(response: Response, where: string, options: GetOptions): ChatError {
  const status = response.status;
  if (status === 401) {
    return new ChatError(
      'MIXER_TOKEN_REJECTED',
      'Mixer refused the token (HTTP 401). Set the Mixer token again with "Stream Chat: Set Token…".',
      'auth',
    );
  }
  if (status === 403) {
    return new ChatError(
      'MIXER_FORBIDDEN',
      'Mixer refused access (HTTP 403): the token may lack the chat:connect scope. Set a token that has it.',
      'auth',
    );
  }
  if (status === 404 && options.notFound) return options.notFound();
  const retryAfter = Number(response.headers.get('retry-after'));
  // Retry-After (seconds) on 429/503: the next try waits at least that long.
  const retryAfterMs =
    Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 3600) * 1000 : undefined;
  if (status === 429) {
    const wait = retryAfterMs !== undefined ? ` for about ${Math.ceil(retryAfter)} s` : '';
    return new ChatError(
      'MIXER_HTTP_RATE_LIMITED',
      `Mixer is rate limiting requests (HTTP 429)${wait}; trying again shortly.`,
      'network',
      { retryAfterMs },
    );
  }
  if (status >= 500)
    return new ChatError(
      'MIXER_HTTP_SERVER_ERROR',
      `Mixer's API at ${where} answered HTTP ${status}; trying again.`,
      'network',
      { retryAfterMs: status === 503 ? retryAfterMs : undefined },
    );
  return new ChatError(
    'MIXER_HTTP_ERROR',
    `Mixer's API at ${where} answered HTTP ${status}.`,
    'protocol',
  );
}

/** Validates and trims the REST base; a bad one is a settings problem. */
export function apiBase(apiUrl: string): string {
  let url: URL;
  try {
    url = new URL(apiUrl.trim());
  } catch {
    throw new ChatError(
      'MIXER_BAD_API_URL',
      `streamChat.mixer.apiUrl is not a URL: "${clip(displayUrl(apiUrl))}".`,
      'config',
    );
  }
  if (url.username || url.password) {
    throw new ChatError(
      'MIXER_BAD_API_URL',
      'streamChat.mixer.apiUrl must not contain a user name or password (Mixer authenticates with its token).',
      'config',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ChatError(
      'MIXER_BAD_API_URL',
      'streamChat.mixer.apiUrl must start with https:// (or http:// for a local server).',
      'config',
    );
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

function badResponse(what: string): ChatError {
  return new ChatError(
    'MIXER_API_BAD_RESPONSE',
    `Mixer's API answered unexpectedly: ${what}; trying again.`,
    'protocol',
  );
}

function networkReason(error: unknown): string {
  // undici wraps the socket error: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }).
  const cause =
    error instanceof Error
      ? (error.cause as { code?: unknown; message?: unknown } | undefined)
      : undefined;
  if (cause && typeof cause.code === 'string')
    return cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.code;
  return error instanceof Error ? error.message : String(error);
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
