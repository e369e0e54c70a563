import { afterEach, describe, expect, it } from 'vitest';
import { ChatHub } from '../../../src/core/chatHub';
import { nullLogger } from '../../../src/core/log';
import { ChatMessage, TimelineOp, plainText } from '../../../src/core/message';
import { ConnectionState } from '../../../src/core/state';
import { TauClient, TauClientOptions, tauPlatformFactory, tauSettingsFrom } from '../../../src/platforms/tau/client';
import { fetchBroadcaster, postTestEvent } from '../../../src/platforms/tau/rest';
import { TAU_TEST_EVENTS } from '../../../src/platforms/tau/testEvents';
import { TAU_SIM_BOT, TAU_SIM_CHANNEL, TAU_SIM_TOKEN, TauSimulator, TauSimulatorOptions, startTauSimulator } from '../../simulators/tau/server';

const fastBackoff = { initialMs: 50, maxMs: 200, jitter: 0, random: () => 0.5 };
let sim: TauSimulator | undefined;
let client: TauClient | undefined;
afterEach(async () => {
  client?.dispose();
  await sim?.close();
  client = sim = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

interface Setup {
  token?: string;
  keepAliveMs?: number;
  /** The client's keep-alive interval (the watchdog fires after twice this). */
  keepAliveIntervalMs?: number;
  chatBot?: string;
  url?: string;
  sim?: TauSimulatorOptions;
  client?: TauClientOptions;
}

async function setup(opts: Setup = {}) {
  sim = await startTauSimulator({ keepAliveMs: opts.keepAliveMs ?? 100, ...opts.sim });
  const settings = { ...tauSettingsFrom({ url: opts.url ?? sim.url, chatBot: opts.chatBot ?? TAU_SIM_BOT, channel: TAU_SIM_CHANNEL }), keepAliveIntervalMs: opts.keepAliveIntervalMs ?? 200 };
  const c = new TauClient(
    { settings, getToken: async () => ('token' in opts ? opts.token : TAU_SIM_TOKEN), log: nullLogger },
    { authCloseWindowMs: 100, sendSettleMs: 50, backoff: fastBackoff, ...opts.client },
  );
  client = c;
  const states: ConnectionState[] = [];
  const ops: TimelineOp[] = [];
  c.onDidChangeState((s) => states.push(s));
  c.onDidReceive((op) => ops.push(op));
  const messages = () => ops.filter((o): o is Extract<TimelineOp, { op: 'append' }> => o.op === 'append').map((o) => o.message);
  return { sim: sim!, client: c, states, ops, messages };
}

const connectedCount = (states: ConnectionState[]) => states.filter((s) => s.kind === 'connected').length;
async function connect(c: TauClient) {
  c.connect();
  await until('connected', () => c.state.kind === 'connected');
}

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
    expect(client.state).toMatchObject({ kind: 'failed', category: 'config', message: expect.stringContaining('Set a TAU token') });
    expect(sim.requests).toHaveLength(0);
  });

  it('a close with 1011 right after the token frame is an auth failure, not retried', async () => {
    // The pre-flight passes (say the token was revoked just after it); the socket then refuses it.
    const passingPreflight: TauClientOptions['fetch'] = async () => ({ status: 200, ok: true, json: async () => ({}), text: async () => '' });
    const { sim, client } = await setup({ token: 'revoked-token', client: { fetch: passingPreflight, authCloseWindowMs: 300 } });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    await sleep(250);
    expect(client.state).toMatchObject({ kind: 'failed', category: 'auth', message: expect.stringContaining('1011') });
    expect(sim.connections.badTokenSockets).toBe(1);
    expect(sim.connections.events).toBe(1);
  });

  it('older TAU: a silent events socket and the chat-bot error frame after the token are an auth failure', async () => {
    const passingPreflight: TauClientOptions['fetch'] = async () => ({ status: 200, ok: true, json: async () => ({}), text: async () => '' });
    const { sim, client, states, messages } = await setup({ token: 'revoked-token', sim: { legacyBadToken: true }, client: { fetch: passingPreflight } });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    await sleep(300);
    expect(client.state).toMatchObject({ kind: 'failed', category: 'auth' });
    expect(states.some((s) => s.kind === 'reconnecting')).toBe(false);
    expect(sim.connections.chat).toBe(1);
    expect(messages().some((m) => m.kind === 'system' && /does not match/.test(plainText(m)))).toBe(true);
  });

  it('an unknown chat bot is a settings failure naming the setting, not a loop', async () => {
    const { sim, client } = await setup({ chatBot: 'nosuchbot' });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    await sleep(300);
    expect(client.state).toMatchObject({ kind: 'failed', category: 'config', message: expect.stringContaining('streamChat.tau.chatBot') });
    expect(sim.connections.chat).toBe(1);
  });

  it('a URL that is not http(s) and a server without TAU’s API are settings failures', async () => {
    const bad = await setup({ url: 'ftp://127.0.0.1:1' });
    bad.client.connect();
    await until('failed', () => bad.client.state.kind === 'failed');
    expect(bad.client.state).toMatchObject({ kind: 'failed', category: 'config', message: expect.stringContaining('streamChat.tau.url') });
    bad.client.dispose();
    await sim!.close();

    const notTau: TauClientOptions['fetch'] = async () => ({ status: 404, ok: false, json: async () => ({}), text: async () => '' });
    const other = await setup({ client: { fetch: notTau } });
    other.client.connect();
    await until('failed', () => other.client.state.kind === 'failed');
    expect(other.client.state).toMatchObject({ kind: 'failed', category: 'config', message: expect.stringContaining('no TAU API') });
  });

  it('a server that is down is retried with backoff, and connects once it is up', async () => {
    const { client, states } = await setup({ url: 'http://127.0.0.1:1' });
    client.connect();
    await until('two retries', () => states.filter((s) => s.kind === 'reconnecting').length >= 2);
    const retry = states.find((s) => s.kind === 'reconnecting');
    expect(retry).toMatchObject({ reason: expect.stringContaining('not reachable') });
  });

  it('settings: seconds become ms, logins lowercase, the channel loses its #', () => {
    expect(tauSettingsFrom({ url: ' http://tau.local:8000/ ', chatBot: 'CoderCatBot', channel: '#CoderCat', keepAliveIntervalSeconds: 30 })).toEqual({ url: 'http://tau.local:8000/', chatBot: 'codercatbot', channel: 'codercat', keepAliveIntervalMs: 30_000 });
    expect(tauSettingsFrom({})).toEqual({ url: 'http://localhost:8000', chatBot: '', channel: '', keepAliveIntervalMs: 120_000 });
    expect(tauPlatformFactory({ settings: {}, getToken: async () => undefined, log: nullLogger }).platform).toBe('tau');
  });
});

describe('TauClient: events and chat', () => {
  it('receives events and chat; a ban purges the user’s lines', async () => {
    const { sim, client, messages, ops } = await setup();
    await connect(client);
    sim.emitEvent('channel-follow', { user_id: '1', user_login: 'fan', user_name: 'Fan' });
    sim.postChat({ user: 'Viewer', text: 'Kappa hello @codercat', badges: { subscriber: '3' }, userId: '77' });
    await until('both', () => messages().length >= 2);
    const event = messages().find((m) => m.kind === 'event')!;
    const chat = messages().find((m) => m.kind === 'chat')!;
    expect(plainText(event)).toBe('Fan followed!');
    expect(event.author).toMatchObject({ name: 'fan', displayName: 'Fan' });
    expect(chat.parts[0]).toMatchObject({ type: 'emote', name: 'Kappa', url: 'https://static-cdn.jtvnw.net/emoticons/v2/25/default/dark/1.0' });
    expect(chat.parts.at(-1)).toEqual({ type: 'mention', text: '@codercat', username: 'codercat' });
    expect(chat).toMatchObject({ channel: TAU_SIM_CHANNEL, author: { name: 'viewer', displayName: 'Viewer', roles: ['subscriber'] } });
    sim.emitEvent('channel-ban', { user_id: '77', user_login: 'viewer', user_name: 'Viewer', is_permanent: true });
    await until('purge', () => ops.find((o) => o.op === 'purgeUser'));
    expect(ops.find((o) => o.op === 'purgeUser')).toEqual({ op: 'purgeUser', platform: 'tau', userId: '77' });
  });

  it('test event round trip: POST → the line arrives on the events socket marked as a test', async () => {
    const { sim, client, messages } = await setup();
    await connect(client);
    const response = await postTestEvent(sim.url, TAU_SIM_TOKEN, 'channel-raid', { from_broadcaster_user_name: 'Friend', viewers: 9 });
    expect(response).toMatchObject({ origin: 'test', event_type: 'channel-raid' });
    const line = await until('test event', () => messages().find((m: ChatMessage) => m.eventType === 'channel-raid'));
    expect(line.flags.test).toBe(true);
    expect(plainText(line)).toBe('Friend is raiding with 9 viewers!');
    expect(sim.testEvents).toEqual([{ type: 'channel-raid', body: { from_broadcaster_user_name: 'Friend', viewers: 9 } }]);
  });

  it('every sample test event is accepted by TAU and shows as a readable line', async () => {
    const { sim, client, messages } = await setup();
    await connect(client);
    const broadcaster = await fetchBroadcaster(sim.url, TAU_SIM_TOKEN);
    expect(broadcaster).toEqual({ id: '424242', login: 'codercat', name: 'CoderCat' });
    for (const t of TAU_TEST_EVENTS) await postTestEvent(sim.url, TAU_SIM_TOKEN, t.type, t.sample(broadcaster));
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
    await until('event after garbage', () => messages().some((m) => plainText(m) === 'StillWorks followed!'));
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
    await until('reconnecting', () => states.some((s) => s.kind === 'reconnecting' && /keep-alive/.test(s.reason)), 3000);
    sim.stallKeepAlives(false);
    await until('connected again', () => connectedCount(states) >= 2, 3000);
  });

  it('busy chat does not hide a silent events socket', async () => {
    const { sim, client, states } = await setup({ keepAliveMs: 50, keepAliveIntervalMs: 150 });
    await connect(client);
    sim.stallKeepAlives(true);
    const chatter = setInterval(() => sim.postChat({ user: 'busy', text: 'still chatting' }), 40);
    try {
      await until('reconnecting', () => states.some((s) => s.kind === 'reconnecting' && /keep-alive/.test(s.reason)), 3000);
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
    await until('chat after reconnect', () => messages().some((m) => plainText(m) === 'after the drop'));
    await sleep(100);
    expect(messages().filter((m) => plainText(m) === 'after the drop')).toHaveLength(1);
  });
});

describe('TauClient: sending', () => {
  it('multi-line text is split into messages and never sent with a newline; sent lines show as own', async () => {
    const { sim, client, messages } = await setup();
    await connect(client);
    await client.send('first line\nsecond line\r\nPRIVMSG #other :injected\u2028fourth');
    expect(sim.sent.map((s) => s.message)).toEqual(['first line', 'second line', 'PRIVMSG #other :injected', 'fourth']);
    expect(sim.sent.every((s) => s.irc_channel === TAU_SIM_CHANNEL && s.bot === TAU_SIM_BOT)).toBe(true);
    expect(sim.newlineViolations).toBe(0);
    const own = messages().filter((m) => m.flags.self);
    expect(own.map(plainText)).toEqual(['first line', 'second line', 'PRIVMSG #other :injected', 'fourth']);
    expect(own[0]).toMatchObject({ kind: 'chat', platform: 'tau', author: { name: TAU_SIM_BOT } });
  });

  it('long text goes out in ≤500-character messages', async () => {
    const { sim, client } = await setup();
    await connect(client);
    const long = Array.from({ length: 240 }, (_, i) => `word${i}`).join(' ');
    await client.send(long);
    expect(sim.sent.length).toBeGreaterThan(1);
    expect(sim.sent.every((s) => [...s.message].length <= 500)).toBe(true);
    expect(sim.sent.map((s) => s.message).join(' ')).toBe(long);
    expect(client.sendCapability.maxLength).toBe(500);
  });

  it('paces a burst of 50 sends under the limit and delivers all in order', async () => {
    const windowMs = 200;
    const { sim, client } = await setup({ client: { sendLimit: { messages: 10, windowMs } } });
    await connect(client);
    const started = Date.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => client.send(`burst ${i}`)));
    expect(sim.sent.map((s) => s.message)).toEqual(Array.from({ length: 50 }, (_, i) => `burst ${i}`));
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * windowMs - 20);
    // No window saw more than the limit arrive (a little slack for the loopback).
    const times = sim.sent.map((s) => s.receivedAt);
    for (let i = 10; i < times.length; i++) expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(windowMs - 25);
    expect(sim.newlineViolations).toBe(0);
  });

  it('the lines of one message stay together when several sends overlap', async () => {
    const { sim, client } = await setup({ client: { sendLimit: { messages: 3, windowMs: 60 } } });
    await connect(client);
    await Promise.all([client.send('a1\na2\na3'), client.send('b1\nb2'), client.send('c1')]);
    expect(sim.sent.map((s) => s.message)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'c1']);
  });

  it('a message sent while reconnecting is delivered after the reconnect', async () => {
    const { sim, client, states } = await setup();
    await connect(client);
    sim.dropConnections();
    await until('reconnecting', () => client.state.kind === 'reconnecting' || client.state.kind === 'connecting');
    await client.send('typed during the outage');
    expect(connectedCount(states)).toBeGreaterThanOrEqual(2);
    expect(sim.sent.map((s) => s.message)).toEqual(['typed during the outage']);
  });

  it('a drop right after the write is reported, not claimed as sent', async () => {
    const { sim, client } = await setup({ client: { sendSettleMs: 300 } });
    await connect(client);
    const sending = client.send('one\ntwo');
    await until('written', () => sim.sent.length === 2);
    sim.dropConnections();
    await expect(sending).rejects.toMatchObject({ code: 'TAU_SEND_UNCONFIRMED', message: expect.stringContaining('2 messages') });
  });

  it('without a chat bot it is events-only and says which setting enables sending', async () => {
    const { client, sim } = await setup({ chatBot: '' });
    await connect(client);
    expect(client.state).toMatchObject({ kind: 'connected', readOnly: true });
    expect(client.sendCapability).toMatchObject({ canSend: false, reason: expect.stringContaining('streamChat.tau.chatBot') });
    await expect(client.send('hi')).rejects.toMatchObject({ code: 'SEND_UNAVAILABLE' });
    expect(sim.connections.chat).toBe(0);
  });
});
