import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../support/until';
import { Logger, nullLogger } from '../../../src/core/log';
import { TimelineOp, plainText } from '../../../src/core/message';
import { ConnectionState } from '../../../src/core/state';
import { GlimeshClient, GlimeshClientOptions, glimeshSettingsFrom } from '../../../src/platforms/glimesh/client';
import { GLIMESH_SIM_CLIENT_ID, GLIMESH_SIM_TOKEN, GlimeshSimulator, startGlimeshSimulator } from '../../simulators/glimesh/server';

let sim: GlimeshSimulator | undefined;
let client: GlimeshClient | undefined;
afterEach(async () => {
  client?.dispose();
  await sim?.close();
  client = sim = undefined;
});


async function setup(opts: { token?: string; clientId?: string; channel?: string; options?: GlimeshClientOptions; log?: Logger } = {}) {
  sim = await startGlimeshSimulator();
  const settings = glimeshSettingsFrom({ channel: opts.channel ?? 'codercat', clientId: opts.clientId ?? '', apiUrl: sim.httpUrl, socketUrl: sim.socketUrl });
  const c = new GlimeshClient({ settings, getToken: async () => ('token' in opts ? opts.token : GLIMESH_SIM_TOKEN), log: opts.log ?? nullLogger }, { heartbeatIntervalMs: 200, pushTimeoutMs: 1000, backoff: { initialMs: 50, maxMs: 200, jitter: 0, random: () => 0.5 }, ...opts.options });

  client = c;
  const states: ConnectionState[] = [];
  const ops: TimelineOp[] = [];
  c.onDidChangeState((s) => states.push(s));
  c.onDidReceive((op) => ops.push(op));
  const texts = () => ops.filter((o) => o.op === 'append').map((o) => (o.op === 'append' ? plainText(o.message) : ''));
  return { sim: sim!, client: c, states, texts };
}
const connectedCount = (states: ConnectionState[]) => states.filter((s) => s.kind === 'connected').length;

describe('GlimeshClient against the simulator', () => {
  it('live messages arrive with author and parts', async () => {
    const { sim, client, texts } = await setup();
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    sim.postChat({ user: 'Mytho', text: 'hello :glimheart:' });
    await until('live line', () => texts().includes('hello :glimheart:'));
  });

  it('history then live, without duplicates, across a reconnect', async () => {
    const { sim, client, texts, states } = await setup();
    sim.postChat({ user: 'early', text: 'before connecting' });
    client.connect();
    await until('history', () => texts().includes('before connecting'));
    sim.postChat({ user: 'live', text: 'while connected' });
    await until('live', () => texts().includes('while connected'));
    sim.dropConnections();
    await until('reconnected', () => connectedCount(states) >= 2, 5000);
    sim.postChat({ user: 'later', text: 'after the reconnect' });
    await until('after reconnect', () => texts().includes('after the reconnect'));
    await new Promise((r) => setTimeout(r, 200));
    for (const t of ['before connecting', 'while connected', 'after the reconnect']) expect(texts().filter((x) => x === t)).toHaveLength(1);
  });

  it('heartbeat replies stop → reconnect within two heartbeat intervals', async () => {
    const { sim, client, states } = await setup({ options: { heartbeatIntervalMs: 150 } });
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    sim.stallHeartbeats(true);
    const stalledAt = Date.now();
    await until('lost', () => states.some((s) => s.kind === 'reconnecting'), 2000);
    expect(Date.now() - stalledAt).toBeLessThan(2 * 150 + 250);
    sim.stallHeartbeats(false);
    await until('back', () => connectedCount(states) >= 2, 3000);
  });

  it('skips malformed frames (not JSON, wrong arity, unknown topic) and stays connected', async () => {
    const warnings: string[] = [];
    const log = { ...nullLogger, warn: (m: string) => warnings.push(m), debug: (m: string) => warnings.push(m) };
    const { sim, client, texts } = await setup({ log });
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    sim.injectRaw('not json');
    sim.injectRaw('["1","2","x"]');
    sim.injectRaw('[null,null,"__absinthe__:doc:unknown","subscription:data",{"result":{"data":{"chatMessage":{"id":"1"}}}}]');
    sim.postChat({ user: 'ok', text: 'still flowing' });
    await until('after garbage', () => texts().includes('still flowing'));
    expect(client.state.kind).toBe('connected');
  });

  it('a bad token: exactly one auth failure, one refused upgrade, no retries', async () => {
    const { sim, client, states } = await setup({ token: 'not-a-token' });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    await new Promise((r) => setTimeout(r, 500));
    expect(client.state).toMatchObject({ kind: 'failed', category: 'auth' });
    expect(states.filter((s) => s.kind === 'failed')).toHaveLength(1);
    expect(sim.upgrades).toEqual({ accepted: 0, refused: 1 });
  });

  it('no token and no client id: a clear config state and no connection attempt', async () => {
    const { client } = await setup({ token: undefined });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    expect(client.state).toMatchObject({ kind: 'failed', category: 'config', message: expect.stringContaining('client id') });
  });

  it('an unknown channel is a config error, not a retry loop', async () => {
    const { client } = await setup({ channel: 'nobody-here' });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    expect(client.state).toMatchObject({ kind: 'failed', category: 'config' });
  });

  it('a client id connects read-only and refuses to send, saying so', async () => {
    const { client } = await setup({ token: undefined, clientId: GLIMESH_SIM_CLIENT_ID });
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    expect(client.state).toMatchObject({ kind: 'connected', readOnly: true });
    await expect(client.send('hi')).rejects.toMatchObject({ code: 'READ_ONLY', message: expect.stringContaining('client id') });
  });

  it('sends; refuses 256 characters before sending; the server’s sentences reach the caller', async () => {
    const { sim, client } = await setup();
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    await client.send('hello from the editor');
    expect(sim.sent.map((s) => s.text)).toEqual(['hello from the editor']);
    await expect(client.send('x'.repeat(256))).rejects.toMatchObject({ code: 'MESSAGE_TOO_LONG' });
    expect(sim.sent).toHaveLength(1);
    sim.banUser('codercat', 5);
    await expect(client.send('let me in')).rejects.toThrow('You are banned from this channel for 5 more minutes.');
  });

  it('a message typed while reconnecting is sent after the resubscribe', async () => {
    const { sim, client, states } = await setup();
    client.connect();
    await until('connected', () => client.state.kind === 'connected');
    sim.dropConnections();
    await until('reconnecting', () => client.state.kind !== 'connected');
    await client.send('typed during the outage');
    expect(connectedCount(states)).toBeGreaterThanOrEqual(2);
    expect(sim.sent.map((s) => s.text)).toContain('typed during the outage');
  });
});
