// The simulator's fidelity, checked with raw sockets and fetch against what Team-TAU/tau's
// consumers and views do (the files named at the top of ./server.ts), not against the extension's client.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  TAU_SIM_BOT,
  TAU_SIM_CHANNEL,
  TAU_SIM_TOKEN,
  TauSimulator,
  startTauSimulator,
} from './server';

let sim: TauSimulator | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await sim?.close();
  sim = undefined;
});

interface Probe {
  readonly ws: WebSocket;
  readonly frames: unknown[];
  readonly closed: Promise<number>;
}

/** Opens a socket and records what it receives. */
function open(path: string): Promise<Probe> {
  const ws = new WebSocket(sim!.url.replace(/^http/, 'ws') + path);
  sockets.push(ws);
  const frames: unknown[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames, closed }));
    ws.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const keepAlives = (p: Probe) =>
  p.frames.filter((f) => JSON.stringify(f) === '{"event":"keep_alive"}').length;
const others = (p: Probe) => p.frames.filter((f) => JSON.stringify(f) !== '{"event":"keep_alive"}');

async function until<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(10);
  }
}

const api = (path: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
  fetch(sim!.url + path, {
    method: init.method ?? 'GET',
    headers: {
      'Content-Type': 'application/json',
      ...(init.token !== undefined ? { Authorization: `Token ${init.token}` } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });

describe('events socket ws/twitch-events/', () => {
  it('never acknowledges a good token, then delivers events', async () => {
    sim = await startTauSimulator();
    const p = await open('/ws/twitch-events/');
    p.ws.send(JSON.stringify({ token: TAU_SIM_TOKEN }));
    await sleep(150);
    expect(p.frames).toEqual([]);
    sim.emitEvent('channel-follow', { user_name: 'Fan' });
    const [event] = await until('event', () => others(p).length === 1 && others(p));
    expect(event).toMatchObject({
      event_type: 'channel-follow',
      event_source: 'EventSub',
      origin: 'twitch',
      event_data: { user_name: 'Fan' },
    });
    expect((event as { created: string }).created).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/,
    );
  });

  it('closes with 1011 on a wrong token (and on a JSON non-object first frame)', async () => {
    sim = await startTauSimulator();
    const wrong = await open('/ws/twitch-events/');
    wrong.ws.send(JSON.stringify({ token: 'nope' }));
    expect(await wrong.closed).toBe(1011);
    const array = await open('/ws/twitch-events/');
    array.ws.send('[1,2]');
    expect(await array.closed).toBe(1011);
    expect(sim.connections.badTokenSockets).toBe(1);
  });

  it('leaves a socket open and silent when the first frame has no token or is not JSON; keep-alives still reach it', async () => {
    sim = await startTauSimulator({ keepAliveMs: 40 });
    const noToken = await open('/ws/twitch-events/');
    noToken.ws.send(JSON.stringify({ hello: 'there' }));
    const garbage = await open('/ws/twitch-events/');
    garbage.ws.send('not json');
    sim.emitEvent('channel-follow', { user_name: 'Fan' });
    await until('keep-alives', () => keepAlives(noToken) >= 2 && keepAlives(garbage) >= 2);
    expect(others(noToken)).toEqual([]);
    expect(others(garbage)).toEqual([]);
    expect(noToken.ws.readyState).toBe(WebSocket.OPEN);
    expect(garbage.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('stalls keep-alives on request', async () => {
    sim = await startTauSimulator({ keepAliveMs: 30 });
    const p = await open('/ws/twitch-events/');
    await until('a keep-alive', () => keepAlives(p) >= 1);
    sim.stallKeepAlives(true);
    const before = keepAlives(p);
    await sleep(150);
    expect(keepAlives(p)).toBe(before);
    sim.stallKeepAlives(false);
    await until('keep-alives again', () => keepAlives(p) > before);
  });
});

describe('chat-bot socket ws/chat-bots/<login>/', () => {
  it('refuses an unknown login at the handshake with 403', async () => {
    sim = await startTauSimulator();
    const ws = new WebSocket(sim.url.replace(/^http/, 'ws') + '/ws/chat-bots/nobody/');
    ws.on('error', () => {});
    const status = await new Promise<number>((resolve) =>
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(403);
  });

  it('answers a first frame without a token with the error frame and stays open', async () => {
    sim = await startTauSimulator();
    const p = await open(`/ws/chat-bots/${TAU_SIM_BOT}/`);
    p.ws.send(JSON.stringify({ irc_channel: 'x', message: 'hi' }));
    await until('error frame', () => p.frames.length === 1);
    expect(p.frames[0]).toEqual({ error: 'the provided token does not match any users.' });
    expect(sim.sent).toEqual([]);
    expect(p.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes with 1011 on a wrong token', async () => {
    sim = await startTauSimulator();
    const p = await open(`/ws/chat-bots/${TAU_SIM_BOT}/`);
    p.ws.send(JSON.stringify({ token: 'nope' }));
    expect(await p.closed).toBe(1011);
  });

  it('older TAU (legacyBadToken): a wrong token leaves events silent and gets the chat-bot error frame, both sockets open', async () => {
    sim = await startTauSimulator({ legacyBadToken: true });
    const chat = await open(`/ws/chat-bots/${TAU_SIM_BOT}/`);
    const events = await open('/ws/twitch-events/');
    chat.ws.send(JSON.stringify({ token: 'nope' }));
    events.ws.send(JSON.stringify({ token: 'nope' }));
    await until('error frame', () => chat.frames.length === 1);
    expect(chat.frames[0]).toEqual({ error: 'the provided token does not match any users.' });
    sim.emitEvent('channel-follow', { user_name: 'Fan' });
    await sleep(100);
    expect(events.frames).toEqual([]);
    expect([chat.ws.readyState, events.ws.readyState]).toEqual([WebSocket.OPEN, WebSocket.OPEN]);
  });

  it('sends chat before any token, in parse_message shape: params start with the command, raw and params[2] keep \\r\\n, tags are strings', async () => {
    sim = await startTauSimulator();
    const p = await open(`/ws/chat-bots/${TAU_SIM_BOT}/`);
    const id = sim.postChat({
      user: 'PixelPusher',
      text: '😀 Kappa hi',
      color: '#FF4500',
      badges: { subscriber: '12', vip: '1' },
    });
    const [frame] = await until('chat', () => others(p).length === 1 && others(p));
    const { irc_username, data } = frame as {
      irc_username: string;
      data: {
        raw: string;
        tags: Record<string, unknown>;
        prefix: string;
        command: string;
        params: string[];
        'message-text': string;
      };
    };
    expect(irc_username).toBe(TAU_SIM_BOT);
    expect(data.command).toBe('PRIVMSG');
    expect(data.params).toEqual(['PRIVMSG', `#${TAU_SIM_CHANNEL}`, ':😀 Kappa hi\r\n']);
    expect(data.raw.endsWith(' :😀 Kappa hi\r\n')).toBe(true);
    expect(data['message-text']).toBe('😀 Kappa hi');
    expect(data.prefix).toBe(':pixelpusher!pixelpusher@pixelpusher.tmi.twitch.tv');
    expect(data.tags).toMatchObject({
      id,
      'display-name': 'PixelPusher',
      color: '#FF4500',
      badges: 'subscriber/12,vip/1',
      'badge-info': 'subscriber/12',
      mod: '0',
      subscriber: '1',
    });
    // Emote positions count code points: the emoji is one.
    expect(data.tags.emotes).toEqual([{ id: '25', positions: [[2, 6]] }]);
  });

  it('delivers nothing, not even keep-alives, to a login typed in another case (TAU groups by the login as typed)', async () => {
    sim = await startTauSimulator({ keepAliveMs: 30 });
    const upper = await open(`/ws/chat-bots/${TAU_SIM_BOT.toUpperCase()}/`);
    const lower = await open(`/ws/chat-bots/${TAU_SIM_BOT}/`);
    sim.postChat({ user: 'viewer', text: 'hello' });
    await until(
      'lower gets chat and keep-alives',
      () => others(lower).length === 1 && keepAlives(lower) >= 2,
    );
    expect(upper.frames).toEqual([]);
    expect(upper.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('after the token: every frame is a message to say, never acknowledged; newlines are counted as violations; non-JSON closes with 1011', async () => {
    sim = await startTauSimulator();
    const p = await open(`/ws/chat-bots/${TAU_SIM_BOT}/`);
    p.ws.send(JSON.stringify({ token: TAU_SIM_TOKEN }));
    p.ws.send(JSON.stringify({ irc_channel: TAU_SIM_CHANNEL, message: 'hello chat' }));
    p.ws.send(
      JSON.stringify({ irc_channel: TAU_SIM_CHANNEL, message: 'one\r\nPRIVMSG #other :two' }),
    );
    await until('two sent', () => sim!.sent.length === 2);
    expect(sim.sent[0]).toMatchObject({
      bot: TAU_SIM_BOT,
      irc_channel: TAU_SIM_CHANNEL,
      message: 'hello chat',
    });
    expect(sim.newlineViolations).toBe(1);
    expect(others(p)).toEqual([]);
    p.ws.send('not json');
    expect(await p.closed).toBe(1011);
  });

  it('the streamer’s own login is a chat socket too', async () => {
    sim = await startTauSimulator();
    const p = await open(`/ws/chat-bots/${TAU_SIM_CHANNEL}/`);
    sim.postChat({ user: 'viewer', text: 'hi streamer' });
    const [frame] = await until('chat', () => others(p).length === 1 && others(p));
    expect(frame).toMatchObject({
      irc_username: TAU_SIM_CHANNEL,
      data: { 'message-text': 'hi streamer' },
    });
  });
});

describe('REST', () => {
  it('test events: AllowAny, trailing slash optional, the envelope TAU broadcasts', async () => {
    sim = await startTauSimulator();
    const p = await open('/ws/twitch-events/');
    p.ws.send(JSON.stringify({ token: TAU_SIM_TOKEN }));
    await sleep(50);
    const withSlash = await api('/api/v1/twitch-events/channel-raid/test/', {
      method: 'POST',
      token: TAU_SIM_TOKEN,
      body: { viewers: 3 },
    });
    expect(withSlash.status).toBe(200);
    const envelope = (await withSlash.json()) as Record<string, unknown>;
    expect(envelope).toMatchObject({
      id: null,
      event_type: 'channel-raid',
      event_source: 'TestCall',
      event_data: { viewers: 3 },
      origin: 'test',
    });
    expect(envelope.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(envelope.created).toMatch(/\.\d{6}\+00:00$/);
    const noHeader = await api('/api/v1/twitch-events/subscribe/test', {
      method: 'POST',
      body: {},
    });
    expect(noHeader.status).toBe(200);
    expect(await noHeader.json()).toMatchObject({ event_id: null, event_type: 'subscribe' });
    await until('both broadcast', () => others(p).length === 2);
    expect(sim.testEvents.map((t) => t.type)).toEqual(['channel-raid', 'subscribe']);
  });

  it('an invalid token header is refused with 401 even where no token is needed', async () => {
    sim = await startTauSimulator();
    const res = await api('/api/v1/twitch-events/channel-follow/test', {
      method: 'POST',
      token: 'nope',
      body: {},
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: 'Invalid token.' });
    expect((await api('/api/v1/heartbeat', { token: 'nope' })).status).toBe(401);
    expect(sim.testEvents).toEqual([]);
  });

  it('authenticated endpoints: 401 without credentials; the event list, settings, heartbeat and Helix users', async () => {
    sim = await startTauSimulator();
    const missing = await api('/api/v1/twitch-events');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      detail: 'Authentication credentials were not provided.',
    });
    sim.emitEvent('channel-follow', { user_name: 'Fan' });
    const list = (await (
      await api('/api/v1/twitch-events?event_type=channel-follow', { token: TAU_SIM_TOKEN })
    ).json()) as { results: unknown[] };
    expect(list.results).toHaveLength(1);
    expect(await (await api('/api/v1/settings', { token: TAU_SIM_TOKEN })).json()).toEqual({
      use_irc: true,
    });
    expect(await (await api('/api/v1/heartbeat')).json()).toEqual({ message: 'pong' });
    const users = (await (
      await api('/api/twitch/helix/users', { token: TAU_SIM_TOKEN })
    ).json()) as { data: Array<{ login: string }> };
    expect(users.data[0]!.login).toBe(TAU_SIM_CHANNEL);
    expect(sim.requests.map((r) => `${r.method} ${r.path} ${r.auth}`)).toContain(
      'GET /api/v1/twitch-events none',
    );
  });

  it('replays a stored event with the same ids and origin replay', async () => {
    sim = await startTauSimulator();
    const p = await open('/ws/twitch-events/');
    p.ws.send(JSON.stringify({ token: TAU_SIM_TOKEN }));
    await sleep(50);
    const live = sim.emitEvent('channel-cheer', { user_name: 'Fan', bits: 100 });
    const res = await api(`/api/v1/twitch-events/${live.id}/replay`, {
      method: 'POST',
      token: TAU_SIM_TOKEN,
    });
    expect(res.status).toBe(200);
    const [first, again] = await until('both', () => others(p).length === 2 && others(p));
    expect(again).toEqual({ ...(first as object), origin: 'replay' });
  });
});

describe('Helix moderation through the passthrough (Twitch moderation/bans and moderation/chat, status and body as Twitch sends them)', () => {
  const q = 'broadcaster_id=424242&moderator_id=424242';
  const helix = (path: string, init: { method?: string; body?: unknown } = {}) =>
    api(`/api/twitch/helix${path}`, { ...init, token: TAU_SIM_TOKEN });

  it('a timeout and a ban: 200 with Twitch’s data, a channel-ban event to authenticated sockets, and "already banned" the second time', async () => {
    sim = await startTauSimulator();
    const events = await open('/ws/twitch-events/');
    events.ws.send(JSON.stringify({ token: TAU_SIM_TOKEN }));
    await sleep(50);
    sim.postChat({ user: 'Spammer', text: 'spam', userId: '777' });
    const res = await helix(`/moderation/bans?${q}`, {
      method: 'POST',
      body: { data: { user_id: '777', duration: 600 } },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Array<Record<string, unknown>> };
    expect(body.data[0]).toMatchObject({
      broadcaster_id: '424242',
      moderator_id: '424242',
      user_id: '777',
      end_time: expect.any(String),
    });
    const ban = (await until('channel-ban', () =>
      others(events).find((f) => (f as { event_type?: string }).event_type === 'channel-ban'),
    )) as { event_data: Record<string, unknown> };
    expect(ban.event_data).toMatchObject({
      user_id: '777',
      user_login: 'spammer',
      moderator_user_login: 'codercat',
      is_permanent: false,
      ends_at: expect.any(String),
    });
    const again = await helix(`/moderation/bans?${q}`, {
      method: 'POST',
      body: { data: { user_id: '777' } },
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      error: 'Bad Request',
      status: 400,
      message: 'The user specified in the user_id field is already banned.',
    });
    expect(sim.helixCalls.map((c) => [c.method, c.path, c.status])).toEqual([
      ['POST', '/moderation/bans', 200],
      ['POST', '/moderation/bans', 400],
    ]);
  });

  it('unban: 204 and channel-unban; unbanning someone not banned is Twitch’s 400', async () => {
    sim = await startTauSimulator();
    sim.postChat({ user: 'Spammer', text: 'spam', userId: '777' });
    await helix(`/moderation/bans?${q}`, { method: 'POST', body: { data: { user_id: '777' } } });
    expect(sim.bans.get('777')).toBe(Infinity);
    const unban = await helix(`/moderation/bans?${q}&user_id=777`, { method: 'DELETE' });
    expect(unban.status).toBe(204);
    expect(sim.bans.size).toBe(0);
    expect(sim.storedEvents.map((e) => e.event_type)).toEqual(['channel-ban', 'channel-unban']);
    const twice = await helix(`/moderation/bans?${q}&user_id=777`, { method: 'DELETE' });
    expect(((await twice.json()) as { message: string }).message).toBe(
      'The user specified in the user_id field is not banned.',
    );
  });

  it('deletes one message by id (404 for an unknown one) and clears chat without one', async () => {
    sim = await startTauSimulator();
    const id = sim.postChat({ user: 'Spammer', text: 'spam' });
    expect(
      (await helix(`/moderation/chat?${q}&message_id=${id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    expect(
      (await helix(`/moderation/chat?${q}&message_id=nope`, { method: 'DELETE' })).status,
    ).toBe(404);
    expect((await helix(`/moderation/chat?${q}`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.deletedMessages).toEqual([id]);
    expect(sim.clears).toBe(1);
  });

  it('refusals: a moderator_id other than the token’s user, an account that moderates nothing, a missing scope, missing ids, a bad duration', async () => {
    sim = await startTauSimulator({
      linkedAs: { id: '5150', login: 'somefan', display_name: 'SomeFan' },
    });
    const message = async (res: Response) => ((await res.json()) as { message: string }).message;
    expect(
      await message(
        await helix('/moderation/bans?broadcaster_id=424242&moderator_id=424242', {
          method: 'POST',
          body: { data: { user_id: '1' } },
        }),
      ),
    ).toBe('The ID in moderator_id must match the user ID in the user access token.');
    const notMod = await helix('/moderation/bans?broadcaster_id=424242&moderator_id=5150', {
      method: 'POST',
      body: { data: { user_id: '1' } },
    });
    expect([notMod.status, await message(notMod)]).toEqual([
      403,
      "The user in moderator_id is not one of the broadcaster's moderators.",
    ]);
    expect(await (await helix('/moderation/channels?user_id=5150')).json()).toEqual({
      data: [],
      pagination: {},
    });
    expect(await (await helix('/users')).json()).toMatchObject({
      data: [{ id: '5150', login: 'somefan' }],
    });
    expect(await (await helix('/users?login=codercat')).json()).toMatchObject({
      data: [{ id: '424242', login: 'codercat' }],
    });
    await sim.close();

    sim = await startTauSimulator();
    expect(
      await message(
        await helix('/moderation/bans?moderator_id=424242', {
          method: 'POST',
          body: { data: { user_id: '1' } },
        }),
      ),
    ).toBe('Missing required parameter "broadcaster_id"');
    expect(
      await message(await helix(`/moderation/bans?${q}`, { method: 'POST', body: { data: {} } })),
    ).toBe('Missing required parameter "data.user_id"');
    expect(
      await message(
        await helix(`/moderation/bans?${q}`, {
          method: 'POST',
          body: { data: { user_id: '1', duration: 0 } },
        }),
      ),
    ).toBe('The value in the duration field is not valid.');
    sim.missingModerationScope(true);
    const scope = await helix(`/moderation/chat?${q}`, { method: 'DELETE' });
    expect([scope.status, await message(scope)]).toEqual([
      401,
      'Missing scope: moderator:manage:chat_messages',
    ]);
    expect(sim.clears).toBe(0);
  });

  it('a linked moderator (not the broadcaster) is listed by moderation/channels and may ban', async () => {
    sim = await startTauSimulator({
      linkedAs: { id: '5150', login: 'somefan', display_name: 'SomeFan' },
      moderatorOfChannel: true,
    });
    expect(await (await helix('/moderation/channels?user_id=5150')).json()).toMatchObject({
      data: [{ broadcaster_id: '424242' }],
    });
    expect(
      (
        await helix('/moderation/bans?broadcaster_id=424242&moderator_id=5150', {
          method: 'POST',
          body: { data: { user_id: '1' } },
        })
      ).status,
    ).toBe(200);
  });

  it('the passthrough needs TAU’s token like every authenticated route', async () => {
    sim = await startTauSimulator();
    expect((await api(`/api/twitch/helix/moderation/chat?${q}`, { method: 'DELETE' })).status).toBe(
      401,
    );
    expect(
      (await api(`/api/twitch/helix/moderation/chat?${q}`, { method: 'DELETE', token: 'wrong' }))
        .status,
    ).toBe(401);
    expect(sim.helixCalls).toEqual([]);
  });
});

describe('replies: the reply-parent-* tags Twitch sends and TAU passes through', () => {
  type ChatData = { raw: string; tags: Record<string, unknown>; 'message-text': string };
  const chatData = (frame: unknown) => (frame as { data: ChatData }).data;

  it('a reply to a posted line: parent id, login, display name and IRC-escaped body; the text starts with @parent', async () => {
    sim = await startTauSimulator();
    const p = await open(`/ws/chat-bots/${TAU_SIM_BOT}/`);
    const parent = sim.postChat({ user: 'CoderCat', text: 'use a map; it is O(1) \\o/' });
    const reply = sim.postChat({ user: 'Lintergirl', text: 'thanks!', replyTo: parent });
    const frames = await until('two lines', () => others(p).length === 2 && others(p));
    const data = chatData(frames[1]);
    expect(data.tags).toMatchObject({
      id: reply,
      'reply-parent-msg-id': parent,
      'reply-parent-user-login': 'codercat',
      'reply-parent-display-name': 'CoderCat',
      'reply-parent-msg-body': 'use\\sa\\smap\\:\\sit\\sis\\sO(1)\\s\\\\o/',
      'reply-thread-parent-msg-id': parent,
      'reply-thread-parent-user-login': 'codercat',
    });
    expect(data['message-text']).toBe('@CoderCat thanks!');
    // A reply to a reply stays in the first one's thread.
    sim.postChat({ user: 'CoderCat', text: 'np', replyTo: reply });
    const third = chatData(
      (await until('three lines', () => others(p).length === 3 && others(p)))[2],
    );
    expect(third.tags).toMatchObject({
      'reply-parent-msg-id': reply,
      'reply-thread-parent-msg-id': parent,
      'reply-thread-parent-user-login': 'codercat',
    });
  });

  it('TAU splits tags at every "=", so a parent text holding one is cut short in tags; raw keeps all of it', async () => {
    sim = await startTauSimulator();
    const p = await open(`/ws/chat-bots/${TAU_SIM_BOT}/`);
    sim.postChat({
      user: 'Viewer',
      text: 'ok',
      replyTo: { id: 'parent-1', user: 'Dev', text: 'x = y + 1' },
    });
    const [frame] = await until('the reply', () => others(p).length === 1 && others(p));
    const data = chatData(frame);
    expect(data.tags['reply-parent-msg-body']).toBe('x\\s');
    expect(data.raw).toContain(';reply-parent-msg-body=x\\s=\\sy\\s+\\s1;');
    expect(data.tags['reply-parent-msg-id']).toBe('parent-1');
    expect(() => sim!.postChat({ user: 'Viewer', text: 'x', replyTo: 'never-posted' })).toThrow();
  });
});

describe('the Helix passthrough reads bodies as TAU does (DRF request.data, forwarded with json=)', () => {
  const q = 'broadcaster_id=424242&moderator_id=424242';
  const raw = (method: string, path: string, contentType: string | undefined, body: string) =>
    fetch(`${sim!.url}/api/twitch/helix${path}`, {
      method,
      headers: {
        Authorization: `Token ${TAU_SIM_TOKEN}`,
        ...(contentType ? { 'Content-Type': contentType } : {}),
      },
      body,
    });

  it('JSON (any charset) reaches Twitch as sent; a form reaches it re-encoded as JSON and fails there; other types are DRF’s 415; bad JSON its 400', async () => {
    sim = await startTauSimulator();
    sim.postChat({ user: 'Spammer', text: 'spam', userId: '777' });
    const ok = await raw(
      'POST',
      `/moderation/bans?${q}`,
      'application/json; charset=utf-8',
      JSON.stringify({ data: { user_id: '777', duration: 60 } }),
    );
    expect(ok.status).toBe(200);
    expect(sim.helixCalls.at(-1)?.body).toEqual({ data: { user_id: '777', duration: 60 } });

    const form = await raw(
      'POST',
      `/moderation/bans?${q}`,
      'application/x-www-form-urlencoded',
      'user_id=777&duration=60',
    );
    expect(form.status).toBe(400);
    expect(((await form.json()) as { message: string }).message).toBe(
      'Missing required parameter "data.user_id"',
    );
    expect(sim.helixCalls.at(-1)?.body).toEqual({ user_id: '777', duration: '60' });

    // fetch labels a string body text/plain.
    const text = await raw('POST', `/moderation/bans?${q}`, undefined, '{"data":{}}');
    expect(text.status).toBe(415);
    expect(await text.json()).toEqual({
      detail: 'Unsupported media type "text/plain;charset=UTF-8" in request.',
    });
    const bad = await raw('POST', `/moderation/bans?${q}`, 'application/json', '{"data":');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/^JSON parse error - /);
    // A DELETE without a body needs no content type; TAU sends Twitch none.
    const clear = await raw('DELETE', `/moderation/chat?${q}`, undefined, '');
    expect(clear.status).toBe(204);
    expect(sim.helixCalls.at(-1)).toMatchObject({ method: 'DELETE', path: '/moderation/chat' });
    expect(sim.helixCalls.at(-1)?.body).toBeUndefined();
  });
});
