// Mixer behind the TCP fault proxy (the cases and what each checks: faultHarness.ts). Both the
// REST discovery and the chat socket go through the proxy: the simulator advertises the proxy
// as its only chat endpoint. Mixer replies to every `msg`, so a send is reported sent only on
// that reply; the server's ChatMessage event (or history after a reconnect) shows the line.
import { nullLogger } from '../../../src/core/log';
import { createMixerClient } from '../../../src/platforms/mixer';
import { startFaultProxy } from '../../simulators/faultProxy';
import {
  MIXER_SIM_CHANNEL,
  MIXER_SIM_CLIENT_ID,
  MIXER_SIM_TOKEN,
  startMixerSimulator,
} from '../../simulators/mixer/server';
import { describeFaults } from './faultHarness';

describeFaults('Mixer', async () => {
  const sim = await startMixerSimulator();
  const proxy = await startFaultProxy({ targetPort: sim.port });
  sim.setEndpoints([proxy.origin('ws')]);
  const client = createMixerClient(
    {
      settings: {
        channel: MIXER_SIM_CHANNEL,
        clientId: MIXER_SIM_CLIENT_ID,
        apiUrl: `${proxy.origin()}/api/v1`,
        showJoinLeave: false,
      },
      getToken: async () => MIXER_SIM_TOKEN,
      log: nullLogger,
    },
    {
      connectTimeoutMs: 1000,
      welcomeTimeoutMs: 1000,
      callTimeoutMs: 2000,
      pingIntervalMs: 300,
      pingTimeoutMs: 1000,
      wsLiveness: { intervalMs: 300, timeoutMs: 1000 },
      requestTimeoutMs: 1000,
      historyCount: 50,
      stableAfterMs: 60_000,
      queueTimeoutMs: 2000,
      backoff: { initialMs: 100, maxMs: 300, jitter: 0, random: () => 0.5 },
    },
  );
  return {
    proxy,
    client,
    postChat: (text) => void sim.postChat({ user: 'viewer', text }),
    received: () => sim.sent.map((s) => s.text),
    close: async () => {
      await proxy.close();
      await sim.close();
    },
  };
});
