// A Glimesh-compatible local server (Glimesh/glimesh.tv as research §4 describes it), written
// from the documented frames and independent of the extension's code: GraphQL over HTTP at
// /api/graph (channel lookup, history, the chat mutation; Bearer or Client-ID auth; 401 bodies)
// and the Phoenix V2 socket at /api/graph/websocket with Absinthe subscriptions, heartbeats,
// 403 on a bad token at the upgrade, and the server's error sentences. Hooks for tests.
import { createHash, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export const GLIMESH_SIM_TOKEN = 'glimesh-sim-token-chat-scope-5e3f';
export const GLIMESH_SIM_NO_CHAT_TOKEN = 'glimesh-sim-token-no-chat-scope-9a1c';
export const GLIMESH_SIM_CLIENT_ID = 'glimesh-sim-client-id-77d2';
export const GLIMESH_SIM_CHANNEL = 'codercat';
const CHANNELS: Record<string, string> = { codercat: '6', otherstreamer: '7' };
const STREAMER_USER = { id: '100', username: 'codercat', displayname: 'CoderCat', avatarUrl: 'https://glimesh-user-assets.example/codercat.png' };

export interface GlimeshSimulatorOptions {
  readonly port?: number;
  /** Phoenix closes a socket with no frames for this long (default 60 s). */
  readonly idleTimeoutMs?: number;
}

interface Conn {
  readonly ws: WebSocket;
  readonly readOnly: boolean;
  readonly user?: typeof STREAMER_USER;
  readonly chatScope: boolean;
  joinRef?: string;
  /** subscription id → channel id (undefined: the firehose) */
  readonly subscriptions: Map<string, string | undefined>;
  idle?: NodeJS.Timeout;
}

interface StoredMessage {
  readonly channelId: string;
  readonly node: Record<string, unknown>;
}

export interface GlimeshSimulator {
  readonly httpUrl: string;
  readonly socketUrl: string;
  readonly port: number;
  /** Messages clients created, in order. */
  readonly sent: Array<{ channelId: string; text: string; user: string }>;
  /** Socket upgrade attempts (accepted or refused), for no-retry-loop tests. */
  readonly upgrades: { accepted: number; refused: number };
  readonly openSockets: number;
  postChat(line: { user: string; text: string; channel?: string; roles?: { moderator?: boolean; subscriber?: boolean; streamer?: boolean } }): string;
  dropConnections(): void;
  stallHeartbeats(on: boolean): void;
  injectRaw(text: string): void;
  banUser(username: string, minutes: number): void;
  startChatter(intervalMs?: number): void;
  stopChatter(): void;
  settings(): Record<string, unknown>;
  close(): Promise<void>;
}

const EMOTES: Record<string, string> = { ':glimchef:': 'https://glimesh-static.example/emotes/glimchef.svg', ':glimheart:': 'https://glimesh-static.example/emotes/glimheart.svg' };

/** Glimesh's parser: hyperlinks first, then `:emote:` codes (research §4.3). */
function tokenize(text: string): Array<Record<string, unknown>> {
  const tokens: Array<Record<string, unknown>> = [];
  for (const piece of text.split(/(https?:\/\/[^\s]+)/)) {
    if (!piece) continue;
    if (/^https?:\/\//.test(piece)) {
      tokens.push({ type: 'url', text: piece, url: piece });
      continue;
    }
    for (const part of piece.split(/(:\w+:)/)) {
      if (!part) continue;
      if (EMOTES[part]) tokens.push({ type: 'emote', text: part, src: EMOTES[part] });
      else tokens.push({ type: 'text', text: part });
    }
  }
  return tokens;
}

export async function startGlimeshSimulator(options: GlimeshSimulatorOptions = {}): Promise<GlimeshSimulator> {
  const conns = new Set<Conn>();
  const stored: StoredMessage[] = [];
  const sent: GlimeshSimulator['sent'] = [];
  const upgrades = { accepted: 0, refused: 0 };
  const bans = new Map<string, number>();
  let heartbeatsStalled = false;
  let docCounter = 0;
  let messageCounter = 1000;
  let chatter: NodeJS.Timeout | undefined;

  const makeNode = (channelId: string, user: { id: string; username: string; displayname: string; avatarUrl: string }, text: string, meta: Record<string, boolean> = {}) => ({
    id: String(++messageCounter),
    message: text,
    insertedAt: new Date().toISOString().replace(/Z$/, '').replace(/\.\d+$/, ''),
    user,
    tokens: tokenize(text),
    metadata: { streamer: false, moderator: false, subscriber: false, admin: false, platformFounderSubscriber: false, platformSupporterSubscriber: false, ...meta },
    channelId,
  });

  const publish = (channelId: string, node: Record<string, unknown>) => {
    stored.push({ channelId, node });
    if (stored.length > 500) stored.shift();
    const { channelId: _omit, ...chatMessage } = node;
    for (const c of conns) {
      for (const [subId, subChannel] of c.subscriptions) {
        if (subChannel !== undefined && subChannel !== channelId) continue;
        if (c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify([null, null, subId, 'subscription:data', { result: { data: { chatMessage } }, subscriptionId: subId }]));
      }
    }
  };

  /** The `createChatMessage` rules (chat.ex, policy.ex, chat_message.ex). */
  const createMessage = (conn: { chatScope: boolean; user?: typeof STREAMER_USER }, channelId: string, text: unknown): { data: unknown; errors?: Array<{ message: string; path: string[]; locations: unknown[] }> } => {
    const err = (...messages: string[]) => ({ data: { createChatMessage: null }, errors: messages.map((message) => ({ message, path: ['createChatMessage'], locations: [{ line: 1, column: 0 }] })) });
    if (!conn.chatScope || !conn.user) return err('unauthorized');
    const banned = bans.get(conn.user.username);
    if (banned !== undefined && banned > Date.now()) return err(`You are banned from this channel for ${Math.ceil((banned - Date.now()) / 60000)} more minutes.`);
    if (typeof text !== 'string' || text.length === 0) return err("message: can't be blank");
    if ([...text].length > 255) return err('message: should be at most 255 character(s)');
    const node = makeNode(channelId, conn.user, text, { streamer: true });
    sent.push({ channelId, text, user: conn.user.username });
    publish(channelId, node);
    return { data: { createChatMessage: { id: node.id, message: text } } };
  };

  /** A small matcher for the documents the API supports here (variables only). */
  const runGraphql = (conn: { chatScope: boolean; user?: typeof STREAMER_USER }, query: string, variables: Record<string, unknown>): Record<string, unknown> => {
    if (/\bcreateChatMessage\b/.test(query)) {
      const channelId = String(variables.channelId ?? variables.c ?? '');
      return createMessage(conn, channelId, variables.message ?? variables.m);
    }
    if (/chatMessages\s*\(\s*last/.test(query)) {
      const channelId = String(variables.channelId ?? variables.id ?? '');
      const last = Number(/last:\s*(\d+)/.exec(query)?.[1] ?? 50);
      const edges = stored.filter((m) => m.channelId === channelId).slice(-last).map((m) => {
        const { channelId: _omit, ...node } = m.node;
        return { node };
      });
      return { data: { channel: Object.values(CHANNELS).includes(channelId) ? { chatMessages: { edges } } : null } };
    }
    if (/channel\s*\(\s*streamerUsername/.test(query)) {
      const username = String(variables.username ?? '').toLowerCase();
      return { data: { channel: CHANNELS[username] ? { id: CHANNELS[username] } : null } };
    }
    return { data: null, errors: [{ message: 'Unknown document (simulator)', path: [], locations: [] }] };
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api/graph' || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    const header = req.headers.authorization ?? '';
    let conn: { chatScope: boolean; user?: typeof STREAMER_USER } | undefined;
    let failure: string | undefined;
    const bearer = /^Bearer (.+)$/.exec(header);
    const client = /^Client-ID (.+)$/.exec(header);
    if (bearer) {
      if (bearer[1] === GLIMESH_SIM_TOKEN) conn = { chatScope: true, user: STREAMER_USER };
      else if (bearer[1] === GLIMESH_SIM_NO_CHAT_TOKEN) conn = { chatScope: false, user: STREAMER_USER };
      else failure = 'The access token provided is invalid.';
    } else if (client) {
      if (client[1] === GLIMESH_SIM_CLIENT_ID) conn = { chatScope: false };
      else failure = 'Invalid client id.';
    }
    res.setHeader('Content-Type', 'application/json');
    if (!conn) {
      res.writeHead(401);
      res.end(JSON.stringify({ errors: [failure ? { message: failure, header_error: 'invalid_access_token' } : { message: 'You must be logged in to access the api' }] }));
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
        res.end(JSON.stringify(runGraphql(conn!, String(query), variables ?? {})));
      } catch {
        res.writeHead(400);
        res.end(JSON.stringify({ errors: [{ message: 'Could not parse the request' }] }));
      }
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = () => {
      upgrades.refused++;
      socket.write('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      socket.destroy();
    };
    if (url.pathname !== '/api/graph/websocket' || url.searchParams.get('vsn') !== '2.0.0') return refuse();
    const token = url.searchParams.get('token');
    const clientId = url.searchParams.get('client_id');
    let auth: { readOnly: boolean; chatScope: boolean; user?: typeof STREAMER_USER } | undefined;
    // When both are present, client_id wins and the connection is read-only (research §8).
    if (clientId !== null) auth = clientId === GLIMESH_SIM_CLIENT_ID ? { readOnly: true, chatScope: false } : undefined;
    else if (token === GLIMESH_SIM_TOKEN) auth = { readOnly: false, chatScope: true, user: STREAMER_USER };
    else if (token === GLIMESH_SIM_NO_CHAT_TOKEN) auth = { readOnly: false, chatScope: false, user: STREAMER_USER };
    if (!auth) return refuse();
    upgrades.accepted++;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Conn = { ws, ...auth!, subscriptions: new Map() };
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
      ws.on('message', (raw) => {
        resetIdle();
        let frame: unknown;
        try {
          frame = JSON.parse(raw.toString());
        } catch {
          return;
        }
        if (!Array.isArray(frame) || frame.length !== 5) return;
        const [joinRef, ref, topic, event, payload] = frame as [string | null, string | null, string, string, Record<string, unknown>];
        const reply = (status: 'ok' | 'error', response: unknown) => ws.send(JSON.stringify([joinRef, ref, topic, 'phx_reply', { status, response }]));
        if (topic === 'phoenix' && event === 'heartbeat') {
          if (!heartbeatsStalled) reply('ok', {});
          return;
        }
        if (topic !== '__absinthe__:control') {
          if (event === 'phx_join') reply('error', { reason: 'unmatched topic' });
          return;
        }
        if (event === 'phx_join') {
          // A second join of the control topic replaces the first: its subscriptions are gone.
          conn.subscriptions.clear();
          conn.joinRef = joinRef ?? undefined;
          reply('ok', {});
          return;
        }
        if (event === 'phx_leave') {
          conn.subscriptions.clear();
          reply('ok', {});
          return;
        }
        if (event === 'doc') {
          const query = String(payload?.query ?? '');
          const variables = (payload?.variables ?? {}) as Record<string, unknown>;
          if (/^\s*subscription\b/.test(query) && /chatMessage/.test(query)) {
            const channelArg = variables.channelId ?? variables.id ?? /channelId:\s*"?(\d+)/.exec(query)?.[1];
            const id = `__absinthe__:doc:-${576460752303423488 - ++docCounter}:${createHash('sha256').update(query + JSON.stringify(variables) + docCounter).digest('hex').toUpperCase()}`;
            conn.subscriptions.set(id, channelArg === undefined || channelArg === null ? undefined : String(channelArg));
            reply('ok', { subscriptionId: id });
            return;
          }
          reply('ok', runGraphql(conn, query, variables));
        }
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const httpUrl = `http://127.0.0.1:${port}/api/graph`;
  const socketUrl = `ws://127.0.0.1:${port}/api/graph/websocket`;

  const postChat: GlimeshSimulator['postChat'] = (line) => {
    const channelId = CHANNELS[(line.channel ?? GLIMESH_SIM_CHANNEL).toLowerCase()] ?? '6';
    const user = { id: String(2000 + (line.user.length * 31) % 997), username: line.user.toLowerCase(), displayname: line.user, avatarUrl: `https://glimesh-user-assets.example/${encodeURIComponent(line.user)}.png` };
    const node = makeNode(channelId, user, line.text, line.roles ?? {});
    publish(channelId, node);
    return node.id;
  };

  const CHATTER = ['hey chat :glimheart:', 'what are we building today?', 'that test name is perfect', 'docs: https://hexdocs.pm/phoenix', 'is it Elixir time? :glimchef:', 'GG on the refactor', 'can you zoom in a bit?'];
  const VIEWERS = ['Mytho', 'TheCat', 'Kirby', 'RainbowFist', 'FadedKamui'];
  let tick = 0;
  return {
    httpUrl,
    socketUrl,
    port,
    sent,
    upgrades,
    get openSockets() {
      return conns.size;
    },
    postChat,
    dropConnections() {
      for (const c of conns) c.ws.terminate();
    },
    stallHeartbeats(on) {
      heartbeatsStalled = on;
    },
    injectRaw(text) {
      for (const c of conns) if (c.ws.readyState === WebSocket.OPEN) c.ws.send(text);
    },
    banUser(username, minutes) {
      bans.set(username.toLowerCase(), Date.now() + minutes * 60_000);
    },
    startChatter(intervalMs = 1500) {
      clearInterval(chatter);
      chatter = setInterval(() => {
        tick++;
        postChat({ user: VIEWERS[tick % VIEWERS.length]!, text: CHATTER[tick % CHATTER.length]!, roles: { subscriber: tick % 3 === 0, moderator: tick % 11 === 0 } });
      }, intervalMs);
    },
    stopChatter() {
      clearInterval(chatter);
    },
    settings: () => ({ 'streamChat.glimesh.enabled': true, 'streamChat.glimesh.channel': GLIMESH_SIM_CHANNEL, 'streamChat.glimesh.apiUrl': httpUrl, 'streamChat.glimesh.socketUrl': socketUrl, 'streamChat.glimesh.clientId': '' }),
    async close() {
      clearInterval(chatter);
      for (const c of conns) c.ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Unique ids for tests that need them. */
export const newId = () => randomUUID();
