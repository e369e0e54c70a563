// A TAU-compatible local server, written from Team-TAU/tau's own code (`twitchevents/consumers.py`,
// `chatbots/consumers.py`, `twitchevents/views.py`, `core/views.py`, `core/utils.py`
// `parse_message`) and independent of the extension's code:
// - events socket `ws/twitch-events/`: no ack for a good token; a wrong one closes with 1011
//   (Token.DoesNotExist escapes the consumer); a first frame without a `token` key, or not JSON,
//   leaves a silent open socket (un-awaited close()); a JSON non-object also closes with 1011;
//   events only to authenticated sockets, keep-alives to every socket;
// - chat-bot socket `ws/chat-bots/<login>/`: unknown login refused at the handshake (403); chat
//   frames and keep-alives go to the group named after the login as typed, so only the lowercase
//   login receives them, authenticated or not; `{"error": …}` after any frame that leaves the
//   socket unauthenticated; once authenticated every frame is an irc-send (non-JSON → 1011);
//   no ack, no newline stripping (each `\n` would be an injected IRC line: counted here);
// - REST: the test-event endpoint (AllowAny, trailing slash optional, 401 for an invalid token
//   header), the stored-event list and replay, settings, heartbeat, the Helix passthrough.
// Hooks let tests drop, stall, inject, and see what bots sent.
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** The TAU token the simulator accepts (a demo value, not a secret). */
export const TAU_SIM_TOKEN = 'tau-sim-token-0123456789abcdef';
/** The chat bot set up in the simulated TAU. */
export const TAU_SIM_BOT = 'codercatbot';
/** The streamer's channel (its login is also a chat-bot socket, as in TAU with USE_IRC). */
export const TAU_SIM_CHANNEL = 'codercat';
/** What the Helix passthrough answers for `users`. */
export const TAU_SIM_BROADCASTER = { id: '424242', login: 'codercat', display_name: 'CoderCat' };

export interface TauSimulatorOptions {
  readonly port?: number;
  /** How often keep-alives go out (TAU default: 120 s). */
  readonly keepAliveMs?: number;
  /** Chat-bot logins set up in TAU (the streamer's login is always accepted too). */
  readonly bots?: readonly string[];
  /**
   * A wrong token as earlier releases handled it (`except Exception: print(err)`): the events
   * socket stays open and silent, the chat-bot socket answers with the error frame. Team-TAU today
   * lets Token.DoesNotExist escape instead, and Daphne closes with 1011.
   */
  readonly legacyBadToken?: boolean;
  /** The Twitch account TAU is linked to (default: the broadcaster); another login moderates only if `moderatorOf` says so. */
  readonly linkedAs?: {
    readonly id: string;
    readonly login: string;
    readonly display_name: string;
  };
  /** Whether the linked account is a moderator of the channel (when it is not the broadcaster). */
  readonly moderatorOfChannel?: boolean;
}

/** One Helix moderation call that came through the passthrough, and Twitch's status. */
export interface TauSimHelixCall {
  readonly method: string;
  /** Path after `/api/twitch/helix`, without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly status: number;
}

type Kind = 'events' | 'chat';

interface Client {
  readonly ws: WebSocket;
  readonly kind: Kind;
  /** The login as typed in the URL (TAU's group name). */
  readonly login?: string;
  authed: boolean;
}

/** An event TAU stored (origin twitch), as its serializer returns it. */
export interface TauSimEnvelope {
  readonly id: string | null;
  readonly event_id: string | null;
  readonly event_type: string;
  readonly event_source: string;
  readonly event_data: unknown;
  readonly created: string;
  readonly origin: string;
}

/** A chat line for `postChat`. */
export interface TauSimChatLine {
  readonly user: string;
  readonly text: string;
  readonly color?: string;
  /** Twitch badges, e.g. `{ subscriber: '12', moderator: '1' }`. */
  readonly badges?: Record<string, string>;
  /** Emote ranges in code points; when absent, Kappa/LUL/PogChamp/SeemsGood are found like Twitch does. */
  readonly emotes?: ReadonlyArray<{
    id: string;
    positions: ReadonlyArray<readonly [number, number]>;
  }>;
  /** A `/me` line. */
  readonly action?: boolean;
  readonly userId?: string;
  /**
   * A reply, as Twitch sends one: the `reply-parent-*` and `reply-thread-parent-*` tags (values
   * IRC-escaped) and the text after `@parent `. Either the id of a line this simulator posted,
   * or a parent described here (one sent before the client connected, so not in its scrollback).
   */
  readonly replyTo?:
    | string
    | {
        readonly id: string;
        readonly user: string;
        readonly text: string;
        readonly userId?: string;
      };
}

export interface TauSimulator {
  readonly url: string;
  readonly port: number;
  /** What bots asked TAU to say, in order, with when it arrived (ms since the epoch). */
  readonly sent: Array<{ bot: string; irc_channel: string; message: string; receivedAt: number }>;
  /** Received chat messages that contained a line break (each would have injected IRC lines). */
  readonly newlineViolations: number;
  /** Helix moderation calls through the passthrough (bans, chat), in order. */
  readonly helixCalls: TauSimHelixCall[];
  /** Users banned (no end) or timed out (with an end, epoch ms) now, by user id. */
  readonly bans: ReadonlyMap<string, number>;
  /** Messages deleted through Helix, by id. */
  readonly deletedMessages: readonly string[];
  /** Times chat was cleared through Helix. */
  readonly clears: number;
  /** While set, moderation calls answer Twitch's 401 for a missing scope (TAU linked without it). */
  missingModerationScope(on: boolean): void;
  /** Test events POSTed, in order. */
  readonly testEvents: Array<{ type: string; body: unknown }>;
  /** Live events emitted (stored by TAU, listed by the REST API, replayable). */
  readonly storedEvents: readonly TauSimEnvelope[];
  /** Every REST request: method, path, and what its Authorization header was. */
  readonly requests: Array<{ method: string; path: string; auth: 'none' | 'valid' | 'invalid' }>;
  /** Attempts seen, for no-retry-loop tests. */
  readonly connections: {
    events: number;
    chat: number;
    preflight: number;
    badTokenPreflight: number;
    badTokenSockets: number;
  };
  /** How each socket ended, as the server saw it (1005: no code, 1006: dropped without a close frame). */
  readonly closes: Array<{ kind: Kind; code: number }>;
  readonly openSockets: number;
  /** A PRIVMSG through every chat-bot socket (as each bot's IRC connection sees it); returns its id. */
  postChat(line: TauSimChatLine): string;
  /** A live event (stored) or, with origin test/replay, one that is only broadcast. */
  emitEvent(
    type: string,
    data: Record<string, unknown>,
    origin?: 'twitch' | 'test' | 'replay',
  ): TauSimEnvelope;
  /** Broadcasts a stored event again with origin replay (as `POST /api/v1/twitch-events/<id>/replay`). */
  replayEvent(id: string): TauSimEnvelope | undefined;
  dropConnections(): void;
  stallKeepAlives(on: boolean): void;
  /** Sends a raw text frame to every open socket of a kind. */
  injectRaw(kind: Kind, text: string): void;
  startChatter(intervalMs?: number): void;
  stopChatter(): void;
  /** VS Code settings pointing Stream Chat at this simulator. */
  settings(): Record<string, unknown>;
  close(): Promise<void>;
}

const CHATTER = [
  'that function name is doing a lot of work',
  'Kappa ship it',
  'have you tried rubber ducking it?',
  'what font is that?',
  'the tests are green, merge it!',
  'LUL off by one again',
  'chat, is this a monad?',
  'first time here, love the stream 😀 PogChamp',
  'https://developer.mozilla.org/ has the answer',
  '@codercat did you push yet?',
];
const VIEWERS = [
  'pixelpusher',
  'rubberduckdev',
  'lintergirl',
  'null_pointer',
  'tabsnotspaces',
  'async_await',
];
const COLORS = ['#FF4500', '#1E90FF', '#9ACD32', '#DAA520', '#8A2BE2', '#00FF7F'];
/** A few global Twitch emotes, found in text the way Twitch fills the `emotes` tag. */
const KNOWN_EMOTES: Record<string, string> = {
  Kappa: '25',
  LUL: '425618',
  PogChamp: '305954156',
  SeemsGood: '64138',
};

/** Twitch's `emotes` tag for text: whole words that are known emotes, positions in code points. */
function findEmotes(text: string): Array<{ id: string; positions: Array<[number, number]> }> {
  const byId = new Map<string, Array<[number, number]>>();
  let at = 0;
  for (const word of text.split(' ')) {
    const length = [...word].length;
    const id = KNOWN_EMOTES[word];
    if (id) byId.set(id, [...(byId.get(id) ?? []), [at, at + length - 1]]);
    at += length + 1;
  }
  return [...byId].map(([id, positions]) => ({ id, positions }));
}

/** An IRCv3 tag value escaped as Twitch sends it: `;` `\:`, space `\s`, `\` `\\`, CR `\r`, LF `\n`. */
export function escapeTagValue(value: string): string {
  return value.replace(/[\\; \r\n]/g, (c) =>
    c === '\\' ? '\\\\' : c === ';' ? '\\:' : c === ' ' ? '\\s' : c === '\r' ? '\\r' : '\\n',
  );
}

/** TAU's `core/utils.py` `parse_message`, step for step: tags stay strings, params start with the command. */
function parseIrc(raw: string): Record<string, unknown> {
  const message: {
    raw: string;
    tags: Record<string, unknown>;
    prefix: string | null;
    command: string | null;
    params: string[];
    'message-text': string | null;
  } = {
    raw,
    tags: {},
    prefix: null,
    command: null,
    params: [],
    'message-text': null,
  };
  let position = 0;
  if (raw[0] === '@') {
    const space = raw.indexOf(' ');
    for (const tag of raw.slice(1, space).split(';')) {
      const pair = tag.split('=');
      message.tags[pair[0]!] = pair.length === 1 ? true : pair[1];
    }
    position = space + 1;
  }
  if (raw[position] === ':') {
    const space = raw.indexOf(' ', position);
    message.prefix = raw.slice(position, space);
    position = space + 1;
  }
  const space = raw.indexOf(' ', position);
  message.command = raw.slice(position, space);
  // TAU never moves past the command, so params[0] is the command itself.
  while (position < raw.length) {
    const next = raw.indexOf(' ', position);
    if (raw[position] === ':' || next === -1) {
      message.params.push(raw.slice(position));
      break;
    }
    message.params.push(raw.slice(position, next));
    position = next + 1;
  }
  if (message.command === 'PRIVMSG')
    message['message-text'] = message.params[2]!.slice(1).replace(/\n/g, '').replace(/\r/g, '');
  if ('emotes' in message.tags) {
    const tag = String(message.tags.emotes);
    message.tags.emotes =
      tag === ''
        ? []
        : tag.split('/').map((e) => ({
            id: e.split(':')[0],
            positions: e
              .split(':')[1]!
              .split(',')
              .map((p) => p.split('-').map(Number)),
          }));
  }
  return message;
}

export async function startTauSimulator(options: TauSimulatorOptions = {}): Promise<TauSimulator> {
  const bots = new Set(
    [...(options.bots ?? [TAU_SIM_BOT]), TAU_SIM_CHANNEL].map((b) => b.toLowerCase()),
  );
  const clients = new Set<Client>();
  const sent: TauSimulator['sent'] = [];
  const testEvents: TauSimulator['testEvents'] = [];
  const storedEvents: TauSimEnvelope[] = [];
  const requests: TauSimulator['requests'] = [];
  const closes: TauSimulator['closes'] = [];
  const connections = {
    events: 0,
    chat: 0,
    preflight: 0,
    badTokenPreflight: 0,
    badTokenSockets: 0,
  };
  let newlineViolations = 0;
  const helixCalls: TauSimHelixCall[] = [];
  const bans = new Map<string, number>();
  const deletedMessages: string[] = [];
  let clears = 0;
  let scopeMissing = false;
  /** Logins Twitch knows → their user ids (the broadcaster, the linked account, everyone who chatted). */
  const knownUsers = new Map<string, { id: string; login: string; display_name: string }>([
    [TAU_SIM_BROADCASTER.login, TAU_SIM_BROADCASTER],
  ]);
  const linked = options.linkedAs ?? TAU_SIM_BROADCASTER;
  knownUsers.set(linked.login, linked);
  /** Message ids posted in chat, to tell a known message from an unknown one. */
  const postedIds = new Set<string>();
  /** What Twitch remembers of each posted line, for the reply tags of an answer to it. */
  const postedLines = new Map<
    string,
    { login: string; display: string; userId: string; text: string; thread?: string }
  >();
  let stalled = false;
  let chatter: NodeJS.Timeout | undefined;
  let seq = 0;

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  /** DRF TokenAuthentication: a header, when present, must name a real token. */
  const auth = (req: http.IncomingMessage): 'none' | 'valid' | 'invalid' => {
    const header = req.headers.authorization;
    if (!header) return 'none';
    const m = /^Token (.+)$/.exec(header);
    return m && m[1] === TAU_SIM_TOKEN ? 'valid' : 'invalid';
  };
  const send = (c: Client, text: string) => {
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(text);
  };
  /** The `twitchevents` group: only authenticated sockets get events. */
  const broadcastEvent = (envelope: TauSimEnvelope) => {
    const text = JSON.stringify(envelope);
    for (const c of clients) if (c.kind === 'events' && c.authed) send(c, text);
  };
  /** TAU's `created` for stored events: `%Y-%m-%dT%H:%M:%S%z`. */
  const storedTime = () => new Date().toISOString().replace(/\.\d+Z$/, '+0000');
  /** `timezone.now().isoformat()`: microseconds and `+00:00`. */
  const isoNow = () => new Date().toISOString().replace('Z', '000+00:00');

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const who = auth(req);
    const method = req.method ?? 'GET';
    requests.push({ method, path, auth: who });
    // TokenAuthentication runs before any permission check, even on AllowAny views.
    if (who === 'invalid' && path.startsWith('/api/')) {
      if (path.replace(/\/$/, '') === '/api/v1/twitch-events') {
        connections.preflight++;
        connections.badTokenPreflight++;
      }
      return json(res, 401, { detail: 'Invalid token.' });
    }
    if (/^\/api\/v1\/heartbeat\/?$/.test(path)) {
      return method === 'GET'
        ? json(res, 200, { message: 'pong' })
        : json(res, who === 'none' ? 401 : 405, {
            detail:
              who === 'none'
                ? 'Authentication credentials were not provided.'
                : `Method "${method}" not allowed.`,
          });
    }
    const test = /^\/api\/v1\/twitch-events\/([^/]+)\/test\/?$/.exec(path);
    if (test) {
      if (method !== 'POST') return json(res, 405, { detail: `Method "${method}" not allowed.` });
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        let data: unknown;
        try {
          data = body ? JSON.parse(body) : {};
        } catch (error) {
          return json(res, 400, { detail: `JSON parse error - ${(error as Error).message}` });
        }
        const type = decodeURIComponent(test[1]!);
        testEvents.push({ type, body: data });
        const envelope: TauSimEnvelope = {
          id: null,
          event_id: type === 'subscribe' ? null : randomUUID(),
          event_type: type,
          event_source: 'TestCall',
          event_data: data,
          created: isoNow(),
          origin: 'test',
        };
        broadcastEvent(envelope);
        json(res, 200, envelope);
      });
      return;
    }
    // Everything below is IsAuthenticated.
    if (who === 'none') {
      if (path.replace(/\/$/, '') === '/api/v1/twitch-events') connections.preflight++;
      return json(res, 401, { detail: 'Authentication credentials were not provided.' });
    }
    if (path.replace(/\/$/, '') === '/api/v1/twitch-events' && method === 'GET') {
      connections.preflight++;
      const type = url.searchParams.get('event_type');
      const results = storedEvents
        .filter((e) => !type || e.event_type === type)
        .slice(-10)
        .reverse();
      return json(res, 200, { next: null, previous: null, results });
    }
    const replay = /^\/api\/v1\/twitch-events\/([^/]+)\/replay\/?$/.exec(path);
    if (replay && (method === 'POST' || method === 'GET')) {
      const envelope = replayEvent(decodeURIComponent(replay[1]!));
      return envelope ? json(res, 200, envelope) : json(res, 404, { detail: 'Not found.' });
    }
    if (/^\/api\/v1\/settings\/?$/.test(path) && method === 'GET')
      return json(res, 200, { use_irc: true });
    if (/^\/api\/twitch\/helix\/users\/?$/.test(path)) {
      // Helix `users`: `login=` looks users up; without it, the token's own user (TAU's linked account).
      const logins = url.searchParams.getAll('login').map((l) => l.toLowerCase());
      const found = logins.length
        ? logins.map((l) => knownUsers.get(l)).filter((u) => u !== undefined)
        : [linked];
      return json(res, 200, {
        data: found.map((u) => ({
          ...u,
          type: '',
          broadcaster_type: u.id === TAU_SIM_BROADCASTER.id ? 'affiliate' : '',
          description: u.id === TAU_SIM_BROADCASTER.id ? 'Coding live.' : '',
          created_at: '2019-03-01T18:00:00Z',
        })),
      });
    }
    if (/^\/api\/twitch\/helix\/moderation\/channels\/?$/.test(path) && method === 'GET') {
      const moderates =
        linked.id !== TAU_SIM_BROADCASTER.id &&
        options.moderatorOfChannel === true &&
        url.searchParams.get('user_id') === linked.id;
      return json(res, 200, {
        data: moderates
          ? [
              {
                broadcaster_id: TAU_SIM_BROADCASTER.id,
                broadcaster_login: TAU_SIM_BROADCASTER.login,
                broadcaster_name: TAU_SIM_BROADCASTER.display_name,
              },
            ]
          : [],
        pagination: {},
      });
    }
    const moderationRoute = /^\/api\/twitch\/helix\/moderation\/(bans|chat)\/?$/.exec(path);
    if (moderationRoute) {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () =>
        helixModeration(
          moderationRoute[1] as 'bans' | 'chat',
          method,
          url,
          req.headers['content-type'] ?? '',
          raw,
          res,
        ),
      );
      return;
    }
    json(res, 404, { detail: 'Not found.' });
  });

  /**
   * What TAU's `helix_view` forwards as the body: DRF's `request.data`, parsed by the request's
   * content type (JSON, or a form, which becomes an object of each field's last value), then sent
   * on with `requests.post(url, json=body)`, so Twitch always gets JSON. Another content type is
   * DRF's 415, bad JSON its 400; an empty body is `{}`.
   */
  function tauRequestData(
    contentType: string,
    raw: string,
  ): { ok: true; data: unknown } | { ok: false; status: number; detail: string } {
    if (!raw) return { ok: true, data: {} };
    const media = contentType.split(';')[0]!.trim().toLowerCase();
    if (media === 'application/json') {
      try {
        return { ok: true, data: JSON.parse(raw) };
      } catch (error) {
        return { ok: false, status: 400, detail: `JSON parse error - ${(error as Error).message}` };
      }
    }
    if (media === 'application/x-www-form-urlencoded')
      return { ok: true, data: Object.fromEntries(new URLSearchParams(raw)) };
    return {
      ok: false,
      status: 415,
      detail: `Unsupported media type "${contentType}" in request.`,
    };
  }

  /**
   * Twitch's `moderation/bans` and `moderation/chat` as TAU forwards them (status and body passed
   * through): the token is the linked account's, so it must be the broadcaster or one of their
   * moderators, and name itself as `moderator_id`. TAU forwards the query string verbatim, a POST
   * body re-encoded as JSON, and no body on a DELETE.
   */
  function helixModeration(
    route: 'bans' | 'chat',
    method: string,
    url: URL,
    contentType: string,
    raw: string,
    res: http.ServerResponse,
  ): void {
    const query = Object.fromEntries(url.searchParams);
    const parsed = tauRequestData(contentType, raw);
    if (!parsed.ok) {
      helixCalls.push({ method, path: `/moderation/${route}`, query, status: parsed.status });
      return json(res, parsed.status, { detail: parsed.detail });
    }
    const body: unknown =
      method === 'POST' || method === 'PUT' || method === 'PATCH' ? parsed.data : undefined;
    const answer = (status: number, payload?: unknown) => {
      helixCalls.push({
        method,
        path: `/moderation/${route}`,
        query,
        ...(body !== undefined ? { body } : {}),
        status,
      });
      if (payload === undefined) {
        res.writeHead(status);
        res.end();
      } else json(res, status, payload);
    };
    const twitchError = (status: number, message: string) =>
      answer(status, { error: http.STATUS_CODES[status] ?? 'Error', status, message });
    if (scopeMissing)
      return twitchError(
        401,
        `Missing scope: ${route === 'bans' ? 'moderator:manage:banned_users' : 'moderator:manage:chat_messages'}`,
      );
    if (!query.broadcaster_id)
      return twitchError(400, 'Missing required parameter "broadcaster_id"');
    if (!query.moderator_id) return twitchError(400, 'Missing required parameter "moderator_id"');
    if (query.moderator_id !== linked.id)
      return twitchError(
        403,
        'The ID in moderator_id must match the user ID in the user access token.',
      );
    if (query.broadcaster_id !== TAU_SIM_BROADCASTER.id)
      return twitchError(400, 'The ID in broadcaster_id is not valid.');
    if (linked.id !== TAU_SIM_BROADCASTER.id && options.moderatorOfChannel !== true)
      return twitchError(
        403,
        "The user in moderator_id is not one of the broadcaster's moderators.",
      );
    const moderator = {
      moderator_user_id: linked.id,
      moderator_user_login: linked.login,
      moderator_user_name: linked.display_name,
    };
    const channel = {
      broadcaster_user_id: TAU_SIM_BROADCASTER.id,
      broadcaster_user_login: TAU_SIM_BROADCASTER.login,
      broadcaster_user_name: TAU_SIM_BROADCASTER.display_name,
    };
    const userById = (id: string) =>
      [...knownUsers.values()].find((u) => u.id === id) ?? {
        id,
        login: `user${id}`,
        display_name: `user${id}`,
      };
    if (route === 'chat') {
      if (method !== 'DELETE') return twitchError(405, 'Method Not Allowed');
      if (query.message_id) {
        if (!postedIds.has(query.message_id))
          return twitchError(404, 'The ID in message_id was not found.');
        deletedMessages.push(query.message_id);
      } else clears++;
      return answer(204);
    }
    if (method === 'POST') {
      const data =
        typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
      const userId =
        typeof data === 'object' && data !== null
          ? (data as { user_id?: unknown }).user_id
          : undefined;
      const duration =
        typeof data === 'object' && data !== null
          ? (data as { duration?: unknown }).duration
          : undefined;
      if (typeof userId !== 'string' || !userId)
        return twitchError(400, 'Missing required parameter "data.user_id"');
      if (
        duration !== undefined &&
        (typeof duration !== 'number' ||
          !Number.isInteger(duration) ||
          duration < 1 ||
          duration > 1_209_600)
      ) {
        return twitchError(400, 'The value in the duration field is not valid.');
      }
      if (userId === TAU_SIM_BROADCASTER.id)
        return twitchError(400, 'The user specified in the user_id field may not be banned.');
      const existing = bans.get(userId);
      if (existing !== undefined && (existing === Infinity || existing > Date.now()))
        return twitchError(400, 'The user specified in the user_id field is already banned.');
      const now = new Date();
      const endsAt =
        typeof duration === 'number' ? new Date(now.getTime() + duration * 1000) : undefined;
      bans.set(userId, endsAt ? endsAt.getTime() : Infinity);
      const user = userById(userId);
      emitEvent('channel-ban', {
        user_id: user.id,
        user_login: user.login,
        user_name: user.display_name,
        ...channel,
        ...moderator,
        reason: '',
        banned_at: now.toISOString(),
        ends_at: endsAt ? endsAt.toISOString() : null,
        is_permanent: endsAt === undefined,
      });
      return answer(200, {
        data: [
          {
            broadcaster_id: TAU_SIM_BROADCASTER.id,
            moderator_id: linked.id,
            user_id: userId,
            created_at: now.toISOString(),
            end_time: endsAt ? endsAt.toISOString() : null,
          },
        ],
      });
    }
    if (method === 'DELETE') {
      const userId = query.user_id;
      if (!userId) return twitchError(400, 'Missing required parameter "user_id"');
      const existing = bans.get(userId);
      if (existing === undefined || (existing !== Infinity && existing <= Date.now()))
        return twitchError(400, 'The user specified in the user_id field is not banned.');
      bans.delete(userId);
      const user = userById(userId);
      emitEvent('channel-unban', {
        user_id: user.id,
        user_login: user.login,
        user_name: user.display_name,
        ...channel,
        ...moderator,
      });
      return answer(204);
    }
    return twitchError(405, 'Method Not Allowed');
  }

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    let kind: Kind;
    let login: string | undefined;
    if (path === '/ws/twitch-events/') {
      kind = 'events';
      connections.events++;
    } else {
      const m = /^\/ws\/chat-bots\/([^/]+)\/$/.exec(path);
      if (!m) return void socket.destroy();
      kind = 'chat';
      connections.chat++;
      login = decodeURIComponent(m[1]!);
      // ChatBot.objects.get(user_login__iexact=…) fails: close() before accept() refuses the handshake.
      if (!bots.has(login.toLowerCase())) {
        socket.write('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return void socket.destroy();
      }
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = { ws, kind, login, authed: false };
      clients.add(client);
      ws.on('close', (code) => {
        clients.delete(client);
        closes.push({ kind, code });
      });
      ws.on('error', () => clients.delete(client));
      ws.on('message', (raw) => onFrame(client, raw.toString()));
    });
  });

  function onFrame(client: Client, text: string): void {
    const { ws, kind } = client;
    let frame: unknown;
    let isJson = true;
    try {
      frame = JSON.parse(text);
    } catch {
      isJson = false;
    }
    if (client.authed) {
      if (kind === 'events') return; // the events consumer ignores frames after the token
      // Authenticated chat-bot sockets: every frame is an irc-send; json.loads raising → 1011.
      if (!isJson || typeof frame !== 'object' || frame === null || Array.isArray(frame))
        return void ws.close(1011);
      const f = frame as Record<string, unknown>;
      const message = String(f.message ?? '');
      if (/[\r\n]/.test(message)) newlineViolations++;
      sent.push({
        bot: client.login!,
        irc_channel: String(f.irc_channel ?? ''),
        message,
        receivedAt: Date.now(),
      });
      return;
    }
    // Unauthenticated: only a JSONDecodeError is caught; a non-object fails on .keys() → 1011.
    if (isJson && (typeof frame !== 'object' || frame === null || Array.isArray(frame)))
      return void ws.close(1011);
    const f = (isJson ? frame : {}) as Record<string, unknown>;
    if ('token' in f) {
      if (f.token !== TAU_SIM_TOKEN) {
        connections.badTokenSockets++;
        // Token.DoesNotExist escapes the consumer: Daphne closes with 1011.
        if (!options.legacyBadToken) return void ws.close(1011);
        if (kind === 'chat')
          ws.send(JSON.stringify({ error: 'the provided token does not match any users.' }));
        return;
      }
      client.authed = true;
      return;
    }
    // No token: the chat-bot consumer says so; both call close() without await, which never closes.
    if (kind === 'chat')
      ws.send(JSON.stringify({ error: 'the provided token does not match any users.' }));
  }

  /** Sockets in a chat bot's group: the ones whose URL login is exactly TAU's (lowercase) login. */
  const chatGroup = (botLogin: string) =>
    [...clients].filter((c) => c.kind === 'chat' && c.login === botLogin);

  const keepAlive = setInterval(() => {
    if (stalled) return;
    const frame = JSON.stringify({ event: 'keep_alive' });
    // Events: to every socket, authenticated or not. Chat bots: to each bot's group.
    for (const c of clients) if (c.kind === 'events') send(c, frame);
    for (const bot of bots) for (const c of chatGroup(bot)) send(c, frame);
  }, options.keepAliveMs ?? 120_000);

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const postChat: TauSimulator['postChat'] = (line) => {
    const id = randomUUID();
    const login = line.user.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    const parent =
      typeof line.replyTo === 'string'
        ? postedLines.get(line.replyTo)
        : line.replyTo
          ? {
              login: line.replyTo.user.toLowerCase().replace(/[^a-z0-9_]/g, '_'),
              display: line.replyTo.user,
              userId: line.replyTo.userId ?? String(100000 + (seq++ % 900000)),
              text: line.replyTo.text,
            }
          : undefined;
    if (typeof line.replyTo === 'string' && !parent)
      throw new Error(`no posted line ${line.replyTo} to reply to`);
    const parentId = typeof line.replyTo === 'string' ? line.replyTo : line.replyTo?.id;
    // Twitch's reply box starts the text with the parent's name.
    const text = parent ? `@${parent.display} ${line.text}` : line.text;
    const body = line.action ? `\u0001ACTION ${text}\u0001` : text;
    const badges = line.badges ?? {};
    // For /me lines Twitch counts emote positions in the action text, without `\u0001ACTION `.
    const emotes = line.emotes ?? findEmotes(text);
    const tags: Array<[string, string]> = [
      ['badge-info', badges.subscriber ? `subscriber/${badges.subscriber}` : ''],
      [
        'badges',
        Object.entries(badges)
          .map(([k, v]) => `${k}/${v}`)
          .join(','),
      ],
      ['color', line.color ?? ''],
      ['display-name', line.user],
      [
        'emotes',
        emotes
          .map((e) => `${e.id}:${e.positions.map(([s, en]) => `${s}-${en}`).join(',')}`)
          .join('/'),
      ],
      ['first-msg', '0'],
      ['flags', ''],
      ['id', id],
      ['mod', badges.moderator ? '1' : '0'],
      ...((parent && parentId
        ? [
            ['reply-parent-display-name', escapeTagValue(parent.display)],
            ['reply-parent-msg-body', escapeTagValue(parent.text)],
            ['reply-parent-msg-id', parentId],
            ['reply-parent-user-id', parent.userId],
            ['reply-parent-user-login', parent.login],
            ['reply-thread-parent-msg-id', parent.thread ?? parentId],
            [
              'reply-thread-parent-user-login',
              (parent.thread && postedLines.get(parent.thread)?.login) ?? parent.login,
            ],
          ]
        : []) as Array<[string, string]>),
      ['returning-chatter', '0'],
      ['room-id', TAU_SIM_BROADCASTER.id],
      ['subscriber', badges.subscriber ? '1' : '0'],
      ['tmi-sent-ts', String(Date.now())],
      ['turbo', '0'],
      ['user-id', line.userId ?? knownUsers.get(login)?.id ?? String(100000 + (seq++ % 900000))],
      ['user-type', badges.moderator ? 'mod' : ''],
    ];
    const userIdTag = tags.find(([k]) => k === 'user-id')![1];
    if (!knownUsers.has(login))
      knownUsers.set(login, { id: userIdTag, login, display_name: line.user });
    postedIds.add(id);
    postedLines.set(id, {
      login,
      display: line.user,
      userId: userIdTag,
      text: line.action ? `\u0001ACTION ${text}\u0001` : text,
      ...(parent && parentId ? { thread: parent.thread ?? parentId } : {}),
    });
    const raw = `@${tags.map(([k, v]) => `${k}=${v}`).join(';')} :${login}!${login}@${login}.tmi.twitch.tv PRIVMSG #${TAU_SIM_CHANNEL} :${body}\r\n`;
    const data = parseIrc(raw);
    // Every bot's IRC connection sees the line and posts it to its own group, even to sockets
    // that have not sent a token yet (as TAU's chat-bot consumer does).
    for (const bot of bots) {
      const text = JSON.stringify({ irc_username: bot, data });
      for (const c of chatGroup(bot)) send(c, text);
    }
    return id;
  };

  const emitEvent: TauSimulator['emitEvent'] = (type, data, origin = 'twitch') => {
    const envelope: TauSimEnvelope =
      origin === 'test'
        ? {
            id: null,
            event_id: type === 'subscribe' ? null : randomUUID(),
            event_type: type,
            event_source: 'TestCall',
            event_data: data,
            created: isoNow(),
            origin,
          }
        : {
            id: randomUUID(),
            event_id: randomUUID(),
            event_type: type,
            event_source: 'EventSub',
            event_data: data,
            created: storedTime(),
            origin,
          };
    if (origin === 'twitch') storedEvents.push(envelope);
    broadcastEvent(envelope);
    return envelope;
  };

  function replayEvent(id: string): TauSimEnvelope | undefined {
    const stored = storedEvents.find((e) => e.id === id);
    if (!stored) return undefined;
    // The serializer's own data with only origin changed: same id and event_id as the original.
    const envelope = { ...stored, origin: 'replay' };
    broadcastEvent(envelope);
    return envelope;
  }

  let tick = 0;
  return {
    url,
    port,
    sent,
    get newlineViolations() {
      return newlineViolations;
    },
    testEvents,
    helixCalls,
    bans,
    deletedMessages,
    get clears() {
      return clears;
    },
    missingModerationScope(on) {
      scopeMissing = on;
    },
    storedEvents,
    requests,
    connections,
    closes,
    get openSockets() {
      return clients.size;
    },
    postChat,
    emitEvent,
    replayEvent,
    dropConnections() {
      for (const c of clients) c.ws.terminate();
    },
    stallKeepAlives(on) {
      stalled = on;
    },
    injectRaw(kind, text) {
      for (const c of clients) if (c.kind === kind) send(c, text);
    },
    startChatter(intervalMs = 1500) {
      clearInterval(chatter);
      chatter = setInterval(() => {
        tick++;
        const user = VIEWERS[tick % VIEWERS.length]!;
        const b = {
          broadcaster_user_id: TAU_SIM_BROADCASTER.id,
          broadcaster_user_login: TAU_SIM_BROADCASTER.login,
          broadcaster_user_name: TAU_SIM_BROADCASTER.display_name,
        };
        const viewer = { user_id: String(9000 + (tick % 50)), user_login: user, user_name: user };
        if (tick % 23 === 0)
          emitEvent('channel-follow', { ...viewer, ...b, followed_at: new Date().toISOString() });
        else if (tick % 29 === 0)
          emitEvent('channel-subscribe', { ...viewer, ...b, tier: '1000', is_gift: false });
        else if (tick % 37 === 0)
          emitEvent('channel-cheer', {
            ...viewer,
            ...b,
            is_anonymous: false,
            bits: 100 * (1 + (tick % 5)),
            message: 'Cheer100 great stream',
          });
        else if (tick % 53 === 0)
          emitEvent('channel-raid', {
            from_broadcaster_user_id: '77',
            from_broadcaster_user_login: 'friendlycoder',
            from_broadcaster_user_name: 'FriendlyCoder',
            to_broadcaster_user_id: b.broadcaster_user_id,
            to_broadcaster_user_login: b.broadcaster_user_login,
            to_broadcaster_user_name: b.broadcaster_user_name,
            viewers: 42,
          });
        else {
          postChat({
            user,
            text: CHATTER[tick % CHATTER.length]!,
            color: COLORS[tick % COLORS.length],
            badges:
              tick % 4 === 0
                ? { subscriber: '12' }
                : tick % 9 === 0
                  ? { moderator: '1' }
                  : tick % 11 === 0
                    ? { vip: '1' }
                    : {},
            action: tick % 17 === 0,
            userId: String(9000 + (tick % 50)),
          });
        }
      }, intervalMs);
    },
    stopChatter() {
      clearInterval(chatter);
    },
    settings: () => ({
      'streamChat.tau.enabled': true,
      'streamChat.tau.url': url,
      'streamChat.tau.chatBot': TAU_SIM_BOT,
      'streamChat.tau.channel': TAU_SIM_CHANNEL,
    }),
    async close() {
      clearInterval(keepAlive);
      clearInterval(chatter);
      for (const c of clients) c.ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
