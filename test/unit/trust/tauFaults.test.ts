// TAU behind the TCP fault proxy: a black hole without FIN, 1 byte per 100 ms, an RST in the
// middle of a frame, an upgrade followed by silence. Each case: the state leaves `connected`
// within 20 s, a send that did not reach TAU is never reported sent (nor shown as the streamer's
// own line), and after the proxy recovers every line posted once is shown once. Timeouts are
// short here (pong within 1 s) so that each case takes seconds; the mechanism is the one the
// defaults (15 s) use.
import { describe, expect, it } from 'vitest';
import { nullLogger } from '../../../src/core/log';
import { TauClient, tauSettingsFrom } from '../../../src/platforms/tau/client';
import {
  TAU_SIM_BOT,
  TAU_SIM_CHANNEL,
  TAU_SIM_TOKEN,
  startTauSimulator,
} from '../../simulators/tau/server';
import { FAULTS, connected, proxied, recoverShowingEachOnce, sendDuringFault } from './faults';

async function setup() {
  // No keep-alives at all: an unlinked TAU, where only pings can tell a dead socket from a quiet one.
  const { sim, proxy } = await proxied(await startTauSimulator({ keepAliveMs: 3_600_000 }));
  const { client, shown } = await connected(
    new TauClient(
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
    ),
  );
  return { sim, proxy, client, shown };
}

describe('TAU behind a faulty network', () => {
  for (const mode of FAULTS) {
    it(`${mode}: leaves connected in seconds, reports no unconfirmed send as sent, shows each line once after recovery`, async () => {
      const c = await setup();
      const { sim, client, shown } = c;
      const post = (text: string) => sim.postChat({ user: 'viewer', text });
      const outcome = await sendDuringFault(c, post, mode, 20_000);
      const arrived = sim.sent.some((s) => s.message === `typed during ${mode}`);
      // Reported sent only if it really arrived; shown as the streamer's own line only then.
      if (outcome === 'sent') expect(arrived).toBe(true);
      expect(shown(`typed during ${mode}`)).toBe(outcome === 'sent' ? 1 : 0);

      await recoverShowingEachOnce(c, post, ['after one', 'after two', 'after three']);
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
