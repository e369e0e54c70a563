// Glimesh behind the TCP fault proxy (see tauFaults.test.ts for the rules each case checks).
// Glimesh acknowledges every message, so a send is reported sent only on the server's reply.
import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../src/core/log';
import { TimelineOp, plainText } from '../../../src/core/message';
import { GlimeshClient, glimeshSettingsFrom } from '../../../src/platforms/glimesh';
import { FaultMode, startFaultProxy } from '../../simulators/faultProxy';
import { GLIMESH_SIM_TOKEN, startGlimeshSimulator } from '../../simulators/glimesh/server';
import { until } from '../support/until';

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setup() {
  const sim = await startGlimeshSimulator();
  const proxy = await startFaultProxy({ targetPort: sim.port });
  cleanup.push(
    () => sim.close(),
    () => proxy.close(),
  );
  const settings = glimeshSettingsFrom({
    channel: 'codercat',
    apiUrl: `${proxy.origin()}/api/graph`,
    socketUrl: `${proxy.origin('ws')}/api/graph/websocket`,
  });
  const client = new GlimeshClient(
    { settings, getToken: async () => GLIMESH_SIM_TOKEN, log: nullLogger },
    {
      heartbeatIntervalMs: 60_000,
      pushTimeoutMs: 2000,
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

describe('Glimesh behind a faulty network', () => {
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
      await until('the send settled', () => outcome, 40_000);
      await sending;
      if (outcome === 'sent')
        expect(sim.sent.some((s) => s.text === `typed during ${mode}`)).toBe(true);
      proxy.recover();
      await until('connected again', () => client.state.kind === 'connected', 15_000);
      for (const text of ['after one', 'after two']) sim.postChat({ user: 'viewer', text });
      await until('the lines after recovery', () => shown('after two') === 1, 10_000);
      await new Promise((r) => setTimeout(r, 200));
      // History after the reconnect overlaps what was shown: still once each.
      for (const text of ['before the fault', 'after one', 'after two'])
        expect(shown(text), text).toBe(1);
      expect(shown(`typed during ${mode}`)).toBeLessThanOrEqual(1);
    }, 60_000);
  }
});
