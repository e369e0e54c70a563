import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChatHub } from '../../../src/core/chatHub';
import { Logger, nullLogger } from '../../../src/core/log';
import { ChatMessage, plainText } from '../../../src/core/message';
import { ConnectionState } from '../../../src/core/state';
import {
  TauClient,
  TauClientOptions,
  tauPlatformFactory,
  tauSettingsFrom,
} from '../../../src/platforms/tau';
import { fetchBroadcaster, postTestEvent } from '../../../src/platforms/tau';
import { TAU_TEST_EVENTS } from '../../../src/platforms/tau';
import { TAU_SIM_BOT, TAU_SIM_CHANNEL, TAU_SIM_TOKEN } from '../../simulators/tau/server';
import { connect, connectedCount, fastBackoff, setup, sleep, until } from './harness';

describe('TauClient: tokens and settings', () => {
  it('a wrong token: exactly one auth failure from the pre-flight, no socket, no retry', async () => {
    const { sim, client, states } = await setup({ token: 'wrong-token' });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    await sleep(300); // retries would start within 50 ms
    expect(client.state).toMatchObject({ kind: 'failed', category: 'auth' });
    expect(sim.connections.badTokenPreflight).toBe(1);
    expect(sim.requests).toHaveLength(1);
    expect(sim.connections.events + sim.connections.chat).toBe(0);
    expect(states.filter((s) => s.kind === 'failed')).toHaveLength(1);
    expect(states.some((s) => s.kind === 'reconnecting')).toBe(false);
    expect(JSON.stringify(states)).not.toContain('wrong-token');
  });

  it('no token: a config failure naming the fix, and no request at all', async () => {
    const { sim, client } = await setup({ token: undefined });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    expect(client.state).toMatchObject({
      kind: 'failed',
      category: 'config',
      message: expect.stringContaining('Set a TAU token'),
    });
    expect(sim.requests).toHaveLength(0);
  });

  it('a close with 1011 right after the token frame is an auth failure, not retried', async () => {
    // The pre-flight passes (say the token was revoked just after it); the socket then refuses it.
    const passingPreflight: TauClientOptions['fetch'] = async () => ({
      status: 200,
      ok: true,
      json: async () => ({}),
      text: async () => '',
    });
    const { sim, client } = await setup({
      token: 'revoked-token',
      client: { fetch: passingPreflight, authCloseWindowMs: 300 },
    });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    await sleep(250);
    expect(client.state).toMatchObject({
      kind: 'failed',
      category: 'auth',
      message: expect.stringContaining('1011'),
    });
    expect(sim.connections.badTokenSockets).toBe(1);
    expect(sim.connections.events).toBe(1);
  });

  it('older TAU: a silent events socket and the chat-bot error frame after the token are an auth failure', async () => {
    const passingPreflight: TauClientOptions['fetch'] = async () => ({
      status: 200,
      ok: true,
      json: async () => ({}),
      text: async () => '',
    });
    const { sim, client, states, messages } = await setup({
      token: 'revoked-token',
      sim: { legacyBadToken: true },
      client: { fetch: passingPreflight },
    });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    await sleep(300);
    expect(client.state).toMatchObject({ kind: 'failed', category: 'auth' });
    expect(states.some((s) => s.kind === 'reconnecting')).toBe(false);
    expect(sim.connections.chat).toBe(1);
    expect(messages().some((m) => m.kind === 'system' && /does not match/.test(plainText(m)))).toBe(
      true,
    );
  });

  it('an unknown chat bot is a settings failure naming the setting, not a loop', async () => {
    const { sim, client } = await setup({ chatBot: 'nosuchbot' });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    await sleep(300);
    expect(client.state).toMatchObject({
      kind: 'failed',
      category: 'config',
      message: expect.stringContaining('streamChat.tau.chatBot'),
    });
    expect(sim.connections.chat).toBe(1);
  });

  it('a URL that is not http(s) and a server without TAU’s API are settings failures', async () => {
    const bad = await setup({ url: 'ftp://127.0.0.1:1' });
    bad.client.connect();
    await until('failed', () => bad.client.state.kind === 'failed');
    expect(bad.client.state).toMatchObject({
      kind: 'failed',
      category: 'config',
      message: expect.stringContaining('streamChat.tau.url'),
    });
    bad.client.dispose();
    await bad.sim.close();

    const notTau: TauClientOptions['fetch'] = async () => ({
      status: 404,
      ok: false,
      json: async () => ({}),
      text: async () => '',
    });
    const other = await setup({ client: { fetch: notTau } });
    other.client.connect();
    await until('failed', () => other.client.state.kind === 'failed');
    expect(other.client.state).toMatchObject({
      kind: 'failed',
      category: 'config',
      message: expect.stringContaining('no TAU API'),
    });
  });

  it('a server that is down is retried with backoff, and connects once it is up', async () => {
    const { client, states } = await setup({ url: 'http://127.0.0.1:1' });
    client.connect();
    await until('two retries', () => states.filter((s) => s.kind === 'reconnecting').length >= 2);
    const retry = states.find((s) => s.kind === 'reconnecting');
    expect(retry).toMatchObject({ reason: expect.stringContaining('not reachable') });
  });

  it('never logs or shows the token, nor a password in the URL', async () => {
    const lines: string[] = [];
    const log: Logger = {
      trace: (m) => lines.push(m),
      debug: (m) => lines.push(m),
      info: (m) => lines.push(m),
      warn: (m) => lines.push(m),
      error: (m) => lines.push(m),
    };
    const { sim, client, states, messages } = await setup({
      log,
      keepAliveMs: 50,
      keepAliveIntervalMs: 150,
    });
    await connect(client);
    await client.send('hello');
    sim.stallKeepAlives(true);
    await until('reconnecting', () => client.state.kind === 'reconnecting');
    sim.stallKeepAlives(false);
    sim.injectRaw('chat', 'garbage');
    await until('connected again', () => connectedCount(states) >= 2);
    client.dispose();
    // A wrong token; and a URL with a password in it (refused as a setting before any request).
    const refusedStates: ConnectionState[] = [];
    for (const [url, category] of [
      [sim.url, 'auth'],
      [`http://user:hunter2@127.0.0.1:${sim.port}`, 'config'],
    ] as const) {
      const settings = {
        ...tauSettingsFrom({ url, chatBot: TAU_SIM_BOT, channel: TAU_SIM_CHANNEL }),
        keepAliveIntervalMs: 200,
      };
      const refused = new TauClient(
        { settings, getToken: async () => 'secret-wrong-token', log },
        { backoff: fastBackoff },
      );
      refused.onDidChangeState((s) => refusedStates.push(s));
      refused.connect();
      await until('failed', () => refused.state.kind === 'failed');
      expect(refused.state).toMatchObject({ category });
      refused.dispose();
    }
    const everything = [
      ...lines,
      JSON.stringify(states),
      JSON.stringify(refusedStates),
      JSON.stringify(messages()),
    ].join('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const secret of [TAU_SIM_TOKEN, 'secret-wrong-token', 'hunter2'])
      expect(everything).not.toContain(secret);
  });

  it('disconnect closes both sockets cleanly (1000), and nothing reconnects', async () => {
    const { sim, client, states } = await setup();
    await connect(client);
    expect(sim.openSockets).toBe(2);
    client.disconnect();
    await until('closed at the server', () => sim.openSockets === 0);
    await sleep(200);
    expect(client.state.kind).toBe('disconnected');
    expect(states.some((s) => s.kind === 'reconnecting')).toBe(false);
    expect(sim.connections.events).toBe(1);
    expect(sim.closes.map((c) => c.code)).toEqual([1000, 1000]);
  });

  it('settings: seconds become ms, logins lowercase, the channel loses its #', () => {
    expect(
      tauSettingsFrom({
        url: ' http://tau.local:8000/ ',
        chatBot: 'CoderCatBot',
        channel: '#CoderCat',
        keepAliveIntervalSeconds: 30,
      }),
    ).toEqual({
      url: 'http://tau.local:8000/',
      chatBot: 'codercatbot',
      channel: 'codercat',
      keepAliveIntervalMs: 30_000,
    });
    expect(tauSettingsFrom({})).toEqual({
      url: 'http://localhost:8000',
      chatBot: '',
      channel: '',
      keepAliveIntervalMs: 120_000,
    });
    expect(
      tauPlatformFactory({ settings: {}, getToken: async () => undefined, log: nullLogger })
        .platform,
    ).toBe('tau');
  });
});

describe('TauClient: events and chat', () => {
  it('receives events and chat; a ban purges the user’s lines', async () => {
    const { sim, client, messages, ops } = await setup();
    await connect(client);
    sim.emitEvent('channel-follow', { user_id: '1', user_login: 'fan', user_name: 'Fan' });
    sim.postChat({
      user: 'Viewer',
      text: 'Kappa hello @codercat',
      badges: { subscriber: '3' },
      userId: '77',
    });
    await until('both', () => messages().length >= 2);
    const event = messages().find((m) => m.kind === 'event')!;
    const chat = messages().find((m) => m.kind === 'chat')!;
    expect(plainText(event)).toBe('Fan followed!');
    expect(event.author).toMatchObject({ name: 'fan', displayName: 'Fan' });
    expect(chat.parts[0]).toMatchObject({
      type: 'emote',
      name: 'Kappa',
      url: 'https://static-cdn.jtvnw.net/emoticons/v2/25/default/dark/1.0',
    });
    expect(chat.parts.at(-1)).toEqual({ type: 'mention', text: '@codercat', username: 'codercat' });
    expect(chat).toMatchObject({
      channel: TAU_SIM_CHANNEL,
      author: { name: 'viewer', displayName: 'Viewer', roles: ['subscriber'] },
    });
    sim.emitEvent('channel-ban', {
      user_id: '77',
      user_login: 'viewer',
      user_name: 'Viewer',
      is_permanent: true,
    });
    await until('purge', () => ops.find((o) => o.op === 'purgeUser'));
    expect(ops.find((o) => o.op === 'purgeUser')).toEqual({
      op: 'purgeUser',
      platform: 'tau',
      userId: '77',
    });
  });

  it('test event round trip: POST → the line arrives on the events socket marked as a test', async () => {
    const { sim, client, messages } = await setup();
    await connect(client);
    const response = await postTestEvent(sim.url, TAU_SIM_TOKEN, 'channel-raid', {
      from_broadcaster_user_name: 'Friend',
      viewers: 9,
    });
    expect(response).toMatchObject({ origin: 'test', event_type: 'channel-raid' });
    const line = await until('test event', () =>
      messages().find((m: ChatMessage) => m.eventType === 'channel-raid'),
    );
    expect(line.flags.test).toBe(true);
    expect(plainText(line)).toBe('Friend is raiding with 9 viewers!');
    expect(sim.testEvents).toEqual([
      { type: 'channel-raid', body: { from_broadcaster_user_name: 'Friend', viewers: 9 } },
    ]);
  });

  it('every sample test event is accepted by TAU and shows as a readable line', async () => {
    const { sim, client, messages } = await setup();
    await connect(client);
    const broadcaster = await fetchBroadcaster(sim.url, TAU_SIM_TOKEN);
    expect(broadcaster).toEqual({ id: '424242', login: 'codercat', name: 'CoderCat' });
    for (const t of TAU_TEST_EVENTS)
      await postTestEvent(sim.url, TAU_SIM_TOKEN, t.type, t.sample(broadcaster));
    await until('all lines', () => messages().length >= TAU_TEST_EVENTS.length);
    for (const t of TAU_TEST_EVENTS) {
      const line = messages().find((m) => m.eventType === t.type)!;
      expect(line.flags.test, t.type).toBe(true);
      expect(plainText(line), t.type).not.toBe(t.type); // a described line, not the generic fallback
    }
  });

  it('a replay of a stored event shows again (its own id) and is marked', async () => {
    const { sim, client, messages } = await setup();
    await connect(client);
    const live = sim.emitEvent('channel-cheer', { user_name: 'Fan', bits: 100 });
    sim.replayEvent(live.id!);
    await until('both', () => messages().length >= 2);
    const hub = new ChatHub({ scrollback: 100, log: nullLogger });
    const shown: string[] = [];
    hub.onDidApply((op) => op.op === 'append' && shown.push(plainText(op.message)));
    for (const m of messages()) hub.apply({ op: 'append', message: m });
    expect(shown).toEqual(['Fan cheered 100 bits!', 'Fan cheered 100 bits! (replay)']);
    expect(messages()[1]!.flags.test).toBe(true);
    hub.dispose();
  });

  it('skips malformed frames and keeps going', async () => {
    const { sim, client, messages } = await setup();
    await connect(client);
    sim.injectRaw('events', 'not json');
    sim.injectRaw('events', '{"event_type": 5}');
    sim.injectRaw('chat', '{"data":{"command":"PRIVMSG"}}');
    sim.injectRaw('chat', '\u0000\uffff');
    sim.emitEvent('channel-follow', { user_name: 'StillWorks' });
    await until('event after garbage', () =>
      messages().some((m) => plainText(m) === 'StillWorks followed!'),
    );
    expect(client.state.kind).toBe('connected');
  });

  it('arbitrary frames on either socket never break the session', async () => {
    const { sim, client, messages } = await setup();
    await connect(client);
    const frames = fc.sample(
      fc.oneof(
        fc.string(),
        fc.json(),
        fc.constant(
          '{"data":{"command":"PRIVMSG","tags":{"emotes":[{"id":"1","positions":[[-1,9e9]]}]},"params":[]}}',
        ),
      ),
      { numRuns: 150, seed: 7 },
    );
    for (const text of frames) {
      sim.injectRaw('events', text);
      sim.injectRaw('chat', text);
    }
    sim.emitEvent('channel-follow', { user_name: 'AfterTheNoise' });
    await until('event after the noise', () =>
      messages().some((m) => plainText(m) === 'AfterTheNoise followed!'),
    );
    expect(client.state.kind).toBe('connected');
  });

  it('surfaces chat-bot error frames as an error notice', async () => {
    const { sim, client, messages } = await setup();
    await connect(client);
    sim.injectRaw('chat', '{"error":"the provided token does not match any users."}');
    const notice = await until('notice', () => messages().find((m) => m.kind === 'system'));
    expect(notice).toMatchObject({ severity: 'error' });
    expect(plainText(notice)).toContain('does not match');
    expect(client.state.kind).toBe('connected');
  });
});

describe('TauClient: liveness', () => {
  it('keep-alive silence ends the session and reconnects', async () => {
    const { sim, client, states } = await setup({ keepAliveMs: 50, keepAliveIntervalMs: 150 });
    await connect(client);
    sim.stallKeepAlives(true);
    await until(
      'reconnecting',
      () => states.some((s) => s.kind === 'reconnecting' && /keep-alive/.test(s.reason)),
      3000,
    );
    sim.stallKeepAlives(false);
    await until('connected again', () => connectedCount(states) >= 2, 3000);
  });

  it('busy chat does not hide a silent events socket', async () => {
    const { sim, client, states } = await setup({ keepAliveMs: 50, keepAliveIntervalMs: 150 });
    await connect(client);
    sim.stallKeepAlives(true);
    const chatter = setInterval(() => sim.postChat({ user: 'busy', text: 'still chatting' }), 40);
    try {
      await until(
        'reconnecting',
        () => states.some((s) => s.kind === 'reconnecting' && /keep-alive/.test(s.reason)),
        3000,
      );
    } finally {
      clearInterval(chatter);
    }
  });

  it('keeps a quiet connection whose keep-alives arrive', async () => {
    const { client, states } = await setup({ keepAliveMs: 50, keepAliveIntervalMs: 150 });
    await connect(client);
    await sleep(650); // over twice the watchdog's 300 ms
    expect(client.state.kind).toBe('connected');
    expect(states.some((s) => s.kind === 'reconnecting')).toBe(false);
  });

  it('reconnects after the server drops the sockets, without duplicating chat', async () => {
    const { sim, client, states, messages } = await setup();
    await connect(client);
    sim.dropConnections();
    await until('connected again', () => connectedCount(states) >= 2, 3000);
    sim.postChat({ user: 'back', text: 'after the drop' });
    await until('chat after reconnect', () =>
      messages().some((m) => plainText(m) === 'after the drop'),
    );
    await sleep(100);
    expect(messages().filter((m) => plainText(m) === 'after the drop')).toHaveLength(1);
  });
});
