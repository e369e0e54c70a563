import { ChatError } from '../../core/errors';
import { displayUrl } from '../../core/origin';

/** The `streamChat.mixer.*` settings (except `enabled`). */
export interface MixerSettings {
  /** Channel username or numeric id. */
  readonly channel: string;
  /** OAuth client id, sent as `Client-ID` on REST calls and the socket. */
  readonly clientId: string;
  /** REST base for the channel lookup and `/chats/{id}`. */
  readonly apiUrl: string;
  /** Show UserJoin / UserLeave as lines (they are always counted). */
  readonly showJoinLeave: boolean;
}

/** The contract's default REST base. */
export const DEFAULT_MIXER_API_URL = 'https://mixer.com/api/v1';

/** Reads raw `streamChat.mixer.*` values (as the composition root has them) into typed settings. */
export function mixerSettingsFrom(raw: Readonly<Record<string, unknown>>): MixerSettings {
  const text = (value: unknown, fallback = '') =>
    typeof value === 'string' ? value.trim() : fallback;
  return {
    channel: text(raw.channel),
    clientId: text(raw.clientId),
    apiUrl: text(raw.apiUrl) || DEFAULT_MIXER_API_URL,
    showJoinLeave: raw.showJoinLeave === true,
  };
}

/** The channel setting, read: a numeric id or a username. */
export type MixerChannelRef = { readonly id: number } | { readonly username: string };

/** Reads `streamChat.mixer.channel`: digits are an id, anything else a username (a leading `@` or `#` is dropped). */
export function parseChannelSetting(channel: string): MixerChannelRef | undefined {
  const trimmed = channel.trim().replace(/^[@#]/, '');
  if (!trimmed) return undefined;
  if (/^\d{1,15}$/.test(trimmed)) return { id: Number(trimmed) };
  return { username: trimmed };
}

/** Validates and trims the REST base; a bad one is a settings problem. */
export function apiBase(apiUrl: string): string {
  let url: URL;
  try {
    url = new URL(apiUrl.trim());
  } catch {
    const shown = displayUrl(apiUrl);
    throw new ChatError(
      'MIXER_BAD_API_URL',
      `streamChat.mixer.apiUrl is not a URL: "${shown.length > 60 ? `${shown.slice(0, 60)}…` : shown}".`,
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
