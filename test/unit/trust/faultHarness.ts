// The fault cases every platform client must survive, behind the TCP fault proxy: a black hole
// without FIN, 1 byte per 100 ms, an RST in the middle of a frame, an upgrade followed by silence.
// Each case: the state leaves `connected` within 20 s, a send that did not reach the server is
// never reported sent (nor shown), and after the proxy recovers every line posted once is shown
// once. The platform's test file says how to start its simulator and client (with short timeouts,
// so that each case takes seconds; the mechanism is the one the defaults use).
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformClient } from '../../../src/core/client';
import { TimelineOp, plainText } from '../../../src/core/message';
import { FaultMode, FaultProxy } from '../../simulators/faultProxy';
import { until } from '../support/until';

export const FAULTS: readonly FaultMode[] = ['blackhole', 'trickle', 'rst', 'silence'];

/** One platform's simulator behind the proxy, and a client pointed at the proxy (not connected yet). */
export interface FaultRig {
  readonly proxy: FaultProxy;
  readonly client: PlatformClient;
  /** A viewer posts a line (on the simulator). */
  postChat(text: string): void;
  /** Every streamer message the simulator received, in order. */
  received(): readonly string[];
  /** Stops the simulator and the proxy (the harness disposes the client). */
  close(): Promise<void> | void;
}

export interface FaultCaseOptions {
  /**
   * The client shows the streamer's own line itself once a send is confirmed (TAU, which has no
   * echo): shown exactly when reported sent. Otherwise the server's echo (or history after the
   * reconnect) shows it, at most once, and only if it arrived.
   */
  readonly localEcho?: boolean;
}

export interface StartedRig extends FaultRig {
  /** How many times `text` was shown as a line. */
  shown(text: string): number;
}

/** Starts a rig, connects its client and records what it shows; everything is undone after the test. */
export function faultRigStarter(start: () => Promise<FaultRig>): () => Promise<StartedRig> {
  let cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });
  return async () => {
    const rig = await start();
    cleanup.push(
      () => rig.close(),
      () => rig.client.dispose(),
    );
    const ops: TimelineOp[] = [];
    rig.client.onDidReceive((op) => ops.push(op));
    const shown = (text: string) =>
      ops.filter((o) => o.op === 'append' && plainText(o.message) === text).length;
    rig.client.connect();
    await until('connected', () => rig.client.state.kind === 'connected', 10_000);
    return { ...rig, shown };
  };
}

/** The four fault cases for one platform. */
export function describeFaults(
  platform: string,
  start: () => Promise<FaultRig>,
  options: FaultCaseOptions = {},
): () => Promise<StartedRig> {
  const startRig = faultRigStarter(start);
  describe(`${platform} behind a faulty network`, () => {
    for (const mode of FAULTS) {
      it(`${mode}: leaves connected in seconds, reports no unconfirmed send as sent, shows each line once after recovery`, async () => {
        const rig = await startRig();
        const { proxy, client, shown } = rig;
        const arrived = (text: string) => rig.received().filter((t) => t === text).length;
        rig.postChat('before the fault');
        await until('the first line', () => shown('before the fault') === 1);

        proxy.setMode(mode);
        const started = Date.now();
        const typed = `typed during ${mode}`;
        let outcome: 'sent' | 'refused' | undefined;
        const sending = client.send(typed).then(
          () => (outcome = 'sent'),
          () => (outcome = 'refused'),
        );
        await until('left connected', () => client.state.kind !== 'connected', 20_000);
        expect(Date.now() - started).toBeLessThan(20_000);
        await until('the send settled', () => outcome, 40_000);
        await sending;
        // Reported sent only if it really arrived; never shown if it did not.
        if (outcome === 'sent') expect(arrived(typed)).toBe(1);
        if (arrived(typed) === 0) expect(shown(typed)).toBe(0);
        if (options.localEcho) expect(shown(typed)).toBe(outcome === 'sent' ? 1 : 0);

        proxy.recover();
        await until('connected again', () => client.state.kind === 'connected', 15_000);
        for (const text of ['after one', 'after two', 'after three']) rig.postChat(text);
        await until('the lines after recovery', () => shown('after three') === 1, 10_000);
        await new Promise((r) => setTimeout(r, 200));
        // History after the reconnect overlaps what was shown: still once each.
        for (const text of ['before the fault', 'after one', 'after two', 'after three'])
          expect(shown(text), text).toBe(1);
        expect(shown(typed)).toBeLessThanOrEqual(1);

        await client.send('after recovery');
        expect(arrived('after recovery')).toBe(1);
        await until('the send after recovery shown', () => shown('after recovery') === 1, 5_000);
      }, 60_000);
    }
  });
  return startRig;
}
