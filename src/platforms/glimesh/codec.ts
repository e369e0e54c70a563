/**
 * Glimesh wire formats (pure): Phoenix V2 frames `[join_ref, ref, topic, event, payload]`, the
 * GraphQL documents (always with variables: never string-built), and the mapping of a Glimesh
 * chat message into the shared model. Nothing here throws.
 */
import type { ChatMessage, MessagePart, Role } from '../../core/message';
import { stableColor } from '../../core/message';

export type PhoenixFrame =
  | { readonly type: 'frame'; readonly joinRef: string | null; readonly ref: string | null; readonly topic: string; readonly event: string; readonly payload: unknown }
  | { readonly type: 'malformed'; readonly reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const refOf = (v: unknown): string | null | undefined => (v === null ? null : typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Decodes one V2 frame. */
export function decodeFrame(text: unknown): PhoenixFrame {
  if (typeof text !== 'string') return { type: 'malformed', reason: 'not a text frame' };
  if (text.length > 1_000_000) return { type: 'malformed', reason: 'frame too long' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { type: 'malformed', reason: 'not JSON' };
  }
  if (!Array.isArray(value) || value.length !== 5) return { type: 'malformed', reason: 'not a five-element array' };
  const [joinRef, ref, topic, event] = value;
  const jr = refOf(joinRef);
  const r = refOf(ref);
  if (jr === undefined || r === undefined || typeof topic !== 'string' || typeof event !== 'string') return { type: 'malformed', reason: 'wrong element types' };
  return { type: 'frame', joinRef: jr, ref: r, topic, event, payload: value[4] };
}

export function encodeFrame(joinRef: string | null, ref: string | null, topic: string, event: string, payload: unknown): string {
  return JSON.stringify([joinRef, ref, topic, event, payload]);
}

export const CONTROL_TOPIC = '__absinthe__:control';

const MESSAGE_FIELDS = `id message insertedAt user { id username displayname avatarUrl } tokens { type text ... on EmoteToken { src } ... on UrlToken { url } } metadata { streamer moderator subscriber admin platformFounderSubscriber platformSupporterSubscriber }`;

/** Live chat of one channel. Never without a channel id: the server would stream every channel. */
export const CHAT_SUBSCRIPTION = `subscription ($channelId: ID) { chatMessage(channelId: $channelId) { ${MESSAGE_FIELDS} } }`;
export const CHANNEL_LOOKUP = `query ($username: String!) { channel(streamerUsername: $username) { id } }`;
export const HISTORY_QUERY = `query ($channelId: ID!) { channel(id: $channelId) { chatMessages(last: 50) { edges { node { ${MESSAGE_FIELDS} } } } } }`;
export const SEND_MUTATION = `mutation ($channelId: ID!, $message: String!) { createChatMessage(channelId: $channelId, message: { message: $message }) { id message } }`;

/** The server's sentences from a GraphQL `errors` array ("You are banned…", "unauthorized"). */
export function graphqlErrors(body: unknown): string[] {
  if (!isRecord(body) || !Array.isArray(body.errors)) return [];
  return body.errors.map((e) => (isRecord(e) && typeof e.message === 'string' ? e.message.slice(0, 500) : 'Unknown error.'));
}

/** Glimesh's NaiveDateTime has no zone: it is UTC. */
function parseInsertedAt(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

function rolesFrom(meta: unknown): Role[] {
  if (!isRecord(meta)) return [];
  const roles: Role[] = [];
  if (meta.streamer === true) roles.push('broadcaster');
  if (meta.admin === true) roles.push('admin');
  if (meta.moderator === true) roles.push('moderator');
  if (meta.subscriber === true) roles.push('subscriber');
  if (meta.platformFounderSubscriber === true) roles.push('founder');
  if (meta.platformSupporterSubscriber === true) roles.push('supporter');
  return roles;
}

function partsFrom(tokens: unknown, message: string): MessagePart[] {
  if (!Array.isArray(tokens) || tokens.length === 0) return [{ type: 'text', text: message }];
  const parts: MessagePart[] = [];
  for (const t of tokens.slice(0, 2000)) {
    if (!isRecord(t) || typeof t.text !== 'string') continue;
    if (t.type === 'emote' && typeof t.src === 'string') parts.push({ type: 'emote', name: t.text, url: t.src });
    else if (t.type === 'url' && typeof t.url === 'string') parts.push({ type: 'link', text: t.text, url: t.url });
    else parts.push({ type: 'text', text: t.text });
  }
  return parts.length > 0 ? parts : [{ type: 'text', text: message }];
}

/** A Glimesh `ChatMessage` object → the shared model; undefined when it lacks an id or a user. */
export function mapChatMessage(node: unknown, channel: string, receivedAt: number): ChatMessage | undefined {
  if (!isRecord(node)) return undefined;
  const id = refOf(node.id);
  const user = isRecord(node.user) ? node.user : undefined;
  const username = user && typeof user.username === 'string' ? user.username : undefined;
  if (!id || !username) return undefined;
  const message = typeof node.message === 'string' ? node.message : '';
  const avatar = typeof user!.avatarUrl === 'string' ? user!.avatarUrl : undefined;
  return {
    id,
    platform: 'glimesh',
    channel,
    kind: 'chat',
    author: {
      id: refOf(user!.id) ?? undefined,
      name: username.toLowerCase(),
      displayName: typeof user!.displayname === 'string' && user!.displayname ? user!.displayname : username,
      // Glimesh has no chat colour: a stable one from the name.
      color: stableColor(username),
      avatarUrl: avatar,
      roles: rolesFrom(node.metadata),
    },
    parts: partsFrom(node.tokens, message),
    receivedAt,
    sentAt: parseInsertedAt(node.insertedAt),
    flags: {},
  };
}

/** `subscription:data` payload → the chat message in it. */
export function subscriptionMessage(payload: unknown): unknown {
  if (!isRecord(payload) || !isRecord(payload.result) || !isRecord(payload.result.data)) return undefined;
  return payload.result.data.chatMessage;
}

/** History response → chat message nodes, oldest first. */
export function historyNodes(body: unknown): unknown[] {
  if (!isRecord(body) || !isRecord(body.data) || !isRecord(body.data.channel) || !isRecord(body.data.channel.chatMessages)) return [];
  const edges = body.data.channel.chatMessages.edges;
  return Array.isArray(edges) ? edges.map((e) => (isRecord(e) ? e.node : undefined)).filter((n) => n !== undefined) : [];
}

export function channelIdFrom(body: unknown): string | undefined {
  if (!isRecord(body) || !isRecord(body.data) || !isRecord(body.data.channel)) return undefined;
  return refOf(body.data.channel.id) ?? undefined;
}
