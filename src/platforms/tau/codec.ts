/**
 * TAU wire formats (pure): the events socket's envelopes and keep-alives, the chat-bot socket's
 * IRC frames, and the send frame. Nothing here throws: what cannot be read comes back typed as
 * `malformed` (or `unknown`) for the client to log and skip.
 */
import { isRecord, parseJson as parseCappedJson } from '../../core/json';
import type {
  Author,
  ChatMessage,
  MessagePart,
  ReplyRef,
  Role,
  TimelineOp,
} from '../../core/message';
import { MAX_REPLY_TEXT } from '../../core/message';

/** TAU's event envelope (`twitchevents/serializers.py`). */
export interface TauEnvelope {
  readonly id: string | null;
  readonly event_id: string | null;
  readonly event_type: string;
  readonly event_source?: string;
  readonly event_data: Record<string, unknown>;
  readonly created?: string;
  readonly origin?: string;
}

/** A frame from `ws/twitch-events/`. */
export type EventsFrame =
  | { readonly type: 'keepAlive' }
  | { readonly type: 'event'; readonly envelope: TauEnvelope }
  | { readonly type: 'malformed'; readonly reason: string };

/** A frame from `ws/chat-bots/<login>/`. */
export type ChatFrame =
  | { readonly type: 'keepAlive' }
  | { readonly type: 'error'; readonly error: string }
  | { readonly type: 'privmsg'; readonly message: ChatMessage }
  /** A frame we understand but do not show (other IRC commands). */
  | { readonly type: 'ignored'; readonly command: string }
  | { readonly type: 'malformed'; readonly reason: string };

const MAX_FRAME = 256 * 1024;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : undefined;

const parseJson = (text: unknown) => parseCappedJson(text, MAX_FRAME);

/** Decodes an events socket frame: a keep-alive, an event envelope, or `malformed`. */
export function decodeEventsFrame(text: unknown): EventsFrame {
  const parsed = parseJson(text);
  if (!parsed.ok) return { type: 'malformed', reason: parsed.reason };
  const v = parsed.value;
  if (!isRecord(v)) return { type: 'malformed', reason: 'not an object' };
  if (v.event === 'keep_alive') return { type: 'keepAlive' };
  const eventType = typeof v.event_type === 'string' ? v.event_type : undefined;
  if (!eventType) return { type: 'malformed', reason: 'no event_type' };
  return {
    type: 'event',
    envelope: {
      id: str(v.id) ?? null,
      event_id: str(v.event_id) ?? null,
      event_type: eventType.slice(0, 200),
      event_source: str(v.event_source),
      event_data: isRecord(v.event_data) ? v.event_data : {},
      created: str(v.created),
      origin: str(v.origin),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Event lines

const ident = (d: Record<string, unknown>, prefix = 'user') => ({
  id: str(d[`${prefix}_id`]),
  login: str(d[`${prefix}_login`]) ?? str(d[`${prefix}_name`])?.toLowerCase(),
  name: str(d[`${prefix}_name`]) ?? str(d[`${prefix}_login`]),
});

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const tierName = (tier: unknown) => {
  const t = str(tier);
  return t === '2000'
    ? 'Tier 2'
    : t === '3000'
      ? 'Tier 3'
      : t === 'Prime' || t === 'prime'
        ? 'Prime'
        : 'Tier 1';
};
const choices = (v: unknown) =>
  Array.isArray(v)
    ? v
        .filter(isRecord)
        .map((c) => str(c.title))
        .filter((t): t is string => !!t)
        .slice(0, 10)
        .join(' / ')
    : '';

interface EventLine {
  readonly text: string;
  /** Who the line is about (shown as the author). */
  readonly who?: { id?: string; login?: string; name?: string };
  /** Extra ops (a ban purges the user's messages). */
  readonly ops?: TimelineOp[];
}

/** Legacy PubSub subscribe envelopes nest the data as `{topic, message}` (message may be a JSON string). */
function legacyMessage(d: Record<string, unknown>): Record<string, unknown> {
  if (isRecord(d.message)) return d.message;
  if (typeof d.message === 'string') {
    try {
      const inner: unknown = JSON.parse(d.message);
      if (isRecord(inner)) return inner;
    } catch {
      // a plain string message
    }
  }
  return d;
}

function describeData(type: string, d: Record<string, unknown>): EventLine {
  const user = ident(d);
  const who = user.name ?? 'Someone';
  switch (type) {
    case 'channel-follow':
    case 'follow':
      return { text: `${who} followed!`, who: user };
    case 'channel-subscribe':
      return {
        text:
          d.is_gift === true
            ? `${who} received a gifted ${tierName(d.tier)} sub.`
            : `${who} subscribed (${tierName(d.tier)}).`,
        who: user,
      };
    case 'subscribe': {
      // PubSub channel-subscribe-events-v1: context sub | resub | subgift | anonsubgift | extendsub.
      const m = legacyMessage(d);
      const u = {
        id: str(m.user_id),
        login: str(m.user_name),
        name: str(m.display_name) ?? str(m.user_name),
      };
      const tier = tierName(m.sub_plan);
      const months = num(m.cumulative_months) ?? num(m.months);
      const text = isRecord(m.sub_message) ? str(m.sub_message.message) : undefined;
      const recipient = str(m.recipient_display_name) ?? str(m.recipient_user_name);
      const context = str(m.context);
      if (context === 'subgift' || context === 'anonsubgift' || (m.is_gift === true && recipient)) {
        const gifter = context === 'anonsubgift' ? undefined : u;
        return {
          text: `${gifter?.name ?? 'An anonymous gifter'} gifted a ${tier} sub to ${recipient ?? 'someone'}!`,
          who: gifter,
        };
      }
      const verb = context === 'resub' ? 'resubscribed' : 'subscribed';
      return {
        text: `${u.name ?? 'Someone'} ${verb} (${tier})${months && months > 1 ? `, ${plural(months, 'month')}` : ''}${text ? `: ${text}` : '.'}`,
        who: u,
      };
    }
    case 'channel-subscription-gift': {
      const total = num(d.total) ?? 1;
      const anon = d.is_anonymous === true;
      const name = anon ? 'An anonymous gifter' : who;
      const cumulative = num(d.cumulative_total);
      return {
        text: `${name} gifted ${plural(total, `${tierName(d.tier)} sub`)}!${cumulative ? ` (${plural(cumulative, 'gift')} in total)` : ''}`,
        who: anon ? undefined : user,
      };
    }
    case 'channel-subscription-message': {
      const months = num(d.cumulative_months);
      const message = isRecord(d.message) ? str(d.message.text) : str(d.message);
      return {
        text: `${who} resubscribed (${tierName(d.tier)})${months ? ` for ${plural(months, 'month')}` : ''}${message ? `: ${message}` : '.'}`,
        who: user,
      };
    }
    case 'channel-subscription-end':
      return { text: `${who}'s ${tierName(d.tier)} subscription ended.`, who: user };
    case 'channel-cheer':
    case 'cheer': {
      const bits = num(d.bits) ?? 0;
      const anon = d.is_anonymous === true;
      const message = str(d.message) ?? (isRecord(d.message) ? str(d.message.text) : undefined);
      return {
        text: `${anon ? 'An anonymous cheerer' : who} cheered ${plural(bits, 'bit')}!${message ? ` ${message}` : ''}`,
        who: anon ? undefined : user,
      };
    }
    case 'channel-raid':
    case 'raid': {
      const from = ident(d, 'from_broadcaster_user');
      const viewers = num(d.viewers) ?? num(d.viewer_count) ?? 0;
      return {
        text: `${from.name ?? 'Someone'} is raiding with ${plural(viewers, 'viewer')}!`,
        who: from,
      };
    }
    case 'channel-channel_points_custom_reward_redemption-add':
    case 'channel-channel_points_custom_reward_redemption-update':
    case 'point-redemption': {
      const reward = isRecord(d.reward) ? d.reward : {};
      const title = str(reward.title) ?? 'a reward';
      const cost = num(reward.cost);
      const input = str(d.user_input);
      return {
        text: `${who} redeemed ${title}${cost !== undefined ? ` (${plural(cost, 'point')})` : ''}${input ? `: ${input}` : ''}`,
        who: user,
      };
    }
    case 'channel-channel_points_custom_reward-add':
    case 'channel-channel_points_custom_reward-update':
    case 'channel-channel_points_custom_reward-remove':
      return {
        text: `Channel points reward ${str(d.title) ?? ''} ${type.endsWith('add') ? 'created' : type.endsWith('remove') ? 'removed' : 'updated'}.`.replace(
          '  ',
          ' ',
        ),
      };
    case 'channel-hype_train-begin':
    case 'hype-train-begin':
      return {
        text: `A hype train started! Level ${num(d.level) ?? 1}, ${num(d.progress) ?? 0}/${num(d.goal) ?? '?'}.`,
      };
    case 'channel-hype_train-progress':
    case 'hype-train-progress':
      return {
        text: `Hype train level ${num(d.level) ?? '?'}: ${num(d.progress) ?? 0}/${num(d.goal) ?? '?'}.`,
      };
    case 'channel-hype_train-end':
    case 'hype-train-end':
      return { text: `The hype train ended at level ${num(d.level) ?? '?'}.` };
    case 'stream-online':
      return { text: `${ident(d, 'broadcaster_user').name ?? 'The stream'} went live!` };
    case 'stream-offline':
      return { text: `${ident(d, 'broadcaster_user').name ?? 'The stream'} went offline.` };
    case 'channel-update':
    case 'update':
      return {
        text:
          str(d.title) || str(d.category_name)
            ? `Stream updated: ${str(d.title) ?? ''}${str(d.category_name) ? ` · ${str(d.category_name)}` : ''}`.trim()
            : 'Stream info updated.',
      };
    case 'channel-ban': {
      const permanent = d.is_permanent === true || (d.ends_at === null && d.is_permanent !== false);
      const mod = ident(d, 'moderator_user').name;
      const reason = str(d.reason);
      const ops: TimelineOp[] = user.id
        ? [{ op: 'purgeUser', platform: 'tau', userId: user.id }]
        : [];
      return {
        text: `${who} was ${permanent ? 'banned' : 'timed out'}${mod ? ` by ${mod}` : ''}${reason ? `: ${reason}` : '.'}`,
        who: user,
        ops,
      };
    }
    case 'channel-unban':
      return {
        text: `${who} was unbanned${ident(d, 'moderator_user').name ? ` by ${ident(d, 'moderator_user').name}` : ''}.`,
        who: user,
      };
    case 'channel-moderator-add':
      return { text: `${who} is now a moderator.`, who: user };
    case 'channel-moderator-remove':
      return { text: `${who} is no longer a moderator.`, who: user };
    case 'channel-poll-begin':
      return {
        text: `Poll started: ${str(d.title) ?? ''}${choices(d.choices) ? ` (${choices(d.choices)})` : ''}`,
      };
    case 'channel-poll-progress':
      return { text: `Poll update: ${str(d.title) ?? ''}` };
    case 'channel-poll-end': {
      const list = Array.isArray(d.choices) ? d.choices.filter(isRecord) : [];
      const winner = [...list].sort((a, b) => (num(b.votes) ?? 0) - (num(a.votes) ?? 0))[0];
      return {
        text: `Poll ended: ${str(d.title) ?? ''}${winner ? ` — ${str(winner.title)} wins with ${plural(num(winner.votes) ?? 0, 'vote')}` : ''}`,
      };
    }
    case 'channel-prediction-begin':
      return {
        text: `Prediction started: ${str(d.title) ?? ''}${choices(d.outcomes) ? ` (${choices(d.outcomes)})` : ''}`,
      };
    case 'channel-prediction-progress':
      return { text: `Prediction update: ${str(d.title) ?? ''}` };
    case 'channel-prediction-lock':
      return { text: `Prediction locked: ${str(d.title) ?? ''}` };
    case 'channel-prediction-end': {
      const outcomes = Array.isArray(d.outcomes) ? d.outcomes.filter(isRecord) : [];
      const winner = outcomes.find((o) => str(o.id) === str(d.winning_outcome_id));
      return {
        text: `Prediction ended: ${str(d.title) ?? ''}${winner ? ` — ${str(winner.title)} won` : ''}`,
      };
    }
    case 'channel-goal-begin':
    case 'channel-goal-progress':
    case 'channel-goal-end': {
      const phase = type.endsWith('begin')
        ? 'Goal started'
        : type.endsWith('end')
          ? 'Goal ended'
          : 'Goal progress';
      return {
        text: `${phase}: ${str(d.description) || str(d.type) || 'goal'} ${num(d.current_amount) ?? 0}/${num(d.target_amount) ?? '?'}`,
      };
    }
    case 'channel-shoutout-create': {
      const to = ident(d, 'to_broadcaster_user');
      return { text: `Shoutout to ${to.name ?? 'a channel'}!`, who: to };
    }
    case 'channel-shoutout-receive': {
      const from = ident(d, 'from_broadcaster_user');
      return { text: `${from.name ?? 'A channel'} gave you a shoutout!`, who: from };
    }
    case 'channel-charity_campaign-donate': {
      const amount = isRecord(d.amount) ? d.amount : {};
      const value = num(amount.value);
      const decimals = num(amount.decimal_places) ?? 2;
      const money =
        value !== undefined
          ? `${(value / 10 ** decimals).toFixed(decimals)} ${str(amount.currency) ?? ''}`.trim()
          : 'a donation';
      return { text: `${who} donated ${money} to ${str(d.charity_name) ?? 'charity'}!`, who: user };
    }
    case 'channel-charity_campaign-start':
    case 'channel-charity_campaign-progress':
    case 'channel-charity_campaign-stop':
      return {
        text: `Charity campaign ${type.split('-').pop()}: ${str(d.charity_name) ?? ''}`.trim(),
      };
    case 'channel-shield_mode-begin':
      return { text: 'Shield mode is on.' };
    case 'channel-shield_mode-end':
      return { text: 'Shield mode is off.' };
    default:
      return { text: `${type}${user.name ? ` from ${user.name}` : ''}` };
  }
}

let eventSeq = 0;

/**
 * Turns an envelope into timeline ops: a readable event line, plus a purge for a ban. A replay
 * carries the stored event's own ids, so it gets an id of its own (or the view would drop it as a
 * duplicate); replays do not purge again (the viewer may have been unbanned since).
 */
export function describeEvent(
  envelope: TauEnvelope,
  receivedAt: number,
  channel = '',
): TimelineOp[] {
  let line: EventLine;
  try {
    line = describeData(envelope.event_type, envelope.event_data);
  } catch {
    line = { text: envelope.event_type };
  }
  const replay = envelope.origin === 'replay';
  const isTest = envelope.origin === 'test' || replay;
  const author: Author | undefined = line.who?.name
    ? {
        id: line.who.id,
        name: (line.who.login ?? line.who.name).toLowerCase(),
        displayName: line.who.name,
        roles: [],
      }
    : undefined;
  const created = envelope.created ? Date.parse(envelope.created) : NaN;
  const unique = `${receivedAt.toString(36)}-${(eventSeq++).toString(36)}`;
  const baseId = envelope.event_id ?? envelope.id;
  const message: ChatMessage = {
    id: baseId ? (replay ? `${baseId}:replay:${unique}` : baseId) : `tau-event-${unique}`,
    platform: 'tau',
    channel,
    kind: 'event',
    eventType: envelope.event_type,
    author,
    parts: [{ type: 'text', text: line.text + (replay ? ' (replay)' : '') }],
    receivedAt,
    sentAt: Number.isFinite(created) ? created : undefined,
    flags: isTest ? { test: true } : {},
  };
  return [...(replay ? [] : (line.ops ?? [])), { op: 'append', message }];
}

// ---------------------------------------------------------------------------------------------
// Chat (IRC through the chat-bot socket)

const TWITCH_ROLES: Record<string, Role> = {
  broadcaster: 'broadcaster',
  moderator: 'moderator',
  vip: 'vip',
  subscriber: 'subscriber',
  founder: 'founder',
  staff: 'staff',
  admin: 'admin',
  global_mod: 'staff',
  partner: 'partner',
  premium: 'pro',
};

/** Twitch's CDN image for an emote id. */
export const TWITCH_EMOTE_URL = (id: string) =>
  `https://static-cdn.jtvnw.net/emoticons/v2/${encodeURIComponent(id)}/default/dark/1.0`;

/** Emote ranges from the `emotes` tag: structured (TAU) or the raw IRC string `25:0-4,6-10/1902:12-16`. */
function emoteRanges(tag: unknown): Array<{ id: string; start: number; end: number }> {
  const ranges: Array<{ id: string; start: number; end: number }> = [];
  if (Array.isArray(tag)) {
    for (const e of tag) {
      if (!isRecord(e) || !Array.isArray(e.positions)) continue;
      const id = str(e.id);
      if (!id) continue;
      for (const p of e.positions) {
        if (Array.isArray(p) && p.length === 2) {
          const [s, en] = [num(p[0]), num(p[1])];
          if (s !== undefined && en !== undefined) ranges.push({ id, start: s, end: en });
        }
      }
    }
  } else if (typeof tag === 'string' && tag) {
    for (const group of tag.split('/')) {
      const [id, positions] = group.split(':');
      if (!id || !positions) continue;
      for (const p of positions.split(',')) {
        const [s, e] = p.split('-').map(Number);
        if (Number.isInteger(s) && Number.isInteger(e)) ranges.push({ id, start: s!, end: e! });
      }
    }
  }
  return ranges.filter((r) => r.start >= 0 && r.end >= r.start).sort((a, b) => a.start - b.start);
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi;
/** `@login` (Twitch logins: letters, digits, underscore, up to 25), not inside a word or an e-mail address. */
const MENTION_IN_TEXT = /(?<![\w@.])@([A-Za-z0-9_]{1,25})\b/g;

function textWithMentions(text: string): MessagePart[] {
  const parts: MessagePart[] = [];
  let last = 0;
  for (const m of text.matchAll(MENTION_IN_TEXT)) {
    if (m.index! > last) parts.push({ type: 'text', text: text.slice(last, m.index) });
    parts.push({ type: 'mention', text: m[0], username: m[1]!.toLowerCase() });
    last = m.index! + m[0].length;
  }
  if (last < text.length) parts.push({ type: 'text', text: text.slice(last) });
  return parts;
}

/** Text with http(s) links and @mentions as their own parts. */
function textWithLinks(text: string): MessagePart[] {
  const parts: MessagePart[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    if (m.index! > last) parts.push(...textWithMentions(text.slice(last, m.index)));
    parts.push({ type: 'link', text: m[0], url: m[0] });
    last = m.index! + m[0].length;
  }
  if (last < text.length) parts.push(...textWithMentions(text.slice(last)));
  return parts;
}

/** Splits message text into text, link, mention and emote parts; emote positions count code points (Twitch). */
export function chatParts(text: string, emotesTag: unknown): MessagePart[] {
  const chars = [...text];
  const parts: MessagePart[] = [];
  let cursor = 0;
  for (const r of emoteRanges(emotesTag)) {
    if (r.start < cursor || r.end >= chars.length) continue;
    if (r.start > cursor) parts.push(...textWithLinks(chars.slice(cursor, r.start).join('')));
    parts.push({
      type: 'emote',
      name: chars.slice(r.start, r.end + 1).join(''),
      url: TWITCH_EMOTE_URL(r.id),
    });
    cursor = r.end + 1;
  }
  if (cursor < chars.length) parts.push(...textWithLinks(chars.slice(cursor).join('')));
  return parts;
}

function rolesFrom(tags: Record<string, unknown>): Role[] {
  const roles = new Set<Role>();
  const badges = tags.badges;
  const names = isRecord(badges)
    ? Object.keys(badges)
    : typeof badges === 'string'
      ? badges.split(',').map((b) => b.split('/')[0] ?? '')
      : [];
  for (const name of names) {
    const role = TWITCH_ROLES[name];
    if (role) roles.add(role);
  }
  if (tags.mod === '1' || tags.mod === true) roles.add('moderator');
  return [...roles];
}

/**
 * An IRCv3 tag value unescaped: `\:` is `;`, `\s` a space, `\\` a backslash, `\r` and `\n` CR
 * and LF; a backslash before any other character is dropped, and so is a trailing one.
 */
export function unescapeTagValue(value: string): string {
  return value.replace(/\\(.?)/gs, (_, c: string) =>
    c === ':' ? ';' : c === 's' ? ' ' : c === 'r' ? '\r' : c === 'n' ? '\n' : c,
  );
}

const REPLY_TAG_PREFIX = 'reply-parent-';

/**
 * The `reply-parent-*` tags of the raw IRC line, each split at its first `=`. TAU's own tag split
 * (`tag.split('=')`, then `pair[1]`) keeps only what comes before a second `=`, which Twitch does
 * not escape, so a parent text holding one arrives cut short in `tags`; `raw` has all of it.
 */
function rawReplyTags(raw: string): Map<string, string> {
  const tags = new Map<string, string>();
  if (!raw.startsWith('@')) return tags;
  const end = raw.indexOf(' ');
  for (const tag of raw.slice(1, end < 0 ? raw.length : end).split(';')) {
    if (!tag.startsWith(REPLY_TAG_PREFIX)) continue;
    const eq = tag.indexOf('=');
    tags.set(eq < 0 ? tag : tag.slice(0, eq), eq < 0 ? '' : tag.slice(eq + 1));
  }
  return tags;
}

/** The first `max` code points of `text`. */
const clip = (text: string, max: number) => {
  const chars = [...text];
  return chars.length > max ? chars.slice(0, max).join('') : text;
};

/**
 * What a Twitch reply answers, from the `reply-parent-msg-id`, `-user-login`, `-display-name`
 * and `-msg-body` tags (IRC-escaped; read from `raw` when TAU passed it, else from `tags`).
 * Undefined when the line is not a reply (no parent id).
 */
export function replyOf(tags: Record<string, unknown>, raw?: string): ReplyRef | undefined {
  const fromRaw = raw ? rawReplyTags(raw) : undefined;
  const tag = (name: string): string | undefined => {
    const key = `${REPLY_TAG_PREFIX}${name}`;
    const value = fromRaw?.get(key) ?? (typeof tags[key] === 'string' ? tags[key] : undefined);
    return value === undefined ? undefined : unescapeTagValue(value);
  };
  const id = tag('msg-id')?.trim();
  if (!id) return undefined;
  const login = tag('user-login')?.trim().toLowerCase() || undefined;
  const author = tag('display-name')?.trim() || login || 'someone';
  let text = tag('msg-body') ?? '';
  // A /me parent keeps its CTCP wrapping in the tag.
  // eslint-disable-next-line no-control-regex
  text = /^\u0001ACTION (.*?)\u0001?$/s.exec(text)?.[1] ?? text;
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return {
    id: clip(id, 200),
    author: clip(author, 100),
    ...(login ? { login: clip(login, 100) } : {}),
    text: clip(text, MAX_REPLY_TEXT),
  };
}

/**
 * Decodes a chat-bot socket frame. `selfLogin` (the chat bot's login) marks its own lines, e.g.
 * what the streamer typed on Twitch when the chat bot is the streamer's account.
 */
export function decodeChatFrame(text: unknown, receivedAt: number, selfLogin?: string): ChatFrame {
  const parsed = parseJson(text);
  if (!parsed.ok) return { type: 'malformed', reason: parsed.reason };
  const v = parsed.value;
  if (!isRecord(v)) return { type: 'malformed', reason: 'not an object' };
  if (v.event === 'keep_alive') return { type: 'keepAlive' };
  if (typeof v.error === 'string') return { type: 'error', error: v.error.slice(0, 500) };
  if (!isRecord(v.data)) return { type: 'malformed', reason: 'no data' };
  const data = v.data;
  const command = str(data.command) ?? '';
  if (command !== 'PRIVMSG')
    return command
      ? { type: 'ignored', command: command.slice(0, 40) }
      : { type: 'malformed', reason: 'no command' };
  const tags = isRecord(data.tags) ? data.tags : {};
  const params = Array.isArray(data.params) ? data.params : [];
  const channel = (str(params[1]) ?? '').replace(/^#/, '');
  let body = str(data['message-text']) ?? str(params[2])?.replace(/^:/, '');
  if (body === undefined) return { type: 'malformed', reason: 'no message text' };
  body = body.replace(/\r?\n$/, '');
  let action = false;
  // IRC CTCP ACTION (/me) is wrapped in \x01 bytes.
  // eslint-disable-next-line no-control-regex
  const actionMatch = /^\u0001ACTION (.*?)\u0001?$/s.exec(body);
  if (actionMatch) {
    action = true;
    body = actionMatch[1]!;
  }
  const prefix = str(data.prefix) ?? '';
  const login = (
    /^:?([^!]+)!/.exec(prefix)?.[1] ??
    str(tags['display-name']) ??
    'unknown'
  ).toLowerCase();
  const color = str(tags.color);
  const sent = num(tags['tmi-sent-ts']);
  const replyTo = replyOf(tags, str(data.raw));
  const message: ChatMessage = {
    id:
      str(tags.id) ??
      `tau-chat-${receivedAt.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    platform: 'tau',
    channel,
    kind: 'chat',
    author: {
      id: str(tags['user-id']),
      name: login,
      displayName: str(tags['display-name']) || login,
      color: color && /^#[0-9a-f]{6}$/i.test(color) ? color : undefined,
      roles: rolesFrom(tags),
    },
    parts: chatParts(body, tags.emotes),
    receivedAt,
    sentAt: sent,
    flags: {
      ...(action ? { action: true } : {}),
      ...(selfLogin && login === selfLogin.toLowerCase() ? { self: true } : {}),
    },
    ...(replyTo ? { replyTo } : {}),
  };
  return { type: 'privmsg', message };
}

/**
 * The line a sent message shows as: Twitch IRC never echoes a connection's own PRIVMSG, so the
 * client adds it itself (as Twitch chat clients do), marked `self`.
 */
export function ownChatMessage(
  id: string,
  botLogin: string,
  channel: string,
  text: string,
  receivedAt: number,
): ChatMessage {
  const action = /^\/me\s+/i.exec(text);
  const body = action ? text.slice(action[0].length) : text;
  return {
    id,
    platform: 'tau',
    channel,
    kind: 'chat',
    author: { name: botLogin, displayName: botLogin, roles: [] },
    parts: chatParts(body, undefined),
    receivedAt,
    sentAt: receivedAt,
    flags: { self: true, ...(action ? { action: true } : {}) },
  };
}

// ---------------------------------------------------------------------------------------------
// Sending

export { TWITCH_MAX_LENGTH, splitForTwitch } from './rules';

/** The chat-bot socket frame that makes the bot say `message` in `ircChannel` (no `#`). */
export function encodeChatSend(ircChannel: string, message: string): string {
  return JSON.stringify({ irc_channel: ircChannel.replace(/^#/, '').toLowerCase(), message });
}

/** The first frame on every TAU socket. */
export function encodeTokenFrame(token: string): string {
  return JSON.stringify({ token });
}
