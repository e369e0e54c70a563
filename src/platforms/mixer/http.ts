import { Clock } from '../../core/clock';
import { ChatError, abortedError } from '../../core/errors';
import { FetchLike, requestJson } from '../../core/http';
import { isRecord } from '../../core/json';
import { apiBase, parseChannelSetting } from './settings';

// Mixer chat discovery over REST (developer-docs `reference/chat/connection`): the channel id, the
// signed-in user's id, and from `/chats/{channelId}` the socket endpoints, the permissions and, with a
// token, a short-lived single-use `authkey` for the socket's `auth` method.

/** Mixer's `fetch`: the shared one, answering with a whole `Response` (moderation reads it so). */
export type MixerFetch = FetchLike<Response>;

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
  /** The clock the timeout runs on. */
  readonly clock?: Clock;
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

const DEFAULT_TIMEOUT_MS = 10_000;

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
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (request.clientId) headers['Client-ID'] = request.clientId;
  if (options.withToken && request.token) headers.Authorization = `Bearer ${request.token}`;
  // The log and errors name the host and path only; the token travels in a header, never the URL.
  const where = `${new URL(base).host} (${path.split('?')[0]})`;
  const response = await requestJson({
    url: `${base}/${path}`,
    method: 'GET',
    headers,
    timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.fetch ? { fetch: request.fetch } : {}),
    ...(request.clock ? { clock: request.clock } : {}),
    failures: {
      aborted: () => abortedError('Connecting to Mixer'),
      timedOut: (ms) =>
        new ChatError(
          'MIXER_API_TIMEOUT',
          `Mixer's API at ${where} did not answer within ${Math.round(ms / 1000)} s; trying again.`,
          'network',
        ),
      unreachable: (reason, error) =>
        new ChatError(
          'MIXER_API_UNREACHABLE',
          `Could not reach Mixer's API at ${where}: ${reason}; trying again.`,
          'network',
          { cause: error },
        ),
    },
  });
  if (!response.ok) throw httpError(response.status, response.retryAfterMs, where, options);
  if (!response.isJson)
    throw new ChatError(
      'MIXER_API_BAD_RESPONSE',
      `Mixer's API at ${where} answered with something that is not JSON; trying again.`,
      'protocol',
    );
  return response.body;
}

function httpError(
  status: number,
  retryAfterMs: number | undefined,
  where: string,
  options: GetOptions,
): ChatError {
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
  if (status === 429) {
    const wait = retryAfterMs !== undefined ? ` for about ${Math.ceil(retryAfterMs / 1000)} s` : '';
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
      { retryAfterMs },
    );
  return new ChatError(
    'MIXER_HTTP_ERROR',
    `Mixer's API at ${where} answered HTTP ${status}.`,
    'protocol',
  );
}

function badResponse(what: string): ChatError {
  return new ChatError(
    'MIXER_API_BAD_RESPONSE',
    `Mixer's API answered unexpectedly: ${what}; trying again.`,
    'protocol',
  );
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
