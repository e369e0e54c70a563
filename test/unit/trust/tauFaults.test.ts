// TAU behind the TCP fault proxy (the cases and what each checks: faultHarness.ts). TAU has no
// acknowledgement: a send is confirmed by a pong for a ping written after it, and the streamer's
// own line is shown by the client itself, so it is shown exactly when reported sent.
import { expect, it } from 'vitest';
import { nullLogger } from '../../../src/core/log';
import { TauClient, tauSettingsFrom } from '../../../src/platforms/tau';
import { startFaultProxy } from '../../simulators/faultProxy';
import {
  TAU_SIM_BOT,
  TAU_SIM_CHANNEL,
  TAU_SIM_TOKEN,
  startTauSimulator,
} from '../../simulators/tau/server';
import { describeFaults } from './faultHarness';

const startRig = describeFaults(
  'TAU',
  async () => {
    // No keep-alives at all: an unlinked TAU, where only pings can tell a dead socket from a quiet one.
    const sim = await startTauSimulator({ keepAliveMs: 3_600_000 });
    const proxy = await startFaultProxy({ targetPort: sim.port });
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
    return {
      proxy,
      client,
      postChat: (text) => sim.postChat({ user: 'viewer', text }),
      received: () => sim.sent.map((s) => s.message),
      close: async () => {
        await proxy.close();
        await sim.close();
      },
    };
  },
  { localEcho: true },
);

it('TAU: a quiet, healthy connection (no keep-alives, pings answered) stays connected', async () => {
  const { client } = await startRig();
  const states: string[] = [];
  client.onDidChangeState((s) => states.push(s.kind));
  await new Promise((r) => setTimeout(r, 2500)); // several ping intervals and pong timeouts
  expect(client.state.kind).toBe('connected');
  expect(states).toEqual([]);
}, 20_000);
