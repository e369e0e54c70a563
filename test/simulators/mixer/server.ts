import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

// A local stand-in for Mixer's REST API and chat socket, written from the developer docs
// (mixer/developer-docs `reference/chat/**`, `reference/chat/connection`) and checked against the
// official client `@mixer/chat-client-websocket`. It shares no code with src/: a simulator that
// used the client's codec would share its bugs.
//
// Where the docs are silent the simulator makes a choice and says so ("guess:").

/** A valid OAuth token: the channel owner, who may chat. */
export const MIXER_SIM_TOKEN = 'mixer-sim-owner-token-5d41402abc4b2a76';
/** A valid OAuth token of a viewer without the `chat` permission in the channel. */
export const MIXER_SIM_MUTED_TOKEN = 'mixer-sim-muted-token-7e2f9c01aa6b3c54';
/** The channel's username (its `token` in Mixer's REST API). */
export const MIXER_SIM_CHANNEL = 'codercat';
/** The channel's numeric id. */
export const MIXER_SIM_CHANNEL_ID = 160788;
/** The owner's user id (a different number from the channel id, as on Mixer). */
export const MIXER_SIM_USER_ID = 202834;
export const MIXER_SIM_MUTED_USER_ID = 202999;
/** A client id to put in `streamChat.mixer.clientId`. */
export const MIXER_SIM_CLIENT_ID = 'mixer-sim-client-id-3f8a6b';

/** Options for `startMixerSimulator`. */
export interface MixerSimulatorOptions {
  readonly host?: string;
  /** Port of the REST API and the first chat endpoint (0: any free port). */
  readonly port?: number;
  /** More chat-only servers, each on its own port, advertised after the first. */
  readonly extraChatServers?: number;
  /** How long an authkey stays valid (Mixer: "short lived"). */
  readonly authkeyTtlMs?: number;
  /** Chat rate limit per user: more than `messages` in `windowMs` gets error 4005. */
  readonly rateLimit?: { readonly messages: number; readonly windowMs: number };
  /** Auth errors as the first docs show them (`"UNOTFOUND"`) or as the later ones (`{code:1,message:"UNOTFOUND"}`). */
  readonly authErrorStyle?: 'string' | 'object';
}

/** A chat line for `postChat`. */
export interface SimChatLine {
  readonly user: string;
  readonly text: string;
  readonly userId?: number;
  /** Mixer roles, e.g. `['Mod', 'User']`; default `['User']`. */
  readonly roles?: readonly string[];
  /** `/me` action. */
  readonly me?: boolean;
  /** Visible only to moderators and the owner, with CatBot's note. */
  readonly censored?: boolean;
  /** Message segments to send as they are, instead of parsing `text`. */
  readonly segments?: readonly unknown[];
}

/** One REST request, as the simulator saw it. */
export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly clientId?: string;
  readonly authorization: 'none' | 'valid' | 'invalid';
  readonly status: number;
}

/** One chat socket connection attempt that reached the simulator. */
export interface SimSocketConnection {
  /** Index into `chatUrls`. */
  readonly server: number;
  readonly url: string;
  readonly clientIdHeader?: string;
  readonly clientIdQuery?: string;
  readonly version?: string;
  readonly refused: boolean;
}

/** One `auth` call and what the simulator answered. */
export interface SimAuthAttempt {
  readonly args: readonly unknown[];
  readonly outcome: 'authenticated' | 'anonymous' | 'UNOTFOUND' | 'UACCESS';
}

/** One moderation call the simulator saw. */
export interface SimModeration {
  readonly method: 'deleteMessage' | 'timeout' | 'purge' | 'clearMessages' | 'ban' | 'unban';
  readonly args: readonly unknown[];
  /** The user who asked. */
  readonly by: number | undefined;
  readonly ok: boolean;
}

/** The running simulator and its test hooks. */
export interface MixerSimulator {
  /** REST base to put in `streamChat.mixer.apiUrl` (`http://127.0.0.1:<port>/api/v1`). */
  readonly apiUrl: string;
  readonly port: number;
  /** Every live chat socket URL, first server first. */
  readonly chatUrls: readonly string[];
  /** What `/chats/{id}` advertises as `endpoints` now. */
  readonly endpoints: readonly string[];
  /** Messages users sent with `msg`, in order. */
  readonly sent: Array<{ text: string; userId: number }>;
  readonly requests: SimRequest[];
  readonly socketConnections: SimSocketConnection[];
  readonly authAttempts: SimAuthAttempt[];
  /** Every authkey handed out, in order. */
  readonly issuedAuthkeys: string[];
  /** Moderation calls (chat methods and ban/unban over REST) and how they ended. */
  readonly moderation: SimModeration[];
  /** Users banned in the channel now (ids). */
  readonly banned: ReadonlySet<number>;
  /** Users timed out now: id → when it ends (epoch ms). */
  readonly timedOut: ReadonlyMap<number, number>;
  /** Sockets open right now. */
  readonly openSockets: number;
  /** Replaces the advertised endpoint list (e.g. a dead endpoint first). */
  setEndpoints(urls: readonly string[]): void;
  /** Posts a chat message from a viewer to every socket; returns its id. */
  postChat(line: SimChatLine): string;
  deleteMessage(id: string): void;
  purgeUser(
    userId: number,
    cause?: { type: 'ban' | 'timeout' | 'globaltimeout'; durationString?: string },
  ): void;
  clearMessages(): void;
  /** Sends any event to every socket. */
  emitEvent(name: string, data: unknown): void;
  /** Sends raw text to every socket (malformed frames). */
  injectRaw(text: string): void;
  /** Cuts every socket without a close handshake (the network died). */
  dropConnections(): void;
  /** While on, the chat server neither answers nor sends anything, native pongs included. */
  stall(on: boolean): void;
  /** While on, new sockets get no WelcomeEvent. */
  withholdWelcome(on: boolean): void;
  /** While on, new sockets are refused with HTTP 503 (an outage). */
  refuseConnections(on: boolean): void;
  /** While set, `msg` fails with error 4007 and this message (channel level restriction). */
  restrictChat(message: string | undefined): void;
  /** The next `times` REST requests answer `status` (429 gets `Retry-After: 1`). */
  failRest(status: number, times?: number): void;
  /** Starts scripted coding-stream chatter with occasional moderation and events (for the demo). */
  startChatter(intervalMs?: number): void;
  stopChatter(): void;
  /** VS Code settings that point Stream Chat at this simulator. */
  settings(): Record<string, unknown>;
  close(): Promise<void>;
}

interface SimUser {
  readonly id: number;
  readonly username: string;
  readonly roles: readonly string[];
  readonly level: number;
  readonly permissions: readonly string[];
}

interface Authkey {
  readonly userId: number;
  readonly channelId: number;
  readonly expiresAt: number;
  used: boolean;
}

interface ChatSocket {
  readonly ws: WebSocket;
  user: SimUser | undefined;
  joined: boolean;
}

const OWNER: SimUser = {
  id: MIXER_SIM_USER_ID,
  username: MIXER_SIM_CHANNEL,
  roles: ['Owner', 'User'],
  level: 87,
  permissions: [
    'chat',
    'connect',
    'poll_vote',
    'poll_start',
    'clear_messages',
    'purge',
    'giveaway_start',
    'remove_message',
    'timeout',
  ],
};
const MUTED: SimUser = {
  id: MIXER_SIM_MUTED_USER_ID,
  username: 'quietviewer',
  roles: ['User'],
  level: 3,
  permissions: ['connect'],
};
const MODERATOR = {
  user_name: 'ModBot',
  user_id: 1003,
  user_roles: ['Mod', 'User'],
  user_level: 30,
};
/** The unauthenticated `/chats/{id}` permissions, as in the connection doc's example. */
const ANONYMOUS_PERMISSIONS = ['chat', 'connect', 'poll_vote'];

// Built-in emoticons of the `default` pack and where they sit in its sprite sheet (24 px cells).
const BUILTIN_EMOTICONS: Readonly<Record<string, { x: number; y: number }>> = {
  ':)': { x: 96, y: 0 },
  ':D': { x: 120, y: 0 },
  ':(': { x: 144, y: 0 },
  ';)': { x: 168, y: 0 },
  ':P': { x: 0, y: 24 },
  '<3': { x: 24, y: 24 },
};
const PARTNER_EMOTICON = {
  code: ':codercatHype',
  pack: 'https://uploads.mixer.com/emoticons/codercat-hype.png',
  x: 24,
  y: 48,
};

/** A port where nothing listens (for a dead endpoint): bound, then released. */
export async function findDeadPort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the simulator on loopback. */
export async function startMixerSimulator(
  options: MixerSimulatorOptions = {},
): Promise<MixerSimulator> {
  const host = options.host ?? '127.0.0.1';
  const authkeyTtlMs = options.authkeyTtlMs ?? 60_000;
  const rateLimit = options.rateLimit ?? { messages: 20, windowMs: 10_000 };
  const authErrorStyle = options.authErrorStyle ?? 'string';

  const usersByToken = new Map<string, SimUser>([
    [MIXER_SIM_TOKEN, OWNER],
    [MIXER_SIM_MUTED_TOKEN, MUTED],
  ]);
  const authkeys = new Map<string, Authkey>();
  const sockets = new Set<ChatSocket>();
  const history: Array<Record<string, unknown>> = [];
  const sendTimes = new Map<number, number[]>();
  const knownUserIds = new Map<string, number>([[OWNER.username.toLowerCase(), OWNER.id]]);

  const sent: Array<{ text: string; userId: number }> = [];
  const requests: SimRequest[] = [];
  const socketConnections: SimSocketConnection[] = [];
  const authAttempts: SimAuthAttempt[] = [];
  const issuedAuthkeys: string[] = [];
  const moderation: SimModeration[] = [];
  const banned = new Set<number>();
  const timedOut = new Map<number, number>();

  let isStalled = false;
  let isWelcomeWithheld = false;
  let isRefusing = false;
  let chatRestriction: string | undefined;
  let restFailures: { status: number; remaining: number } | undefined;
  let advertised: string[] | undefined;
  let chatterTimer: NodeJS.Timeout | undefined;
  /** Follow-ups the chatter scheduled (a delete after a spam line, a poll's end). */
  const chatterFollowUps = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms: number) => {
    const timer = setTimeout(() => {
      chatterFollowUps.delete(timer);
      fn();
    }, ms);
    chatterFollowUps.add(timer);
  };
  let nextViewerId = 5000;

  const wss = new WebSocketServer({ noServer: true, autoPong: false });

  // ---- REST --------------------------------------------------------------------------------------

  const apiServer = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const clientId = header(req, 'client-id');
    const bearer = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
    const user = bearer ? usersByToken.get(bearer) : undefined;
    const authorization: SimRequest['authorization'] =
      bearer === undefined ? 'none' : user ? 'valid' : 'invalid';
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        ...(clientId ? { clientId } : {}),
        authorization,
        status,
      });
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...extra });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, name: string, message: string, extra?: Record<string, string>) =>
      reply(status, { statusCode: status, error: name, message }, extra);

    if (restFailures && restFailures.remaining > 0) {
      restFailures.remaining--;
      const status = restFailures.status;
      return error(
        status,
        http.STATUS_CODES[status] ?? 'Error',
        'Simulated failure.',
        status === 429 ? { 'Retry-After': '1' } : {},
      );
    }
    let match: RegExpExecArray | null;
    // Channel roles (`PATCH /channels/{id}/users/{userId}` with `add`/`remove`): how Mixer bans.
    if (
      req.method === 'PATCH' &&
      (match = /^\/api\/v1\/channels\/(\d+)\/users\/(\d+)$/.exec(url.pathname))
    ) {
      const channelId = Number(match[1]);
      const targetId = Number(match[2]);
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        let patch: unknown;
        try {
          patch = JSON.parse(body);
        } catch {
          patch = undefined;
        }
        const add = isObject(patch) && Array.isArray(patch.add) ? patch.add : [];
        const remove = isObject(patch) && Array.isArray(patch.remove) ? patch.remove : [];
        const method = add.includes('Banned') ? 'ban' : 'unban';
        const record = (ok: boolean) =>
          moderation.push({ method, args: [targetId], by: user?.id, ok });
        if (!user) {
          record(false);
          return error(401, 'Unauthorized', 'You must be signed in to perform this action.');
        }
        if (channelId !== MIXER_SIM_CHANNEL_ID) {
          record(false);
          return error(404, 'Not Found', 'Channel not found.');
        }
        // guess: the docs give the 403 of a role change without its sentence.
        if (!user.roles.some((r) => r === 'Owner' || r === 'Mod')) {
          record(false);
          return error(
            403,
            'Forbidden',
            'You do not have permission to change the roles of users in this channel.',
          );
        }
        if (!add.includes('Banned') && !remove.includes('Banned')) {
          record(false);
          return error(400, 'Bad Request', 'Only the Banned role can be changed in the simulator.');
        }
        record(true);
        const name = [...knownUserIds].find(([, id]) => id === targetId)?.[0] ?? `user${targetId}`;
        if (method === 'ban') {
          banned.add(targetId);
          // A ban purges the user's messages; the PurgeMessage of a ban has no moderator.
          purge(targetId, undefined, { type: 'ban' });
        } else banned.delete(targetId);
        const roles = method === 'ban' ? ['Banned', 'User'] : ['User'];
        broadcast({
          type: 'event',
          event: 'UserUpdate',
          data: { user: targetId, username: name, roles, permissions: [] },
        });
        return reply(200, {
          id: targetId,
          username: name,
          groups: roles.map((r) => ({ name: r })),
        });
      });
      return;
    }
    if (req.method !== 'GET')
      return error(405, 'Method Not Allowed', 'Only GET and the channel-role PATCH are simulated.');

    if ((match = /^\/api\/v1\/channels\/([^/]+)$/.exec(url.pathname))) {
      const key = decodeURIComponent(match[1]!);
      const isOurs =
        key.toLowerCase() === MIXER_SIM_CHANNEL || key === String(MIXER_SIM_CHANNEL_ID);
      if (!isOurs) return error(404, 'Not Found', 'Channel not found.');
      const channel: Record<string, unknown> = {
        id: MIXER_SIM_CHANNEL_ID,
        userId: MIXER_SIM_USER_ID,
        token: MIXER_SIM_CHANNEL,
        name: 'Live coding: a chat extension for VS Code',
        online: true,
        viewersCurrent: 42,
      };
      // `?fields=id` narrows the answer to the listed fields.
      const fields = url.searchParams.get('fields')?.split(',').filter(Boolean);
      return reply(
        200,
        fields
          ? Object.fromEntries(fields.filter((f) => f in channel).map((f) => [f, channel[f]]))
          : channel,
      );
    }
    if (url.pathname === '/api/v1/users/current') {
      if (!user) return error(401, 'Unauthorized', 'You must be signed in to perform this action.');
      return reply(200, {
        id: user.id,
        username: user.username,
        level: user.level,
        channel: {
          id: user.id === OWNER.id ? MIXER_SIM_CHANNEL_ID : user.id + 1,
          token: user.username,
        },
      });
    }
    if ((match = /^\/api\/v[12]\/chats\/([^/]+)$/.exec(url.pathname))) {
      if (match[1] !== String(MIXER_SIM_CHANNEL_ID))
        return error(404, 'Not Found', 'Channel not found.');
      if (bearer !== undefined && !user) return error(401, 'Unauthorized', 'Invalid token.');
      const endpoints = advertised ?? chatUrls;
      if (!user) return reply(200, { endpoints, permissions: ANONYMOUS_PERMISSIONS });
      const authkey = randomBytes(16).toString('hex');
      authkeys.set(authkey, {
        userId: user.id,
        channelId: MIXER_SIM_CHANNEL_ID,
        expiresAt: Date.now() + authkeyTtlMs,
        used: false,
      });
      issuedAuthkeys.push(authkey);
      return reply(200, { authkey, endpoints, permissions: user.permissions });
    }
    return error(404, 'Not Found', 'No such endpoint in the simulator.');
  });

  // ---- chat socket ---------------------------------------------------------------------------------

  const chatServers: http.Server[] = [apiServer];
  for (let i = 0; i < (options.extraChatServers ?? 0); i++) {
    chatServers.push(http.createServer((_req, res) => res.writeHead(426).end('Upgrade Required')));
  }
  chatServers.forEach((server, index) =>
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://sim');
      const clientIdHeader = header(req, 'client-id');
      const clientIdQuery = url.searchParams.get('Client-ID') ?? undefined;
      const version = url.searchParams.get('version') ?? undefined;
      socketConnections.push({
        server: index,
        url: req.url ?? '/',
        ...(clientIdHeader ? { clientIdHeader } : {}),
        ...(clientIdQuery ? { clientIdQuery } : {}),
        ...(version ? { version } : {}),
        refused: isRefusing,
      });
      if (isRefusing) {
        socket.end(
          'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => acceptSocket(ws));
    }),
  );

  function acceptSocket(ws: WebSocket): void {
    const conn: ChatSocket = { ws, user: undefined, joined: false };
    sockets.add(conn);
    ws.on('close', () => sockets.delete(conn));
    ws.on('error', () => sockets.delete(conn));
    // Native pings (the official client's liveness on Node) are answered by hand so `stall` can stop them.
    ws.on('ping', (data) => {
      if (!isStalled) ws.pong(data);
    });
    ws.on('message', (data, isBinary) => {
      if (isStalled) return;
      handleFrame(conn, isBinary ? undefined : data.toString());
    });
    if (!isWelcomeWithheld && !isStalled)
      sendTo(conn, { type: 'event', event: 'WelcomeEvent', data: { server: randomUUID() } });
  }

  function handleFrame(conn: ChatSocket, text: string | undefined): void {
    let packet: unknown;
    try {
      packet = text === undefined ? undefined : JSON.parse(text);
    } catch {
      packet = undefined;
    }
    if (!isObject(packet) || packet.type !== 'method' || typeof packet.method !== 'string') {
      // guess: the docs name UNOTJSON but not the reply's id for an unreadable packet.
      sendTo(conn, {
        type: 'reply',
        error: 'UNOTJSON',
        id: isObject(packet) && typeof packet.id === 'number' ? packet.id : null,
      });
      return;
    }
    const id = typeof packet.id === 'number' ? packet.id : null;
    const args = Array.isArray(packet.arguments) ? packet.arguments : [];
    const ok = (data?: unknown) =>
      sendTo(
        conn,
        data === undefined
          ? { type: 'reply', error: null, id }
          : { type: 'reply', error: null, id, data },
      );
    const fail = (error: unknown) => sendTo(conn, { type: 'reply', error, id });
    const stringError = (code: 'UNOTFOUND' | 'UACCESS') =>
      authErrorStyle === 'string' ? code : { code: 1, message: code, stacktrace: '', data: {} };

    switch (packet.method) {
      case 'auth': {
        const [channelId, userId, key] = args;
        if (Number(channelId) !== MIXER_SIM_CHANNEL_ID) {
          // guess: an unknown channel reads as "no access".
          authAttempts.push({ args, outcome: 'UACCESS' });
          return fail(stringError('UACCESS'));
        }
        // The official client sends `[channel, null, null, null]` when anonymous.
        if ((userId === undefined || userId === null) && (key === undefined || key === null)) {
          conn.user = undefined;
          conn.joined = true;
          authAttempts.push({ args, outcome: 'anonymous' });
          return ok({ authenticated: false, roles: [] });
        }
        const entry = typeof key === 'string' ? authkeys.get(key) : undefined;
        const user = entry
          ? [...usersByToken.values()].find((u) => u.id === entry.userId)
          : undefined;
        // The authkey is single-use and short-lived (TroubleShooting doc): spent, expired or foreign → UNOTFOUND.
        if (
          !entry ||
          !user ||
          entry.used ||
          entry.expiresAt < Date.now() ||
          entry.userId !== Number(userId) ||
          entry.channelId !== MIXER_SIM_CHANNEL_ID
        ) {
          authAttempts.push({ args, outcome: 'UNOTFOUND' });
          return fail(stringError('UNOTFOUND'));
        }
        entry.used = true;
        conn.user = user;
        conn.joined = true;
        authAttempts.push({ args, outcome: 'authenticated' });
        return ok({ authenticated: true, roles: user.roles });
      }
      case 'msg': {
        const user = conn.user;
        // guess: the docs do not show the error for sending without signing in.
        if (!user) return fail({ code: 4000, message: 'You must be signed in to chat.' });
        if (!user.permissions.includes('chat'))
          return fail({
            code: 4000,
            message: 'You do not have permission to chat in this channel.',
          });
        // guess: the sentences for banned and timed-out senders.
        if (banned.has(user.id))
          return fail({ code: 4000, message: 'You are banned from this channel.' });
        if ((timedOut.get(user.id) ?? 0) > Date.now())
          return fail({ code: 4000, message: 'You are timed out in this channel.' });
        const text = args[0];
        if (typeof text !== 'string' || text.trim().length === 0)
          return fail({
            code: 4004,
            message: 'Bad request: the message must be a non-empty string.',
          });
        if (chatRestriction) return fail({ code: 4007, message: chatRestriction });
        const now = Date.now();
        const times = (sendTimes.get(user.id) ?? []).filter((t) => now - t < rateLimit.windowMs);
        if (times.length >= rateLimit.messages) {
          sendTimes.set(user.id, times);
          return fail({ code: 4005, message: 'Rate limited.' });
        }
        times.push(now);
        sendTimes.set(user.id, times);
        sent.push({ text, userId: user.id });
        const payload = chatPayload(
          { id: user.id, name: user.username, roles: user.roles, level: user.level },
          text,
        );
        remember(payload);
        // The reply carries the same ChatMessage that every socket (the sender's too) gets as an event.
        ok(payload);
        broadcast({ type: 'event', event: 'ChatMessage', data: payload });
        return;
      }
      case 'whisper': {
        const user = conn.user;
        const [target, text] = args;
        if (!user || typeof target !== 'string' || typeof text !== 'string')
          return fail({ code: 4004, message: 'Bad request.' });
        const payload: Record<string, unknown> = {
          ...chatPayload(
            { id: user.id, name: user.username, roles: user.roles, level: user.level },
            text,
          ),
          target,
        };
        (payload.message as { meta: Record<string, unknown> }).meta.whisper = true;
        ok(payload);
        for (const other of sockets) {
          if (other.user?.username.toLowerCase() === target.toLowerCase() || other === conn)
            sendTo(other, { type: 'event', event: 'ChatMessage', data: payload });
        }
        return;
      }
      case 'history': {
        const count = Math.max(0, Math.min(100, Number(args[0]) || 0));
        return ok(history.slice(-count));
      }
      case 'ping':
        // The ping doc's reply has no `data`.
        return ok();
      case 'optOutEvents':
        return ok();
      case 'deleteMessage': {
        const record = (ok: boolean) =>
          moderation.push({ method: 'deleteMessage', args, by: conn.user?.id, ok });
        if (!isModerator(conn))
          return (
            record(false),
            fail({ code: 4000, message: 'You do not have permission to delete messages.' })
          );
        const target = String(args[0]);
        if (!history.some((m) => m.id === target))
          return (record(false), fail({ code: 4003, message: 'Message not found.' }));
        record(true);
        deleteMessageById(target, moderatorOf(conn));
        return ok('Message deleted.');
      }
      case 'purge': {
        const record = (ok: boolean) =>
          moderation.push({ method: 'purge', args, by: conn.user?.id, ok });
        if (!isModerator(conn))
          return (
            record(false),
            fail({ code: 4002, message: 'You do not have permission to purge.' })
          );
        const userId = knownUserIds.get(String(args[0]).toLowerCase());
        if (userId === undefined)
          return (record(false), fail({ code: 4001, message: 'User not found.' }));
        record(true);
        purge(userId, moderatorOf(conn));
        return ok();
      }
      case 'timeout': {
        const record = (ok: boolean) =>
          moderation.push({ method: 'timeout', args, by: conn.user?.id, ok });
        // guess: the docs name no error for a timeout without permission; Unknown with a sentence.
        if (!isModerator(conn))
          return (
            record(false),
            fail({ code: 4000, message: 'You do not have permission to time out users.' })
          );
        const [name, duration] = args;
        const userId = typeof name === 'string' ? knownUserIds.get(name.toLowerCase()) : undefined;
        if (userId === undefined)
          return (record(false), fail({ code: 4001, message: 'User not found.' }));
        if (duration === 'clear') {
          record(true);
          timedOut.delete(userId);
          return ok(`${String(name)} is no longer timed out.`);
        }
        const ms = typeof duration === 'string' ? durationMs(duration) : undefined;
        if (ms === undefined)
          return (record(false), fail({ code: 4004, message: 'Bad request: invalid duration.' }));
        record(true);
        timedOut.set(userId, Date.now() + ms);
        purge(userId, moderatorOf(conn), { type: 'timeout', durationString: duration });
        // UserTimeout goes only to the one timed out.
        for (const other of sockets) {
          if (other.user?.id === userId)
            sendTo(other, {
              type: 'event',
              event: 'UserTimeout',
              data: {
                user: { user_name: String(name), user_id: userId, user_roles: other.user.roles },
                duration: ms,
              },
            });
        }
        return ok(`${String(name)} has been timed out for ${String(duration)}.`);
      }
      case 'clearMessages':
        if (!isModerator(conn))
          return (
            moderation.push({ method: 'clearMessages', args, by: conn.user?.id, ok: false }),
            fail({ code: 4000, message: 'You do not have permission to clear messages.' })
          );
        moderation.push({ method: 'clearMessages', args, by: conn.user?.id, ok: true });
        clear(moderatorOf(conn));
        return ok('Messages cleared.');
      default:
        // guess: the docs list no error for an unknown method; BadRequest is the closest code.
        return fail({ code: 4004, message: `Unknown method ${packet.method.slice(0, 40)}.` });
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  function sendTo(conn: ChatSocket, packet: unknown): void {
    if (isStalled || conn.ws.readyState !== WebSocket.OPEN) return;
    conn.ws.send(typeof packet === 'string' ? packet : JSON.stringify(packet));
  }

  function broadcast(packet: unknown, filter: (conn: ChatSocket) => boolean = () => true): void {
    for (const conn of sockets) if (conn.joined && filter(conn)) sendTo(conn, packet);
  }

  function isModerator(conn: ChatSocket): boolean {
    return conn.user !== undefined && conn.user.roles.some((r) => r === 'Owner' || r === 'Mod');
  }

  function moderatorOf(conn: ChatSocket): Record<string, unknown> {
    const user = conn.user!;
    return {
      user_name: user.username,
      user_id: user.id,
      user_roles: user.roles,
      user_level: user.level,
    };
  }

  function remember(payload: Record<string, unknown>): void {
    history.push(payload);
    if (history.length > 100) history.shift();
  }

  function chatPayload(
    author: { id: number; name: string; roles: readonly string[]; level: number },
    rawText: string,
    extra: { censored?: boolean; me?: boolean; segments?: readonly unknown[] } = {},
  ): Record<string, unknown> {
    let text = rawText;
    const meta: Record<string, unknown> = {};
    if (extra.me || text.startsWith('/me ')) {
      meta.me = true;
      if (text.startsWith('/me ')) text = text.slice(4);
    }
    const segments = extra.segments ? [...extra.segments] : parseSegments(text);
    if (extra.censored) {
      meta.censored = true;
      segments.push({ type: 'text', data: '( Removed by CatBot )', text: '( Removed by CatBot )' });
    }
    return {
      channel: MIXER_SIM_CHANNEL_ID,
      id: randomUUID(),
      user_name: author.name,
      user_id: author.id,
      user_roles: [...author.roles],
      user_level: author.level,
      user_avatar: `https://uploads.mixer.com/avatar/${author.id}.jpg`,
      message: { message: segments, meta },
    };
  }

  /** Splits text into Mixer segments: text, builtin/external emoticons, links and @tags. */
  function parseSegments(text: string): Array<Record<string, unknown>> {
    const segments: Array<Record<string, unknown>> = [];
    let run = '';
    const flush = () => {
      if (run) segments.push({ type: 'text', data: run, text: run });
      run = '';
    };
    for (const token of text.split(/(\s+)/)) {
      if (!token) continue;
      const builtin = BUILTIN_EMOTICONS[token];
      if (builtin) {
        flush();
        segments.push({
          type: 'emoticon',
          source: 'builtin',
          pack: 'default',
          coords: { ...builtin, width: 24, height: 24 },
          text: token,
        });
      } else if (token === PARTNER_EMOTICON.code) {
        flush();
        segments.push({
          type: 'emoticon',
          source: 'external',
          pack: PARTNER_EMOTICON.pack,
          coords: { x: PARTNER_EMOTICON.x, y: PARTNER_EMOTICON.y, width: 24, height: 24 },
          text: token,
        });
      } else if (/^@[A-Za-z0-9_]{1,20}$/.test(token)) {
        flush();
        const username = token.slice(1);
        segments.push({
          type: 'tag',
          username,
          text: token,
          id: knownUserIds.get(username.toLowerCase()) ?? 0,
        });
      } else if (/^(https?:\/\/\S+|[a-z0-9-]+\.(com|tv|dev|io|org)(\/\S*)?)$/i.test(token)) {
        flush();
        segments.push({
          type: 'link',
          url: /^https?:/i.test(token) ? token : `https://${token}`,
          text: token,
        });
      } else {
        run += token;
      }
    }
    flush();
    return segments;
  }

  function deleteMessageById(id: string, moderator: Record<string, unknown>): void {
    const index = history.findIndex((m) => m.id === id);
    if (index >= 0) history.splice(index, 1);
    broadcast({ type: 'event', event: 'DeleteMessage', data: { moderator, id } });
  }

  function purge(
    userId: number,
    moderator: Record<string, unknown> | undefined,
    cause?: unknown,
  ): void {
    for (let i = history.length - 1; i >= 0; i--)
      if (history[i]!.user_id === userId) history.splice(i, 1);
    // The moderator object is absent when a ban triggered the purge (PurgeMessage doc).
    broadcast({
      type: 'event',
      event: 'PurgeMessage',
      data: { ...(moderator ? { moderator } : {}), user_id: userId, ...(cause ? { cause } : {}) },
    });
  }

  function clear(clearer: Record<string, unknown>): void {
    history.length = 0;
    broadcast({ type: 'event', event: 'ClearMessages', data: { clearer } });
  }

  function viewerId(name: string): number {
    const key = name.toLowerCase();
    let id = knownUserIds.get(key);
    if (id === undefined) {
      id = nextViewerId++;
      knownUserIds.set(key, id);
    }
    return id;
  }

  // ---- demo chatter ------------------------------------------------------------------------------------

  const CHATTER: ReadonlyArray<readonly [string, string, (readonly string[])?]> = [
    ['pixelpanda', 'hi chat :) what are we building today?'],
    ['rustacean42', 'is that a VS Code extension? nice'],
    ['tabsnotspaces', 'tabs > spaces, fight me ;)', ['Subscriber', 'User']],
    ['ModBot', 'Be nice in chat, folks. Rules: mixer.com/codercat', ['Mod', 'User']],
    ['nullpointer', '@codercat you missed a semicolon on line 42'],
    ['pixelpanda', 'the reconnect backoff looks clean :D'],
    ['devdiana', ':codercatHype :codercatHype', ['Partner', 'User']],
    ['rustacean42', 'why not use a Map there instead of an object?'],
    ['tabsnotspaces', '/me grabs more coffee'],
    ['nullpointer', 'tests are green <3'],
    ['staffsam', 'Hello from the Mixer team!', ['Staff', 'User']],
    ['devdiana', 'check the docs at https://dev.mixer.com/reference/chat', ['Founder', 'User']],
  ];

  function chatterTick(step: number): void {
    const slot = step % 16;
    if (slot === 5) {
      const troll = postChat({
        user: 'spammy_mcspamface',
        text: 'FREE FOLLOWERS at totally-legit.example',
      });
      later(() => deleteMessageById(troll, MODERATOR), 1500);
      return;
    }
    if (slot === 9) {
      const q = 'Which language next stream?';
      const answers = ['TypeScript', 'Rust', 'Go'];
      const endsAt = Date.now() + 30_000;
      broadcast({
        type: 'event',
        event: 'PollStart',
        data: {
          originatingChannel: MIXER_SIM_CHANNEL_ID,
          q,
          answers,
          author: MODERATOR,
          duration: 30_000,
          endsAt,
          voters: 0,
          responses: { TypeScript: 0, Rust: 0, Go: 0 },
        },
      });
      later(
        () =>
          broadcast({
            type: 'event',
            event: 'PollEnd',
            data: {
              originatingChannel: MIXER_SIM_CHANNEL_ID,
              q,
              answers,
              author: MODERATOR,
              duration: 0,
              endsAt,
              voters: 7,
              responses: { TypeScript: 4, Rust: 2, Go: 1 },
            },
          }),
        3000,
      );
      return;
    }
    if (slot === 13) {
      const name = `lurker${step}`;
      broadcast({
        type: 'event',
        event: 'UserJoin',
        data: {
          originatingChannel: MIXER_SIM_CHANNEL_ID,
          username: name,
          roles: ['User'],
          id: viewerId(name),
        },
      });
      return;
    }
    if (slot === 15) {
      postChat({ user: 'ragequitter', text: 'this stream is bad and you should feel bad' });
      later(
        () => purge(viewerId('ragequitter'), MODERATOR, { type: 'timeout', durationString: '5m' }),
        800,
      );
      return;
    }
    const [user, text, roles] = CHATTER[step % CHATTER.length]!;
    postChat({ user, text, ...(roles ? { roles } : {}) });
  }

  // ---- the public surface --------------------------------------------------------------------------------

  function stopChatter(): void {
    if (chatterTimer) clearInterval(chatterTimer);
    chatterTimer = undefined;
    for (const timer of chatterFollowUps) clearTimeout(timer);
    chatterFollowUps.clear();
  }

  function postChat(line: SimChatLine): string {
    const id = line.userId ?? viewerId(line.user);
    knownUserIds.set(line.user.toLowerCase(), id);
    const payload = chatPayload(
      { id, name: line.user, roles: line.roles ?? ['User'], level: 5 },
      line.text,
      {
        ...(line.me ? { me: true } : {}),
        ...(line.censored ? { censored: true } : {}),
        ...(line.segments ? { segments: line.segments } : {}),
      },
    );
    if (line.censored) {
      broadcast({ type: 'event', event: 'ChatMessage', data: payload }, isModerator);
    } else {
      remember(payload);
      broadcast({ type: 'event', event: 'ChatMessage', data: payload });
    }
    return String(payload.id);
  }

  await Promise.all(
    chatServers.map(
      (server, index) =>
        new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(index === 0 ? (options.port ?? 0) : 0, host, () => resolve());
        }),
    ),
  );
  const ports = chatServers.map((server) => (server.address() as net.AddressInfo).port);
  const port = ports[0]!;
  const chatUrls = ports.map((p) => `ws://${host}:${p}`);
  const apiUrl = `http://${host}:${port}/api/v1`;

  return {
    apiUrl,
    port,
    chatUrls,
    get endpoints() {
      return advertised ?? chatUrls;
    },
    sent,
    requests,
    socketConnections,
    authAttempts,
    issuedAuthkeys,
    moderation,
    banned,
    timedOut,
    get openSockets() {
      return sockets.size;
    },
    setEndpoints(urls) {
      advertised = [...urls];
    },
    postChat,
    deleteMessage: (id) => deleteMessageById(id, MODERATOR),
    purgeUser: (userId, cause) => purge(userId, MODERATOR, cause),
    clearMessages: () => clear(MODERATOR),
    emitEvent: (name, data) => broadcast({ type: 'event', event: name, data }),
    injectRaw(text) {
      for (const conn of sockets) sendTo(conn, text);
    },
    dropConnections() {
      for (const conn of sockets) conn.ws.terminate();
    },
    stall(on) {
      isStalled = on;
    },
    withholdWelcome(on) {
      isWelcomeWithheld = on;
    },
    refuseConnections(on) {
      isRefusing = on;
    },
    restrictChat(message) {
      chatRestriction = message;
    },
    failRest(status, times = 1) {
      restFailures = { status, remaining: times };
    },
    startChatter(intervalMs = 2500) {
      if (chatterTimer) return;
      let step = 0;
      chatterTimer = setInterval(() => chatterTick(step++), intervalMs);
    },
    stopChatter,
    settings: () => ({
      'streamChat.mixer.enabled': true,
      'streamChat.mixer.channel': MIXER_SIM_CHANNEL,
      'streamChat.mixer.clientId': MIXER_SIM_CLIENT_ID,
      'streamChat.mixer.apiUrl': apiUrl,
    }),
    async close() {
      stopChatter();
      for (const conn of sockets) conn.ws.terminate();
      wss.close();
      await Promise.all(
        chatServers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/** Mixer durations: `30s`, `10m`, `1h`, `1d` (1 s to 1 day). */
function durationMs(text: string): number | undefined {
  const m = /^(\d+)([smhd])$/.exec(text);
  if (!m) return undefined;
  const ms =
    Number(m[1]) *
    { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return ms >= 1000 && ms <= 86_400_000 ? ms : undefined;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
