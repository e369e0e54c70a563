/**
 * Glimesh wire formats (pure): Phoenix V2 frames `[join_ref, ref, topic, event, payload]`, the
 * GraphQL documents (always with variables: never string-built), and the mapping of a Glimesh
 * chat message into the shared model. Nothing here throws.
 */
import type { Author, ChatMessage, MessagePart, Role } from '../../core/message';
import { stableColor } from '../../core/message';
import { isRecord } from '../../core/json';

/** One decoded V2 frame, or why it is not one. */
export type PhoenixFrame =
  | {
      readonly type: 'frame';
      readonly joinRef: string | null;
      readonly ref: string | null;
      readonly topic: string;
      readonly event: string;
      readonly payload: Readonly<Record<string, unknown>>;
    }
  | { readonly type: 'malformed'; readonly reason: string };

/** What a well-formed frame means to a Glimesh client. */
export type GlimeshFrame =
  /** The answer to one of our pushes (join, doc, heartbeat, leave). */
  | {
      readonly type: 'reply';
      readonly topic: string;
      readonly ref: string;
      readonly joinRef: string | null;
      readonly status: string;
      readonly response: unknown;
    }
  /** A subscription push; `message` is the Glimesh ChatMessage object (undefined if absent). */
  | {
      readonly type: 'subscriptionData';
      readonly subscriptionId: string;
      readonly message: unknown;
      readonly errors: readonly string[];
    }
  /** The server crashed or dropped a channel (`phx_error`): its subscriptions are gone. */
  | {
      readonly type: 'channelError';
      readonly topic: string;
      readonly joinRef: string | null;
      readonly reason: string;
    }
  /** The server closed a channel (`phx_close`), e.g. after a duplicate join or a leave. */
  | { readonly type: 'channelClose'; readonly topic: string; readonly joinRef: string | null }
  /** A frame we do not act on (an event or topic we never asked for). */
  | { readonly type: 'unknown'; readonly topic: string; readonly event: string }
  | { readonly type: 'malformed'; readonly reason: string };

/** Glimesh chat frames are small; anything this long is not one. */
export const MAX_FRAME_LENGTH = 1_000_000;

/** The Absinthe control topic every document goes through. */
export const CONTROL_TOPIC = '__absinthe__:control';

/** Topics of subscription pushes start with this; the rest is the subscription id. */
export const SUBSCRIPTION_TOPIC_PREFIX = '__absinthe__:doc:';

const refOf = (v: unknown): string | null | undefined =>
  v === null
    ? null
    : typeof v === 'string'
      ? v
      : typeof v === 'number' && Number.isFinite(v)
        ? String(v)
        : undefined;

/** Decodes one V2 frame; never throws. */
export function decodeFrame(text: unknown): PhoenixFrame {
  if (typeof text !== 'string') return { type: 'malformed', reason: 'not a text frame' };
  if (text.length > MAX_FRAME_LENGTH) return { type: 'malformed', reason: 'frame too long' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { type: 'malformed', reason: 'not JSON' };
  }
  if (!Array.isArray(value) || value.length !== 5)
    return { type: 'malformed', reason: 'not a five-element array' };
  // Index reads, not array destructuring (that walks the iterator protocol for every frame).
  const joinRef = refOf(value[0]);
  const ref = refOf(value[1]);
  const topic: unknown = value[2];
  const event: unknown = value[3];
  const payload: unknown = value[4];
  if (joinRef === undefined || ref === undefined)
    return { type: 'malformed', reason: 'refs are not strings or null' };
  if (typeof topic !== 'string' || topic === '' || typeof event !== 'string' || event === '') {
    return { type: 'malformed', reason: 'topic or event is not a string' };
  }
  // Phoenix always sends a map; the phoenix client reads `payload.status` and would throw on null.
  if (!isRecord(payload)) return { type: 'malformed', reason: 'payload is not an object' };
  if (event === 'phx_reply' && (ref === null || typeof payload.status !== 'string')) {
    return { type: 'malformed', reason: 'reply without a ref or status' };
  }
  return { type: 'frame', joinRef, ref, topic, event, payload };
}

/** Encodes one V2 frame. */
export function encodeFrame(
  joinRef: string | null,
  ref: string | null,
  topic: string,
  event: string,
  payload: Readonly<Record<string, unknown>>,
): string {
  return JSON.stringify([joinRef, ref, topic, event, payload]);
}

/** Says what a decoded frame is; unknown events and topics come back as `unknown`. */
export function classifyFrame(frame: PhoenixFrame): GlimeshFrame {
  if (frame.type === 'malformed') return frame;
  const { topic, event, payload, joinRef, ref } = frame;
  switch (event) {
    case 'phx_reply':
      return {
        type: 'reply',
        topic,
        ref: ref ?? '',
        joinRef,
        status: String(payload.status),
        response: payload.response,
      };
    case 'subscription:data': {
      if (!topic.startsWith(SUBSCRIPTION_TOPIC_PREFIX)) return { type: 'unknown', topic, event };
      const result = isRecord(payload.result) ? payload.result : undefined;
      return {
        type: 'subscriptionData',
        subscriptionId: topic,
        message: result && isRecord(result.data) ? result.data.chatMessage : undefined,
        // Almost every push has no errors: one shared empty list, not a new one per chat line.
        errors:
          result !== undefined && Array.isArray(result.errors) ? graphqlErrors(result) : NO_ERRORS,
      };
    }
    case 'phx_error':
      return {
        type: 'channelError',
        topic,
        joinRef,
        reason: typeof payload.reason === 'string' ? payload.reason : 'unknown',
      };
    case 'phx_close':
      return { type: 'channelClose', topic, joinRef };
    default:
      return { type: 'unknown', topic, event };
  }
}

const NO_ERRORS: readonly string[] = Object.freeze([]);

/** Decodes and classifies one text frame. */
export function readFrame(text: unknown): GlimeshFrame {
  return classifyFrame(decodeFrame(text));
}

// The GraphQL documents. Values always travel as variables: a message is user text, and building
// GraphQL by string concatenation would let a quote in it change the document.

const MESSAGE_FIELDS =
  'id message insertedAt ' +
  'user { id username displayname avatarUrl } ' +
  'tokens { type text ... on EmoteToken { src } ... on UrlToken { url } } ' +
  'metadata { streamer moderator subscriber admin platformFounderSubscriber platformSupporterSubscriber }';

/**
 * Live chat of one channel. `ID!` so that a missing id is an error: without `channelId` the server
 * would stream every channel's chat.
 */
export const CHAT_SUBSCRIPTION = `subscription ($id: ID!) { chatMessage(channelId: $id) { ${MESSAGE_FIELDS} } }`;

/** Channel id for a streamer's username (client id or token). */
export const CHANNEL_LOOKUP =
  'query ($username: String!) { channel(streamerUsername: $username) { id } }';

/** Channel id plus the token's own user, to mark our own messages (token only: `myself` needs a user). */
export const CHANNEL_LOOKUP_WITH_SELF =
  'query ($username: String!) { channel(streamerUsername: $username) { id } myself { id username } }';

/** The last 50 messages of a channel, oldest first. */
export const HISTORY_QUERY = `query ($id: ID!) { channel(id: $id) { chatMessages(last: 50) { edges { node { ${MESSAGE_FIELDS} } } } } }`;

/** Sends one chat message. */
export const SEND_MUTATION =
  'mutation ($c: ID!, $m: String!) { createChatMessage(channelId: $c, message: { message: $m }) { id message } }';

/** A GraphQL request: the document and its variables. */
export interface GraphqlRequest {
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
}

/** The channel lookup for `username` (`withSelf`: also ask who the token belongs to). */
export function channelLookupRequest(username: string, withSelf: boolean): GraphqlRequest {
  return { query: withSelf ? CHANNEL_LOOKUP_WITH_SELF : CHANNEL_LOOKUP, variables: { username } };
}

/** The subscription `doc` for one channel. */
export function subscriptionRequest(channelId: string): GraphqlRequest {
  return { query: CHAT_SUBSCRIPTION, variables: { id: channelId } };
}

/** The history query for one channel. */
export function historyRequest(channelId: string): GraphqlRequest {
  return { query: HISTORY_QUERY, variables: { id: channelId } };
}

/** The `createChatMessage` doc for `text` in one channel. */
export function sendRequest(channelId: string, text: string): GraphqlRequest {
  return { query: SEND_MUTATION, variables: { c: channelId, m: text } };
}

/** The server's sentences from a GraphQL `errors` array ("You are banned…", "unauthorized"). */
export function graphqlErrors(body: unknown): string[] {
  if (!isRecord(body) || !Array.isArray(body.errors)) return [];
  return body.errors
    .slice(0, 20)
    .map((e) =>
      isRecord(e) && typeof e.message === 'string' ? e.message.slice(0, 500) : 'Unknown error.',
    );
}

/**
 * The readable reason in an error reply: GraphQL errors, Absinthe's `{error}` or Phoenix's
 * `{reason}` ("unmatched topic"); empty when there is none.
 */
export function replyErrorText(response: unknown): string {
  const errors = graphqlErrors(response);
  if (errors.length > 0) return errors.join(' ');
  if (isRecord(response)) {
    if (typeof response.error === 'string') return response.error.slice(0, 500);
    if (typeof response.reason === 'string') return response.reason.slice(0, 500);
  }
  return '';
}

/** Glimesh's NaiveDateTime has no zone: it is UTC. */
export function parseInsertedAt(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  // Live lines arrive many to a second, all stamped with the same second: parse each stamp once.
  if (value === lastInsertedAt.text) return lastInsertedAt.time;
  const time = parseTimestamp(value);
  lastInsertedAt.text = value;
  lastInsertedAt.time = time;
  return time;
}

const lastInsertedAt: { text: string | undefined; time: number | undefined } = {
  text: undefined,
  time: undefined,
};

function parseTimestamp(value: string): number | undefined {
  const match =
    /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const ms = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isFinite(t) ? t : undefined;
}

/** `metadata` (a snapshot at send time) → badges, most important first. */
export function rolesFrom(metadata: unknown): Role[] {
  if (!isRecord(metadata)) return [];
  const roles: Role[] = [];
  if (metadata.streamer === true) roles.push('broadcaster');
  if (metadata.admin === true) roles.push('admin');
  if (metadata.moderator === true) roles.push('moderator');
  if (metadata.subscriber === true) roles.push('subscriber');
  if (metadata.platformFounderSubscriber === true) roles.push('founder');
  if (metadata.platformSupporterSubscriber === true) roles.push('supporter');
  return roles;
}

/** `tokens` → parts (text, url → link, emote); the plain message when there are none. */
export function partsFrom(tokens: unknown, message: string): MessagePart[] {
  if (!Array.isArray(tokens) || tokens.length === 0)
    return message ? [{ type: 'text', text: message }] : [];
  const parts: MessagePart[] = [];
  for (let i = 0, n = Math.min(tokens.length, 2000); i < n; i++) {
    const token: unknown = tokens[i];
    if (!isRecord(token) || typeof token.text !== 'string') continue;
    if (token.type === 'emote' && typeof token.src === 'string' && token.src)
      parts.push({ type: 'emote', name: token.text, url: token.src });
    else if (token.type === 'url' && typeof token.url === 'string' && token.url)
      parts.push({ type: 'link', text: token.text, url: token.url });
    else if (token.text) parts.push({ type: 'text', text: token.text });
  }
  return parts.length > 0 || !message ? parts : [{ type: 'text', text: message }];
}

/** Who the token belongs to, to flag our own messages. */
export interface GlimeshSelf {
  readonly id: string;
}

/** A Glimesh `ChatMessage` object → the shared model; undefined when it lacks an id or a user. */
export function mapChatMessage(
  node: unknown,
  channel: string,
  receivedAt: number,
  self?: GlimeshSelf,
): ChatMessage | undefined {
  if (!isRecord(node)) return undefined;
  const id = refOf(node.id);
  const user = isRecord(node.user) ? node.user : undefined;
  if (!id || !user || typeof user.username !== 'string' || user.username === '') return undefined;
  const username = user.username;
  const userId = refOf(user.id) ?? undefined;
  const message = typeof node.message === 'string' ? node.message : '';
  const sentAt = parseInsertedAt(node.insertedAt);
  const isSelf = self !== undefined && userId === self.id;
  // Built without object spreads or placeholder values: this runs for every chat line.
  const author: { -readonly [K in keyof Author]: Author[K] } = {
    name: username.toLowerCase(),
    displayName:
      typeof user.displayname === 'string' && user.displayname ? user.displayname : username,
    roles: rolesFrom(node.metadata),
  };
  if (userId) author.id = userId;
  // Glimesh has no chat colour: a stable one from the name.
  author.color = stableColor(username);
  if (typeof user.avatarUrl === 'string' && user.avatarUrl) author.avatarUrl = user.avatarUrl;
  const result: { -readonly [K in keyof ChatMessage]: ChatMessage[K] } = {
    id,
    platform: 'glimesh',
    channel,
    kind: 'chat',
    author,
    parts: partsFrom(node.tokens, message),
    receivedAt,
    flags: isSelf ? { self: true } : {},
  };
  if (sentAt !== undefined) result.sentAt = sentAt;
  return result;
}

/** `subscription:data` payload → the chat message in it. */
export function subscriptionMessage(payload: unknown): unknown {
  if (!isRecord(payload) || !isRecord(payload.result) || !isRecord(payload.result.data))
    return undefined;
  return payload.result.data.chatMessage;
}

/** History response → chat message nodes, oldest first. */
export function historyNodes(body: unknown): unknown[] {
  if (
    !isRecord(body) ||
    !isRecord(body.data) ||
    !isRecord(body.data.channel) ||
    !isRecord(body.data.channel.chatMessages)
  )
    return [];
  const edges = body.data.channel.chatMessages.edges;
  return Array.isArray(edges)
    ? edges.map((e) => (isRecord(e) ? e.node : undefined)).filter((n) => n !== undefined)
    : [];
}

/** The channel lookup's answer: the id, the token's own user, or the server's sentences. */
export interface ChannelLookup {
  readonly channelId?: string;
  readonly self?: GlimeshSelf;
  readonly errors: readonly string[];
}

/** Reads the channel lookup response. */
export function readChannelLookup(body: unknown): ChannelLookup {
  const errors = graphqlErrors(body);
  const data = isRecord(body) && isRecord(body.data) ? body.data : undefined;
  const channelId =
    data && isRecord(data.channel) ? (refOf(data.channel.id) ?? undefined) : undefined;
  const selfId = data && isRecord(data.myself) ? (refOf(data.myself.id) ?? undefined) : undefined;
  return {
    ...(channelId ? { channelId } : {}),
    ...(selfId ? { self: { id: selfId } } : {}),
    errors,
  };
}

/** The channel id in a lookup response. */
export function channelIdFrom(body: unknown): string | undefined {
  return readChannelLookup(body).channelId;
}

/** Glimesh's answer when a channel (or anything looked up) does not exist. */
export const NOT_FOUND_SENTENCE = 'Could not find resource';
