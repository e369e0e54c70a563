import { isRecord } from '../../core/json';
import { ChatError, FailureCategory } from '../../core/errors';
import {
  Author,
  ChatMessage,
  MessageFlags,
  MessagePart,
  Role,
  TimelineOp,
  stableColor,
} from '../../core/message';

// Mixer chat packets (developer-docs `reference/chat/packets`): three kinds travel over the socket,
// `method` (client → server), `reply` (server → client, matched by `id`) and `event` (server → client).
// Everything here is pure: text in, typed values out, and nothing throws.

/** An error a reply carried: the string form (`"UNOTFOUND"`) or the object form (`{code, message}`). */
export interface MixerReplyError {
  /** The number (4000–4007, or 1 in the later auth docs), or the string code (`UNOTFOUND`, `UACCESS`, `UNOTJSON`). */
  readonly code: number | string;
  readonly message: string;
}

/** One decoded packet. `malformed` is text that is not a packet; `unknown` a packet of a type we do not know. */
export type MixerPacket =
  | {
      readonly type: 'method';
      readonly id: number;
      readonly method: string;
      readonly arguments: readonly unknown[];
    }
  | {
      readonly type: 'reply';
      readonly id: number;
      readonly error: MixerReplyError | null;
      readonly data: unknown;
    }
  | { readonly type: 'event'; readonly event: string; readonly data: unknown }
  | { readonly type: 'unknown'; readonly packetType: string }
  | { readonly type: 'malformed'; readonly reason: string };

/** Frames longer than this are not chat; refuse to parse them (a hostile or broken server). */
export const MAX_FRAME_CHARS = 1_000_000;

/** Decodes one socket text frame. Never throws. */
export function decodePacket(text: unknown): MixerPacket {
  if (typeof text !== 'string') return { type: 'malformed', reason: 'not a text frame' };
  if (text.length > MAX_FRAME_CHARS)
    return { type: 'malformed', reason: `frame of ${text.length} characters is too long` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { type: 'malformed', reason: 'not JSON' };
  }
  if (!isRecord(value)) return { type: 'malformed', reason: 'not a JSON object' };
  switch (value.type) {
    case 'reply': {
      const id = value.id;
      if (!isPacketId(id)) return { type: 'malformed', reason: 'reply without a numeric id' };
      const error = decodeReplyError(value.error);
      if (error === 'malformed')
        return { type: 'malformed', reason: 'reply with an unreadable error' };
      return { type: 'reply', id, error, data: value.data };
    }
    case 'event':
      if (typeof value.event !== 'string')
        return { type: 'malformed', reason: 'event without a name' };
      return { type: 'event', event: value.event, data: value.data };
    case 'method': {
      const id = value.id;
      if (typeof value.method !== 'string' || !isPacketId(id) || !Array.isArray(value.arguments)) {
        return { type: 'malformed', reason: 'method without a name, id or arguments' };
      }
      return { type: 'method', id, method: value.method, arguments: value.arguments };
    }
    default:
      return {
        type: 'unknown',
        packetType: typeof value.type === 'string' ? value.type.slice(0, 40) : typeof value.type,
      };
  }
}

function decodeReplyError(error: unknown): MixerReplyError | null | 'malformed' {
  if (error === null || error === undefined) return null;
  if (typeof error === 'string') return { code: error, message: error };
  if (isRecord(error)) {
    const message = typeof error.message === 'string' ? error.message : '';
    // The later auth docs wrap the string codes: {"code":1,"message":"UNOTFOUND"}.
    if (STRING_ERRORS.has(message)) return { code: message, message };
    if (typeof error.code === 'number' || typeof error.code === 'string')
      return { code: error.code, message };
    if (message) return { code: 0, message };
  }
  return 'malformed';
}

/** Encodes a method call, e.g. `{"type":"method","method":"msg","arguments":["Hello"],"id":2}`. */
export function encodeMethod(id: number, method: string, args: readonly unknown[]): string {
  return JSON.stringify({ type: 'method', method, arguments: args, id });
}

/** The arguments of `auth`: `[channelId, userId, authkey]` when signed in, `[channelId]` when anonymous. */
export function authArguments(
  channelId: number,
  credentials?: { userId: number; authkey: string },
): unknown[] {
  return credentials ? [channelId, credentials.userId, credentials.authkey] : [channelId];
}

// ---- errors --------------------------------------------------------------------------------------

/** Mixer's numeric error codes (`@mixer/chat-client-websocket` `ErrorCode`, plus 4007 from the docs). */
export const MixerErrorCode = {
  Unknown: 4000,
  PurgeUserNotFound: 4001,
  PurgeNoPermissions: 4002,
  MessageNotFound: 4003,
  BadRequest: 4004,
  RateLimited: 4005,
  AuthServerError: 4006,
  LevelRestricted: 4007,
} as const;

const STRING_ERRORS = new Set(['UNOTFOUND', 'UACCESS', 'UNOTJSON']);

/** The longest piece of a server's own error message we repeat to the streamer. */
const MAX_SERVER_MESSAGE = 300;

/**
 * Turns an error reply into a ChatError with a sentence for the streamer. `method` says what was
 * being done, so that `UNOTFOUND` on `auth` reads as a sign-in failure.
 */
export function replyErrorToChatError(error: MixerReplyError, method: string): ChatError {
  const serverText = cleanServerMessage(error.message);
  const make = (code: string, message: string, category: FailureCategory) =>
    new ChatError(code, message, category);
  switch (error.code) {
    case 'UNOTFOUND':
      return make(
        'MIXER_AUTH_UNOTFOUND',
        'Mixer refused to sign in to chat (UNOTFOUND): the token\'s user and the chat authkey do not match, or the authkey expired. Set the Mixer token again with "Stream Chat: Set Token…".',
        'auth',
      );
    case 'UACCESS':
      return make(
        'MIXER_AUTH_UACCESS',
        "Mixer denied access to this channel's chat (UACCESS): you may be banned there, or the channel is in test-stream mode.",
        'auth',
      );
    case 'UNOTJSON':
      return make(
        'MIXER_UNOTJSON',
        'Mixer could not read what Stream Chat sent (UNOTJSON).',
        'protocol',
      );
    case MixerErrorCode.Unknown:
      return make(
        'MIXER_UNKNOWN_ERROR',
        withServerText('Mixer reported an unknown error', serverText),
        'protocol',
      );
    case MixerErrorCode.PurgeUserNotFound:
      return make(
        'MIXER_PURGE_USER_NOT_FOUND',
        'Mixer could not find that user to purge.',
        'protocol',
      );
    case MixerErrorCode.PurgeNoPermissions:
      return make(
        'MIXER_PURGE_NO_PERMISSION',
        "You don't have permission to purge users in this channel.",
        'protocol',
      );
    case MixerErrorCode.MessageNotFound:
      return make(
        'MIXER_MESSAGE_NOT_FOUND',
        'Mixer could not find that message; it may already be deleted.',
        'protocol',
      );
    case MixerErrorCode.BadRequest:
      return make(
        'MIXER_BAD_REQUEST',
        withServerText(`Mixer rejected the ${method} request as invalid`, serverText),
        'protocol',
      );
    case MixerErrorCode.RateLimited:
      return make(
        'MIXER_RATE_LIMITED',
        'Mixer is rate limiting your messages; wait a moment and try again.',
        'protocol',
      );
    case MixerErrorCode.AuthServerError:
      // The official client closes and reconnects on this one: it is Mixer's fault, not the token's.
      return make(
        'MIXER_AUTH_SERVER_ERROR',
        "Mixer's sign-in service had an internal error; trying again.",
        'network',
      );
    case MixerErrorCode.LevelRestricted:
      return make(
        'MIXER_LEVEL_RESTRICTED',
        serverText
          ? `Mixer did not post the message: ${serverText}`
          : 'Mixer did not post the message: your level in this channel is too low to chat.',
        'protocol',
      );
    default:
      return make(
        'MIXER_ERROR',
        withServerText(
          `Mixer refused the ${method} request (error ${String(error.code).slice(0, 20)})`,
          serverText,
        ),
        'protocol',
      );
  }
}

function withServerText(sentence: string, serverText: string): string {
  return serverText ? `${sentence}: ${serverText}` : `${sentence}.`;
}

function cleanServerMessage(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const clipped = flat.length > MAX_SERVER_MESSAGE ? `${flat.slice(0, MAX_SERVER_MESSAGE)}…` : flat;
  return clipped && !/[.!?…]$/.test(clipped) ? `${clipped}.` : clipped;
}

// ---- auth reply ------------------------------------------------------------------------------------

/** The data of a successful `auth` reply. */
export interface MixerAuthResult {
  readonly authenticated: boolean;
  readonly roles: readonly string[];
}

/** Reads an `auth` reply's data (`{"authenticated":true,"roles":["Owner"]}`); undefined when it is not that. */
export function decodeAuthResult(data: unknown): MixerAuthResult | undefined {
  if (!isRecord(data) || typeof data.authenticated !== 'boolean') return undefined;
  return { authenticated: data.authenticated, roles: stringArray(data.roles) };
}

// ---- chat messages ---------------------------------------------------------------------------------

/** What the codec needs to know to build timeline lines. */
export interface MixerDecodeContext {
  /** The channel as the streamer named it in settings, shown on each line. */
  readonly channel: string;
  /** Arrival time, epoch ms: ChatMessage has no timestamp, so lines are ordered by arrival. */
  readonly receivedAt: number;
  /** Our own user id, to flag our messages as `self`. */
  readonly selfUserId?: string;
  /** Whether UserJoin / UserLeave become lines (`streamChat.mixer.showJoinLeave`). */
  readonly showJoinLeave: boolean;
  /** A fresh suffix for ids of lines that Mixer gives no id (notices). */
  readonly nextSeq: () => number;
}

/** Where Mixer serves its built-in emoticon sprite sheets (`<pack>.png`). */
export const BUILTIN_EMOTICON_BASE = 'https://mixer.com/_latest/emoticons/';

// A Map, not an object: a role named `constructor` or `toString` must not find Object.prototype's.
const ROLE_MAP: ReadonlyMap<string, Role> = new Map([
  ['Owner', 'broadcaster'],
  ['Mod', 'moderator'],
  ['ChannelEditor', 'moderator'],
  ['Subscriber', 'subscriber'],
  ['Staff', 'staff'],
  ['Founder', 'founder'],
  ['Pro', 'pro'],
  ['Partner', 'partner'],
]);

/** Maps Mixer's `user_roles` to our badges (in badge order, each once); `User`, `Banned` and unknown roles drop out. */
export function mapRoles(roles: readonly unknown[]): Role[] {
  const out: Role[] = [];
  for (const role of roles) {
    const mapped = typeof role === 'string' ? ROLE_MAP.get(role) : undefined;
    if (mapped && !out.includes(mapped)) out.push(mapped);
  }
  return out;
}

/**
 * Builds our ChatMessage from a Mixer ChatMessage payload (the event's `data`, a `msg` reply's
 * `data`, or an item of a `history` reply). Undefined when the payload lacks an id or a user.
 */
export function decodeChatMessage(
  data: unknown,
  context: MixerDecodeContext,
): ChatMessage | undefined {
  if (!isRecord(data)) return undefined;
  const id = idString(data.id);
  const rawName = data.user_name;
  if (!id || typeof rawName !== 'string' || rawName.length === 0) return undefined;
  const userName = rawName.length > 100 ? rawName.slice(0, 100) : rawName;
  // This runs for every chat line: no object spreads, no placeholder objects, no regexes.
  const body = isRecord(data.message) ? data.message : undefined;
  const meta = body !== undefined && isRecord(body.meta) ? body.meta : undefined;
  const segments = body !== undefined && Array.isArray(body.message) ? body.message : undefined;
  const userId = idString(data.user_id);
  const avatar =
    typeof data.user_avatar === 'string' && isHttpUrl(data.user_avatar)
      ? data.user_avatar
      : undefined;
  const author: { -readonly [K in keyof Author]: Author[K] } = {
    name: userName,
    displayName: userName,
    roles: Array.isArray(data.user_roles) ? mapRoles(data.user_roles as unknown[]) : [],
  };
  if (userId) author.id = userId;
  // Mixer sends no name colour; every client picks one, so pick a stable one.
  author.color = stableColor(userName);
  if (avatar) author.avatarUrl = avatar;
  const flags: { -readonly [K in keyof MessageFlags]: MessageFlags[K] } = {};
  if (meta !== undefined) {
    if (meta.me === true) flags.action = true;
    if (meta.whisper === true) flags.whisper = true;
    if (meta.censored === true) flags.censored = true;
  }
  if (userId !== undefined && userId === context.selfUserId) flags.self = true;
  return {
    id,
    platform: 'mixer',
    channel: context.channel || idString(data.channel) || '',
    kind: 'chat',
    author,
    parts: segments !== undefined ? decodeSegments(segments) : [],
    receivedAt: context.receivedAt,
    flags,
  };
}

/** Maps message segments (text, emoticon, link, tag, image) to our parts; unknown segments keep their text. */
export function decodeSegments(segments: readonly unknown[]): MessagePart[] {
  const parts: MessagePart[] = [];
  // Adjacent text runs read better (and search better) as one: gathered as a string, one part per run.
  let run = '';
  for (let i = 0; i < segments.length; i++) {
    const part = decodeSegment(segments[i]);
    if (part === undefined) continue;
    if (typeof part === 'string') {
      run = run + part;
      continue;
    }
    if (run) {
      parts.push({ type: 'text', text: run });
      run = '';
    }
    parts.push(part);
  }
  if (run) parts.push({ type: 'text', text: run });
  return parts;
}

/** One segment as a part; a plain string is a (non-empty) text run. */
function decodeSegment(segment: unknown): MessagePart | string | undefined {
  if (!isRecord(segment)) return undefined;
  const text =
    typeof segment.text === 'string'
      ? segment.text
      : typeof segment.data === 'string'
        ? segment.data
        : '';
  switch (segment.type) {
    case 'text':
      return text || undefined;
    case 'emoticon': {
      const pack = typeof segment.pack === 'string' ? segment.pack : '';
      const url = emoticonUrl(segment.source, pack);
      if (!url) return text || undefined;
      const sprite = spriteOf(segment.coords);
      return sprite
        ? { type: 'emote', name: text, url, sprite }
        : { type: 'emote', name: text, url };
    }
    case 'link': {
      const url = typeof segment.url === 'string' ? segment.url : '';
      if (!url) return text || undefined;
      return { type: 'link', text: text || url, url };
    }
    case 'tag': {
      const username =
        typeof segment.username === 'string' ? segment.username : text.replace(/^@/, '');
      return username ? { type: 'mention', text: text || `@${username}`, username } : undefined;
    }
    case 'image': {
      const url = typeof segment.url === 'string' ? segment.url : '';
      if (!url) return text || undefined;
      return { type: 'image', alt: text, url };
    }
    default:
      return text || undefined;
  }
}

function emoticonUrl(source: unknown, pack: string): string | undefined {
  if (!pack) return undefined;
  // External (and subscriber) packs name their sprite sheet by URL; built-in packs by name.
  if (isHttpUrl(pack)) return pack;
  if (source === 'external' || !isPackName(pack)) return undefined;
  return `${BUILTIN_EMOTICON_BASE}${pack}.png`;
}

/** `/^https?:\/\//i.test(text)` without a regex (it runs for every avatar and emoticon). */
function isHttpUrl(text: string): boolean {
  if (
    text.length < 7 ||
    (text.charCodeAt(0) | 0x20) !== 0x68 || // h
    (text.charCodeAt(1) | 0x20) !== 0x74 || // t
    (text.charCodeAt(2) | 0x20) !== 0x74 || // t
    (text.charCodeAt(3) | 0x20) !== 0x70 // p
  )
    return false;
  const i = (text.charCodeAt(4) | 0x20) === 0x73 ? 5 : 4; // s?
  return (
    text.charCodeAt(i) === 0x3a &&
    text.charCodeAt(i + 1) === 0x2f &&
    text.charCodeAt(i + 2) === 0x2f
  );
}

/** `/^[A-Za-z0-9_-]{1,64}$/.test(pack)` without a regex. */
function isPackName(pack: string): boolean {
  if (pack.length === 0 || pack.length > 64) return false;
  for (let i = 0; i < pack.length; i++) {
    const c = pack.charCodeAt(i);
    const letter = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
    if (!letter && !(c >= 0x30 && c <= 0x39) && c !== 0x5f && c !== 0x2d) return false;
  }
  return true;
}

const isCoord = (n: unknown, min: number): n is number =>
  typeof n === 'number' && Number.isFinite(n) && n >= min && n <= 10_000;

function spriteOf(
  coords: unknown,
): { x: number; y: number; width: number; height: number } | undefined {
  if (!isRecord(coords)) return undefined;
  const { x, y, width, height } = coords;
  // Sizes come from the coords, never a hard-coded 24 px (Mixer had 24 and 28 px sprites).
  return isCoord(x, 0) && isCoord(y, 0) && isCoord(width, 1) && isCoord(height, 1)
    ? { x, y, width, height }
    : undefined;
}

// ---- events -----------------------------------------------------------------------------------------

/** What an event means for the timeline. */
export type MixerEventOutcome =
  /** The server is ready for `auth`. */
  | { readonly kind: 'welcome' }
  /** A chat message, already in the shared model. */
  | { readonly kind: 'message'; readonly message: ChatMessage }
  /** Timeline changes: moderation ops and notice lines. */
  | { readonly kind: 'ops'; readonly ops: readonly TimelineOp[] }
  /** Someone joined or left; counted, and shown only when `ops` is not empty. */
  | {
      readonly kind: 'presence';
      readonly change: 'join' | 'leave';
      readonly userId?: string;
      readonly ops: readonly TimelineOp[];
    }
  /** A known event we deliberately do not show (UserUpdate, skills). */
  | { readonly kind: 'ignored'; readonly event: string }
  /** An event name we do not know. */
  | { readonly kind: 'unknown'; readonly event: string }
  /** A known event whose data is not what the docs say. */
  | { readonly kind: 'malformed'; readonly event: string; readonly reason: string };

// Module level, not a closure in decodeEvent: that would be one allocation per chat line.
const malformedEvent = (event: string, reason: string): MixerEventOutcome => ({
  kind: 'malformed',
  event,
  reason,
});

const IGNORED_EVENTS = new Set([
  'UserUpdate',
  'SkillAttribution',
  'DeleteSkillAttribution',
  'ChatHistory',
]);

/** Interprets one event packet. Never throws. */
export function decodeEvent(
  event: string,
  data: unknown,
  context: MixerDecodeContext,
): MixerEventOutcome {
  switch (event) {
    case 'WelcomeEvent':
      return { kind: 'welcome' };
    case 'ChatMessage': {
      const message = decodeChatMessage(data, context);
      return message
        ? { kind: 'message', message }
        : malformedEvent(event, 'ChatMessage without an id or user');
    }
    case 'DeleteMessage': {
      const id = isRecord(data) ? idString(data.id) : undefined;
      return id
        ? { kind: 'ops', ops: [{ op: 'delete', platform: 'mixer', ids: [id] }] }
        : malformedEvent(event, 'DeleteMessage without an id');
    }
    case 'PurgeMessage': {
      const userId = isRecord(data) ? idString(data.user_id) : undefined;
      return userId
        ? { kind: 'ops', ops: [{ op: 'purgeUser', platform: 'mixer', userId }] }
        : malformedEvent(event, 'PurgeMessage without a user_id');
    }
    case 'ClearMessages': {
      const clearer =
        isRecord(data) && isRecord(data.clearer) && typeof data.clearer.user_name === 'string'
          ? data.clearer.user_name
          : undefined;
      return {
        kind: 'ops',
        ops: [
          { op: 'clear', platform: 'mixer' },
          {
            op: 'append',
            message: eventLine(
              context,
              'clear',
              clearer ? `Chat was cleared by ${clearer}.` : 'Chat was cleared.',
            ),
          },
        ],
      };
    }
    case 'UserTimeout': {
      if (!isRecord(data)) return malformedEvent(event, 'UserTimeout without data');
      const duration =
        typeof data.duration === 'number' && Number.isFinite(data.duration)
          ? data.duration
          : undefined;
      // Mixer sends this only to the user who was timed out: that is us.
      const text =
        duration !== undefined
          ? `You were timed out in this chat for ${formatDuration(duration)}.`
          : 'You were timed out in this chat.';
      return {
        kind: 'ops',
        ops: [{ op: 'append', message: eventLine(context, 'timeout', text, 'warning') }],
      };
    }
    case 'PollStart':
    case 'PollEnd': {
      if (!isRecord(data) || typeof data.q !== 'string')
        return malformedEvent(event, `${event} without a question`);
      return { kind: 'ops', ops: [{ op: 'append', message: pollLine(event, data, context) }] };
    }
    case 'UserJoin':
    case 'UserLeave': {
      const change = event === 'UserJoin' ? 'join' : 'leave';
      const record = isRecord(data) ? data : {};
      const userId = idString(record.id);
      const name = typeof record.username === 'string' ? record.username.slice(0, 100) : undefined;
      const ops: TimelineOp[] =
        context.showJoinLeave && name
          ? [
              {
                op: 'append',
                message: eventLine(
                  context,
                  change,
                  change === 'join' ? `${name} joined the chat.` : `${name} left the chat.`,
                ),
              },
            ]
          : [];
      return { kind: 'presence', change, ...(userId ? { userId } : {}), ops };
    }
    default:
      return IGNORED_EVENTS.has(event)
        ? { kind: 'ignored', event }
        : { kind: 'unknown', event: event.slice(0, 60) };
  }
}

function pollLine(
  event: 'PollStart' | 'PollEnd',
  data: Record<string, unknown>,
  context: MixerDecodeContext,
): ChatMessage {
  const question = String(data.q).slice(0, 300);
  const answers = stringArray(data.answers).slice(0, 20);
  const responses = isRecord(data.responses) ? data.responses : {};
  const endsAt = typeof data.endsAt === 'number' ? data.endsAt : undefined;
  let text: string;
  if (event === 'PollStart') {
    const duration = typeof data.duration === 'number' ? ` (${formatDuration(data.duration)})` : '';
    text = `Poll: ${question} ${answers.map((a) => `[${a}]`).join(' ')}${duration}`.trim();
  } else {
    const tally = answers
      .map((a) => `${a} ${typeof responses[a] === 'number' ? responses[a] : 0}`)
      .join(', ');
    text = `Poll ended: ${question}${tally ? ` (${tally})` : ''}`;
  }
  // PollStart is re-sent as votes come in; one id per poll lets the hub show it once.
  const id =
    endsAt !== undefined
      ? `mixer-${event === 'PollStart' ? 'poll-start' : 'poll-end'}-${endsAt}`
      : undefined;
  return eventLine(context, event === 'PollStart' ? 'poll-start' : 'poll-end', text, 'info', id);
}

function eventLine(
  context: MixerDecodeContext,
  eventType: string,
  text: string,
  severity: 'info' | 'warning' = 'info',
  id = `mixer-${eventType}-${context.receivedAt.toString(36)}-${context.nextSeq().toString(36)}`,
): ChatMessage {
  return {
    id,
    platform: 'mixer',
    channel: context.channel,
    kind: 'event',
    eventType,
    parts: [{ type: 'text', text }],
    receivedAt: context.receivedAt,
    flags: {},
    severity,
  };
}

/** "59998" ms → "1 minute"; "5000" → "5 seconds". Rounded to the nearest second. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return unit(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 48) return unit(hours, 'hour');
  return unit(Math.round(hours / 24), 'day');
}

// ---- helpers -----------------------------------------------------------------------------------------

function isPacketId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function stringArray(value: unknown): string[] {
  const out: string[] = [];
  if (!Array.isArray(value)) return out;
  for (const v of value as unknown[]) if (typeof v === 'string') out.push(v);
  return out;
}

/** Ids arrive as strings (messages) or numbers (users); both become strings. */
function idString(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0 && value.length <= 200) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}
