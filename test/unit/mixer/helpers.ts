import { Logger } from '../../../src/core/log';
import { ChatMessage, TimelineOp } from '../../../src/core/message';
import { ConnectionState } from '../../../src/core/state';
import {
  MixerClient,
  MixerClientOptions,
  MixerSettings,
  createMixerClient,
} from '../../../src/platforms/mixer';
import {
  MIXER_SIM_CHANNEL,
  MIXER_SIM_CLIENT_ID,
  MIXER_SIM_TOKEN,
  MixerSimulator,
} from '../../simulators/mixer/server';

/** Timings small enough for loopback tests (the defaults are the official client's 5/20/15/5 s). */
export const FAST: MixerClientOptions = {
  connectTimeoutMs: 500,
  welcomeTimeoutMs: 300,
  callTimeoutMs: 1_000,
  pingIntervalMs: 200,
  pingTimeoutMs: 200,
  requestTimeoutMs: 1_000,
  historyCount: 0,
  stableAfterMs: 60_000,
  queueTimeoutMs: 2_000,
  backoff: { initialMs: 50, maxMs: 200, jitter: 0, random: () => 0.5 },
};

/** A logger that keeps every line, to assert on warnings and on what never reaches the log. */
export function recordingLogger(): Logger & { lines: Array<{ level: string; message: string }> } {
  const lines: Array<{ level: string; message: string }> = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return {
    lines,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/** Polls until `predicate` holds, or fails after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 3_000,
  what = 'condition',
): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A client pointed at the simulator, recording its states and ops. */
export function simClient(
  sim: MixerSimulator,
  overrides: {
    token?: string | undefined;
    settings?: Partial<MixerSettings>;
    options?: MixerClientOptions;
  } = {},
) {
  const log = recordingLogger();
  const token = 'token' in overrides ? overrides.token : MIXER_SIM_TOKEN;
  const client: MixerClient = createMixerClient(
    {
      settings: {
        channel: MIXER_SIM_CHANNEL,
        clientId: MIXER_SIM_CLIENT_ID,
        apiUrl: sim.apiUrl,
        showJoinLeave: false,
        ...overrides.settings,
      },
      getToken: async () => token,
      log,
    },
    { ...FAST, ...overrides.options },
  );
  const states: ConnectionState[] = [];
  const ops: TimelineOp[] = [];
  client.onDidChangeState((s) => states.push(s));
  client.onDidReceive((op) => ops.push(op));
  const messages = () =>
    ops
      .filter((o): o is Extract<TimelineOp, { op: 'append' }> => o.op === 'append')
      .map((o) => o.message);
  const chat = (): ChatMessage[] => messages().filter((m) => m.kind === 'chat');
  const texts = () =>
    chat().map((m) =>
      m.parts.map((p) => ('text' in p ? p.text : p.type === 'emote' ? p.name : p.alt)).join(''),
    );
  return {
    client,
    states,
    ops,
    log,
    messages,
    chat,
    texts,
    kinds: () => states.map((s) => s.kind),
  };
}
