// Glimesh behind the TCP fault proxy (see tauFaults.test.ts for the rules each case checks).
// Glimesh acknowledges every message, so a send is reported sent only on the server's reply.
import { describe, expect, it } from 'vitest';
import { nullLogger } from '../../../src/core/log';
import { GlimeshClient, glimeshSettingsFrom } from '../../../src/platforms/glimesh/client';
import { GLIMESH_SIM_TOKEN, startGlimeshSimulator } from '../../simulators/glimesh/server';
import { FAULTS, connected, proxied, recoverShowingEachOnce, sendDuringFault } from './faults';

async function setup() {
  const { sim, proxy } = await proxied(await startGlimeshSimulator());
  const settings = glimeshSettingsFrom({
    channel: 'codercat',
    apiUrl: `${proxy.origin()}/api/graph`,
    socketUrl: `${proxy.origin('ws')}/api/graph/websocket`,
  });
  const { client, shown } = await connected(
    new GlimeshClient(
      { settings, getToken: async () => GLIMESH_SIM_TOKEN, log: nullLogger },
      {
        heartbeatIntervalMs: 60_000,
        pushTimeoutMs: 2000,
        requestTimeoutMs: 1000,
        liveness: { intervalMs: 300, timeoutMs: 1000 },
        backoff: { initialMs: 100, maxMs: 300, jitter: 0, random: () => 0.5 },
      },
    ),
  );
  return { sim, proxy, client, shown };
}

describe('Glimesh behind a faulty network', () => {
  for (const mode of FAULTS) {
    it(`${mode}: leaves connected in seconds, reports no unconfirmed send as sent, shows each line once after recovery`, async () => {
      const c = await setup();
      const post = (text: string) => c.sim.postChat({ user: 'viewer', text });
      const outcome = await sendDuringFault(c, post, mode, 40_000);
      if (outcome === 'sent')
        expect(c.sim.sent.some((s) => s.text === `typed during ${mode}`)).toBe(true);
      await recoverShowingEachOnce(c, post, ['after one', 'after two']);
      expect(c.shown(`typed during ${mode}`)).toBeLessThanOrEqual(1);
    }, 60_000);
  }
});
