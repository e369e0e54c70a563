import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatError } from '../../../src/core/errors';
import {
  MIXER_MAX_MESSAGE_LENGTH,
  mixerPlatformFactory,
  mixerSettingsFrom,
} from '../../../src/platforms/mixer';
import {
  MIXER_SIM_CHANNEL,
  MIXER_SIM_CHANNEL_ID,
  MIXER_SIM_CLIENT_ID,
  MIXER_SIM_MUTED_TOKEN,
  MIXER_SIM_TOKEN,
  MIXER_SIM_USER_ID,
  MixerSimulator,
  MixerSimulatorOptions,
  findDeadPort,
  startMixerSimulator,
} from '../../simulators/mixer/server';
import { recordingLogger, simClient, waitFor } from './helpers';

let sim: MixerSimulator;
const cleanups: Array<() => void> = [];

async function startSim(options: MixerSimulatorOptions = {}): Promise<MixerSimulator> {
  await sim?.close();
  sim = await startMixerSimulator(options);
  return sim;
}

function track<T extends ReturnType<typeof simClient>>(setup: T): T {
  cleanups.push(() => setup.client.dispose());
  return setup;
}

beforeEach(async () => {
  sim = await startMixerSimulator();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await sim.close();
});

const connected = (setup: ReturnType<typeof simClient>) => () =>
  setup.client.state.kind === 'connected';

describe('MixerClient: connecting', () => {
  it('discovers the channel, opens the socket with version and Client-ID, and authenticates with a fresh authkey', async () => {
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup), 3000, 'connected');

    expect(setup.client.state).toMatchObject({ kind: 'connected', readOnly: false });
    expect(sim.requests.map((r) => r.path)).toEqual([
      '/api/v1/channels/codercat?fields=id',
      '/api/v1/users/current',
      `/api/v1/chats/${MIXER_SIM_CHANNEL_ID}`,
    ]);
    // Client-ID on every REST call; the token only where it is needed.
    expect(sim.requests.every((r) => r.clientId === MIXER_SIM_CLIENT_ID)).toBe(true);
    expect(sim.requests.map((r) => r.authorization)).toEqual(['none', 'valid', 'valid']);
    expect(sim.socketConnections).toHaveLength(1);
    expect(sim.socketConnections[0]).toMatchObject({
      version: '1.0',
      clientIdHeader: MIXER_SIM_CLIENT_ID,
      clientIdQuery: MIXER_SIM_CLIENT_ID,
    });
    expect(sim.authAttempts).toEqual([
      {
        args: [MIXER_SIM_CHANNEL_ID, MIXER_SIM_USER_ID, sim.issuedAuthkeys[0]],
        outcome: 'authenticated',
      },
    ]);
    expect(setup.client.sendCapability).toEqual({
      canSend: true,
      maxLength: MIXER_MAX_MESSAGE_LENGTH,
    });
  });

  it('takes a numeric channel id as it is, without a lookup', async () => {
    const setup = track(simClient(sim, { settings: { channel: String(MIXER_SIM_CHANNEL_ID) } }));
    setup.client.connect();
    await waitFor(connected(setup));
    expect(sim.requests.some((r) => r.path.startsWith('/api/v1/channels/'))).toBe(false);
  });

  it('falls through a dead first endpoint to the second within the same attempt', async () => {
    const dead = `ws://127.0.0.1:${await findDeadPort()}`;
    sim.setEndpoints([dead, sim.chatUrls[0]!]);
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));

    expect(setup.kinds()).toEqual(['connecting', 'connected']);
    expect(sim.socketConnections).toHaveLength(1);
    expect(
      setup.log.lines.some(
        (l) =>
          l.level === 'warn' &&
          l.message.includes(dead) &&
          l.message.includes('Trying the next endpoint'),
      ),
    ).toBe(true);
  });

  it('gives up on an endpoint that accepts TCP but never answers the upgrade, and uses the next', async () => {
    const blackhole = net.createServer(() => {});
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => blackhole.close());
    const silent = `ws://127.0.0.1:${(blackhole.address() as net.AddressInfo).port}`;
    sim.setEndpoints([silent, sim.chatUrls[0]!]);
    const setup = track(simClient(sim, { options: { connectTimeoutMs: 200 } }));
    setup.client.connect();
    await waitFor(connected(setup));
    expect(setup.kinds()).toEqual(['connecting', 'connected']);
    expect(
      setup.log.lines.some((l) =>
        l.message.includes(`${silent} did not accept the connection within 200 ms`),
      ),
    ).toBe(true);
  });

  it('reports the endpoints unreachable when every one is dead, and retries', async () => {
    sim.setEndpoints([`ws://127.0.0.1:${await findDeadPort()}`]);
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(() => setup.client.state.kind === 'reconnecting', 3000, 'reconnecting');
    expect(setup.client.state).toMatchObject({
      kind: 'reconnecting',
      reason: expect.stringMatching(
        /^Could not connect to Mixer's chat server: ws:\/\/127\.0\.0\.1:\d+ did not accept the connection \(ECONNREFUSED\); retrying\.$/,
      ),
    });
    sim.setEndpoints(sim.chatUrls);
    await waitFor(connected(setup));
  });

  it('rotates through the endpoints on reconnects', async () => {
    await startSim({ extraChatServers: 1 });
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    expect(sim.socketConnections.map((c) => c.server)).toEqual([0]);

    sim.dropConnections();
    await waitFor(
      () => sim.authAttempts.length === 2 && setup.client.state.kind === 'connected',
      3000,
      'second session',
    );
    expect(sim.socketConnections.map((c) => c.server)).toEqual([0, 1]);
  });

  it('closes and retries when no WelcomeEvent arrives', async () => {
    sim.withholdWelcome(true);
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(() => setup.client.state.kind === 'reconnecting', 3000, 'reconnecting');
    expect(setup.client.state).toMatchObject({
      reason: expect.stringContaining('did not welcome'),
    });
    expect(sim.authAttempts).toHaveLength(0);
    await waitFor(() => sim.openSockets === 0, 2000, 'the unwelcomed socket closed');

    sim.withholdWelcome(false);
    await waitFor(connected(setup));
    expect(sim.socketConnections.length).toBeGreaterThanOrEqual(2);
  });
});

describe('MixerClient: credentials', () => {
  it('fails once on a bad token and does not loop', async () => {
    const setup = track(simClient(sim, { token: 'not-a-real-token' }));
    setup.client.connect();
    await waitFor(() => setup.client.state.kind === 'failed', 3000, 'failed');
    await new Promise((resolve) => setTimeout(resolve, 600));

    expect(setup.client.state).toMatchObject({
      kind: 'failed',
      category: 'auth',
      message: expect.stringContaining('HTTP 401'),
    });
    expect(setup.kinds()).toEqual(['connecting', 'failed']);
    expect(sim.requests.filter((r) => r.path === '/api/v1/users/current')).toHaveLength(1);
    expect(sim.socketConnections).toHaveLength(0);
    expect(setup.log.lines.some((l) => l.message.includes('not-a-real-token'))).toBe(false);
  });

  it('fails once when the chat server refuses the authkey (UNOTFOUND) and does not loop', async () => {
    // Mixer hands out an authkey that the chat server then refuses (e.g. another user's).
    const tamper = async (url: string, init: RequestInit) => {
      const response = await fetch(url, init);
      if (!url.includes('/chats/')) return response;
      const body = (await response.json()) as Record<string, unknown>;
      return new Response(
        JSON.stringify({ ...body, authkey: 'deadbeefdeadbeefdeadbeefdeadbeef' }),
        { status: 200 },
      );
    };
    const setup = track(simClient(sim, { options: { fetch: tamper } }));
    setup.client.connect();
    await waitFor(() => setup.client.state.kind === 'failed', 3000, 'failed');
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(setup.client.state).toMatchObject({
      kind: 'failed',
      category: 'auth',
      message: expect.stringContaining('UNOTFOUND'),
    });
    expect(sim.authAttempts.map((a) => a.outcome)).toEqual(['UNOTFOUND']);
    expect(sim.socketConnections).toHaveLength(1);
    await waitFor(() => sim.openSockets === 0, 2000, 'socket closed');
  });

  it('joins anonymously without a token and says it is read-only', async () => {
    const setup = track(simClient(sim, { token: undefined }));
    setup.client.connect();
    await waitFor(connected(setup));

    expect(setup.client.state).toMatchObject({ kind: 'connected', readOnly: true });
    expect(sim.authAttempts).toEqual([{ args: [MIXER_SIM_CHANNEL_ID], outcome: 'anonymous' }]);
    expect(sim.requests.some((r) => r.path === '/api/v1/users/current')).toBe(false);
    expect(sim.requests.every((r) => r.authorization === 'none')).toBe(true);
    expect(setup.client.sendCapability).toMatchObject({
      canSend: false,
      reason: expect.stringContaining('anonymously'),
    });
    await expect(setup.client.send('hello')).rejects.toMatchObject({ code: 'READ_ONLY' });
    expect(sim.sent).toHaveLength(0);

    const id = sim.postChat({ user: 'pixelpanda', text: 'read-only still reads' });
    await waitFor(() => setup.chat().some((m) => m.id === id));
  });

  it('is read-only when the account lacks the chat permission', async () => {
    const setup = track(simClient(sim, { token: MIXER_SIM_MUTED_TOKEN }));
    setup.client.connect();
    await waitFor(connected(setup));
    expect(setup.client.state).toMatchObject({ kind: 'connected', readOnly: true });
    expect(setup.client.sendCapability.reason).toContain("no 'chat' permission");
  });

  it('re-authenticates with a fresh authkey after an outage longer than the key lives', async () => {
    await startSim({ authkeyTtlMs: 200 });
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));

    sim.refuseConnections(true);
    sim.dropConnections();
    await waitFor(
      () => sim.socketConnections.filter((c) => c.refused).length >= 2,
      3000,
      'refused reconnects',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    sim.refuseConnections(false);
    await waitFor(
      () => setup.client.state.kind === 'connected' && sim.authAttempts.length === 2,
      5000,
      'back online',
    );

    expect(sim.authAttempts.map((a) => a.outcome)).toEqual(['authenticated', 'authenticated']);
    const keys = sim.authAttempts.map((a) => a.args[2]);
    expect(keys[0]).not.toEqual(keys[1]);
    // A fresh key per attempt, including the refused ones.
    expect(sim.issuedAuthkeys.length).toBeGreaterThanOrEqual(3);
    await setup.client.send('back after the outage');
    expect(sim.sent.map((s) => s.text)).toEqual(['back after the outage']);
  });

  it('never logs the token or an authkey', async () => {
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    await setup.client.send('hello');
    sim.dropConnections();
    await waitFor(
      () => sim.authAttempts.length === 2 && setup.client.state.kind === 'connected',
      3000,
      'reconnected',
    );
    const all = setup.log.lines.map((l) => l.message).join('\n');
    expect(all).not.toContain(MIXER_SIM_TOKEN);
    for (const key of sim.issuedAuthkeys) expect(all).not.toContain(key);
  });
});

describe('MixerClient: REST failures', () => {
  it('a rate-limited REST call (429) is a network problem and is retried', async () => {
    sim.failRest(429, 1);
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    const reconnecting = setup.states.find((s) => s.kind === 'reconnecting');
    expect(reconnecting).toMatchObject({
      reason: expect.stringContaining('rate limiting requests (HTTP 429)'),
    });
  });

  it('an unknown channel is a settings problem and is not retried', async () => {
    const setup = track(simClient(sim, { settings: { channel: 'nobody-here' } }));
    setup.client.connect();
    await waitFor(() => setup.client.state.kind === 'failed');
    expect(setup.client.state).toMatchObject({
      category: 'config',
      message: expect.stringContaining('"nobody-here"'),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sim.requests).toHaveLength(1);
  });

  it('an empty channel setting fails as configuration without any request', async () => {
    const setup = track(simClient(sim, { settings: { channel: '  ' } }));
    setup.client.connect();
    await waitFor(() => setup.client.state.kind === 'failed');
    expect(setup.client.state).toMatchObject({ category: 'config' });
    expect(sim.requests).toHaveLength(0);
  });
});

describe('MixerClient: chat and moderation', () => {
  it('delivers chat messages in the shared model', async () => {
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));

    const id = sim.postChat({
      user: 'devdiana',
      text: 'hi @codercat :) see mixer.com/codercat',
      roles: ['Mod', 'Subscriber', 'User'],
    });
    await waitFor(() => setup.chat().length === 1);
    const message = setup.chat()[0]!;
    expect(message).toMatchObject({
      id,
      platform: 'mixer',
      channel: 'codercat',
      kind: 'chat',
      flags: {},
    });
    expect(message.author).toMatchObject({
      name: 'devdiana',
      roles: ['moderator', 'subscriber'],
      color: expect.stringMatching(/^#[0-9a-f]{6}$/),
    });
    expect(message.parts).toEqual([
      { type: 'text', text: 'hi ' },
      { type: 'mention', text: '@codercat', username: 'codercat' },
      { type: 'text', text: ' ' },
      {
        type: 'emote',
        name: ':)',
        url: 'https://mixer.com/_latest/emoticons/default.png',
        sprite: { x: 96, y: 0, width: 24, height: 24 },
      },
      { type: 'text', text: ' see ' },
      { type: 'link', text: 'mixer.com/codercat', url: 'https://mixer.com/codercat' },
    ]);
  });

  it('sends with msg, shows our own message once and flags it as ours', async () => {
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    await setup.client.send('hello chat');
    expect(sim.sent).toEqual([{ text: 'hello chat', userId: MIXER_SIM_USER_ID }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(setup.chat()).toHaveLength(1);
    expect(setup.chat()[0]).toMatchObject({
      flags: { self: true },
      author: { roles: ['broadcaster'] },
    });
  });

  it('turns a rate-limit reply into a clear message and stays connected', async () => {
    await startSim({ rateLimit: { messages: 2, windowMs: 10_000 } });
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    await setup.client.send('one');
    await setup.client.send('two');
    const error = await setup.client.send('three').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatError);
    expect(error).toMatchObject({
      code: 'MIXER_RATE_LIMITED',
      message: 'Mixer is rate limiting your messages; wait a moment and try again.',
    });
    expect(setup.client.state.kind).toBe('connected');
    expect(sim.sent.map((s) => s.text)).toEqual(['one', 'two']);
  });

  it("passes on the server's own sentence for a level restriction (4007)", async () => {
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    sim.restrictChat('You need to be level 50 in this channel to chat.');
    await expect(setup.client.send('hi')).rejects.toMatchObject({
      code: 'MIXER_LEVEL_RESTRICTED',
      message: 'Mixer did not post the message: You need to be level 50 in this channel to chat.',
    });
  });

  it('refuses messages longer than 360 characters before sending', async () => {
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    await expect(setup.client.send('x'.repeat(361))).rejects.toMatchObject({
      code: 'MESSAGE_TOO_LONG',
    });
    expect(sim.sent).toHaveLength(0);
  });

  it('turns DeleteMessage, PurgeMessage and ClearMessages into delete, purgeUser and clear ops', async () => {
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    const first = sim.postChat({ user: 'spammer', text: 'buy followers', userId: 777 });
    sim.postChat({ user: 'spammer', text: 'buy more', userId: 777 });
    await waitFor(() => setup.chat().length === 2);

    sim.deleteMessage(first);
    sim.purgeUser(777, { type: 'timeout', durationString: '5m' });
    sim.clearMessages();
    await waitFor(() => setup.ops.some((o) => o.op === 'clear'));
    await waitFor(() => setup.ops.length === 6);

    expect(
      setup.ops
        .slice(2)
        .map((o) => (o.op === 'append' ? { op: o.op, text: o.message.parts[0] } : o)),
    ).toEqual([
      { op: 'delete', platform: 'mixer', ids: [first] },
      { op: 'purgeUser', platform: 'mixer', userId: '777' },
      { op: 'clear', platform: 'mixer' },
      { op: 'append', text: { type: 'text', text: 'Chat was cleared by ModBot.' } },
    ]);
  });

  it('shows polls and timeouts as event lines, counts joins without showing them, and skips unknown events', async () => {
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    const poll = {
      originatingChannel: 1,
      q: "How's the weather?",
      answers: ['Good.', 'Bad.'],
      duration: 29996,
      endsAt: 1465533783407,
      voters: 0,
      responses: { 'Good.': 0, 'Bad.': 0 },
    };
    sim.emitEvent('PollStart', poll);
    sim.emitEvent('PollStart', { ...poll, voters: 1, responses: { 'Good.': 1, 'Bad.': 0 } });
    sim.emitEvent('PollEnd', { ...poll, voters: 3, responses: { 'Good.': 2, 'Bad.': 1 } });
    sim.emitEvent('UserJoin', {
      originatingChannel: 1,
      username: 'lurker',
      roles: ['User'],
      id: 4242,
    });
    sim.emitEvent('UserLeave', { originatingChannel: 1, username: 'lurker', id: 4242 });
    sim.emitEvent('SomethingNew', { whatever: true });
    sim.emitEvent('UserTimeout', {
      user: { user_name: 'codercat', user_id: MIXER_SIM_USER_ID, user_roles: ['User'] },
      duration: 59998,
    });
    await waitFor(() => setup.messages().some((m) => m.eventType === 'timeout'));

    const lines = setup.messages().map((m) => [m.eventType, m.parts[0]]);
    // The repeated PollStart (a progress update) keeps its id, so the hub shows it once.
    expect(
      new Set(
        setup
          .messages()
          .filter((m) => m.eventType === 'poll-start')
          .map((m) => m.id),
      ).size,
    ).toBe(1);
    expect(lines.filter(([type]) => type !== 'poll-start')).toEqual([
      ['poll-end', { type: 'text', text: "Poll ended: How's the weather? (Good. 2, Bad. 1)" }],
      ['timeout', { type: 'text', text: 'You were timed out in this chat for 1 minute.' }],
    ]);
    expect(setup.client.presence).toEqual({ joins: 1, leaves: 1 });
    expect(
      setup.log.lines.some((l) => l.message.includes('unknown Mixer event "SomethingNew"')),
    ).toBe(true);
    expect(setup.client.state.kind).toBe('connected');
  });

  it('shows joins and leaves when showJoinLeave is on', async () => {
    const setup = track(simClient(sim, { settings: { showJoinLeave: true } }));
    setup.client.connect();
    await waitFor(connected(setup));
    sim.emitEvent('UserJoin', {
      originatingChannel: 1,
      username: 'lurker',
      roles: ['User'],
      id: 4242,
    });
    await waitFor(() => setup.messages().length === 1);
    expect(setup.messages()[0]).toMatchObject({
      kind: 'event',
      eventType: 'join',
      parts: [{ type: 'text', text: 'lurker joined the chat.' }],
    });
  });

  it('skips malformed frames, logs them and keeps the connection', async () => {
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    for (const raw of [
      'not json',
      '[1,2,3]',
      '{"type":"event"}',
      '{"type":"mystery"}',
      '{"type":"reply","id":"x"}',
      '{"type":"event","event":"ChatMessage","data":{"id":5}}',
      'null',
    ]) {
      sim.injectRaw(raw);
    }
    const id = sim.postChat({ user: 'pixelpanda', text: 'still here' });
    await waitFor(() => setup.chat().some((m) => m.id === id));
    expect(setup.chat()).toHaveLength(1);
    expect(setup.log.lines.filter((l) => l.level === 'warn').length).toBeGreaterThanOrEqual(6);
    expect(setup.kinds()).toEqual(['connecting', 'connected']);
  });
});

describe('MixerClient: reconnecting', () => {
  it('reconnects after a drop mid-stream and back-fills from history without duplicates', async () => {
    const setup = track(simClient(sim, { options: { historyCount: 50 } }));
    sim.postChat({ user: 'early', text: 'before we joined' });
    setup.client.connect();
    await waitFor(connected(setup));
    await waitFor(() => setup.texts().length === 1, 2000, 'history');
    sim.postChat({ user: 'pixelpanda', text: 'one' });
    sim.postChat({ user: 'pixelpanda', text: 'two' });
    await waitFor(() => setup.texts().length === 3);

    sim.refuseConnections(true);
    sim.dropConnections();
    await waitFor(() => setup.client.state.kind === 'reconnecting');
    sim.postChat({ user: 'pixelpanda', text: 'three (while we were away)' });
    sim.refuseConnections(false);
    await waitFor(
      () => setup.client.state.kind === 'connected' && sim.authAttempts.length === 2,
      5000,
      'reconnected',
    );
    sim.postChat({ user: 'pixelpanda', text: 'four' });
    await waitFor(() => setup.texts().includes('four'));

    expect(setup.texts()).toEqual([
      'before we joined',
      'one',
      'two',
      'three (while we were away)',
      'four',
    ]);
    const ids = setup.chat().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('pings after silence and reconnects when the ping goes unanswered', async () => {
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    sim.stall(true);
    await waitFor(() => setup.client.state.kind === 'reconnecting', 3000, 'reconnecting');
    expect(setup.client.state).toMatchObject({
      reason: expect.stringContaining('no reply to a ping'),
    });
    sim.stall(false);
    await waitFor(connected(setup), 3000, 'connected again');
  });

  it('keeps a live but quiet connection: pings are answered', async () => {
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(setup.kinds()).toEqual(['connecting', 'connected']);
  });

  it('delivers a message sent while reconnecting after re-auth', async () => {
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    sim.refuseConnections(true);
    sim.dropConnections();
    await waitFor(() => setup.client.state.kind === 'reconnecting');

    const sending = setup.client.send('queued while away');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sim.sent).toHaveLength(0);
    sim.refuseConnections(false);
    await sending;
    expect(sim.sent.map((s) => s.text)).toEqual(['queued while away']);
    expect(sim.authAttempts.map((a) => a.outcome)).toEqual(['authenticated', 'authenticated']);
  });

  it('rejects a message sent while reconnecting once the queue timeout passes', async () => {
    const setup = track(simClient(sim, { options: { queueTimeoutMs: 300 } }));
    setup.client.connect();
    await waitFor(connected(setup));
    sim.refuseConnections(true);
    sim.dropConnections();
    await waitFor(() => setup.client.state.kind === 'reconnecting');

    await expect(setup.client.send('lost')).rejects.toMatchObject({ code: 'SEND_TIMEOUT' });
    sim.refuseConnections(false);
    await waitFor(connected(setup));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sim.sent).toHaveLength(0);
  });

  it('disconnect closes the socket and stops retrying', async () => {
    const setup = track(simClient(sim));
    setup.client.connect();
    await waitFor(connected(setup));
    setup.client.disconnect();
    await waitFor(() => sim.openSockets === 0, 2000, 'socket closed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(setup.client.state.kind).toBe('disconnected');
    expect(sim.socketConnections).toHaveLength(1);
  });
});

describe('mixerSettingsFrom', () => {
  it('reads raw settings with defaults', () => {
    expect(mixerSettingsFrom({})).toEqual({
      channel: '',
      clientId: '',
      apiUrl: 'https://mixer.com/api/v1',
      showJoinLeave: false,
    });
    expect(
      mixerSettingsFrom({
        channel: ' codercat ',
        clientId: 'abc',
        apiUrl: 'http://127.0.0.1:1/api/v1',
        showJoinLeave: true,
        enabled: true,
      }),
    ).toEqual({
      channel: 'codercat',
      clientId: 'abc',
      apiUrl: 'http://127.0.0.1:1/api/v1',
      showJoinLeave: true,
    });
    expect(mixerSettingsFrom({ channel: 42, apiUrl: '' })).toMatchObject({
      channel: '',
      apiUrl: 'https://mixer.com/api/v1',
    });
  });
});

describe('mixerPlatformFactory', () => {
  it('builds a client from raw settings, as the composition root holds them', async () => {
    const client = mixerPlatformFactory({
      settings: {
        channel: MIXER_SIM_CHANNEL,
        clientId: MIXER_SIM_CLIENT_ID,
        apiUrl: sim.apiUrl,
        enabled: true,
      },
      getToken: async () => MIXER_SIM_TOKEN,
      log: recordingLogger(),
    });
    cleanups.push(() => client.dispose());
    expect(client.platform).toBe('mixer');
    client.connect();
    await waitFor(() => client.state.kind === 'connected');
    expect(sim.requests.every((r) => r.clientId === MIXER_SIM_CLIENT_ID)).toBe(true);
  });
});

describe('MixerClient: authkey freshness', () => {
  it('fetches a fresh authkey when slow endpoints aged the first one before the welcome', async () => {
    const blackhole = net.createServer(() => {});
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => blackhole.close());
    sim.setEndpoints([
      `ws://127.0.0.1:${(blackhole.address() as net.AddressInfo).port}`,
      sim.chatUrls[0]!,
    ]);
    const setup = track(
      simClient(sim, { options: { connectTimeoutMs: 200, authkeyMaxAgeMs: 100 } }),
    );
    setup.client.connect();
    await waitFor(connected(setup));
    expect(sim.issuedAuthkeys).toHaveLength(2);
    expect(sim.authAttempts).toEqual([
      {
        args: [MIXER_SIM_CHANNEL_ID, MIXER_SIM_USER_ID, sim.issuedAuthkeys[1]],
        outcome: 'authenticated',
      },
    ]);
  });
});
