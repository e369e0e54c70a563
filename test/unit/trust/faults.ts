// What the fault-proxy tests share (see tauFaults.test.ts for the rules each case checks): the
// cleanup, a proxy in front of a simulator, a connected client whose lines are counted, and the
// two halves of every case (a send during the fault; recovery with each line shown once).
import { afterEach, expect } from 'vitest';
import { PlatformClient } from '../../../src/core/client';
import { TimelineOp, plainText } from '../../../src/core/message';
import { FaultMode, FaultProxy, startFaultProxy } from '../../simulators/faultProxy';
import { until } from '../support/until';

export const FAULTS: FaultMode[] = ['blackhole', 'trickle', 'rst', 'silence'];

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** Starts a proxy in front of a simulator; both are closed after the test. */
export async function proxied<S extends { port: number; close(): unknown }>(
  sim: S,
): Promise<{ sim: S; proxy: FaultProxy }> {
  const proxy = await startFaultProxy({ targetPort: sim.port });
  cleanup.push(
    () => sim.close(),
    () => proxy.close(),
  );
  return { sim, proxy };
}

/** Connects the client (disposed after the test) and counts how often each text was shown. */
export async function connected<C extends PlatformClient>(
  client: C,
): Promise<{ client: C; shown: (text: string) => number }> {
  cleanup.push(() => client.dispose());
  const ops: TimelineOp[] = [];
  client.onDidReceive((op) => ops.push(op));
  const shown = (text: string) =>
    ops.filter((o) => o.op === 'append' && plainText(o.message) === text).length;
  client.connect();
  await until('connected', () => client.state.kind === 'connected', 10_000);
  return { client, shown };
}

/**
 * Shows one line, turns the fault on and sends: the state must leave `connected` within 20 s.
 * Returns how the send settled.
 */
export async function sendDuringFault(
  c: { client: PlatformClient; proxy: FaultProxy; shown: (text: string) => number },
  post: (text: string) => void,
  mode: FaultMode,
  settleMs: number,
): Promise<'sent' | 'refused'> {
  post('before the fault');
  await until('the first line', () => c.shown('before the fault') === 1);
  c.proxy.setMode(mode);
  const started = Date.now();
  let outcome: 'sent' | 'refused' | undefined;
  const sending = c.client.send(`typed during ${mode}`).then(
    () => (outcome = 'sent'),
    () => (outcome = 'refused'),
  );
  await until('left connected', () => c.client.state.kind !== 'connected', 20_000);
  expect(Date.now() - started).toBeLessThan(20_000);
  await until('the send settled', () => outcome, settleMs);
  await sending;
  return outcome!;
}

/** Recovers the proxy, posts `texts` and checks that every line posted once is shown once. */
export async function recoverShowingEachOnce(
  c: { client: PlatformClient; proxy: FaultProxy; shown: (text: string) => number },
  post: (text: string) => void,
  texts: readonly string[],
): Promise<void> {
  c.proxy.recover();
  await until('connected again', () => c.client.state.kind === 'connected', 15_000);
  for (const text of texts) post(text);
  await until('the lines after recovery', () => c.shown(texts.at(-1)!) === 1, 10_000);
  await new Promise((r) => setTimeout(r, 200));
  // History after the reconnect overlaps what was shown: still once each.
  for (const text of ['before the fault', ...texts]) expect(c.shown(text), text).toBe(1);
}
