import { ChatError } from '../../core/errors';
import { Logger } from '../../core/log';
import {
  ModerationCapability,
  ModerationRequest,
  ModerationResult,
  SessionModeration,
} from '../../core/moderation';
import { FetchLike } from '../../core/http';
import { baseUrl } from './settings';

/** TAU forwards `/api/twitch/helix/<path>` to Twitch with the streamer's Twitch token. */
const HELIX = '/api/twitch/helix';
/** A Twitch call that hangs holds TAU's request (research §9): give each one a deadline. */
const HELIX_TIMEOUT_MS = 10_000;
/** Twitch's longest timeout: two weeks. */
export const TWITCH_MAX_TIMEOUT_SECONDS = 1_209_600;

/** Whose channel and which moderator the Helix calls name. */
export interface TauModerationIds {
  readonly broadcasterId: string;
  readonly moderatorId: string;
}

/** One Helix call through TAU's passthrough. */
export interface HelixCall {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path and query after `/api/twitch/helix`. */
  readonly path: string;
  readonly body?: string;
}

/**
 * The Helix call for a request: `POST moderation/bans` with `{data: {user_id, duration?}}` to
 * ban or time out, `DELETE moderation/bans` to lift either, `DELETE moderation/chat` with a
 * `message_id` to delete one message or without one to clear chat.
 */
export function helixModerationCall(
  ids: TauModerationIds,
  request: ModerationRequest,
  userId?: string,
): HelixCall | undefined {
  const query = new URLSearchParams({
    broadcaster_id: ids.broadcasterId,
    moderator_id: ids.moderatorId,
  });
  switch (request.action) {
    case 'delete':
      query.set('message_id', request.messageId);
      return { method: 'DELETE', path: `/moderation/chat?${query}` };
    case 'clear':
      return { method: 'DELETE', path: `/moderation/chat?${query}` };
    case 'timeout':
    case 'ban': {
      if (!userId) return undefined;
      const duration =
        request.action === 'timeout'
          ? Math.min(TWITCH_MAX_TIMEOUT_SECONDS, Math.max(1, Math.round(request.seconds)))
          : undefined;
      return {
        method: 'POST',
        path: `/moderation/bans?${query}`,
        body: JSON.stringify({
          data: { user_id: userId, ...(duration !== undefined ? { duration } : {}) },
        }),
      };
    }
    case 'unban':
    case 'untimeout':
      if (!userId) return undefined;
      query.set('user_id', userId);
      return { method: 'DELETE', path: `/moderation/bans?${query}` };
  }
}

/** Twitch's error sentence in a Helix body (`{error, status, message}`), when there is one. */
export function helixErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const message = (body as { message?: unknown }).message;
  return typeof message === 'string' && message.trim() ? message.trim().slice(0, 500) : undefined;
}

/** The `data[0]` user of a `users` answer. */
export function helixUser(body: unknown): { id: string; login: string } | undefined {
  const user =
    typeof body === 'object' && body !== null
      ? (body as { data?: unknown[] }).data?.[0]
      : undefined;
  if (typeof user !== 'object' || user === null) return undefined;
  const { id, login } = user as { id?: unknown; login?: unknown };
  return typeof id === 'string' && typeof login === 'string' ? { id, login } : undefined;
}

/** Whether `moderation/channels` (the channels a user moderates) lists the broadcaster. */
export function moderatesChannel(body: unknown, broadcasterId: string): boolean {
  const data =
    typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  return (
    Array.isArray(data) &&
    data.some(
      (c) =>
        typeof c === 'object' &&
        c !== null &&
        (c as { broadcaster_id?: unknown }).broadcaster_id === broadcasterId,
    )
  );
}

/** What the moderation needs to reach TAU. */
export interface TauModerationDeps {
  readonly url: string;
  /** The Twitch channel (login) being moderated; empty: TAU's own account. */
  readonly channel: string;
  readonly getToken: () => Promise<string | undefined>;
  readonly fetch?: FetchLike;
  readonly log: Logger;
}

interface HelixAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Twitch moderation through TAU's Helix passthrough. TAU's chat-bot socket forwards only PRIVMSG
 * (no CLEARMSG/CLEARCHAT), so a deletion or clear is applied to the timeline here; bans and
 * timeouts also arrive as `channel-ban` events when TAU subscribes to them, which repeat the same
 * purge harmlessly.
 */
export class TauModeration extends SessionModeration {
  private _ids: TauModerationIds | undefined;
  private _generation = 0;

  constructor(private readonly _deps: TauModerationDeps) {
    super();
  }

  /** A session started: find TAU's account and the channel, and whether one moderates the other. */
  async attach(): Promise<void> {
    const generation = ++this._generation;
    this.reset('TAU: checking whether you may moderate…');
    try {
      const capability = await this._lookUp();
      if (generation === this._generation) this.setCapability(capability);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this._deps.log.info(`moderation lookup failed: ${message}`);
      if (generation === this._generation)
        this.reset(`TAU: could not tell whether you may moderate (${message.replace(/\.$/, '')}).`);
    }
  }

  detach(): void {
    this._generation++;
    this._ids = undefined;
    this.reset('TAU is not connected.');
  }

  private async _lookUp(): Promise<ModerationCapability> {
    const me = helixUser((await this._helix({ method: 'GET', path: '/users' }, true)).body);
    if (!me)
      throw new ChatError(
        'TAU_NO_ACCOUNT',
        'TAU did not say which Twitch account it is linked to.',
        'protocol',
      );
    const channel =
      this._deps.channel && this._deps.channel !== me.login
        ? helixUser(
            (
              await this._helix(
                { method: 'GET', path: `/users?login=${encodeURIComponent(this._deps.channel)}` },
                true,
              )
            ).body,
          )
        : me;
    if (!channel)
      return {
        canModerate: false,
        reason: `TAU: Twitch has no channel "${this._deps.channel}" (streamChat.tau.channel).`,
        actions: [],
      };
    this._ids = { broadcasterId: channel.id, moderatorId: me.id };
    if (channel.id !== me.id) {
      const mods = await this._helix(
        {
          method: 'GET',
          path: `/moderation/channels?user_id=${encodeURIComponent(me.id)}&first=100`,
        },
        true,
      );
      if (!moderatesChannel(mods.body, channel.id))
        return {
          canModerate: false,
          reason: `TAU: ${me.login} is not a moderator of ${channel.login}.`,
          actions: [],
        };
    }
    return { canModerate: true, actions: ['delete', 'timeout', 'ban', 'unban', 'clear'] };
  }

  protected async performAllowed(request: ModerationRequest): Promise<ModerationResult> {
    const ids = this._ids;
    if (!ids) throw new ChatError('NOT_CONNECTED', 'TAU is not connected.', 'network');
    const userId =
      'user' in request && request.user
        ? (request.user.id ?? (await this._userId(request.user.name)))
        : undefined;
    const call = helixModerationCall(ids, request, userId);
    if (!call)
      throw new ChatError(
        'UNSUPPORTED_ACTION',
        `Twitch has no "${request.action}" action.`,
        'config',
      );
    await this._helix(call, false);
    switch (request.action) {
      case 'delete':
        return {
          message: 'Message deleted.',
          ops: [{ op: 'delete', platform: 'tau', ids: [request.messageId] }],
        };
      case 'clear':
        return { message: 'Chat cleared.', ops: [{ op: 'clear', platform: 'tau' }] };
      case 'timeout':
        return {
          message: `${request.user.name} was timed out.`,
          ops: [{ op: 'purgeUser', platform: 'tau', userId: userId! }],
        };
      case 'ban':
        return {
          message: `${request.user.name} was banned.`,
          ops: [{ op: 'purgeUser', platform: 'tau', userId: userId! }],
        };
      default:
        return { message: `${request.user.name} was unbanned.`, ops: [] };
    }
  }

  private async _userId(login: string): Promise<string> {
    const user = helixUser(
      (
        await this._helix(
          { method: 'GET', path: `/users?login=${encodeURIComponent(login.toLowerCase())}` },
          true,
        )
      ).body,
    );
    if (!user) throw new ChatError('TAU_NO_USER', `Twitch has no user "${login}".`, 'config');
    return user.id;
  }

  /** One passthrough call; a Twitch refusal rejects with Twitch's own sentence. */
  private async _helix(call: HelixCall, lookup: boolean): Promise<HelixAnswer> {
    const token = await this._deps.getToken();
    if (!token) throw new ChatError('TAU_NO_TOKEN', 'Set a TAU token to moderate.', 'auth');
    const headers: Record<string, string> = {
      Authorization: `Token ${token}`,
      Accept: 'application/json',
    };
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    const url = `${baseUrl(this._deps.url)}${HELIX}${call.path}`;
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await (this._deps.fetch ?? ((u, init) => fetch(u, init)))(url, {
        method: call.method,
        headers,
        ...(call.body !== undefined ? { body: call.body } : {}),
        signal: AbortSignal.timeout(HELIX_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new ChatError(
        'TAU_HELIX_UNREACHABLE',
        timedOut
          ? `TAU did not answer within ${HELIX_TIMEOUT_MS / 1000} s.`
          : `TAU is not reachable (${error instanceof Error ? error.message : String(error)}).`,
        'network',
      );
    }
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok) return { status: response.status, body };
    if (response.status === 401 && helixErrorMessage(body) === undefined)
      throw new ChatError('TAU_BAD_TOKEN', 'TAU refused the token.', 'auth');
    const said = helixErrorMessage(body);
    if (said)
      throw new ChatError(
        'TWITCH_REFUSED',
        `Twitch: ${said}`,
        response.status === 401 || response.status === 403 ? 'auth' : 'protocol',
      );
    // An unlinked TAU answers its passthrough with 500 and an HTML page (research §9).
    throw new ChatError(
      'TAU_HELIX_FAILED',
      `TAU could not ${lookup ? 'ask' : 'reach'} Twitch (HTTP ${response.status}); is TAU linked to your Twitch account?`,
      'protocol',
    );
  }
}
