/**
 * Where modules log. The host's implementation passes every line through `redact`; platform code
 * should still never hand it a token on purpose.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that drops everything (tests, benchmarks). */
export const nullLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Prefixes every line, e.g. with the platform id. */
export function scopedLogger(logger: Logger, scope: string): Logger {
  const p = `[${scope}] `;
  return {
    trace: (m) => logger.trace(p + m),
    debug: (m) => logger.debug(p + m),
    info: (m) => logger.info(p + m),
    warn: (m) => logger.warn(p + m),
    error: (m) => logger.error(p + m),
  };
}

export const REDACTED = '[redacted]';

const SECRET_PARAM =
  /([?&#;](?:token|access_token|refresh_token|authkey|auth_key|client_secret|password|key|api_key|apikey|code)=)[^&#\s"'<>]*/gi;
const AUTH_HEADER =
  /\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)(?:(bearer|token|basic|client-id|oauth)\s+)?[^\s"',}]+/gi;
const SECRET_JSON =
  /(["']?(?:token|authkey|access_token|refresh_token|client_secret|password)["']?\s*[:=]\s*)(["'])(?:(?!\2)[^\\]|\\.)*\2/gi;
const BEARER = /\b(bearer|oauth:)(\s*)[A-Za-z0-9\-._~+/]{8,}=*/gi;
/** `scheme://user:password@host`: the user-info of any URL. */
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
/** Mixer's `auth` method carries the authkey as its third argument. */
const MIXER_AUTH = /("method"\s*:\s*"auth"\s*,\s*"arguments"\s*:\s*\[[^\]]*?,[^\]]*?,\s*)"[^"]*"/g;

/**
 * Removes secrets from a log line: the exact values of known secrets (tokens, authkeys), the
 * user-info of URLs, secret query parameters (`token=`, `authkey=`, …), `Authorization` headers,
 * `"token": "…"` fields and bearer values.
 */
export function redact(line: string, knownSecrets: Iterable<string> = []): string {
  let out = line;
  for (const secret of knownSecrets) {
    // Very short values would blank out ordinary words; tokens are never that short.
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(USER_INFO, `$1${REDACTED}@`)
    .replace(SECRET_PARAM, `$1${REDACTED}`)
    .replace(
      AUTH_HEADER,
      (_m, name: string, sep: string, scheme?: string) =>
        `${name}${sep}${scheme ? scheme + ' ' : ''}${REDACTED}`,
    )
    .replace(SECRET_JSON, `$1$2${REDACTED}$2`)
    .replace(BEARER, `$1$2${REDACTED}`)
    .replace(MIXER_AUTH, `$1"${REDACTED}"`);
}

/** A set of secret values that the redactor must blank out wherever they appear. */
export class SecretRegistry {
  private readonly _values = new Set<string>();

  add(value: string | undefined): void {
    if (value) this._values.add(value);
  }

  delete(value: string | undefined): void {
    if (value) this._values.delete(value);
  }

  get values(): Iterable<string> {
    return this._values;
  }

  redact(line: string): string {
    return redact(line, this._values);
  }
}
