// A TAU-compatible local server (Team-TAU/tau as research §5 describes it), written from the
// documented behaviour and independent of the extension's code: both websockets with TAU's quirks
// (no ack; 1011 on a bad token; a silent socket when the first frame has no token; keep-alives to
// everyone; chat frames even before auth), the test-event endpoint, the REST pre-flight and the
// Helix passthrough. Hooks let tests drop, stall, inject, and see what bots sent.
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export const TAU_SIM_TOKEN = 'tau-sim-token-0123456789abcdef';
export const TAU_SIM_BOT = 'codercatbot';
export const TAU_SIM_CHANNEL = 'codercat';
export const TAU_SIM_BROADCASTER = { id: '424242', login: 'codercat', display_name: 'CoderCat' };

export interface TauSimulatorOptions {
  readonly port?: number;
  /** How often keep-alives go out (TAU default: 120 s). */
  readonly keepAliveMs?: number;
  /** Bot logins with a chat-bot socket; others are refused at the handshake. */
  readonly bots?: readonly string[];
}

type Kind = 'events' | 'chat';

interface Client {
  readonly ws: WebSocket;
  readonly kind: Kind;
  readonly bot?: string;
  authed: boolean;
}

export interface TauSimulator {
  readonly url: string;
  readonly port: number;
  /** What bots asked TAU to say, in order. */
  readonly sent: Array<{ bot: string; irc_channel: string; message: string }>;
  /** Received chat messages that contained a line break (each would have injected IRC lines). */
  readonly newlineViolations: number;
  readonly testEvents: Array<{ type: string; body: unknown }>;
  /** Attempts seen, for no-retry-loop tests. */
  readonly connections: { events: number; chat: number; preflight: number; badTokenPreflight: number; badTokenSockets: number };
  readonly openSockets: number;
  postChat(line: { user: string; text: string; color?: string; badges?: Record<string, string>; emotes?: Array<{ id: string; positions: Array<[number, number]> }>; action?: boolean }): string;
  emitEvent(type: string, data: Record<string, unknown>, origin?: 'twitch' | 'test' | 'replay'): void;
  dropConnections(): void;
  stallKeepAlives(on: boolean): void;
  injectRaw(kind: Kind, text: string): void;
  startChatter(intervalMs?: number): void;
  stopChatter(): void;
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
  'first time here, love the stream',
  'https://developer.mozilla.org/ has the answer',
];
const VIEWERS = ['pixelpusher', 'rubberduckdev', 'lintergirl', 'null_pointer', 'tabsnotspaces', 'async_await'];

export async function startTauSimulator(options: TauSimulatorOptions = {}): Promise<TauSimulator> {
  const bots = new Set((options.bots ?? [TAU_SIM_BOT]).map((b) => b.toLowerCase()));
  const clients = new Set<Client>();
  const sent: TauSimulator['sent'] = [];
  const testEvents: TauSimulator['testEvents'] = [];
  const connections = { events: 0, chat: 0, preflight: 0, badTokenPreflight: 0, badTokenSockets: 0 };
  let newlineViolations = 0;
  let stalled = false;
  let chatter: NodeJS.Timeout | undefined;
  let seq = 0;

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  /** DRF TokenAuthentication: a header is checked when present; some views also require one. */
  const auth = (req: http.IncomingMessage): 'none' | 'valid' | 'invalid' => {
    const header = req.headers.authorization;
    if (!header) return 'none';
    const m = /^Token (.+)$/.exec(header);
    return m && m[1] === TAU_SIM_TOKEN ? 'valid' : 'invalid';
  };
  const broadcast = (kind: Kind, frame: unknown, onlyAuthed = true) => {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    for (const c of clients) if (c.kind === kind && (!onlyAuthed || c.authed) && c.ws.readyState === WebSocket.OPEN) c.ws.send(text);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const who = auth(req);
    if (req.method === 'GET' && path === '/api/v1/heartbeat') return json(res, 200, { status: 'ok' });
    const test = /^\/api\/v1\/twitch-events\/([^/]+)\/test\/?$/.exec(path);
    if (req.method === 'POST' && test) {
      if (who === 'invalid') return json(res, 401, { detail: 'Invalid token.' });
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        let data: unknown;
        try {
          data = body ? JSON.parse(body) : {};
        } catch {
          return json(res, 400, { detail: 'JSON parse error' });
        }
        const type = decodeURIComponent(test[1]!);
        testEvents.push({ type, body: data });
        const envelope = { id: null, event_id: type === 'subscribe' ? null : randomUUID(), event_type: type, event_source: 'TestCall', event_data: data, created: new Date().toISOString().replace('Z', '+00:00'), origin: 'test' };
        broadcast('events', envelope);
        json(res, 200, envelope);
      });
      return;
    }
    if (path.replace(/\/$/, '') === '/api/v1/twitch-events' && req.method === 'GET') {
      connections.preflight++;
      if (who === 'none') return json(res, 401, { detail: 'Authentication credentials were not provided.' });
      if (who === 'invalid') {
        connections.badTokenPreflight++;
        return json(res, 401, { detail: 'Invalid token.' });
      }
      return json(res, 200, { next: null, previous: null, results: [] });
    }
    if (path === '/api/twitch/helix/users') {
      if (who !== 'valid') return json(res, 401, { detail: 'Invalid token.' });
      return json(res, 200, { data: [TAU_SIM_BROADCASTER] });
    }
    json(res, 404, { detail: 'Not found.' });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    let kind: Kind;
    let bot: string | undefined;
    if (path === '/ws/twitch-events/' || path === '/ws/twitch-events') {
      kind = 'events';
      connections.events++;
    } else {
      const m = /^\/ws\/chat-bots\/([^/]+)\/?$/.exec(path);
      if (!m) return void socket.destroy();
      kind = 'chat';
      connections.chat++;
      bot = decodeURIComponent(m[1]!);
      // The consumer closes before accepting for an unknown login: the handshake is refused.
      if (!bots.has(bot.toLowerCase())) {
        socket.write('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return void socket.destroy();
      }
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = { ws, kind, bot, authed: false };
      clients.add(client);
      ws.on('close', () => clients.delete(client));
      ws.on('error', () => clients.delete(client));
      ws.on('message', (raw) => {
        const text = raw.toString();
        let frame: unknown;
        try {
          frame = JSON.parse(text);
        } catch {
          return; // non-JSON: TAU's un-awaited close() never closes; the socket stays silent
        }
        const f = (typeof frame === 'object' && frame !== null ? frame : {}) as Record<string, unknown>;
        if (!client.authed) {
          if (!('token' in f)) {
            if (kind === 'chat') ws.send(JSON.stringify({ error: 'the provided token does not match any users.' }));
            return;
          }
          if (f.token !== TAU_SIM_TOKEN) {
            connections.badTokenSockets++;
            ws.close(1011); // Token.DoesNotExist escapes the consumer: Daphne closes with 1011
            return;
          }
          client.authed = true;
          return;
        }
        if (kind === 'chat' && typeof f.irc_channel === 'string' && typeof f.message === 'string') {
          if (/[\r\n]/.test(f.message)) newlineViolations++;
          sent.push({ bot: client.bot!, irc_channel: f.irc_channel, message: f.message });
        }
      });
    });
  });

  const keepAlive = setInterval(() => {
    if (stalled) return;
    // Sent even to unauthenticated sockets (research §5.2).
    for (const c of clients) if (c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify({ event: 'keep_alive' }));
  }, options.keepAliveMs ?? 120_000);

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const postChat: TauSimulator['postChat'] = (line) => {
    const id = randomUUID();
    const login = line.user.toLowerCase();
    const body = line.action ? `\u0001ACTION ${line.text}\u0001` : line.text;
    const badges = line.badges ?? {};
    const emotes = line.emotes ?? [];
    const tags = {
      'badge-info': null,
      badges: Object.keys(badges).length ? badges : null,
      color: line.color ?? null,
      'display-name': line.user,
      emotes: emotes.length ? emotes : null,
      id,
      mod: badges.moderator ? '1' : '0',
      'room-id': TAU_SIM_BROADCASTER.id,
      'tmi-sent-ts': String(Date.now()),
      'user-id': String(100000 + (seq++ % 900000)),
    };
    const badgeText = Object.entries(badges).map(([k, v]) => `${k}/${v}`).join(',');
    const emoteText = emotes.map((e) => `${e.id}:${e.positions.map(([s, en]) => `${s}-${en}`).join(',')}`).join('/');
    const raw = `@badges=${badgeText};color=${line.color ?? ''};display-name=${line.user};emotes=${emoteText};id=${id} :${login}!${login}@${login}.tmi.twitch.tv PRIVMSG #${TAU_SIM_CHANNEL} :${body}\r\n`;
    // Chat frames go to chat-bot sockets whether or not they sent a token (research §8).
    broadcast('chat', { irc_username: TAU_SIM_BOT, data: { raw, tags, prefix: `:${login}!${login}@${login}.tmi.twitch.tv`, command: 'PRIVMSG', params: ['PRIVMSG', `#${TAU_SIM_CHANNEL}`, `${body}\r\n`], 'message-text': body } }, false);
    return id;
  };

  const emitEvent: TauSimulator['emitEvent'] = (type, data, origin = 'twitch') => {
    broadcast('events', {
      id: origin === 'test' ? null : randomUUID(),
      event_id: randomUUID(),
      event_type: type,
      event_source: origin === 'test' ? 'TestCall' : 'EventSub',
      event_data: data,
      created: new Date().toISOString().replace(/\.\d+Z$/, '+0000'),
      origin,
    });
  };

  let tick = 0;
  return {
    url,
    port,
    sent,
    get newlineViolations() {
      return newlineViolations;
    },
    testEvents,
    connections,
    get openSockets() {
      return clients.size;
    },
    postChat,
    emitEvent,
    dropConnections() {
      for (const c of clients) c.ws.terminate();
    },
    stallKeepAlives(on) {
      stalled = on;
    },
    injectRaw(kind, text) {
      for (const c of clients) if (c.kind === kind && c.ws.readyState === WebSocket.OPEN) c.ws.send(text);
    },
    startChatter(intervalMs = 1500) {
      clearInterval(chatter);
      chatter = setInterval(() => {
        tick++;
        const user = VIEWERS[tick % VIEWERS.length]!;
        const b = { broadcaster_user_id: TAU_SIM_BROADCASTER.id, broadcaster_user_login: 'codercat', broadcaster_user_name: 'CoderCat' };
        const viewer = { user_id: String(9000 + (tick % 50)), user_login: user, user_name: user };
        if (tick % 23 === 0) emitEvent('channel-follow', { ...viewer, ...b, followed_at: new Date().toISOString() });
        else if (tick % 37 === 0) emitEvent('channel-cheer', { ...viewer, ...b, is_anonymous: false, bits: 100 * (1 + (tick % 5)), message: 'Cheer100 great stream' });
        else if (tick % 53 === 0) emitEvent('channel-raid', { from_broadcaster_user_id: '77', from_broadcaster_user_login: 'friendlycoder', from_broadcaster_user_name: 'FriendlyCoder', to_broadcaster_user_id: b.broadcaster_user_id, to_broadcaster_user_login: 'codercat', to_broadcaster_user_name: 'CoderCat', viewers: 42 });
        else {
          const text = CHATTER[tick % CHATTER.length]!;
          const kappa = text.indexOf('Kappa');
          const lul = text.indexOf('LUL');
          postChat({
            user,
            text,
            color: ['#FF4500', '#1E90FF', '#9ACD32', '#DAA520', '#8A2BE2', '#00FF7F'][tick % 6],
            badges: tick % 4 === 0 ? { subscriber: '12' } : tick % 9 === 0 ? { moderator: '1' } : {},
            emotes: kappa >= 0 ? [{ id: '25', positions: [[kappa, kappa + 4]] }] : lul >= 0 ? [{ id: '425618', positions: [[lul, lul + 2]] }] : [],
          });
        }
      }, intervalMs);
    },
    stopChatter() {
      clearInterval(chatter);
    },
    settings: () => ({ 'streamChat.tau.enabled': true, 'streamChat.tau.url': url, 'streamChat.tau.chatBot': TAU_SIM_BOT, 'streamChat.tau.channel': TAU_SIM_CHANNEL }),
    async close() {
      clearInterval(keepAlive);
      clearInterval(chatter);
      for (const c of clients) c.ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
