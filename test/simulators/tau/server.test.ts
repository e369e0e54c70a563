// The simulator's fidelity, checked with raw sockets and fetch against what Team-TAU/tau's
// consumers and views do (research §5, §8), not against the extension's client.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TAU_SIM_BOT, TAU_SIM_CHANNEL, TAU_SIM_TOKEN, TauSimulator, startTauSimulator } from './server';

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
const keepAlives = (p: Probe) => p.frames.filter((f) => JSON.stringify(f) === '{"event":"keep_alive"}').length;
const others = (p: Probe) => p.frames.filter((f) => JSON.stringify(f) !== '{"event":"keep_alive"}');

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 3000): Promise<T> {
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
    headers: { 'Content-Type': 'application/json', ...(init.token !== undefined ? { Authorization: `Token ${init.token}` } : {}) },
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
    expect(event).toMatchObject({ event_type: 'channel-follow', event_source: 'EventSub', origin: 'twitch', event_data: { user_name: 'Fan' } });
    expect((event as { created: string }).created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
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
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
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
    const id = sim.postChat({ user: 'PixelPusher', text: '😀 Kappa hi', color: '#FF4500', badges: { subscriber: '12', vip: '1' } });
    const [frame] = await until('chat', () => others(p).length === 1 && others(p));
    const { irc_username, data } = frame as { irc_username: string; data: { raw: string; tags: Record<string, unknown>; prefix: string; command: string; params: string[]; 'message-text': string } };
    expect(irc_username).toBe(TAU_SIM_BOT);
    expect(data.command).toBe('PRIVMSG');
    expect(data.params).toEqual(['PRIVMSG', `#${TAU_SIM_CHANNEL}`, ':😀 Kappa hi\r\n']);
    expect(data.raw.endsWith(' :😀 Kappa hi\r\n')).toBe(true);
    expect(data['message-text']).toBe('😀 Kappa hi');
    expect(data.prefix).toBe(':pixelpusher!pixelpusher@pixelpusher.tmi.twitch.tv');
    expect(data.tags).toMatchObject({ id, 'display-name': 'PixelPusher', color: '#FF4500', badges: 'subscriber/12,vip/1', 'badge-info': 'subscriber/12', mod: '0', subscriber: '1' });
    // Emote positions count code points: the emoji is one.
    expect(data.tags.emotes).toEqual([{ id: '25', positions: [[2, 6]] }]);
  });

  it('delivers nothing, not even keep-alives, to a login typed in another case (TAU groups by the login as typed)', async () => {
    sim = await startTauSimulator({ keepAliveMs: 30 });
    const upper = await open(`/ws/chat-bots/${TAU_SIM_BOT.toUpperCase()}/`);
    const lower = await open(`/ws/chat-bots/${TAU_SIM_BOT}/`);
    sim.postChat({ user: 'viewer', text: 'hello' });
    await until('lower gets chat and keep-alives', () => others(lower).length === 1 && keepAlives(lower) >= 2);
    expect(upper.frames).toEqual([]);
    expect(upper.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('after the token: every frame is a message to say, never acknowledged; newlines are counted as violations; non-JSON closes with 1011', async () => {
    sim = await startTauSimulator();
    const p = await open(`/ws/chat-bots/${TAU_SIM_BOT}/`);
    p.ws.send(JSON.stringify({ token: TAU_SIM_TOKEN }));
    p.ws.send(JSON.stringify({ irc_channel: TAU_SIM_CHANNEL, message: 'hello chat' }));
    p.ws.send(JSON.stringify({ irc_channel: TAU_SIM_CHANNEL, message: 'one\r\nPRIVMSG #other :two' }));
    await until('two sent', () => sim!.sent.length === 2);
    expect(sim.sent[0]).toMatchObject({ bot: TAU_SIM_BOT, irc_channel: TAU_SIM_CHANNEL, message: 'hello chat' });
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
    expect(frame).toMatchObject({ irc_username: TAU_SIM_CHANNEL, data: { 'message-text': 'hi streamer' } });
  });
});

describe('REST', () => {
  it('test events: AllowAny, trailing slash optional, the envelope TAU broadcasts', async () => {
    sim = await startTauSimulator();
    const p = await open('/ws/twitch-events/');
    p.ws.send(JSON.stringify({ token: TAU_SIM_TOKEN }));
    await sleep(50);
    const withSlash = await api('/api/v1/twitch-events/channel-raid/test/', { method: 'POST', token: TAU_SIM_TOKEN, body: { viewers: 3 } });
    expect(withSlash.status).toBe(200);
    const envelope = (await withSlash.json()) as Record<string, unknown>;
    expect(envelope).toMatchObject({ id: null, event_type: 'channel-raid', event_source: 'TestCall', event_data: { viewers: 3 }, origin: 'test' });
    expect(envelope.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(envelope.created).toMatch(/\.\d{6}\+00:00$/);
    const noHeader = await api('/api/v1/twitch-events/subscribe/test', { method: 'POST', body: {} });
    expect(noHeader.status).toBe(200);
    expect(await noHeader.json()).toMatchObject({ event_id: null, event_type: 'subscribe' });
    await until('both broadcast', () => others(p).length === 2);
    expect(sim.testEvents.map((t) => t.type)).toEqual(['channel-raid', 'subscribe']);
  });

  it('an invalid token header is refused with 401 even where no token is needed', async () => {
    sim = await startTauSimulator();
    const res = await api('/api/v1/twitch-events/channel-follow/test', { method: 'POST', token: 'nope', body: {} });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: 'Invalid token.' });
    expect((await api('/api/v1/heartbeat', { token: 'nope' })).status).toBe(401);
    expect(sim.testEvents).toEqual([]);
  });

  it('authenticated endpoints: 401 without credentials; the event list, settings, heartbeat and Helix users', async () => {
    sim = await startTauSimulator();
    const missing = await api('/api/v1/twitch-events');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
    sim.emitEvent('channel-follow', { user_name: 'Fan' });
    const list = (await (await api('/api/v1/twitch-events?event_type=channel-follow', { token: TAU_SIM_TOKEN })).json()) as { results: unknown[] };
    expect(list.results).toHaveLength(1);
    expect(await (await api('/api/v1/settings', { token: TAU_SIM_TOKEN })).json()).toEqual({ use_irc: true });
    expect(await (await api('/api/v1/heartbeat')).json()).toEqual({ message: 'pong' });
    const users = (await (await api('/api/twitch/helix/users', { token: TAU_SIM_TOKEN })).json()) as { data: Array<{ login: string }> };
    expect(users.data[0]!.login).toBe(TAU_SIM_CHANNEL);
    expect(sim.requests.map((r) => `${r.method} ${r.path} ${r.auth}`)).toContain('GET /api/v1/twitch-events none');
  });

  it('replays a stored event with the same ids and origin replay', async () => {
    sim = await startTauSimulator();
    const p = await open('/ws/twitch-events/');
    p.ws.send(JSON.stringify({ token: TAU_SIM_TOKEN }));
    await sleep(50);
    const live = sim.emitEvent('channel-cheer', { user_name: 'Fan', bits: 100 });
    const res = await api(`/api/v1/twitch-events/${live.id}/replay`, { method: 'POST', token: TAU_SIM_TOKEN });
    expect(res.status).toBe(200);
    const [first, again] = await until('both', () => others(p).length === 2 && others(p));
    expect(again).toEqual({ ...(first as object), origin: 'replay' });
  });
});
