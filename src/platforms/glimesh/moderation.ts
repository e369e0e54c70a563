import { ChatError } from '../../core/errors';
import { Logger } from '../../core/log';
import {
  ModerationAction,
  ModerationCapability,
  ModerationRequest,
  ModerationResult,
  SessionModeration,
} from '../../core/moderation';
import { GraphqlRequest, graphqlErrors } from './codec';

/** Glimesh's two timeouts (chat_types.ex: "Short timeout (5 minutes)", "Long timeout (15 minutes)"). */
export const GLIMESH_SHORT_TIMEOUT_SECONDS = 300;
export const GLIMESH_LONG_TIMEOUT_SECONDS = 900;

/** Who the token is, who owns the channel, and its moderators with their permissions. */
export const MODERATION_LOOKUP =
  'query ($id: ID!) { myself { id } channel(id: $id) { streamer { id } moderators(first: 100) { edges { node { user { id } canShortTimeout canLongTimeout canBan canUnban canDelete } } } } }';

/** A user's id from their username (commands that name a user who has not chatted yet). */
export const USER_LOOKUP = 'query ($username: String!) { user(username: $username) { id } }';

const MUTATION_FIELDS = '{ id action }';

/** The moderation lookup for a channel. */
export function moderationLookupRequest(channelId: string): GraphqlRequest {
  return { query: MODERATION_LOOKUP, variables: { id: channelId } };
}

/**
 * The GraphQL mutation for a request (schema `chat_mutations`: `deleteChatMessage(channelId,
 * messageId)`, `shortTimeoutUser` / `longTimeoutUser` / `banUser` / `unbanUser(channelId, userId)`).
 * A timeout of more than the short one is the long one.
 */
export function moderationMutation(
  channelId: string,
  request: ModerationRequest,
  userId?: string,
): GraphqlRequest | undefined {
  switch (request.action) {
    case 'delete':
      return {
        query: `mutation ($c: ID!, $m: ID!) { deleteChatMessage(channelId: $c, messageId: $m) ${MUTATION_FIELDS} }`,
        variables: { c: channelId, m: request.messageId },
      };
    case 'timeout':
    case 'ban':
    case 'unban':
    case 'untimeout': {
      if (!userId) return undefined;
      const field =
        request.action === 'timeout'
          ? request.seconds > GLIMESH_SHORT_TIMEOUT_SECONDS
            ? 'longTimeoutUser'
            : 'shortTimeoutUser'
          : request.action === 'ban'
            ? 'banUser'
            : // A Glimesh timeout is a ban with an end; unbanning lifts either.
              'unbanUser';
      return {
        query: `mutation ($c: ID!, $u: ID!) { ${field}(channelId: $c, userId: $u) ${MUTATION_FIELDS} }`,
        variables: { c: channelId, u: userId },
      };
    }
    case 'clear':
      return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | undefined =>
  typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined;

/**
 * The capability from the lookup: the channel's owner may do everything; a moderator what their
 * `can*` flags allow; anyone else nothing. Glimesh has no clear-chat mutation.
 */
export function readModerationLookup(body: unknown): ModerationCapability {
  const errors = graphqlErrors(body);
  const data = isRecord(body) && isRecord(body.data) ? body.data : undefined;
  const selfId = data && isRecord(data.myself) ? idOf(data.myself.id) : undefined;
  const channel = data && isRecord(data.channel) ? data.channel : undefined;
  if (!selfId || !channel) {
    return {
      canModerate: false,
      reason: `Glimesh did not say whether you may moderate${errors.length ? ` (${errors.join(' ')})` : ''}.`,
      actions: [],
    };
  }
  const all: ModerationAction[] = ['delete', 'timeout', 'ban', 'unban'];
  const timeouts = [GLIMESH_SHORT_TIMEOUT_SECONDS, GLIMESH_LONG_TIMEOUT_SECONDS];
  if (isRecord(channel.streamer) && idOf(channel.streamer.id) === selfId)
    return { canModerate: true, actions: all, timeoutSeconds: timeouts };
  const edges =
    isRecord(channel.moderators) && Array.isArray(channel.moderators.edges)
      ? channel.moderators.edges
      : [];
  for (const edge of edges) {
    const node = isRecord(edge) && isRecord(edge.node) ? edge.node : undefined;
    if (!node || !isRecord(node.user) || idOf(node.user.id) !== selfId) continue;
    const actions: ModerationAction[] = [];
    if (node.canDelete === true) actions.push('delete');
    const offered = [
      ...(node.canShortTimeout === true ? [GLIMESH_SHORT_TIMEOUT_SECONDS] : []),
      ...(node.canLongTimeout === true ? [GLIMESH_LONG_TIMEOUT_SECONDS] : []),
    ];
    if (offered.length > 0) actions.push('timeout');
    if (node.canBan === true) actions.push('ban');
    if (node.canUnban === true) actions.push('unban');
    return actions.length > 0
      ? { canModerate: true, actions, timeoutSeconds: offered }
      : {
          canModerate: false,
          reason: 'Glimesh: your moderator role in this channel allows no actions.',
          actions: [],
        };
  }
  return {
    canModerate: false,
    reason: 'Glimesh: your account is not a moderator of this channel.',
    actions: [],
  };
}

/** What the moderation needs from the live session: its channel, and GraphQL with the token. */
export interface GlimeshModerationSession {
  readonly channelId: string;
  graphql(request: GraphqlRequest): Promise<unknown>;
}

/**
 * Glimesh moderation over GraphQL mutations. Glimesh publishes deletions and timeouts only to its
 * own LiveView, not to API subscriptions, so a successful action is applied to the timeline here.
 */
export class GlimeshModeration extends SessionModeration {
  private _session: GlimeshModerationSession | undefined;
  private _generation = 0;

  constructor(private readonly _log: Logger) {
    super();
  }

  /** A session with a token started: ask Glimesh what the account may do. */
  async attach(session: GlimeshModerationSession): Promise<void> {
    const generation = ++this._generation;
    this.reset('Glimesh: checking whether you may moderate…');
    this._session = session;
    try {
      const capability = readModerationLookup(
        await session.graphql(moderationLookupRequest(session.channelId)),
      );
      if (generation === this._generation) this.setCapability(capability);
    } catch (error) {
      this._log.info(
        `moderation lookup failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (generation === this._generation)
        this.reset('Glimesh did not say whether you may moderate.');
    }
  }

  detach(reason = 'Glimesh is not connected.'): void {
    this._generation++;
    this._session = undefined;
    this.reset(reason);
  }

  protected async performAllowed(request: ModerationRequest): Promise<ModerationResult> {
    const session = this._session;
    if (!session) throw new ChatError('NOT_CONNECTED', 'Glimesh is not connected.', 'network');
    const userId =
      'user' in request && request.user
        ? (request.user.id ?? (await this._userId(session, request.user.name)))
        : undefined;
    const mutation = moderationMutation(session.channelId, request, userId);
    if (!mutation)
      throw new ChatError(
        'UNSUPPORTED_ACTION',
        `Glimesh has no "${request.action}" action.`,
        'config',
      );
    const body = await session.graphql(mutation);
    const errors = graphqlErrors(body);
    if (errors.length > 0)
      throw new ChatError('GLIMESH_REFUSED', `Glimesh: ${errors.join(' ')}`, 'protocol');
    switch (request.action) {
      case 'delete':
        return {
          message: 'Message deleted.',
          ops: [{ op: 'delete', platform: 'glimesh', ids: [request.messageId] }],
        };
      case 'timeout': {
        const long = request.seconds > GLIMESH_SHORT_TIMEOUT_SECONDS;
        return {
          message: `${request.user.name} was timed out for ${long ? 15 : 5} minutes.`,
          ops: [{ op: 'purgeUser', platform: 'glimesh', userId: userId! }],
        };
      }
      case 'ban':
        return {
          message: `${request.user.name} was banned.`,
          ops: [{ op: 'purgeUser', platform: 'glimesh', userId: userId! }],
        };
      default:
        return {
          message: `${'user' in request ? request.user.name : 'The user'} was unbanned.`,
          ops: [],
        };
    }
  }

  private async _userId(session: GlimeshModerationSession, username: string): Promise<string> {
    const body = await session.graphql({ query: USER_LOOKUP, variables: { username } });
    const user =
      isRecord(body) && isRecord(body.data) && isRecord(body.data.user)
        ? idOf(body.data.user.id)
        : undefined;
    if (!user)
      throw new ChatError('GLIMESH_NO_USER', `Glimesh has no user "${username}".`, 'config');
    return user;
  }
}
