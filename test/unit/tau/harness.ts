// Shared by the TAU client tests: a simulator, a client wired to it, and what it reported.
import { afterEach } from 'vitest';
import { Logger, nullLogger } from '../../../src/core/log';
import { TimelineOp } from '../../../src/core/message';
import { ConnectionState } from '../../../src/core/state';
import { TauClient, TauClientOptions, tauSettingsFrom } from '../../../src/platforms/tau';
import {
  TAU_SIM_BOT,
  TAU_SIM_CHANNEL,
  TAU_SIM_TOKEN,
  TauSimulator,
  TauSimulatorOptions,
  startTauSimulator,
} from '../../simulators/tau/server';

export const fastBackoff = { initialMs: 50, maxMs: 200, jitter: 0, random: () => 0.5 };
let sim: TauSimulator | undefined;
let client: TauClient | undefined;
afterEach(async () => {
  client?.dispose();
  await sim?.close();
  client = sim = undefined;
});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

import { until } from '../support/until';

export { until };

export interface Setup {
  token?: string;
  keepAliveMs?: number;
  /** The client's keep-alive interval (the watchdog fires after twice this). */
  keepAliveIntervalMs?: number;
  chatBot?: string;
  url?: string;
  sim?: TauSimulatorOptions;
  client?: TauClientOptions;
  log?: Logger;
}

/** A simulator and a client for it (both closed after the test), with the states and ops it reported. */
export async function setup(opts: Setup = {}) {
  sim = await startTauSimulator({ keepAliveMs: opts.keepAliveMs ?? 100, ...opts.sim });
  const settings = {
    ...tauSettingsFrom({
      url: opts.url ?? sim.url,
      chatBot: opts.chatBot ?? TAU_SIM_BOT,
      channel: TAU_SIM_CHANNEL,
    }),
    keepAliveIntervalMs: opts.keepAliveIntervalMs ?? 200,
  };
  const c = new TauClient(
    {
      settings,
      getToken: async () => ('token' in opts ? opts.token : TAU_SIM_TOKEN),
      log: opts.log ?? nullLogger,
    },
    { authCloseWindowMs: 100, sendSettleMs: 50, backoff: fastBackoff, ...opts.client },
  );
  client = c;
  const states: ConnectionState[] = [];
  const ops: TimelineOp[] = [];
  c.onDidChangeState((s) => states.push(s));
  c.onDidReceive((op) => ops.push(op));
  const messages = () =>
    ops
      .filter((o): o is Extract<TimelineOp, { op: 'append' }> => o.op === 'append')
      .map((o) => o.message);
  return { sim: sim!, client: c, states, ops, messages };
}

export const connectedCount = (states: ConnectionState[]) =>
  states.filter((s) => s.kind === 'connected').length;

export async function connect(c: TauClient): Promise<void> {
  c.connect();
  await until('connected', () => c.state.kind === 'connected');
}
