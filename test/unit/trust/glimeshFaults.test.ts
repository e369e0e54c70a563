// Glimesh behind the TCP fault proxy (the cases and what each checks: faultHarness.ts). Glimesh
// acknowledges every message, so a send is reported sent only on the server's reply.
import { nullLogger } from '../../../src/core/log';
import { GlimeshClient, glimeshSettingsFrom } from '../../../src/platforms/glimesh';
import { startFaultProxy } from '../../simulators/faultProxy';
import { GLIMESH_SIM_TOKEN, startGlimeshSimulator } from '../../simulators/glimesh/server';
import { describeFaults } from './faultHarness';

describeFaults('Glimesh', async () => {
  const sim = await startGlimeshSimulator();
  const proxy = await startFaultProxy({ targetPort: sim.port });
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
  return {
    proxy,
    client,
    postChat: (text) => sim.postChat({ user: 'viewer', text }),
    received: () => sim.sent.map((s) => s.text),
    close: async () => {
      await proxy.close();
      await sim.close();
    },
  };
});
