// A Glimesh-compatible local server (Glimesh/glimesh.tv, Elixir/Phoenix/Absinthe, checked against
// its source), written from the documented frames and
// independent of the extension's code:
// - GraphQL over HTTP at /api/graph: `Authorization: Bearer <token>` or `Client-ID <id>`, 401
//   bodies as in api_context_plug.ex, documents validated and executed by ./graphql.ts.
// - The Phoenix socket at /api/graph/websocket: `vsn` negotiation (2.0.0 → V2 arrays, none → V1
//   objects), `token` or `client_id` (client_id wins), 403 at the upgrade when refused, the
//   Absinthe control channel (`doc` for queries, mutations and subscriptions), subscription
//   pushes with the subscription id as topic and null refs, heartbeats, Phoenix's duplicate-join,
//   leave, unmatched-topic and channel-crash behaviour, and closing a socket idle for 60 s.
// - createChatMessage with Glimesh's rules and sentences (chat_resolver.ex, chat/policy.ex,
//   chat.ex, chat_message.ex), and its message parser (chat/parser.ex) for tokens.
// Hooks for tests: drop sockets, stall heartbeats or replies, inject raw frames, ban users, set
// channel rules, revoke tokens, and records of upgrades, requests, docs and sent messages.
//
// One deliberate difference: real Glimesh exempts a channel's owner from channel bans and rules;
// here they apply to everyone, so that tests using the streamer's own token can produce every
// sentence.
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import {
  GqlError,
  GqlField,
  PreparedOperation,
  Resolved,
  Source,
  argumentValues,
  execute,
  prepare,
  project,
  rootFields,
} from './graphql';

/** A token with the `chat` scope for the user `codercat` (read-write). */
export const GLIMESH_SIM_TOKEN = 'glimesh-sim-token-chat-scope-5e3f';
/** A token for `codercat` without the `chat` scope: it connects, but sending answers "unauthorized". */
export const GLIMESH_SIM_NO_CHAT_TOKEN = 'glimesh-sim-token-no-chat-scope-9a1c';
/** A token with the `chat` scope for the viewer `ViewerVal`: chats, but moderates nothing. */
export const GLIMESH_SIM_VIEWER_TOKEN = 'glimesh-sim-token-viewer-chat-3b7d';
/** A registered client id: read-only access. */
export const GLIMESH_SIM_CLIENT_ID = 'glimesh-sim-client-id-77d2';
/** The streamer whose channel `settings()` points at (the tokens belong to this user too). */
export const GLIMESH_SIM_CHANNEL = 'codercat';
/** Its channel id. */
export const GLIMESH_SIM_CHANNEL_ID = '6';

/** Start-up knobs. */
export interface GlimeshSimulatorOptions {
  readonly port?: number;
  /** Phoenix closes a socket that sent no frame for this long (default 60 s). */
  readonly idleTimeoutMs?: number;
}

/** Roles a posted message had when it was sent (Glimesh's `metadata` snapshot). */
export interface GlimeshSimRoles {
  readonly streamer?: boolean;
  readonly moderator?: boolean;
  readonly subscriber?: boolean;
  readonly admin?: boolean;
  readonly platformFounderSubscriber?: boolean;
  readonly platformSupporterSubscriber?: boolean;
}

/** One moderation mutation the simulator answered. */
export interface GlimeshSimModeration {
  readonly mutation:
    'shortTimeoutUser' | 'longTimeoutUser' | 'banUser' | 'unbanUser' | 'deleteChatMessage';
  readonly channelId: string;
  readonly userId?: string;
  readonly messageId?: string;
  /** The moderator's username, when the credential had a user. */
  readonly by?: string;
  /** The GraphQL error when refused. */
  readonly error?: string;
}

/** A channel moderator's permissions (ChannelModerator `can*`). */
export interface GlimeshSimModeratorFlags {
  readonly canShortTimeout?: boolean;
  readonly canLongTimeout?: boolean;
  readonly canBan?: boolean;
  readonly canUnban?: boolean;
  readonly canDelete?: boolean;
}

/** One socket upgrade attempt, for no-retry-loop and credential tests. */
export interface GlimeshSimUpgrade {
  readonly status: 101 | 403 | 404;
  /** Which credential the URL carried (never its value). */
  readonly credential: 'token' | 'client_id' | 'both' | 'none';
  readonly vsn: string | null;
}

/** One GraphQL request over HTTP. */
export interface GlimeshSimRequest {
  readonly authorization: 'Bearer' | 'Client-ID' | 'other' | 'none';
  readonly status: number;
  readonly query: string;
  readonly variables: unknown;
}

/** The running simulator. */
export interface GlimeshSimulator {
  /** GraphQL over HTTP, for `streamChat.glimesh.apiUrl`. */
  readonly httpUrl: string;
  /** The Phoenix socket, for `streamChat.glimesh.socketUrl`. */
  readonly socketUrl: string;
  readonly port: number;
  /** Messages clients created with `createChatMessage`, in order. */
  readonly sent: Array<{ channelId: string; text: string; user: string }>;
  /** Moderation mutations, in order, and how they ended. */
  readonly moderation: GlimeshSimModeration[];
  /** Socket upgrade attempts, accepted or refused. */
  readonly upgrades: { accepted: number; refused: number };
  readonly upgradeLog: readonly GlimeshSimUpgrade[];
  /** GraphQL requests over HTTP, in order. */
  readonly requests: readonly GlimeshSimRequest[];
  /** `doc` payloads received over sockets, in order. */
  readonly docs: ReadonlyArray<{ readonly query: unknown; readonly variables: unknown }>;
  readonly openSockets: number;
  /** Live subscriptions over all sockets. */
  readonly subscriptionCount: number;
  /** Posts a chat line as `user` (history and subscribers get it); returns its id. */
  postChat(line: { user: string; text: string; channel?: string; roles?: GlimeshSimRoles }): string;
  /** Cuts every socket without a close frame. */
  dropConnections(): void;
  /** While on, heartbeats get no reply. */
  stallHeartbeats(on: boolean): void;
  /** While on, `doc` pushes get no reply and have no effect (a hung server). */
  stallDocReplies(on: boolean): void;
  /** Sends a text frame as is to every open socket. */
  injectRaw(text: string): void;
  /** Every joined control channel crashes (`phx_error`), as on a server error: subscriptions gone. */
  crashChannels(): void;
  /** Channel ban: for `minutes`, or permanently when omitted. */
  banUser(username: string, minutes?: number, channel?: string): void;
  unbanUser(username: string, channel?: string): void;
  /** Makes a user a channel moderator with these permissions (all when omitted). */
  addModerator(username: string, flags?: GlimeshSimModeratorFlags, channel?: string): void;
  /** Whether a user is banned or timed out in a channel now, and until when (Infinity: permanent). */
  banOf(username: string, channel?: string): number | undefined;
  /** A platform-wide ban ("You are banned from Glimesh."). */
  banFromGlimesh(username: string): void;
  /** Channel rules: links, confirmed email, minimum account age. */
  configureChannel(
    rules: {
      blockLinks?: boolean;
      requireConfirmedEmail?: boolean;
      minimumAccountAgeHours?: number;
    },
    channel?: string,
  ): void;
  /** A user's account: whether the email is confirmed and how old the account is. */
  configureUser(
    username: string,
    account: { emailConfirmed?: boolean; accountAgeMinutes?: number },
  ): void;
  /** The token stops working: HTTP 401 and upgrade 403 from now on (open sockets stay). */
  revokeToken(token: string): void;
  /** Scripted chatter in the default channel. */
  startChatter(intervalMs?: number): void;
  stopChatter(): void;
  /** VS Code settings pointing Stream Chat at this simulator. */
  settings(): Record<string, unknown>;
  close(): Promise<void>;
}

interface SimUser {
  readonly id: string;
  readonly username: string;
  readonly displayname: string;
  readonly avatarUrl: string;
  emailConfirmed: boolean;
  createdAt: number;
  platformBanned: boolean;
  readonly isAdmin: boolean;
}

interface SimChannel {
  readonly id: string;
  readonly owner: SimUser;
  readonly title: string;
  blockLinks: boolean;
  requireConfirmedEmail: boolean;
  minimumAccountAgeHours: number;
  /** username → ban expiry (epoch ms; Infinity: permanent). */
  readonly bans: Map<string, number>;
  /** user id → the moderator's permissions. */
  readonly moderators: Map<string, Required<GlimeshSimModeratorFlags>>;
}

interface SimToken {
  readonly type: 'text' | 'url' | 'emote';
  readonly text: string;
  readonly url?: string;
  readonly src?: string;
}

interface StoredMessage {
  readonly id: string;
  readonly channelId: string;
  readonly user: SimUser;
  readonly message: string;
  readonly tokens: readonly SimToken[];
  readonly metadata: Required<GlimeshSimRoles>;
  readonly insertedAt: string;
}

/** What a credential may do (Glimesh.Api.Access). */
interface Access {
  readonly user?: SimUser;
  readonly scopes: ReadonlySet<string>;
}

interface Subscription {
  readonly id: string;
  /** undefined: every channel (the firehose). */
  readonly channelId: string | undefined;
  readonly prepared: PreparedOperation;
  readonly field: GqlField;
}

interface Conn {
  readonly ws: WebSocket;
  readonly serializer: 'v1' | 'v2';
  readonly access: Access;
  /** The join ref of the control channel while joined. */
  joinRef: string | null | undefined;
  readonly subscriptions: Map<string, Subscription>;
  idle?: NodeJS.Timeout;
}

interface Frame {
  readonly joinRef: string | null;
  readonly ref: string | null;
  readonly topic: string;
  readonly event: string;
  readonly payload: Record<string, unknown>;
}

const CONTROL_TOPIC = '__absinthe__:control';
const NOT_FOUND = 'Could not find resource';
const MAX_MESSAGE_LENGTH = 255;

/** Glimesh's emotes (full URLs, as `src` returns them). */
const EMOTES: Readonly<Record<string, string>> = {
  ':glimchef:': 'https://glimesh-static.example/emotes/glimchef.svg',
  ':glimheart:': 'https://glimesh-static.example/emotes/glimheart.svg',
  ':glimsmile:': 'https://glimesh-static.example/emotes/glimsmile.svg',
  ':glimfire:': 'https://glimesh-static.example/emotes/glimfire.svg',
};

// chat/parser.ex: split by the hyperlink regex, then by the emote regex, keeping the matches.
const HYPERLINK =
  /((https?):\/\/)?(www\.)?[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b([-a-zA-Z0-9()!@:%_+.~#?&//=]*)/g;
const EMOTE = /(?::\w+:)/g;

function splitKeeping(pieces: readonly string[], regex: RegExp): string[] {
  const out: string[] = [];
  for (const piece of pieces) {
    let last = 0;
    for (const match of piece.matchAll(regex)) {
      out.push(piece.slice(last, match.index), match[0]);
      last = match.index + match[0].length;
    }
    out.push(piece.slice(last));
  }
  // Regex.split(..., trim: true) drops the empty strings.
  return out.filter((s) => s !== '');
}

function tokenize(message: string, allowLinks: boolean): SimToken[] {
  if (message === '') return [{ type: 'text', text: '' }];
  return splitKeeping(splitKeeping([message], HYPERLINK), EMOTE).map((item): SimToken => {
    if (allowLinks && item.startsWith('http') && new RegExp(HYPERLINK.source).test(item))
      return { type: 'url', text: item, url: item };
    if (item.startsWith(':') && EMOTES[item])
      return { type: 'emote', text: item, src: EMOTES[item] };
    return { type: 'text', text: item };
  });
}

/** NaiveDateTime as Absinthe serializes Ecto timestamps: UTC, seconds, no zone. */
const naive = (ms: number) => new Date(ms).toISOString().slice(0, 19);

const graphemes = (text: string) =>
  [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].length;

/** Starts a simulator on 127.0.0.1 (port 0 unless given). */
export async function startGlimeshSimulator(
  options: GlimeshSimulatorOptions = {},
): Promise<GlimeshSimulator> {
  const conns = new Set<Conn>();
  const stored: StoredMessage[] = [];
  const sent: GlimeshSimulator['sent'] = [];
  const upgrades = { accepted: 0, refused: 0 };
  const upgradeLog: GlimeshSimUpgrade[] = [];
  const requests: GlimeshSimRequest[] = [];
  const docs: Array<{ query: unknown; variables: unknown }> = [];
  const moderation: GlimeshSimModeration[] = [];
  const revoked = new Set<string>();
  let heartbeatsStalled = false;
  let docRepliesStalled = false;
  let docCounter = 0;
  let messageCounter = 1000;
  let userCounter = 100;
  let chatter: NodeJS.Timeout | undefined;

  const users = new Map<string, SimUser>();
  const userNamed = (name: string): SimUser => {
    const key = name.toLowerCase();
    let user = users.get(key);
    if (!user) {
      user = {
        id: String(++userCounter),
        username: key,
        displayname: name,
        avatarUrl: `https://glimesh-user-assets.example/uploads/avatars/${encodeURIComponent(name)}.png`,
        emailConfirmed: true,
        createdAt: Date.now() - 365 * 24 * 3_600_000,
        platformBanned: false,
        isAdmin: false,
      };
      users.set(key, user);
    }
    return user;
  };
  const channels = new Map<string, SimChannel>();
  for (const [id, owner, title] of [
    [GLIMESH_SIM_CHANNEL_ID, 'CoderCat', 'Building a VS Code extension, live'],
    ['7', 'OtherStreamer', 'Speedrunning the backlog'],
  ] as const) {
    channels.set(id, {
      id,
      owner: userNamed(owner),
      title,
      blockLinks: false,
      requireConfirmedEmail: false,
      minimumAccountAgeHours: 0,
      bans: new Map(),
      moderators: new Map(),
    });
  }
  const channelByName = (name: string) =>
    [...channels.values()].find((c) => c.owner.username === name.toLowerCase());
  const defaultChannel = () => channels.get(GLIMESH_SIM_CHANNEL_ID)!;
  const channelOrDefault = (name?: string) =>
    name ? (channelByName(name) ?? defaultChannel()) : defaultChannel();

  const tokens = new Map<string, Access>([
    [
      GLIMESH_SIM_TOKEN,
      { user: userNamed('CoderCat'), scopes: new Set(['public', 'email', 'chat']) },
    ],
    [GLIMESH_SIM_NO_CHAT_TOKEN, { user: userNamed('CoderCat'), scopes: new Set(['public']) }],
    [
      GLIMESH_SIM_VIEWER_TOKEN,
      { user: userNamed('ViewerVal'), scopes: new Set(['public', 'email', 'chat']) },
    ],
  ]);
  const clientIds = new Map<string, Access>([[GLIMESH_SIM_CLIENT_ID, { scopes: new Set() }]]);
  const tokenAccess = (token: string) => (revoked.has(token) ? undefined : tokens.get(token));

  // ---- GraphQL sources: objects the engine projects onto the selection ----

  const userSource = (user: SimUser): Source => ({
    id: user.id,
    username: user.username,
    displayname: user.displayname,
    avatarUrl: user.avatarUrl,
    bio: null,
    channel: () => ({
      value: channelByName(user.username) ? channelSource(channelByName(user.username)!) : null,
    }),
    confirmedAt: user.emailConfirmed ? naive(user.createdAt) : null,
    insertedAt: naive(user.createdAt),
    updatedAt: naive(user.createdAt),
  });

  const messageSource = (m: StoredMessage): Source => ({
    id: m.id,
    message: m.message,
    tokens: m.tokens.map((t) => ({
      __typename: t.type === 'url' ? 'UrlToken' : t.type === 'emote' ? 'EmoteToken' : 'TextToken',
      ...t,
    })),
    metadata: m.metadata,
    isFollowedMessage: false,
    isSubscriptionMessage: false,
    channel: () => ({ value: channelSource(channels.get(m.channelId)!) }),
    user: userSource(m.user),
    insertedAt: m.insertedAt,
    updatedAt: m.insertedAt,
  });

  /** Absinthe.Relay connection over the channel's messages, ordered by id (api.ex: first 100 by default, at most 1000). */
  const connection = (channelId: string, args: Record<string, unknown>): Resolved => {
    const all = stored.filter((m) => m.channelId === channelId);
    const { first, last, before, after } = args as {
      first?: number | null;
      last?: number | null;
      before?: string | null;
      after?: string | null;
    };
    if (typeof first === 'number' && typeof last === 'number')
      return { error: 'The combination of :first and :last is not supported' };
    if ((typeof first === 'number' && first < 0) || (typeof last === 'number' && last < 0))
      return { error: 'You must supply a count greater than or equal to 0' };
    const offsetOf = (cursor: string) =>
      Number(/^arrayconnection:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString())?.[1] ?? NaN);
    let start = 0;
    let end = all.length;
    if (typeof after === 'string' && Number.isFinite(offsetOf(after))) start = offsetOf(after) + 1;
    if (typeof before === 'string' && Number.isFinite(offsetOf(before)))
      end = Math.min(end, offsetOf(before));
    const count =
      typeof last === 'number'
        ? Math.min(last, 1000)
        : Math.min(typeof first === 'number' ? first : 100, 1000);
    if (typeof last === 'number') start = Math.max(start, end - count);
    else end = Math.min(end, start + count);
    const cursor = (offset: number) => Buffer.from(`arrayconnection:${offset}`).toString('base64');
    const edges = all
      .slice(start, end)
      .map((m, i) => ({ node: messageSource(m), cursor: cursor(start + i) }));
    return {
      value: {
        edges,
        count: edges.length,
        pageInfo: {
          hasPreviousPage: start > 0,
          hasNextPage: end < all.length,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      },
    };
  };

  const channelSource = (c: SimChannel): Source => ({
    id: c.id,
    title: c.title,
    language: 'en',
    status: 'LIVE',
    chatRulesMd: null,
    blockLinks: c.blockLinks,
    requireConfirmedEmail: c.requireConfirmedEmail,
    minimumAccountAge: c.minimumAccountAgeHours,
    showRecentChatMessagesOnly: false,
    streamer: userSource(c.owner),
    chatMessages: (args: Record<string, unknown>) => connection(c.id, args),
    moderators: () => {
      const edges = [...c.moderators].map(([userId, flags], i) => {
        const user = [...users.values()].find((u) => u.id === userId)!;
        const cursor = Buffer.from(`arrayconnection:${i}`).toString('base64');
        return {
          cursor,
          node: {
            id: `mod-${c.id}-${userId}`,
            channel: () => ({ value: channelSource(c) }),
            user: userSource(user),
            canUnTimeout: flags.canUnban,
            ...flags,
            insertedAt: naive(user.createdAt),
            updatedAt: naive(user.createdAt),
          },
        };
      });
      return {
        value: {
          edges,
          count: edges.length,
          pageInfo: {
            hasPreviousPage: false,
            hasNextPage: false,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
        },
      };
    },
    insertedAt: naive(c.owner.createdAt),
    updatedAt: naive(c.owner.createdAt),
  });

  // ---- chat ----

  const publish = (m: StoredMessage) => {
    stored.push(m);
    if (stored.length > 2000) stored.shift();
    for (const conn of conns) {
      for (const sub of conn.subscriptions.values()) {
        if (sub.channelId !== undefined && sub.channelId !== m.channelId) continue;
        const errors: GqlError[] = [];
        const chatMessage = project(
          messageSource(m),
          'ChatMessage',
          sub.field.selections,
          sub.prepared,
          [sub.field.alias ?? sub.field.name],
          sub.field.loc,
          errors,
        );
        const result = {
          data: { [sub.field.alias ?? sub.field.name]: chatMessage },
          ...(errors.length ? { errors } : {}),
        };
        sendFrame(conn, {
          joinRef: null,
          ref: null,
          topic: sub.id,
          event: 'subscription:data',
          payload: { result, subscriptionId: sub.id },
        });
      }
    }
  };

  const store = (
    channel: SimChannel,
    user: SimUser,
    text: string,
    roles: GlimeshSimRoles,
  ): StoredMessage => ({
    id: String(++messageCounter),
    channelId: channel.id,
    user,
    message: text,
    tokens: tokenize(text, true),
    metadata: {
      streamer: roles.streamer ?? false,
      moderator: roles.moderator ?? false,
      subscriber: roles.subscriber ?? false,
      admin: roles.admin ?? false,
      platformFounderSubscriber: roles.platformFounderSubscriber ?? false,
      platformSupporterSubscriber: roles.platformSupporterSubscriber ?? false,
    },
    insertedAt: naive(Date.now()),
  });

  /** Chat.Policy :create_chat_message (see the note at the top about channel owners). */
  const policyRefusal = (user: SimUser, channel: SimChannel): string | undefined => {
    if (user.isAdmin) return undefined;
    const expiry = channel.bans.get(user.username);
    if (expiry !== undefined && expiry > Date.now()) {
      if (expiry === Infinity) return 'You are permanently banned from this channel.';
      return `You are banned from this channel for ${Math.ceil((expiry - Date.now()) / 1000 / 60)} more minutes.`;
    }
    if (user.platformBanned) return 'You are banned from Glimesh.';
    if (channel.requireConfirmedEmail && !user.emailConfirmed)
      return 'You must confirm your email address before chatting.';
    const ageSeconds = Math.floor((Date.now() - user.createdAt) / 1000);
    if (channel.minimumAccountAgeHours > 0 && ageSeconds < channel.minimumAccountAgeHours * 3600) {
      return `You must wait ${Math.trunc((channel.minimumAccountAgeHours * 3600 - ageSeconds) / 60)} more minutes to chat.`;
    }
    return undefined;
  };

  /** Thrown for `get_channel!` on an unknown id: the process crashes (HTTP 500, socket channel crash). */
  class ServerCrash extends Error {}

  /** ChatResolver.create_chat_message. */
  const createChatMessage = (access: Access, args: Record<string, unknown>): Resolved => {
    if (!access.scopes.has('chat') || !access.user) return { error: 'unauthorized' };
    const channel = channels.get(String(args.channelId));
    if (!channel) throw new ServerCrash(`no channel ${String(args.channelId)}`);
    const user = access.user;
    const refusal = policyRefusal(user, channel);
    if (refusal) return { error: refusal };
    const input = (args.message ?? {}) as { message?: unknown };
    const text = typeof input.message === 'string' ? input.message : undefined;
    if (text !== undefined && channel.blockLinks && text.includes('http') && text.includes('://'))
      return { error: 'This channel has links disabled!' };
    // Ecto: validate_required (blank = empty or whitespace only), then validate_length in graphemes.
    if (text === undefined || text.trim() === '') return { error: ["message: can't be blank"] };
    if (graphemes(text) > MAX_MESSAGE_LENGTH)
      return { error: [`message: should be at most ${MAX_MESSAGE_LENGTH} character(s)`] };
    const m = store(channel, user, text, { streamer: channel.owner === user });
    sent.push({ channelId: channel.id, text, user: user.username });
    publish(m);
    return { value: messageSource(m) };
  };

  /** Chat.can_moderate?: a moderator by their flag, else only an admin or the channel's owner. */
  const mayModerate = (
    flag: keyof GlimeshSimModeratorFlags,
    channel: SimChannel,
    user: SimUser,
  ): boolean => {
    const flags = channel.moderators.get(user.id);
    return flags ? flags[flag] : user.isAdmin || channel.owner === user;
  };

  /** ChatResolver.perform_channel_action / delete_chat_message and the Chat functions behind them. */
  const moderate = (
    access: Access,
    mutation: GlimeshSimModeration['mutation'],
    args: Record<string, unknown>,
  ): Resolved => {
    const channelId = String(args.channelId);
    const entry = {
      mutation,
      channelId,
      ...(args.userId !== undefined ? { userId: String(args.userId) } : {}),
      ...(args.messageId !== undefined ? { messageId: String(args.messageId) } : {}),
      ...(access.user ? { by: access.user.username } : {}),
    };
    const refuse = (error: string): Resolved => {
      moderation.push({ ...entry, error });
      return { error };
    };
    // Bodyguard.permit(Glimesh.Api.Scopes, :chat, access) first.
    if (!access.scopes.has('chat') || !access.user) return refuse('unauthorized');
    const channel = channels.get(channelId);
    if (!channel) throw new ServerCrash(`no channel ${channelId}`);
    const moderator = access.user;
    let target: SimUser | undefined;
    let message: StoredMessage | undefined;
    if (mutation === 'deleteChatMessage') {
      // Chat.get_chat_message! raises for an unknown id.
      message = stored.find((m) => m.id === String(args.messageId));
      if (!message) throw new ServerCrash(`no message ${String(args.messageId)}`);
      target = message.user;
    } else {
      target = [...users.values()].find((u) => u.id === String(args.userId));
      if (!target) throw new ServerCrash(`no user ${String(args.userId)}`);
    }
    const flag = (
      {
        shortTimeoutUser: 'canShortTimeout',
        longTimeoutUser: 'canLongTimeout',
        banUser: 'canBan',
        unbanUser: 'canUnban',
        deleteChatMessage: 'canDelete',
      } as const
    )[mutation];
    // Bodyguard.permit(Chat, action, moderator, channel) → {:error, :unauthorized}.
    if (!mayModerate(flag, channel, moderator)) return refuse('unauthorized');
    const action = (
      {
        shortTimeoutUser: 'short_timeout',
        longTimeoutUser: 'long_timeout',
        banUser: 'ban',
        unbanUser: 'unban',
        deleteChatMessage: 'delete_message',
      } as const
    )[mutation];
    if (mutation === 'shortTimeoutUser') channel.bans.set(target.username, Date.now() + 5 * 60_000);
    else if (mutation === 'longTimeoutUser')
      channel.bans.set(target.username, Date.now() + 15 * 60_000);
    else if (mutation === 'banUser') channel.bans.set(target.username, Infinity);
    else if (mutation === 'unbanUser') channel.bans.delete(target.username);
    else stored.splice(stored.indexOf(message!), 1);
    moderation.push(entry);
    const now = naive(Date.now());
    return {
      value: {
        id: String(1 + moderation.length),
        action,
        channel: () => ({ value: channelSource(channel) }),
        moderator: userSource(moderator),
        user: userSource(target),
        insertedAt: now,
        updatedAt: now,
      },
    };
  };

  const resolveRoot =
    (access: Access) =>
    (field: GqlField, args: Record<string, unknown>): Resolved => {
      switch (field.name) {
        case 'channel': {
          const channel =
            args.id !== undefined && args.id !== null
              ? channels.get(String(args.id))
              : typeof args.streamerUsername === 'string'
                ? channelByName(args.streamerUsername)
                : typeof args.streamerId === 'number'
                  ? [...channels.values()].find((c) => c.owner.id === String(args.streamerId))
                  : undefined;
          return channel ? { value: channelSource(channel) } : { error: NOT_FOUND };
        }
        case 'user': {
          const user =
            typeof args.username === 'string'
              ? users.get(args.username.toLowerCase())
              : [...users.values()].find((u) => u.id === String(args.id));
          return user ? { value: userSource(user) } : { error: NOT_FOUND };
        }
        case 'myself':
          return access.user ? { value: userSource(access.user) } : { error: NOT_FOUND };
        case 'createChatMessage':
          return createChatMessage(access, args);
        case 'shortTimeoutUser':
        case 'longTimeoutUser':
        case 'banUser':
        case 'unbanUser':
        case 'deleteChatMessage':
          return moderate(access, field.name, args);
        default:
          return { error: NOT_FOUND };
      }
    };

  // ---- HTTP ----

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api/graph' || (req.method !== 'POST' && req.method !== 'GET')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
      return;
    }
    const header = req.headers.authorization;
    const scheme =
      header === undefined
        ? 'none'
        : /^bearer /i.test(header)
          ? 'Bearer'
          : /^client-id /i.test(header)
            ? 'Client-ID'
            : 'other';
    const reply = (status: number, body: unknown, query = '', variables: unknown = undefined) => {
      requests.push({ authorization: scheme, status, query, variables });
      res
        .writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' })
        .end(JSON.stringify(body));
    };
    // api_context_plug.ex matches these four prefixes exactly.
    const bearer = header && /^(?:Bearer|bearer) (.*)$/.exec(header);
    const client = header && /^(?:Client-ID|client-id) (.*)$/.exec(header);
    let access: Access | undefined;
    if (bearer) {
      access = tokenAccess(bearer[1]!);
      if (!access)
        return reply(401, {
          errors: [
            { message: 'Given access token is invalid.', header_error: 'invalid_access_token' },
          ],
        });
    } else if (client) access = clientIds.get(client[1]!);
    if (!access)
      return reply(401, { errors: [{ message: 'You must be logged in to access the api' }] });
    const granted = access;
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 1_000_000) req.destroy();
    });
    req.on('end', () => {
      let params: { query?: unknown; variables?: unknown; operationName?: unknown };
      try {
        params =
          req.method === 'GET'
            ? {
                query: url.searchParams.get('query'),
                variables: JSON.parse(url.searchParams.get('variables') ?? '{}'),
                operationName: url.searchParams.get('operationName'),
              }
            : (JSON.parse(body) as typeof params);
        if (typeof params !== 'object' || params === null) throw new Error('not an object');
      } catch {
        return reply(400, { errors: [{ message: 'Could not parse the request body as JSON' }] });
      }
      const prepared = prepare(params.query, params.variables ?? {}, params.operationName);
      if ('errors' in prepared)
        return reply(
          200,
          { errors: prepared.errors },
          String(params.query ?? ''),
          params.variables,
        );
      if (prepared.operation.operation === 'subscription') {
        return reply(
          200,
          {
            errors: [
              { message: 'Subscriptions are only supported over websockets', locations: [] },
            ],
          },
          String(params.query),
          params.variables,
        );
      }
      try {
        reply(200, execute(prepared, resolveRoot(granted)), String(params.query), params.variables);
      } catch (error) {
        if (!(error instanceof ServerCrash)) throw error;
        requests.push({
          authorization: scheme,
          status: 500,
          query: String(params.query),
          variables: params.variables,
        });
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal Server Error');
      }
    });
  });

  // ---- Phoenix socket ----

  const encode = (conn: Conn, f: Frame): string =>
    conn.serializer === 'v2'
      ? JSON.stringify([f.joinRef, f.ref, f.topic, f.event, f.payload])
      : JSON.stringify({ topic: f.topic, event: f.event, payload: f.payload, ref: f.ref });

  function sendFrame(conn: Conn, f: Frame): void {
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(encode(conn, f));
  }

  /** The serializer's decode!: anything else raises, which crashes the socket process. */
  const decode = (conn: Conn, raw: string): Frame | undefined => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
    const asRef = (v: unknown) =>
      v === null || v === undefined
        ? null
        : typeof v === 'string'
          ? v
          : typeof v === 'number'
            ? String(v)
            : undefined;
    if (conn.serializer === 'v2') {
      if (!Array.isArray(value) || value.length < 5) return undefined;
      const [joinRef, ref, topic, event, payload] = value as unknown[];
      if (
        asRef(joinRef) === undefined ||
        asRef(ref) === undefined ||
        typeof topic !== 'string' ||
        typeof event !== 'string'
      )
        return undefined;
      return {
        joinRef: asRef(joinRef)!,
        ref: asRef(ref)!,
        topic,
        event,
        payload: (payload ?? {}) as Record<string, unknown>,
      };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const v = value as Record<string, unknown>;
    if (
      typeof v.topic !== 'string' ||
      typeof v.event !== 'string' ||
      !('payload' in v) ||
      !('ref' in v)
    )
      return undefined;
    return {
      joinRef: asRef(v.join_ref) ?? null,
      ref: asRef(v.ref) ?? null,
      topic: v.topic,
      event: v.event,
      payload: (v.payload ?? {}) as Record<string, unknown>,
    };
  };

  const replyTo = (
    conn: Conn,
    f: Frame,
    status: 'ok' | 'error',
    response: unknown,
    joinRef: string | null = f.joinRef,
  ) =>
    sendFrame(conn, {
      joinRef,
      ref: f.ref,
      topic: f.topic,
      event: 'phx_reply',
      payload: { status, response },
    });

  /** The control channel's process died: `phx_error` to the client, subscriptions gone. */
  const crashChannel = (conn: Conn) => {
    const joinRef = conn.joinRef ?? null;
    conn.joinRef = undefined;
    conn.subscriptions.clear();
    sendFrame(conn, {
      joinRef,
      ref: joinRef,
      topic: CONTROL_TOPIC,
      event: 'phx_error',
      payload: { reason: 'channel_crash' },
    });
  };

  /** Absinthe.Phoenix.Channel handle_in("doc"). */
  const handleDoc = (conn: Conn, f: Frame) => {
    docs.push({ query: f.payload.query, variables: f.payload.variables });
    if (docRepliesStalled) return;
    const variables = f.payload.variables ?? {};
    if (typeof variables !== 'object' || Array.isArray(variables))
      return replyTo(conn, f, 'error', { error: 'Could not parse variables as map' });
    const prepared = prepare(f.payload.query ?? '', variables, f.payload.operationName);
    if ('errors' in prepared) return replyTo(conn, f, 'error', { errors: prepared.errors });
    if (prepared.operation.operation === 'subscription') {
      const field = rootFields(prepared)[0]!;
      const args = argumentValues(field, prepared.variables);
      const channelId =
        args.channelId === undefined || args.channelId === null
          ? undefined
          : String(args.channelId);
      const hash = createHash('sha256')
        .update(`${String(f.payload.query)}${JSON.stringify(variables)}`)
        .digest('hex')
        .toUpperCase();
      const id = `__absinthe__:doc:-${576460752303423488 - ++docCounter}:${hash}`;
      conn.subscriptions.set(id, { id, channelId, prepared, field });
      return replyTo(conn, f, 'ok', { subscriptionId: id });
    }
    try {
      replyTo(conn, f, 'ok', execute(prepared, resolveRoot(conn.access)));
    } catch (error) {
      if (!(error instanceof ServerCrash)) throw error;
      crashChannel(conn);
    }
  };

  /** Phoenix.Socket handle_in, for one decoded frame. */
  const handleFrame = (conn: Conn, f: Frame) => {
    if (f.topic === 'phoenix' && f.event === 'heartbeat') {
      if (!heartbeatsStalled) replyTo(conn, f, 'ok', {}, null);
      return;
    }
    const joined = f.topic === CONTROL_TOPIC && conn.joinRef !== undefined;
    if (f.event === 'phx_join') {
      if (f.topic !== CONTROL_TOPIC)
        return replyTo(conn, f, 'error', { reason: 'unmatched topic' }, null);
      const previous = conn.joinRef;
      conn.joinRef = f.joinRef;
      conn.subscriptions.clear();
      replyTo(conn, f, 'ok', {});
      // A duplicate join shuts the old channel down (its subscriptions with it) and says so.
      if (joined)
        sendFrame(conn, {
          joinRef: previous ?? null,
          ref: previous ?? null,
          topic: CONTROL_TOPIC,
          event: 'phx_close',
          payload: {},
        });
      return;
    }
    if (!joined) {
      if (f.event === 'phx_leave') return replyTo(conn, f, 'ok', {});
      return replyTo(conn, f, 'error', { reason: 'unmatched topic' }, null);
    }
    // Messages for an earlier join of this topic are stale and ignored.
    if (f.joinRef !== null && f.joinRef !== conn.joinRef) return;
    if (f.event === 'phx_leave') {
      const joinRef = conn.joinRef ?? null;
      conn.joinRef = undefined;
      conn.subscriptions.clear();
      replyTo(conn, f, 'ok', {}, joinRef);
      sendFrame(conn, {
        joinRef,
        ref: joinRef,
        topic: CONTROL_TOPIC,
        event: 'phx_close',
        payload: {},
      });
      return;
    }
    if (f.event === 'doc') return handleDoc(conn, f);
    if (f.event === 'unsubscribe' && typeof f.payload.subscriptionId === 'string') {
      conn.subscriptions.delete(f.payload.subscriptionId);
      return replyTo(conn, f, 'ok', { subscriptionId: f.payload.subscriptionId });
    }
    // Absinthe.Phoenix.Channel has no clause for anything else: the channel crashes.
    crashChannel(conn);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: 8_000_000 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = url.searchParams.get('token');
    const clientId = url.searchParams.get('client_id');
    const vsn = url.searchParams.get('vsn');
    const credential =
      token !== null && clientId !== null
        ? 'both'
        : token !== null
          ? 'token'
          : clientId !== null
            ? 'client_id'
            : 'none';
    const refuse = (status: 403 | 404) => {
      if (status === 403) upgrades.refused++;
      upgradeLog.push({ status, credential, vsn });
      socket.end(
        `HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Not Found'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
    };
    if (url.pathname !== '/api/graph/websocket') return refuse(404);
    // Phoenix.Socket: no vsn means 1.0.0; the serializers are V1 "~> 1.0.0" and V2 "~> 2.0.0".
    const version = /^(\d+)\.(\d+)\.(\d+)$/.exec(vsn ?? '1.0.0');
    const serializer =
      version?.[1] === '2' && version[2] === '0'
        ? 'v2'
        : version?.[1] === '1' && version[2] === '0'
          ? 'v1'
          : undefined;
    if (!serializer) return refuse(403);
    // GraphApiSocket.connect/3: the client_id clause comes first, so it wins over a token.
    const access =
      clientId !== null ? clientIds.get(clientId) : token !== null ? tokenAccess(token) : undefined;
    if (!access) return refuse(403);
    upgrades.accepted++;
    upgradeLog.push({ status: 101, credential, vsn });
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Conn = { ws, serializer, access, joinRef: undefined, subscriptions: new Map() };
      conns.add(conn);
      const resetIdle = () => {
        clearTimeout(conn.idle);
        conn.idle = setTimeout(() => ws.close(1000), options.idleTimeoutMs ?? 60_000);
      };
      resetIdle();
      ws.on('close', () => {
        clearTimeout(conn.idle);
        conns.delete(conn);
      });
      ws.on('error', () => ws.terminate());
      ws.on('message', (data, isBinary) => {
        resetIdle();
        const frame = isBinary ? undefined : decode(conn, data.toString());
        // A frame the serializer cannot decode crashes the socket process.
        if (!frame) return ws.close(1011);
        handleFrame(conn, frame);
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const httpUrl = `http://127.0.0.1:${port}/api/graph`;
  const socketUrl = `ws://127.0.0.1:${port}/api/graph/websocket`;

  const postChat: GlimeshSimulator['postChat'] = (line) => {
    const m = store(
      channelOrDefault(line.channel),
      userNamed(line.user),
      line.text,
      line.roles ?? {},
    );
    publish(m);
    return m.id;
  };

  const CHATTER: ReadonlyArray<readonly [string, string, GlimeshSimRoles?]> = [
    ['Mytho', 'hey chat :glimheart:', { subscriber: true }],
    ['TheCat', 'what are we building today?'],
    ['Kirby', 'that test name is perfect :glimsmile:'],
    ['RainbowFist', 'docs for the socket: https://hexdocs.pm/phoenix/js/', { moderator: true }],
    ['FadedKamui', 'is it Elixir time? :glimchef:'],
    [
      'Mytho',
      'GG on the refactor :glimfire:',
      { subscriber: true, platformFounderSubscriber: true },
    ],
    ['TheCat', 'can you zoom in a bit? the font is tiny'],
    ['Kirby', 'why not a Map instead of an object there?'],
    ['RainbowFist', 'reminder: be nice in chat, rules in the panel below', { moderator: true }],
    ['FadedKamui', 'off-by-one on line 42 I think'],
  ];
  let tick = 0;

  return {
    httpUrl,
    socketUrl,
    port,
    sent,
    moderation,
    upgrades,
    upgradeLog,
    requests,
    docs,
    get openSockets() {
      return conns.size;
    },
    get subscriptionCount() {
      return [...conns].reduce((n, c) => n + c.subscriptions.size, 0);
    },
    postChat,
    dropConnections() {
      for (const c of conns) c.ws.terminate();
    },
    stallHeartbeats(on) {
      heartbeatsStalled = on;
    },
    stallDocReplies(on) {
      docRepliesStalled = on;
    },
    injectRaw(text) {
      for (const c of conns) if (c.ws.readyState === WebSocket.OPEN) c.ws.send(text);
    },
    crashChannels() {
      for (const c of conns) if (c.joinRef !== undefined) crashChannel(c);
    },
    banUser(username, minutes, channel) {
      channelOrDefault(channel).bans.set(
        username.toLowerCase(),
        minutes === undefined ? Infinity : Date.now() + minutes * 60_000,
      );
    },
    unbanUser(username, channel) {
      channelOrDefault(channel).bans.delete(username.toLowerCase());
    },
    addModerator(username, flags = {}, channel) {
      const all = {
        canShortTimeout: true,
        canLongTimeout: true,
        canBan: true,
        canUnban: true,
        canDelete: true,
      };
      channelOrDefault(channel).moderators.set(userNamed(username).id, { ...all, ...flags });
    },
    banOf(username, channel) {
      const until = channelOrDefault(channel).bans.get(username.toLowerCase());
      return until !== undefined && until > Date.now() ? until : undefined;
    },
    banFromGlimesh(username) {
      userNamed(username).platformBanned = true;
    },
    configureChannel(rules, channel) {
      const c = channelOrDefault(channel);
      if (rules.blockLinks !== undefined) c.blockLinks = rules.blockLinks;
      if (rules.requireConfirmedEmail !== undefined)
        c.requireConfirmedEmail = rules.requireConfirmedEmail;
      if (rules.minimumAccountAgeHours !== undefined)
        c.minimumAccountAgeHours = rules.minimumAccountAgeHours;
    },
    configureUser(username, account) {
      const user = userNamed(username);
      if (account.emailConfirmed !== undefined) user.emailConfirmed = account.emailConfirmed;
      if (account.accountAgeMinutes !== undefined)
        user.createdAt = Date.now() - account.accountAgeMinutes * 60_000;
    },
    revokeToken(token) {
      revoked.add(token);
    },
    startChatter(intervalMs = 1500) {
      clearInterval(chatter);
      chatter = setInterval(() => {
        const [user, text, roles] = CHATTER[tick++ % CHATTER.length]!;
        postChat({ user, text, ...(roles ? { roles } : {}) });
      }, intervalMs);
    },
    stopChatter() {
      clearInterval(chatter);
    },
    settings: () => ({
      'streamChat.glimesh.enabled': true,
      'streamChat.glimesh.channel': GLIMESH_SIM_CHANNEL,
      'streamChat.glimesh.apiUrl': httpUrl,
      'streamChat.glimesh.socketUrl': socketUrl,
      'streamChat.glimesh.clientId': '',
    }),
    async close() {
      clearInterval(chatter);
      for (const c of conns) {
        clearTimeout(c.idle);
        c.ws.terminate();
      }
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
