// The simulator's fidelity, proven with the official Phoenix JS client (npm `phoenix`), not our code.
import { Push, Socket } from 'phoenix';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GLIMESH_SIM_CLIENT_ID, GLIMESH_SIM_TOKEN, GlimeshSimulator, startGlimeshSimulator } from './server';

let sim: GlimeshSimulator | undefined;
let socket: Socket | undefined;
afterEach(async () => {
  socket?.disconnect();
  await sim?.close();
  sim = socket = undefined;
});

const SUB = 'subscription ($id: ID) { chatMessage(channelId: $id) { id message user { username } } }';

function connect(params: Record<string, string>, heartbeatIntervalMs = 30_000) {
  socket = new Socket(sim!.socketUrl.replace(/\/websocket$/, ''), { transport: WebSocket as unknown as typeof globalThis.WebSocket, params, heartbeatIntervalMs, reconnectAfterMs: () => 1e9 });
  socket.connect();
  return socket;
}

const reply = (push: Push) =>
  new Promise<{ status: string; response: unknown }>((resolve) => {
    push.receive('ok', (r) => resolve({ status: 'ok', response: r }));
    push.receive('error', (r) => resolve({ status: 'error', response: r }));
  });

describe('Glimesh simulator, driven by the official phoenix client', () => {
  it('joins the control topic, subscribes, and pushes chat with the subscription id as topic', async () => {
    sim = await startGlimeshSimulator();
    const s = connect({ token: GLIMESH_SIM_TOKEN });
    const channel = s.channel('__absinthe__:control', {});
    expect((await reply(channel.join())).status).toBe('ok');
    const sub = await reply(channel.push('doc', { query: SUB, variables: { id: '6' } }));
    const subscriptionId = (sub.response as { subscriptionId: string }).subscriptionId;
    expect(subscriptionId).toMatch(/^__absinthe__:doc:/);
    const pushed = new Promise<{ topic: string; event: string; payload: { result: { data: { chatMessage: { message: string } } } } }>((resolve) =>
      s.onMessage((m: object) => {
        const msg = m as { topic: string; event: string; payload: never };
        if (msg.event === 'subscription:data') resolve(msg);
      }),
    );
    sim.postChat({ user: 'Mytho', text: 'hello world!' });
    const m = await pushed;
    expect(m.topic).toBe(subscriptionId);
    expect(m.payload.result.data.chatMessage.message).toBe('hello world!');
  });

  it('answers heartbeats, and the mutation returns data or the server’s error sentences with status ok', async () => {
    sim = await startGlimeshSimulator();
    const s = connect({ token: GLIMESH_SIM_TOKEN }, 100);
    const channel = s.channel('__absinthe__:control', {});
    await reply(channel.join());
    await new Promise((r) => setTimeout(r, 350));
    expect(s.isConnected()).toBe(true); // heartbeats were answered, or Phoenix would have closed
    const mutation = 'mutation ($c: ID!, $m: String!) { createChatMessage(channelId: $c, message: { message: $m }) { id message } }';
    const ok = await reply(channel.push('doc', { query: mutation, variables: { c: '6', m: 'hi' } }));
    expect(ok).toMatchObject({ status: 'ok', response: { data: { createChatMessage: { message: 'hi' } } } });
    const long = await reply(channel.push('doc', { query: mutation, variables: { c: '6', m: 'x'.repeat(256) } }));
    expect(long).toMatchObject({ status: 'ok', response: { errors: [{ message: 'message: should be at most 255 character(s)' }] } });
    sim.banUser('codercat', 5);
    const banned = await reply(channel.push('doc', { query: mutation, variables: { c: '6', m: 'hi' } }));
    expect((banned.response as { errors: Array<{ message: string }> }).errors[0]!.message).toBe('You are banned from this channel for 5 more minutes.');
  });

  it('a client id connects read-only: the mutation answers "unauthorized"', async () => {
    sim = await startGlimeshSimulator();
    const s = connect({ client_id: GLIMESH_SIM_CLIENT_ID });
    const channel = s.channel('__absinthe__:control', {});
    await reply(channel.join());
    const r = await reply(channel.push('doc', { query: 'mutation ($c: ID!, $m: String!) { createChatMessage(channelId: $c, message: { message: $m }) { id } }', variables: { c: '6', m: 'hi' } }));
    expect(r).toMatchObject({ status: 'ok', response: { errors: [{ message: 'unauthorized' }] } });
  });

  it('refuses a bad token at the upgrade (HTTP 403), with no frames', async () => {
    sim = await startGlimeshSimulator();
    const error = await new Promise<string>((resolve) => {
      const s = connect({ token: 'bad' });
      s.onError((e: unknown) => resolve(String((e as { message?: string }).message)));
    });
    expect(error).toMatch(/403/);
    expect(sim.upgrades.refused).toBe(1);
  });

  it('closes an idle socket like Phoenix does', async () => {
    sim = await startGlimeshSimulator({ idleTimeoutMs: 150 });
    const closed = new Promise<void>((resolve) => {
      const s = connect({ token: GLIMESH_SIM_TOKEN }, 60_000);
      s.onClose(() => resolve());
    });
    await closed;
  });
});
