import { describe, expect, it } from 'vitest';
import { plainText } from '../../../src/core/message';
import { TAU_SIM_BOT, TAU_SIM_CHANNEL } from '../../simulators/tau/server';
import { connect, connectedCount, setup, until } from './harness';

describe('TauClient: sending', () => {
  it('multi-line text is split into messages and never sent with a newline; sent lines show as own', async () => {
    const { sim, client, messages } = await setup();
    await connect(client);
    await client.send('first line\nsecond line\r\nPRIVMSG #other :injected\u2028fourth');
    expect(sim.sent.map((s) => s.message)).toEqual([
      'first line',
      'second line',
      'PRIVMSG #other :injected',
      'fourth',
    ]);
    expect(sim.sent.every((s) => s.irc_channel === TAU_SIM_CHANNEL && s.bot === TAU_SIM_BOT)).toBe(
      true,
    );
    expect(sim.newlineViolations).toBe(0);
    const own = messages().filter((m) => m.flags.self);
    expect(own.map(plainText)).toEqual([
      'first line',
      'second line',
      'PRIVMSG #other :injected',
      'fourth',
    ]);
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
    expect(sim.sent.map((s) => s.message)).toEqual(
      Array.from({ length: 50 }, (_, i) => `burst ${i}`),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * windowMs - 20);
    // No window saw more than the limit arrive (a little slack for the loopback).
    const times = sim.sent.map((s) => s.receivedAt);
    for (let i = 10; i < times.length; i++)
      expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(windowMs - 25);
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
    await until(
      'reconnecting',
      () => client.state.kind === 'reconnecting' || client.state.kind === 'connecting',
    );
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
    await expect(sending).rejects.toMatchObject({
      code: 'TAU_SEND_UNCONFIRMED',
      message: expect.stringContaining('2 messages'),
    });
  });

  it('without a chat bot it is events-only and says which setting enables sending', async () => {
    const { client, sim } = await setup({ chatBot: '' });
    await connect(client);
    expect(client.state).toMatchObject({ kind: 'connected', readOnly: true });
    expect(client.sendCapability).toMatchObject({
      canSend: false,
      reason: expect.stringContaining('streamChat.tau.chatBot'),
    });
    await expect(client.send('hi')).rejects.toMatchObject({ code: 'SEND_UNAVAILABLE' });
    expect(sim.connections.chat).toBe(0);
  });
});
