import { ChatError } from '../../core/errors';
import {
  ModerationCapability,
  ModerationRequest,
  ModerationResult,
  SessionModeration,
} from '../../core/moderation';
import type { MixerFetch as FetchLike } from './http';

/** Mixer roles that may moderate a channel's chat (developer docs, "Roles"). */
const MODERATOR_ROLES = new Set(['Owner', 'Mod', 'ChannelEditor', 'GlobalMod', 'Staff', 'Founder']);

/** Whether `auth`'s roles let the account moderate. */
export function mixerCanModerate(roles: readonly string[]): boolean {
  return roles.some((role) => MODERATOR_ROLES.has(role));
}

/** The capability for a session with these auth roles. */
export function mixerCapability(
  authenticated: boolean,
  roles: readonly string[],
): ModerationCapability {
  if (!authenticated)
    return {
      canModerate: false,
      reason: 'Mixer: joined anonymously, so you cannot moderate. Set a token to moderate.',
      actions: [],
    };
  if (!mixerCanModerate(roles))
    return {
      canModerate: false,
      reason: 'Mixer: your account is not a moderator of this channel.',
      actions: [],
    };
  return {
    canModerate: true,
    actions: ['delete', 'timeout', 'untimeout', 'ban', 'unban', 'clear'],
  };
}

/** Mixer's duration strings: `30s`, `10m`, `1h`, `1d`. */
export function mixerDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s % 86_400 === 0) return `${s / 86_400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** The chat method and arguments for a socket action (`deleteMessage`, `timeout`, `clearMessages`). */
export function mixerMethodCall(
  request: ModerationRequest,
): { method: string; args: unknown[] } | undefined {
  switch (request.action) {
    case 'delete':
      return { method: 'deleteMessage', args: [request.messageId] };
    case 'timeout':
      return { method: 'timeout', args: [request.user.name, mixerDuration(request.seconds)] };
    case 'untimeout':
      // The timeout doc: the duration "clear" lifts a timeout.
      return { method: 'timeout', args: [request.user.name, 'clear'] };
    case 'clear':
      return { method: 'clearMessages', args: [] };
    default:
      return undefined;
  }
}

/** Ban and unban are channel roles on Mixer: `PATCH /channels/{id}/users/{userId}` adds or removes `Banned`. */
export function mixerBanPatch(
  apiUrl: string,
  channelId: number,
  userId: string,
  ban: boolean,
): { url: string; body: string } {
  return {
    url: `${apiUrl.replace(/\/+$/, '')}/channels/${channelId}/users/${encodeURIComponent(userId)}`,
    body: JSON.stringify(ban ? { add: ['Banned'] } : { remove: ['Banned'] }),
  };
}

/** A reply's data as a sentence (Mixer answers most moderation methods with one). */
export function mixerReplySentence(data: unknown, fallback: string): string {
  return typeof data === 'string' && data.trim() ? data.trim() : fallback;
}

/** What the moderation needs from the live session. */
export interface MixerModerationSession {
  readonly channelId: number;
  readonly apiUrl: string;
  readonly clientId?: string;
  call(method: string, args: readonly unknown[]): Promise<unknown>;
  /** The token for REST calls, read when needed. */
  getToken(): Promise<string | undefined>;
  readonly fetch?: FetchLike;
}

/**
 * Mixer moderation: delete, time out and clear through the chat socket's methods; ban and unban
 * as the channel role `Banned` over REST. Mixer broadcasts DeleteMessage, PurgeMessage and
 * ClearMessages afterwards, which the client already turns into timeline ops, so nothing is
 * applied locally.
 */
export class MixerModeration extends SessionModeration {
  private _session: MixerModerationSession | undefined;

  attach(session: MixerModerationSession, authenticated: boolean, roles: readonly string[]): void {
    this._session = session;
    this.setCapability(mixerCapability(authenticated, roles));
  }

  detach(): void {
    this._session = undefined;
    this.reset('Mixer is not connected.');
  }

  protected async performAllowed(request: ModerationRequest): Promise<ModerationResult> {
    const session = this._session;
    if (!session) throw new ChatError('NOT_CONNECTED', 'Mixer is not connected.', 'network');
    const call = mixerMethodCall(request);
    if (call) {
      const data = await session.call(call.method, call.args);
      return { message: mixerReplySentence(data, doneSentence(request)), ops: [] };
    }
    if (request.action !== 'ban' && request.action !== 'unban')
      throw new ChatError(
        'UNSUPPORTED_ACTION',
        `Mixer has no "${request.action}" action.`,
        'config',
      );
    if (!request.user.id)
      throw new ChatError(
        'MIXER_NO_USER_ID',
        `Mixer needs the user id of ${request.user.name} to ${request.action} them; pick one of their chat lines.`,
        'config',
      );
    const token = await session.getToken();
    if (!token) throw new ChatError('MIXER_NO_TOKEN', 'Set a Mixer token to moderate.', 'auth');
    const { url, body } = mixerBanPatch(
      session.apiUrl,
      session.channelId,
      request.user.id,
      request.action === 'ban',
    );
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Authorization: `Bearer ${token}`,
    };
    if (session.clientId) headers['Client-ID'] = session.clientId;
    let response: Response;
    try {
      response = await (session.fetch ?? fetch)(url, {
        method: 'PATCH',
        headers,
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new ChatError(
        'MIXER_UNREACHABLE',
        `Mixer did not answer the ${request.action}: ${error instanceof Error ? error.message : String(error)}.`,
        'network',
      );
    }
    if (!response.ok) {
      const said = await response.json().then(
        (b: unknown) =>
          typeof b === 'object' &&
          b !== null &&
          typeof (b as { message?: unknown }).message === 'string'
            ? (b as { message: string }).message
            : '',
        () => '',
      );
      throw new ChatError(
        'MIXER_REFUSED',
        said || `Mixer refused the ${request.action} (HTTP ${response.status}).`,
        response.status === 401 || response.status === 403 ? 'auth' : 'protocol',
      );
    }
    return { message: doneSentence(request), ops: [] };
  }
}

function doneSentence(request: ModerationRequest): string {
  switch (request.action) {
    case 'delete':
      return 'Message deleted.';
    case 'timeout':
      return `${request.user.name} has been timed out.`;
    case 'untimeout':
      return `${request.user.name}'s timeout was lifted.`;
    case 'ban':
      return `${request.user.name} has been banned.`;
    case 'unban':
      return `${request.user.name} has been unbanned.`;
    case 'clear':
      return 'Messages cleared.';
  }
}
