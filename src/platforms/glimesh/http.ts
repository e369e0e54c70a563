/** Glimesh's GraphQL over HTTP: one request, the channel lookup and the history. */
import { Clock } from '../../core/clock';
import { ChatError, abortedError } from '../../core/errors';
import { FetchLike, hostOf, requestJson } from '../../core/http';
import { displayUrl } from '../../core/origin';
import {
  GlimeshSelf,
  GraphqlRequest,
  NOT_FOUND_SENTENCE,
  channelLookupRequest,
  graphqlErrors,
  historyNodes,
  historyRequest,
  readChannelLookup,
} from './codec';

/** Exactly one credential: with both, Glimesh lets client_id win and the socket is read-only. */
export type Credentials =
  | { readonly kind: 'token'; readonly value: string }
  | { readonly kind: 'clientId'; readonly value: string };

/** Where and how GraphQL requests go. */
export interface GlimeshHttp {
  readonly apiUrl: string;
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly fetch?: FetchLike;
}

/** The channel a username resolved to, kept across reconnects (it does not change). */
export interface ResolvedChannel {
  readonly id: string;
  readonly self?: GlimeshSelf;
}

/** One GraphQL request over HTTP, with the credential as its Authorization header. */
export async function graphql(
  http: GlimeshHttp,
  credentials: Credentials,
  request: GraphqlRequest,
  signal?: AbortSignal,
): Promise<unknown> {
  const where = hostOf(http.apiUrl);
  const response = await requestJson({
    url: http.apiUrl,
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Authorization:
        credentials.kind === 'token'
          ? `Bearer ${credentials.value}`
          : `Client-ID ${credentials.value}`,
    },
    body: JSON.stringify(request),
    ...(signal ? { signal } : {}),
    timeoutMs: http.timeoutMs,
    clock: http.clock,
    ...(http.fetch ? { fetch: http.fetch } : {}),
    failures: {
      aborted: () => abortedError(),
      timedOut: (ms) =>
        new ChatError(
          'GLIMESH_HTTP_TIMEOUT',
          `Glimesh did not answer within ${Math.round(ms / 1000)} s (${where}).`,
          'network',
        ),
      unreachable: (reason) =>
        new ChatError(
          'GLIMESH_UNREACHABLE',
          `Glimesh is not reachable at ${where}: ${reason}.`,
          'network',
        ),
    },
  });
  if (response.status === 401 || response.status === 403) {
    const said = graphqlErrors(response.body).join(' ');
    throw new ChatError(
      'GLIMESH_BAD_CREDENTIALS',
      credentials.kind === 'token'
        ? `Glimesh refused the token${said ? ` ("${said}")` : ''}. Set the Glimesh token again with "Stream Chat: Set Token…".`
        : `Glimesh refused the client id${said ? ` ("${said}")` : ''} (streamChat.glimesh.clientId).`,
      'auth',
    );
  }
  if (response.status === 404)
    throw new ChatError(
      'GLIMESH_NOT_FOUND',
      `Glimesh has no GraphQL API at ${displayUrl(http.apiUrl)} (HTTP 404): check streamChat.glimesh.apiUrl.`,
      'config',
    );
  if (!response.ok)
    throw new ChatError(
      'GLIMESH_HTTP',
      `Glimesh answered HTTP ${response.status} (${where}).`,
      response.status >= 500 || response.status === 429 ? 'network' : 'protocol',
      { retryAfterMs: response.retryAfterMs },
    );
  if (!response.isJson)
    throw new ChatError(
      'GLIMESH_NOT_JSON',
      `Glimesh answered with something that is not JSON (${where}).`,
      'protocol',
    );
  return response.body;
}

/** Resolves the channel setting to its id (and, with a token, whose token it is). */
export async function lookUpChannel(
  http: GlimeshHttp,
  credentials: Credentials,
  channel: string,
  signal: AbortSignal,
): Promise<ResolvedChannel> {
  // `myself` needs a user behind the credential, so only a token asks for it.
  const body = await graphql(
    http,
    credentials,
    channelLookupRequest(channel, credentials.kind === 'token'),
    signal,
  );
  const lookup = readChannelLookup(body);
  if (lookup.channelId)
    return { id: lookup.channelId, ...(lookup.self ? { self: lookup.self } : {}) };
  const errors = lookup.errors.filter((e) => e !== NOT_FOUND_SENTENCE);
  if (errors.length > 0)
    throw new ChatError(
      'GLIMESH_LOOKUP_FAILED',
      `Glimesh could not look up the channel: ${errors.join(' ')}`,
      'protocol',
    );
  throw new ChatError(
    'GLIMESH_UNKNOWN_CHANNEL',
    `Glimesh has no channel "${channel}" (streamChat.glimesh.channel).`,
    'config',
  );
}

/** The channel's last 50 messages as chat nodes, oldest first. */
export async function fetchHistory(
  http: GlimeshHttp,
  credentials: Credentials,
  channelId: string,
  signal: AbortSignal,
): Promise<unknown[]> {
  return historyNodes(await graphql(http, credentials, historyRequest(channelId), signal));
}
