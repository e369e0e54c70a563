/**
 * Where a token may go. A token is stored with the server origins (scheme, host, port) it was
 * entered for; the extension sends it only there, or to an origin the streamer has allowed for it.
 * Pure: the SecretStorage record format and the checks, no VS Code.
 */

/**
 * The origin a URL sends to, as the token check compares it: `ws:`/`wss:` count as their
 * `http:`/`https:` twins (TAU and Glimesh serve both from one server), default ports are dropped,
 * the host is lowercase. Undefined when the text is not an http(s)/ws(s) URL.
 */
export function tokenOrigin(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  const scheme = (
    { 'http:': 'http:', 'ws:': 'http:', 'https:': 'https:', 'wss:': 'https:' } as Record<
      string,
      string
    >
  )[parsed.protocol];
  if (!scheme || !parsed.hostname) return undefined;
  parsed.protocol = scheme;
  return parsed.origin;
}

/**
 * A URL fit to show (notices, notifications, tooltips, errors, the log): no user-info, no query
 * string, no fragment, so neither `user:pass@` nor `?token=` can leak through it.
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url.trim());
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    // Not a URL: still drop anything that looks like credentials or a query.
    return url.replace(/\/\/[^/@\s]*@/, '//').replace(/[?#].*$/s, '');
  }
}

/** A stored token and the origins it may be sent to. */
export interface StoredToken {
  readonly token: string;
  /** The origins it was entered for. */
  readonly origins: readonly string[];
  /** Other origins the streamer said yes to (the prompt's "Use Token with …"). */
  readonly allowed: readonly string[];
  /** Origins the streamer chose to stay disconnected from; not asked about again. */
  readonly refused: readonly string[];
}

/** What SecretStorage held for a platform: nothing, a record, or a bare token from before origins. */
export type DecodedSecret =
  | { readonly kind: 'none' }
  | { readonly kind: 'record'; readonly record: StoredToken }
  | { readonly kind: 'legacy'; readonly token: string };

const FORMAT = 'stream-chat-token/1';

export function encodeStoredToken(record: StoredToken): string {
  return JSON.stringify({
    format: FORMAT,
    token: record.token,
    origins: record.origins,
    allowed: record.allowed,
    refused: record.refused,
  });
}

const origins = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length < 500)
    : [];

export function decodeStoredToken(raw: string | undefined): DecodedSecret {
  if (!raw) return { kind: 'none' };
  if (raw.startsWith('{')) {
    try {
      const value = JSON.parse(raw) as Record<string, unknown>;
      if (value && value.format === FORMAT && typeof value.token === 'string' && value.token) {
        return {
          kind: 'record',
          record: {
            token: value.token,
            origins: origins(value.origins),
            allowed: origins(value.allowed),
            refused: origins(value.refused),
          },
        };
      }
    } catch {
      // a bare token that happens to start with a brace
    }
  }
  return { kind: 'legacy', token: raw };
}

/** The `ChatError` code of a connection held back because its token was entered for another server. */
export const TOKEN_ORIGIN_CODE = 'TOKEN_ORIGIN';

/** One setting that names a server the token goes to. */
export interface TokenDestination {
  /** The key under `streamChat.`, e.g. `tau.url`. */
  readonly key: string;
  /** The URL it names (after defaults), as the client will use it. */
  readonly url: string;
}

/** The destinations whose origin the token was neither entered for nor allowed to. */
export function foreignDestinations(
  record: StoredToken,
  destinations: readonly TokenDestination[],
): TokenDestination[] {
  const ok = new Set([...record.origins, ...record.allowed]);
  return destinations.filter((d) => {
    const origin = tokenOrigin(d.url);
    // A URL that is not one cannot receive anything; the client reports it as a settings error.
    return origin !== undefined && !ok.has(origin);
  });
}

/** The distinct origins of some destinations, in order. */
export function originsOf(destinations: readonly TokenDestination[]): string[] {
  return [
    ...new Set(
      destinations.map((d) => tokenOrigin(d.url)).filter((o): o is string => o !== undefined),
    ),
  ];
}
