import { ChatError } from '../../core/errors';

/** The `streamChat.glimesh.*` settings (except `enabled`). */
export interface GlimeshSettings {
  /** Streamer username whose chat to join. */
  readonly channel: string;
  /** Public client id, for read-only chat without a token. */
  readonly clientId: string;
  /** GraphQL over HTTP (channel lookup, history). */
  readonly apiUrl: string;
  /** The Phoenix socket, including its `/websocket` suffix. */
  readonly socketUrl: string;
}

/** The contract's default GraphQL endpoint. */
export const DEFAULT_GLIMESH_API_URL = 'https://glimesh.tv/api/graph';
/** The contract's default socket. */
export const DEFAULT_GLIMESH_SOCKET_URL = 'wss://glimesh.tv/api/graph/websocket';

/** Reads raw `streamChat.glimesh.*` values (as the composition root has them) into typed settings. */
export function glimeshSettingsFrom(raw: Readonly<Record<string, unknown>>): GlimeshSettings {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  return {
    channel: channelName(text(raw.channel)),
    clientId: text(raw.clientId),
    apiUrl: text(raw.apiUrl) || DEFAULT_GLIMESH_API_URL,
    socketUrl: text(raw.socketUrl) || DEFAULT_GLIMESH_SOCKET_URL,
  };
}

/** `@Name`, `glimesh.tv/Name` or a channel URL → `Name`. */
function channelName(value: string): string {
  const fromUrl = /^(?:https?:\/\/)?(?:www\.)?glimesh\.tv\/([^/?#\s]+)/i.exec(value);
  return (fromUrl ? fromUrl[1]! : value).replace(/^@/, '');
}

/** Where Phoenix connects: it appends `/websocket` itself, so it gets the base without it. */
export interface SocketEndpoint {
  readonly base: string;
  /** Extra query parameters the setting carried (never token, client_id or vsn). */
  readonly params: Readonly<Record<string, string>>;
  /** For logs and tooltips: no query, so never a credential. */
  readonly display: string;
}

/** Checks `streamChat.glimesh.socketUrl` and splits it the way Phoenix wants it. */
export function socketEndpoint(setting: string): SocketEndpoint {
  let url: URL;
  try {
    url = new URL(setting);
  } catch {
    throw new ChatError(
      'GLIMESH_BAD_SOCKET_URL',
      'streamChat.glimesh.socketUrl is not a URL (e.g. wss://glimesh.tv/api/graph/websocket).',
      'config',
    );
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) {
    throw new ChatError(
      'GLIMESH_BAD_SOCKET_URL',
      'streamChat.glimesh.socketUrl must start with wss:// or ws://.',
      'config',
    );
  }
  if (url.username || url.password) {
    throw new ChatError(
      'GLIMESH_BAD_SOCKET_URL',
      'streamChat.glimesh.socketUrl must not contain a user name or password (Glimesh authenticates with its token).',
      'config',
    );
  }
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams)
    if (!['token', 'client_id', 'vsn'].includes(key)) params[key] = value;
  const path = url.pathname.replace(/\/+$/, '').replace(/\/websocket$/, '');
  const base = `${url.protocol}//${url.host}${path}`;
  return { base, params, display: `${url.protocol}//${url.host}${path}/websocket` };
}

/** Checks `streamChat.glimesh.apiUrl`: an http(s) URL without user-info. */
export function apiEndpoint(setting: string): string {
  try {
    const url = new URL(setting);
    if (url.username || url.password) {
      throw new ChatError(
        'GLIMESH_BAD_API_URL',
        'streamChat.glimesh.apiUrl must not contain a user name or password (Glimesh authenticates with its token).',
        'config',
      );
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') return setting;
  } catch (error) {
    if (error instanceof ChatError) throw error;
    // reported below
  }
  throw new ChatError(
    'GLIMESH_BAD_API_URL',
    'streamChat.glimesh.apiUrl must be an http(s) URL (e.g. https://glimesh.tv/api/graph).',
    'config',
  );
}
