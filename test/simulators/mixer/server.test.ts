import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  MIXER_SIM_CHANNEL,
  MIXER_SIM_CHANNEL_ID,
  MIXER_SIM_CLIENT_ID,
  MIXER_SIM_MUTED_TOKEN,
  MIXER_SIM_MUTED_USER_ID,
  MIXER_SIM_TOKEN,
  MIXER_SIM_USER_ID,
  MixerSimulator,
  MixerSimulatorOptions,
  findDeadPort,
  startMixerSimulator,
} from './server';

// Fidelity: the simulator is driven by Mixer's official client, `@mixer/chat-client-websocket` 1.2.0,
// with the `ws` 1.1.5 it bundles (it runs on Node 20), and by raw sockets that compare frames
// with the ones printed in mixer/developer-docs.

type MixerModule = typeof import('@mixer/chat-client-websocket');
const require = createRequire(import.meta.url);
const mixer = require('@mixer/chat-client-websocket') as MixerModule;
// The official client's own ws 1.x, as its users got it.
const BundledWebSocket = require(
  path.join(path.dirname(require.resolve('@mixer/chat-client-websocket')), '../../node_modules/ws'),
) as unknown;

let sim: MixerSimulator;
const sockets: Array<InstanceType<MixerModule['Socket']>> = [];
const rawSockets: WebSocket[] = [];

async function restart(options: MixerSimulatorOptions): Promise<void> {
  await sim.close();
  sim = await startMixerSimulator(options);
}

beforeEach(async () => {
  sim = await startMixerSimulator();
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const ws of rawSockets.splice(0)) ws.terminate();
  await sim.close();
});

/** The official client, booted against `endpoints`, with its errors collected (an EventEmitter throws on unhandled 'error'). */
function officialClient(
  endpoints: readonly string[] = sim.chatUrls,
  options: { pingInterval?: number; pingTimeout?: number } = {},
) {
  const socket = new mixer.Socket(BundledWebSocket as never, [...endpoints], {
    clientId: MIXER_SIM_CLIENT_ID,
    callTimeout: 2_000,
    ...options,
  });
  const errors: unknown[] = [];
  const events: Array<{ name: string; data: unknown }> = [];
  socket.on('error', (error: unknown) => errors.push(error));
  for (const name of [
    'ChatMessage',
    'DeleteMessage',
    'PurgeMessage',
    'ClearMessages',
    'PollStart',
    'UserJoin',
  ]) {
    socket.on(name as 'ChatMessage', (data: unknown) => events.push({ name, data }));
  }
  sockets.push(socket);
  socket.boot();
  return { socket, errors, events };
}

async function authkey(token = MIXER_SIM_TOKEN): Promise<string> {
  const response = await fetch(`${sim.apiUrl}/chats/${MIXER_SIM_CHANNEL_ID}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { authkey: string };
  return body.authkey;
}

async function waitFor(
  predicate: () => boolean,
  timeoutMs = 3_000,
  what = 'condition',
): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A raw loopback socket that records every frame as parsed JSON. */
async function rawClient(url = sim.chatUrls[0]!) {
  const ws = new WebSocket(url);
  rawSockets.push(ws);
  const frames: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    send: (packet: unknown) =>
      ws.send(typeof packet === 'string' ? packet : JSON.stringify(packet)),
  };
}

describe('Mixer simulator, driven by the official client', () => {
  it('welcomes, authenticates with a REST authkey, and sees the Client-ID query parameter', async () => {
    const { socket } = officialClient();
    const result = await socket.auth(MIXER_SIM_CHANNEL_ID, MIXER_SIM_USER_ID, await authkey());
    expect(result).toEqual({ authenticated: true, roles: ['Owner', 'User'] });
    // The official client sends Client-ID only as a query parameter, never as a header.
    expect(sim.socketConnections[0]).toMatchObject({
      version: '1.0',
      clientIdQuery: MIXER_SIM_CLIENT_ID,
    });
    expect(sim.socketConnections[0]!.clientIdHeader).toBeUndefined();
    // Its auth packet carries a fourth (test-stream access key) argument, null when unused.
    expect(sim.authAttempts[0]!.args).toHaveLength(4);
  });

  it('joins anonymously', async () => {
    const { socket } = officialClient();
    await expect(socket.auth(MIXER_SIM_CHANNEL_ID, null as never, null as never)).resolves.toEqual({
      authenticated: false,
      roles: [],
    });
    expect(sim.authAttempts.map((a) => a.outcome)).toEqual(['anonymous']);
  });

  it('posts with msg: the reply carries the ChatMessage that every joined socket gets as an event', async () => {
    const owner = officialClient();
    const viewer = officialClient();
    await owner.socket.auth(MIXER_SIM_CHANNEL_ID, MIXER_SIM_USER_ID, await authkey());
    await viewer.socket.auth(MIXER_SIM_CHANNEL_ID, null as never, null as never);

    const reply: unknown = await owner.socket.call('msg', ['Hello world :) @codercat']);
    await waitFor(() => viewer.events.length === 1 && owner.events.length === 1, 2000, 'events');
    expect(viewer.events[0]).toEqual({ name: 'ChatMessage', data: reply });
    expect(reply).toMatchObject({
      channel: MIXER_SIM_CHANNEL_ID,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      user_name: MIXER_SIM_CHANNEL,
      user_id: MIXER_SIM_USER_ID,
      user_roles: ['Owner', 'User'],
      message: {
        message: [
          { type: 'text', data: 'Hello world ', text: 'Hello world ' },
          {
            type: 'emoticon',
            source: 'builtin',
            pack: 'default',
            coords: { x: 96, y: 0, width: 24, height: 24 },
            text: ':)',
          },
          { type: 'text', data: ' ', text: ' ' },
          { type: 'tag', username: 'codercat', text: '@codercat', id: MIXER_SIM_USER_ID },
        ],
        meta: {},
      },
    });
    expect(sim.sent).toEqual([{ text: 'Hello world :) @codercat', userId: MIXER_SIM_USER_ID }]);
  });

  it('refuses a spent authkey with UNOTFOUND, which the official client reports as an authentication failure', async () => {
    const key = await authkey();
    const first = officialClient();
    await first.socket.auth(MIXER_SIM_CHANNEL_ID, MIXER_SIM_USER_ID, key);
    const second = officialClient();
    await waitFor(() => second.socket.isConnected(), 2000, 'second client connected');
    await expect(second.socket.auth(MIXER_SIM_CHANNEL_ID, MIXER_SIM_USER_ID, key)).rejects.toBe(
      'UNOTFOUND',
    );
    expect(second.errors).toEqual([expect.objectContaining({ code: 'UNOTFOUND' })]);
    expect(sim.authAttempts.map((a) => a.outcome)).toEqual(['authenticated', 'UNOTFOUND']);
  });

  it("can send the later docs' object form of UNOTFOUND, which the official client does not recognise", async () => {
    await restart({ authErrorStyle: 'object' });
    const { socket, errors } = officialClient();
    await waitFor(() => socket.isConnected(), 2000, 'connected');
    await expect(
      socket.auth(MIXER_SIM_CHANNEL_ID, MIXER_SIM_USER_ID, 'not-an-authkey'),
    ).rejects.toEqual({ code: 1, message: 'UNOTFOUND', stacktrace: '', data: {} });
    expect(errors).toEqual([
      expect.objectContaining({ message: 'Authentication Failed, please check your credentials.' }),
    ]);
  });

  it('rejects with 4005 past the rate limit and 4007 under a level restriction', async () => {
    await restart({ rateLimit: { messages: 1, windowMs: 10_000 } });
    const { socket } = officialClient();
    await socket.auth(MIXER_SIM_CHANNEL_ID, MIXER_SIM_USER_ID, await authkey());
    await socket.call('msg', ['first']);
    await expect(socket.call('msg', ['second'])).rejects.toMatchObject({ code: 4005 });
    sim.restrictChat('You need to be level 50 in this channel to chat.');
    await expect(socket.call('msg', ['third'])).rejects.toEqual({
      code: 4007,
      message: 'You need to be level 50 in this channel to chat.',
    });
  });

  it('answers native pings and the ping method, and stops answering both when stalled', async () => {
    const { socket, errors } = officialClient(sim.chatUrls, {
      pingTimeout: 200,
      pingInterval: 60_000,
    });
    await socket.auth(MIXER_SIM_CHANNEL_ID, null as never, null as never);
    // auth() resolves just before the client marks itself connected; ping() needs connected.
    await waitFor(() => socket.isConnected(), 2000, 'connected');
    await socket.ping();
    await expect(socket.call('ping', [])).resolves.toBeUndefined();

    sim.stall(true);
    const reconnecting = new Promise((resolve) => socket.once('reconnecting', resolve));
    await expect(socket.ping()).rejects.toBeInstanceOf(mixer.TimeoutError);
    await reconnecting;
    expect(errors.some((e) => e instanceof mixer.TimeoutError)).toBe(true);
  });

  it('returns history, newest last, at most as many as asked', async () => {
    for (const text of ['one', 'two', 'three']) sim.postChat({ user: 'pixelpanda', text });
    const { socket } = officialClient();
    await socket.auth(MIXER_SIM_CHANNEL_ID, null as never, null as never);
    const history = (await socket.call('history', [2])) as Array<{
      message: { message: Array<{ text: string }> };
    }>;
    expect(history.map((m) => m.message.message[0]!.text)).toEqual(['two', 'three']);
  });

  it('delivers moderation events in their documented shapes', async () => {
    const { socket, events } = officialClient();
    await socket.auth(MIXER_SIM_CHANNEL_ID, null as never, null as never);
    const id = sim.postChat({ user: 'spammer', text: 'spam', userId: 777 });
    sim.deleteMessage(id);
    sim.purgeUser(777, { type: 'timeout', durationString: '5m' });
    sim.clearMessages();
    await waitFor(() => events.length === 4, 2000, 'events');
    const moderator = {
      user_name: 'ModBot',
      user_id: 1003,
      user_roles: ['Mod', 'User'],
      user_level: 30,
    };
    expect(events.slice(1)).toEqual([
      { name: 'DeleteMessage', data: { moderator, id } },
      {
        name: 'PurgeMessage',
        data: { moderator, user_id: 777, cause: { type: 'timeout', durationString: '5m' } },
      },
      { name: 'ClearMessages', data: { clearer: moderator } },
    ]);
  });

  it('withholding WelcomeEvent makes the official client close and retry', async () => {
    sim.withholdWelcome(true);
    const { socket } = officialClient(sim.chatUrls, { pingTimeout: 200 });
    const reconnecting = await new Promise<{ interval: number }>((resolve) =>
      socket.once('reconnecting', resolve),
    );
    expect(reconnecting.interval).toBeGreaterThan(0);
    expect(sim.authAttempts).toHaveLength(0);
  });

  // The quirks below are the official client's (@mixer/chat-client-websocket, run against the
  // simulator here); they are why our client does otherwise.

  it('quirk: after a drop the official client replays its spent authkey, gets UNOTFOUND and stops', async () => {
    const { socket } = officialClient();
    await socket.auth(MIXER_SIM_CHANNEL_ID, MIXER_SIM_USER_ID, await authkey());
    const closed = new Promise((resolve) => socket.once('closed', resolve));
    sim.dropConnections();
    await closed;
    expect(sim.authAttempts.map((a) => a.outcome)).toEqual(['authenticated', 'UNOTFOUND']);
    expect(sim.authAttempts[1]!.args[2]).toBe(sim.authAttempts[0]!.args[2]);
    expect(socket.getStatus()).toBe(mixer.Socket.CLOSED);
  });

  it('quirk: with its bundled ws 1.x the official client never leaves a refused endpoint', async () => {
    const { socket, errors } = officialClient([`ws://127.0.0.1:${await findDeadPort()}`], {
      pingTimeout: 100,
    });
    let reconnects = 0;
    socket.on('reconnecting', () => reconnects++);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(errors).toEqual([expect.objectContaining({ code: 'ECONNREFUSED' })]);
    expect(reconnects).toBe(0);
    expect(socket.getStatus()).toBe(mixer.Socket.CONNECTING);
  });
});

describe('Mixer simulator, frame by frame against the docs', () => {
  it('opens with a WelcomeEvent like the documented one', async () => {
    const { frames } = await rawClient();
    await waitFor(() => frames.length === 1);
    expect(frames[0]).toEqual({
      type: 'event',
      event: 'WelcomeEvent',
      data: {
        server: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        ),
      },
    });
  });

  it('answers the documented auth, msg, ping and history requests with the documented reply shapes', async () => {
    const { frames, send } = await rawClient();
    const key = await authkey();
    send({
      type: 'method',
      method: 'auth',
      arguments: [MIXER_SIM_CHANNEL_ID, MIXER_SIM_USER_ID, key],
      id: 0,
    });
    send({ type: 'method', method: 'msg', arguments: ['Hello World!'], id: 2 });
    send({ type: 'method', method: 'ping', arguments: [], id: 12 });
    send({ type: 'method', method: 'history', arguments: [1], id: 1 });
    await waitFor(() => frames.length === 6, 2000, 'frames');

    expect(frames[1]).toEqual({
      type: 'reply',
      error: null,
      id: 0,
      data: { authenticated: true, roles: ['Owner', 'User'] },
    });
    expect(frames[2]).toEqual({
      type: 'reply',
      error: null,
      id: 2,
      data: {
        channel: MIXER_SIM_CHANNEL_ID,
        id: expect.any(String),
        user_name: MIXER_SIM_CHANNEL,
        user_id: MIXER_SIM_USER_ID,
        user_level: expect.any(Number),
        user_avatar: expect.stringMatching(/^https:\/\//),
        user_roles: ['Owner', 'User'],
        message: {
          message: [{ type: 'text', data: 'Hello World!', text: 'Hello World!' }],
          meta: {},
        },
      },
    });
    expect(frames[3]).toEqual({
      type: 'event',
      event: 'ChatMessage',
      data: (frames[2] as { data: unknown }).data,
    });
    expect(frames[4]).toEqual({ type: 'reply', error: null, id: 12 });
    expect(frames[5]).toEqual({
      type: 'reply',
      error: null,
      id: 1,
      data: [(frames[2] as { data: unknown }).data],
    });
  });

  it('answers anonymous auth, string auth errors and unreadable packets', async () => {
    const { frames, send } = await rawClient();
    send({ type: 'method', method: 'auth', arguments: [MIXER_SIM_CHANNEL_ID], id: 0 });
    send({ type: 'method', method: 'auth', arguments: [12345, 12345, 'Not an AuthKey'], id: 1 });
    send({
      type: 'method',
      method: 'auth',
      arguments: [MIXER_SIM_CHANNEL_ID, 12345, 'Not an AuthKey'],
      id: 2,
    });
    send('this is not json');
    await waitFor(() => frames.length === 5, 2000, 'frames');
    expect(frames.slice(1)).toEqual([
      { type: 'reply', error: null, id: 0, data: { authenticated: false, roles: [] } },
      { type: 'reply', error: 'UACCESS', id: 1 },
      { type: 'reply', error: 'UNOTFOUND', id: 2 },
      { type: 'reply', error: 'UNOTJSON', id: null },
    ]);
  });

  it('serves the documented REST shapes: authenticated and anonymous /chats, channel lookup by name', async () => {
    const anonymous = await (await fetch(`${sim.apiUrl}/chats/${MIXER_SIM_CHANNEL_ID}`)).json();
    expect(anonymous).toEqual({
      endpoints: sim.chatUrls,
      permissions: ['chat', 'connect', 'poll_vote'],
    });
    const signedIn = (await (
      await fetch(`${sim.apiUrl}/chats/${MIXER_SIM_CHANNEL_ID}`, {
        headers: { Authorization: `Bearer ${MIXER_SIM_TOKEN}` },
      })
    ).json()) as Record<string, unknown>;
    expect(signedIn).toMatchObject({
      authkey: expect.stringMatching(/^[0-9a-f]{32}$/),
      endpoints: sim.chatUrls,
      permissions: expect.arrayContaining(['chat', 'connect', 'poll_vote']),
    });
    expect(
      await (await fetch(`${sim.apiUrl}/channels/${MIXER_SIM_CHANNEL}?fields=id`)).json(),
    ).toEqual({ id: MIXER_SIM_CHANNEL_ID });
    expect((await fetch(`${sim.apiUrl}/users/current`)).status).toBe(401);
  });

  it('expires authkeys after their lifetime', async () => {
    await restart({ authkeyTtlMs: 50 });
    const key = await authkey();
    await new Promise((resolve) => setTimeout(resolve, 80));
    const { frames, send } = await rawClient();
    send({
      type: 'method',
      method: 'auth',
      arguments: [MIXER_SIM_CHANNEL_ID, MIXER_SIM_USER_ID, key],
      id: 0,
    });
    await waitFor(() => frames.length === 2);
    expect(frames[1]).toEqual({ type: 'reply', error: 'UNOTFOUND', id: 0 });
  });

  it('refuses sockets with HTTP 503 while refusing, and advertises the endpoints it is told to', async () => {
    const dead = `ws://127.0.0.1:${await findDeadPort()}`;
    sim.setEndpoints([dead, ...sim.chatUrls]);
    expect(
      (
        (await (await fetch(`${sim.apiUrl}/chats/${MIXER_SIM_CHANNEL_ID}`)).json()) as {
          endpoints: string[];
        }
      ).endpoints,
    ).toEqual([dead, ...sim.chatUrls]);
    sim.refuseConnections(true);
    await expect(rawClient()).rejects.toThrow(/503/);
    expect(sim.socketConnections.at(-1)).toMatchObject({ refused: true });
  });

  it('chatter posts lines and moderation for the demo, and stops', async () => {
    const { frames, send } = await rawClient();
    send({ type: 'method', method: 'auth', arguments: [MIXER_SIM_CHANNEL_ID], id: 0 });
    await waitFor(() => frames.length === 2);
    sim.startChatter(5);
    await waitFor(
      () =>
        frames.some((f) => f.event === 'PollStart') && frames.some((f) => f.event === 'UserJoin'),
      3000,
      'chatter events',
    );
    sim.stopChatter();
    const count = frames.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(frames.length).toBe(count);
    expect(frames.filter((f) => f.event === 'ChatMessage').length).toBeGreaterThan(5);
  });

  it('settings() points Stream Chat at the simulator', () => {
    expect(sim.settings()).toEqual({
      'streamChat.mixer.enabled': true,
      'streamChat.mixer.channel': MIXER_SIM_CHANNEL,
      'streamChat.mixer.clientId': MIXER_SIM_CLIENT_ID,
      'streamChat.mixer.apiUrl': sim.apiUrl,
    });
  });
});

describe('Mixer simulator moderation, driven by the official client', () => {
  const ownerModerator = {
    user_name: MIXER_SIM_CHANNEL,
    user_id: MIXER_SIM_USER_ID,
    user_roles: ['Owner', 'User'],
    user_level: 87,
  };
  /** The owner and a plain viewer (quietviewer, who has chatted), both signed in. */
  async function ownerAndViewer() {
    sim.postChat({ user: 'quietviewer', text: 'hello', userId: MIXER_SIM_MUTED_USER_ID });
    const owner = officialClient();
    const viewer = officialClient();
    const timeouts: unknown[] = [];
    viewer.socket.on('UserTimeout' as 'ChatMessage', (data: unknown) => timeouts.push(data));
    await owner.socket.auth(MIXER_SIM_CHANNEL_ID, MIXER_SIM_USER_ID, await authkey());
    await viewer.socket.auth(
      MIXER_SIM_CHANNEL_ID,
      MIXER_SIM_MUTED_USER_ID,
      await authkey(MIXER_SIM_MUTED_TOKEN),
    );
    return { owner, viewer, timeouts };
  }

  it('deleteMessage: "Message deleted." and a DeleteMessage naming the moderator; 4003 for an unknown id', async () => {
    const { owner, viewer } = await ownerAndViewer();
    const id = sim.postChat({ user: 'spammer', text: 'spam', userId: 777 });
    await expect(owner.socket.call('deleteMessage', [id])).resolves.toBe('Message deleted.');
    await waitFor(
      () => viewer.events.some((e) => e.name === 'DeleteMessage'),
      2000,
      'DeleteMessage',
    );
    expect(viewer.events.find((e) => e.name === 'DeleteMessage')?.data).toEqual({
      moderator: ownerModerator,
      id,
    });
    await expect(owner.socket.call('deleteMessage', [id])).rejects.toEqual({
      code: 4003,
      message: 'Message not found.',
    });
    expect(sim.moderation.map((m) => [m.method, m.ok])).toEqual([
      ['deleteMessage', true],
      ['deleteMessage', false],
    ]);
  });

  it('timeout: the documented sentence, a PurgeMessage with its cause, UserTimeout (ms) to the one timed out; "clear" lifts it', async () => {
    const { owner, viewer, timeouts } = await ownerAndViewer();
    await expect(owner.socket.call('timeout', ['quietviewer', '30s'])).resolves.toBe(
      'quietviewer has been timed out for 30s.',
    );
    await waitFor(
      () => timeouts.length === 1 && viewer.events.some((e) => e.name === 'PurgeMessage'),
      2000,
      'timeout events',
    );
    expect(timeouts[0]).toEqual({
      user: { user_name: 'quietviewer', user_id: MIXER_SIM_MUTED_USER_ID, user_roles: ['User'] },
      duration: 30_000,
    });
    expect(viewer.events.find((e) => e.name === 'PurgeMessage')?.data).toEqual({
      moderator: ownerModerator,
      user_id: MIXER_SIM_MUTED_USER_ID,
      cause: { type: 'timeout', durationString: '30s' },
    });
    expect(owner.events.some((e) => e.name === 'PurgeMessage')).toBe(true);
    expect(sim.timedOut.has(MIXER_SIM_MUTED_USER_ID)).toBe(true);
    await expect(owner.socket.call('timeout', ['quietviewer', 'clear'])).resolves.toBe(
      'quietviewer is no longer timed out.',
    );
    expect(sim.timedOut.has(MIXER_SIM_MUTED_USER_ID)).toBe(false);
    await expect(owner.socket.call('timeout', ['quietviewer', 'forever'])).rejects.toMatchObject({
      code: 4004,
    });
    await expect(owner.socket.call('timeout', ['nobody-here', '30s'])).rejects.toMatchObject({
      code: 4001,
    });
  });

  it('clearMessages: "Messages cleared." and ClearMessages with the clearer', async () => {
    const { owner, viewer } = await ownerAndViewer();
    await expect(owner.socket.call('clearMessages', [])).resolves.toBe('Messages cleared.');
    await waitFor(
      () => viewer.events.some((e) => e.name === 'ClearMessages'),
      2000,
      'ClearMessages',
    );
    expect(viewer.events.find((e) => e.name === 'ClearMessages')?.data).toEqual({
      clearer: ownerModerator,
    });
  });

  it('a viewer without a moderator role is refused every moderation method, and nothing is broadcast', async () => {
    const { owner, viewer } = await ownerAndViewer();
    const id = sim.postChat({ user: 'spammer', text: 'spam', userId: 777 });
    await expect(viewer.socket.call('deleteMessage', [id])).rejects.toEqual({
      code: 4000,
      message: 'You do not have permission to delete messages.',
    });
    await expect(viewer.socket.call('timeout', ['spammer', '30s'])).rejects.toMatchObject({
      code: 4000,
    });
    await expect(viewer.socket.call('purge', ['spammer'])).rejects.toMatchObject({ code: 4002 });
    await expect(viewer.socket.call('clearMessages', [])).rejects.toMatchObject({ code: 4000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(owner.events.filter((e) => e.name !== 'ChatMessage')).toEqual([]);
    expect(sim.moderation.every((m) => !m.ok && m.by === MIXER_SIM_MUTED_USER_ID)).toBe(true);
  });

  it('ban and unban are the Banned channel role over REST: owner 200 and a ban PurgeMessage, others 403/401', async () => {
    const { viewer } = await ownerAndViewer();
    const patch = (token: string | undefined, body: unknown) =>
      fetch(`${sim.apiUrl}/channels/${MIXER_SIM_CHANNEL_ID}/users/777`, {
        method: 'PATCH',
        headers: {
          'Content-Type': 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    sim.postChat({ user: 'spammer', text: 'spam', userId: 777 });
    const banned = await patch(MIXER_SIM_TOKEN, { add: ['Banned'] });
    expect(banned.status).toBe(200);
    await waitFor(() => viewer.events.some((e) => e.name === 'PurgeMessage'), 2000, 'PurgeMessage');
    // The PurgeMessage of a ban carries no moderator.
    expect(viewer.events.find((e) => e.name === 'PurgeMessage')?.data).toEqual({
      user_id: 777,
      cause: { type: 'ban' },
    });
    expect(sim.banned.has(777)).toBe(true);
    expect((await patch(MIXER_SIM_MUTED_TOKEN, { remove: ['Banned'] })).status).toBe(403);
    expect((await patch(undefined, { remove: ['Banned'] })).status).toBe(401);
    expect(sim.banned.has(777)).toBe(true);
    expect((await patch(MIXER_SIM_TOKEN, { remove: ['Banned'] })).status).toBe(200);
    expect(sim.banned.has(777)).toBe(false);
    expect(sim.moderation.map((m) => [m.method, m.ok])).toEqual([
      ['ban', true],
      ['unban', false],
      ['unban', false],
      ['unban', true],
    ]);
  });
});
