import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../support/until';
import { ChatMessage, TimelineOp, plainText } from '../../../src/core/message';
import { nullLogger } from '../../../src/core/log';
import { ConnectionState } from '../../../src/core/state';
import { TauClient, TauClientOptions, tauSettingsFrom } from '../../../src/platforms/tau/client';
import { postTestEvent } from '../../../src/platforms/tau/rest';
import { TAU_SIM_TOKEN, TauSimulator, startTauSimulator } from '../../simulators/tau/server';

const fastBackoff = { initialMs: 50, maxMs: 200, jitter: 0, random: () => 0.5 };
let sim: TauSimulator | undefined;
let client: TauClient | undefined;
afterEach(async () => {
  client?.dispose();
  await sim?.close();
  client = sim = undefined;
});


async function setup(opts: { token?: string; keepAliveMs?: number; keepAliveIntervalSeconds?: number; chatBot?: string; client?: TauClientOptions } = {}) {
  sim = await startTauSimulator({ keepAliveMs: opts.keepAliveMs ?? 100 });
  const settings = tauSettingsFrom({ url: sim.url, chatBot: opts.chatBot ?? 'codercatbot', channel: 'codercat', keepAliveIntervalSeconds: opts.keepAliveIntervalSeconds ?? 0.2 });
  // keepAliveIntervalSeconds below 1 is not a valid setting; tests use a short interval directly.
  const c = new TauClient(
    { settings: { ...settings, keepAliveIntervalMs: (opts.keepAliveIntervalSeconds ?? 0.2) * 1000 }, getToken: async () => ('token' in opts ? opts.token : TAU_SIM_TOKEN), log: nullLogger },
    { authCloseWindowMs: 100, ...opts.client },
  );
  // Fast retries for tests.
  (c as unknown as { _backoff: unknown })._backoff = fastBackoff;
  client = c;
  const states: ConnectionState[] = [];
  const ops: TimelineOp[] = [];
  c.onDidChangeState((s) => states.push(s));
  c.onDidReceive((op) => ops.push(op));
  const messages = () => ops.filter((o): o is Extract<TimelineOp, { op: 'append' }> => o.op === 'append').map((o) => o.message);
  return { sim: sim!, client: c, states, ops, messages };
}

const connected = (states: ConnectionState[]) => states.filter((s) => s.kind === 'connected').length;

describe('TauClient against the simulator', () => {
  it('a wrong token: one auth failure from the pre-flight, no socket, no retry', async () => {
    const { sim, client, states } = await setup({ token: 'wrong-token' });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    await new Promise((r) => setTimeout(r, 500));
    expect(client.state).toMatchObject({ kind: 'failed', category: 'auth' });
    expect(sim.connections.badTokenPreflight).toBe(1);
    expect(sim.connections.events).toBe(0);
    expect(states.filter((s) => s.kind === 'failed')).toHaveLength(1);
  });

  it('no token: a clear config failure and no request at all', async () => {
    const { sim, client } = await setup({ token: undefined });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    expect(client.state).toMatchObject({ kind: 'failed', category: 'config' });
    expect(sim.connections.preflight).toBe(0);
  });

  it('a close with 1011 right after the token frame is an auth failure, not retried', async () => {
    // The pre-flight passes (say the token was revoked just after it); the socket then refuses it.
    const passingPreflight: TauClientOptions['fetch'] = async () => ({ status: 200, ok: true, json: async () => ({}), text: async () => '' });
    const { sim, client } = await setup({ token: 'revoked-token', client: { fetch: passingPreflight, authCloseWindowMs: 300 } });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    await new Promise((r) => setTimeout(r, 500));
    expect(client.state).toMatchObject({ kind: 'failed', category: 'auth' });
    expect(client.state.kind === 'failed' && client.state.message).toMatch(/1011/);
    expect(sim.connections.badTokenSockets).toBe(1);
    expect(sim.connections.events).toBe(1);
  });

  it('receives events, chat, and marks test events', async () => {
    const { sim, client, messages } = await setup();
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    sim.emitEvent('channel-follow', { user_id: '1', user_login: 'fan', user_name: 'Fan' });
    sim.postChat({ user: 'Viewer', text: 'Kappa hello', emotes: [{ id: '25', positions: [[0, 4]] }], badges: { subscriber: '3' } });
    await until('both', () => messages().length >= 2);
    const [event, chat] = [messages().find((m) => m.kind === 'event')!, messages().find((m) => m.kind === 'chat')!];
    expect(plainText(event)).toBe('Fan followed!');
    expect(chat.parts[0]).toMatchObject({ type: 'emote', name: 'Kappa' });
    expect(chat.author?.roles).toEqual(['subscriber']);
    await postTestEvent(sim.url, TAU_SIM_TOKEN, 'channel-raid', { from_broadcaster_user_name: 'Friend', viewers: 9 });
    const test = await until('test event', () => messages().find((m: ChatMessage) => m.eventType === 'channel-raid'));
    expect(test.flags.test).toBe(true);
    expect(sim.testEvents.map((t) => t.type)).toEqual(['channel-raid']);
  });

  it('test events: a wrong token is refused with a clear sentence; a dead server says it is unreachable', async () => {
    const { sim } = await setup();
    await expect(postTestEvent(sim.url, 'nope', 'channel-follow', {})).rejects.toThrow(/refused the token/);
    await expect(postTestEvent('http://127.0.0.1:1', TAU_SIM_TOKEN, 'channel-follow', {})).rejects.toThrow(/not reachable/);
  });

  it('keep-alive silence ends the session and reconnects', async () => {
    const { sim, client, states } = await setup({ keepAliveMs: 50, keepAliveIntervalSeconds: 0.15 });
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    sim.stallKeepAlives(true);
    await until('reconnecting', () => states.some((s) => s.kind === 'reconnecting' && /keep-alive/.test(s.reason)), 3000);
    sim.stallKeepAlives(false);
    await until('connected again', () => connected(states) >= 2, 3000);
  });

  it('reconnects after the server drops the sockets', async () => {
    const { sim, client, states, messages } = await setup();
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    sim.dropConnections();
    await until('connected again', () => connected(states) >= 2, 3000);
    sim.postChat({ user: 'back', text: 'after the drop' });
    await until('chat after reconnect', () => messages().some((m) => plainText(m) === 'after the drop'));
    expect(messages().filter((m) => plainText(m) === 'after the drop')).toHaveLength(1);
  });

  it('sends chat: multi-line text is split and never sent with a newline', async () => {
    const { sim, client } = await setup();
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    await client.send('first line\nsecond line\r\nPRIVMSG #other :injected');
    await until('three messages', () => sim.sent.length === 3);
    expect(sim.sent.map((s) => s.message)).toEqual(['first line', 'second line', 'PRIVMSG #other :injected']);
    expect(sim.sent.every((s) => s.irc_channel === 'codercat' && s.bot === 'codercatbot')).toBe(true);
    expect(sim.newlineViolations).toBe(0);
  });

  it('paces a burst of 50 sends under the limit and delivers all in order', async () => {
    const { sim, client } = await setup({ client: { sendLimit: { messages: 10, windowMs: 200 }, authCloseWindowMs: 100 } });
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    const started = Date.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => client.send(`burst ${i}`)));
    const elapsed = Date.now() - started;
    await until('all 50', () => sim.sent.length === 50);
    expect(sim.sent.map((s) => s.message)).toEqual(Array.from({ length: 50 }, (_, i) => `burst ${i}`));
    expect(elapsed).toBeGreaterThanOrEqual(4 * 200 - 50); // 50 messages at 10 per 200 ms: at least 4 windows
  });

  it('a message sent while reconnecting is delivered after the reconnect', async () => {
    const { sim, client, states } = await setup();
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    sim.dropConnections();
    await until('reconnecting', () => client.state.kind === 'reconnecting' || client.state.kind === 'connecting');
    await client.send('typed during the outage');
    expect(connected(states)).toBeGreaterThanOrEqual(2);
    await until('delivered', () => sim.sent.some((s) => s.message === 'typed during the outage'));
  });

  it('without a chat bot it is events-only and says which setting enables sending', async () => {
    const { client } = await setup({ chatBot: '' });
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    expect(client.sendCapability).toMatchObject({ canSend: false, reason: expect.stringContaining('streamChat.tau.chatBot') });
    await expect(client.send('hi')).rejects.toMatchObject({ code: 'SEND_UNAVAILABLE' });
  });

  it('skips malformed frames and keeps going', async () => {
    const { sim, client, messages } = await setup();
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    sim.injectRaw('events', 'not json');
    sim.injectRaw('chat', '{"data":{"command":"PRIVMSG"}}');
    sim.emitEvent('channel-follow', { user_name: 'StillWorks' });
    await until('event after garbage', () => messages().some((m) => plainText(m) === 'StillWorks followed!'));
    expect(client.state.kind).toBe('connected');
  });

  it('surfaces chat-bot error frames as a notice', async () => {
    const { sim, client, messages } = await setup();
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    sim.injectRaw('chat', '{"error":"the provided token does not match any users."}');
    await until('notice', () => messages().some((m) => m.kind === 'system' && /does not match/.test(plainText(m))));
  });
});
