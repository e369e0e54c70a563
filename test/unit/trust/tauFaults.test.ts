// TAU behind the TCP fault proxy: a black hole without FIN, 1 byte per 100 ms, an RST in the
// middle of a frame, an upgrade followed by silence. Each case: the state leaves `connected`
// within 20 s, a send that did not reach TAU is never reported sent (nor shown as the streamer's
// own line), and after the proxy recovers every line posted once is shown once. Timeouts are
// short here (pong within 1 s) so that each case takes seconds; the mechanism is the one the
// defaults (15 s) use.
import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../src/core/log';
import { TimelineOp, plainText } from '../../../src/core/message';
import { TauClient, tauSettingsFrom } from '../../../src/platforms/tau';
import { FaultMode, FaultProxy, startFaultProxy } from '../../simulators/faultProxy';
import {
  TAU_SIM_BOT,
  TAU_SIM_CHANNEL,
  TAU_SIM_TOKEN,
  TauSimulator,
  startTauSimulator,
} from '../../simulators/tau/server';
import { until } from '../support/until';

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setup() {
  // No keep-alives at all: an unlinked TAU, where only pings can tell a dead socket from a quiet one.
  const sim: TauSimulator = await startTauSimulator({ keepAliveMs: 3_600_000 });
  const proxy: FaultProxy = await startFaultProxy({ targetPort: sim.port });
  cleanup.push(
    () => sim.close(),
    () => proxy.close(),
  );
  const client = new TauClient(
    {
      settings: tauSettingsFrom({
        url: proxy.origin(),
        chatBot: TAU_SIM_BOT,
        channel: TAU_SIM_CHANNEL,
      }),
      getToken: async () => TAU_SIM_TOKEN,
      log: nullLogger,
    },
    {
      authCloseWindowMs: 100,
      sendSettleMs: 50,
      connectTimeoutMs: 1000,
      requestTimeoutMs: 1000,
      liveness: { intervalMs: 300, timeoutMs: 1000 },
      backoff: { initialMs: 100, maxMs: 300, jitter: 0, random: () => 0.5 },
    },
  );
  cleanup.push(() => client.dispose());
  const ops: TimelineOp[] = [];
  client.onDidReceive((op) => ops.push(op));
  const shown = (text: string) =>
    ops.filter((o) => o.op === 'append' && plainText(o.message) === text).length;
  client.connect();
  await until('connected', () => client.state.kind === 'connected', 10_000);
  return { sim, proxy, client, shown };
}

const FAULTS: FaultMode[] = ['blackhole', 'trickle', 'rst', 'silence'];

describe('TAU behind a faulty network', () => {
  for (const mode of FAULTS) {
    it(`${mode}: leaves connected in seconds, reports no unconfirmed send as sent, shows each line once after recovery`, async () => {
      const { sim, proxy, client, shown } = await setup();
      sim.postChat({ user: 'viewer', text: 'before the fault' });
      await until('the first line', () => shown('before the fault') === 1);

      proxy.setMode(mode);
      const started = Date.now();
      let outcome: 'sent' | 'refused' | undefined;
      const sending = client.send(`typed during ${mode}`).then(
        () => (outcome = 'sent'),
        () => (outcome = 'refused'),
      );
      await until('left connected', () => client.state.kind !== 'connected', 20_000);
      expect(Date.now() - started).toBeLessThan(20_000);
      await until('the send settled', () => outcome, 20_000);
      await sending;
      const arrived = sim.sent.some((s) => s.message === `typed during ${mode}`);
      // Reported sent only if it really arrived; shown as the streamer's own line only then.
      if (outcome === 'sent') expect(arrived).toBe(true);
      expect(shown(`typed during ${mode}`)).toBe(outcome === 'sent' ? 1 : 0);

      proxy.recover();
      await until('connected again', () => client.state.kind === 'connected', 15_000);
      for (const text of ['after one', 'after two', 'after three'])
        sim.postChat({ user: 'viewer', text });
      await until('the lines after recovery', () => shown('after three') === 1, 10_000);
      await new Promise((r) => setTimeout(r, 200));
      for (const text of ['before the fault', 'after one', 'after two', 'after three'])
        expect(shown(text), text).toBe(1);
      await client.send('after recovery');
      expect(sim.sent.filter((s) => s.message === 'after recovery')).toHaveLength(1);
      expect(shown('after recovery')).toBe(1);
    }, 60_000);
  }

  it('a quiet, healthy connection (no keep-alives, pings answered) stays connected', async () => {
    const { client } = await setup();
    const states: string[] = [];
    client.onDidChangeState((s) => states.push(s.kind));
    await new Promise((r) => setTimeout(r, 2500)); // several ping intervals and pong timeouts
    expect(client.state.kind).toBe('connected');
    expect(states).toEqual([]);
  }, 20_000);
});
