import { ChatError } from '../../core/errors';
import { displayUrl } from '../../core/origin';

/** `streamChat.tau.*`, typed. */
export interface TauSettings {
  readonly url: string;
  /** Chat-bot login whose socket carries chat; empty: events only. */
  readonly chatBot: string;
  /** Twitch channel sent messages go to. */
  readonly channel: string;
  /** TAU's keep-alive interval; silence for twice this long is a dead connection. */
  readonly keepAliveIntervalMs: number;
}

/** TAU's default address (a local install). */
export const DEFAULT_TAU_URL = 'http://localhost:8000';
/** TAU's `KEEP_ALIVE_DELAY`. */
export const DEFAULT_KEEP_ALIVE_SECONDS = 120;

/** Raw settings (as VS Code stores them, `keepAliveIntervalSeconds` in seconds) → `TauSettings`. */
export function tauSettingsFrom(raw: Readonly<Record<string, unknown>>): TauSettings {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const given = raw.keepAliveIntervalSeconds;
  // 5–3600 s as the manifest documents; twice the interval must stay a valid timer delay.
  const seconds =
    typeof given === 'number' && Number.isFinite(given) && given > 0
      ? Math.min(3600, Math.max(5, given))
      : DEFAULT_KEEP_ALIVE_SECONDS;
  return {
    url: text(raw.url) || DEFAULT_TAU_URL,
    chatBot: text(raw.chatBot).toLowerCase(),
    channel: text(raw.channel).replace(/^#/, '').toLowerCase(),
    keepAliveIntervalMs: seconds * 1000,
  };
}

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
