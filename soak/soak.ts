// The soak: the real platform clients and a real ChatHub (the extension host's core, without the
// VS Code UI) against all three simulators on loopback, at 200 messages a second, with every
// server dropping its connections periodically and one liveness stall per platform. Checks:
// every message delivered while a connection was up is shown exactly once; every message the
// user sent is delivered or reported failed; memory stays flat; all platforms end connected.
// Prints the counts and `soak: P passed, F failed`; exits non-zero on any failed check.
import { ChatHub } from '../src/core/chatHub';
import { PlatformClient } from '../src/core/client';
import { Logger } from '../src/core/log';
import { PlatformId } from '../src/core/message';
import { createGlimeshClient, glimeshSettingsFrom } from '../src/platforms/glimesh';
import { createMixerClient, mixerSettingsFrom } from '../src/platforms/mixer';
import { createTauClient, tauSettingsFrom } from '../src/platforms/tau';
import { GLIMESH_SIM_TOKEN, startGlimeshSimulator } from '../test/simulators/glimesh/server';
import { MIXER_SIM_TOKEN, startMixerSimulator } from '../test/simulators/mixer/server';
import { TAU_SIM_TOKEN, startTauSimulator } from '../test/simulators/tau/server';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const minutes = arg('minutes', 30);
const rate = arg('rate', 200);
const durationMs = minutes * 60_000;
const dropEveryMs = Math.min(120_000, durationMs / 3);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const heapMb = () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const platforms: PlatformId[] = ['glimesh', 'mixer', 'tau'];

async function main(): Promise<void> {
  const glimeshSim = await startGlimeshSimulator();
  const mixerSim = await startMixerSimulator({ rateLimit: { messages: 10_000, windowMs: 1000 } });
  const tauSim = await startTauSimulator({ keepAliveMs: 1000 });
  const raw = (s: Record<string, unknown>, p: PlatformId) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k.replace(`streamChat.${p}.`, ''), v]));
  const clients: Record<PlatformId, PlatformClient> = {
    glimesh: createGlimeshClient({ settings: glimeshSettingsFrom(raw(glimeshSim.settings(), 'glimesh')), getToken: async () => GLIMESH_SIM_TOKEN, log: quiet }, { heartbeatIntervalMs: 3000 }),
    mixer: createMixerClient({ settings: mixerSettingsFrom(raw(mixerSim.settings(), 'mixer')), getToken: async () => MIXER_SIM_TOKEN, log: quiet }, { pingIntervalMs: 3000, pingTimeoutMs: 2000 }),
    tau: createTauClient({ settings: { ...tauSettingsFrom(raw(tauSim.settings(), 'tau')), keepAliveIntervalMs: 1500 }, getToken: async () => TAU_SIM_TOKEN, log: quiet }, { sendLimit: { messages: 100, windowMs: 1000 } }),
  };
  const post: Record<PlatformId, (text: string) => string> = {
    glimesh: (text) => glimeshSim.postChat({ user: 'soaker', text }),
    mixer: (text) => mixerSim.postChat({ user: 'soaker', text }),
    tau: (text) => tauSim.postChat({ user: 'soaker', text }),
  };
  const deliveredToClient: Record<PlatformId, (text: string) => boolean> = {
    glimesh: (text) => glimeshSim.sent.some((s) => s.text === text),
    mixer: (text) => mixerSim.sent.some((s) => s.text === text),
    tau: (text) => tauSim.sent.some((s) => s.message === text),
  };

  const hub = new ChatHub({ scrollback: 1000, log: quiet });
  const emitted = new Map<string, number>(); // what the clients emitted, per (platform, id)
  const shownKeys = new Set<string>(); // what reached the hub's timeline (the view mirrors it)
  let reconnects = 0;
  /** Per platform: a delivery window is open while connected and no drop or stall is in progress. */
  const up: Record<PlatformId, boolean> = { glimesh: false, mixer: false, tau: false };
  const disturbed: Record<PlatformId, boolean> = { glimesh: false, mixer: false, tau: false };
  for (const p of platforms) {
    const c = clients[p];
    c.onDidReceive((op) => {
      if (op.op === 'append' && op.message.kind === 'chat') emitted.set(`${p}:${op.message.id}`, (emitted.get(`${p}:${op.message.id}`) ?? 0) + 1);
    });
    c.onDidChangeState((s) => {
      up[p] = s.kind === 'connected';
      if (s.kind === 'connected') disturbed[p] = false;
      if (s.kind === 'reconnecting') reconnects++;
    });
    hub.setClient(p, c);
  }
  hub.onDidApply((op) => op.op === 'append' && op.message.kind === 'chat' && shownKeys.add(`${op.message.platform}:${op.message.id}`));
  hub.connectAll();
  for (let i = 0; i < 100 && platforms.some((p) => !up[p]); i++) await sleep(100);

  const postedWhileUp: string[] = [];
  let postedTotal = 0;
  const userSends: Array<{ platform: PlatformId; text: string; outcome?: 'delivered' | 'failed' }> = [];
  const started = Date.now();
  let warmHeap = 0;
  let tick = 0;
  const intervalMs = 10;
  const perTick = Math.max(1, Math.round((rate * intervalMs) / 1000));
  const poster = setInterval(() => {
    for (let i = 0; i < perTick; i++) {
      const p = platforms[tick++ % platforms.length]!;
      const id = post[p](`soak ${tick}`);
      postedTotal++;
      if (up[p] && !disturbed[p]) postedWhileUp.push(`${p}:${id}`);
    }
  }, intervalMs);
  let sendSeq = 0;
  const sender = setInterval(() => {
    const platform = platforms[sendSeq % platforms.length]!;
    const entry: (typeof userSends)[number] = { platform, text: `user message ${++sendSeq}` };
    userSends.push(entry);
    clients[platform].send(entry.text).then(
      () => (entry.outcome = 'delivered'),
      () => (entry.outcome = 'failed'),
    );
  }, 1000);

  // Disturbances: every server drops everything periodically (staggered), and once per platform
  // the liveness signal stalls until the client notices and reconnects.
  const disturb = async () => {
    for (let at = dropEveryMs; at < durationMs - 10_000; at += dropEveryMs) {
      await sleep(Math.max(0, started + at - Date.now()));
      for (const [p, drop] of [['glimesh', () => glimeshSim.dropConnections()], ['mixer', () => mixerSim.dropConnections()], ['tau', () => tauSim.dropConnections()]] as const) {
        disturbed[p] = true;
        drop();
        await sleep(2000);
      }
    }
  };
  const stall = async () => {
    await sleep(Math.max(0, started + dropEveryMs / 2 - Date.now()));
    const stalls: Array<[PlatformId, (on: boolean) => void]> = [
      ['glimesh', (on) => glimeshSim.stallHeartbeats(on)],
      ['mixer', (on) => mixerSim.stall(on)],
      ['tau', (on) => tauSim.stallKeepAlives(on)],
    ];
    for (const [p, set] of stalls) {
      disturbed[p] = true;
      set(true);
      for (let i = 0; i < 150 && up[p]; i++) await sleep(100);
      set(false);
      await sleep(1000);
    }
  };
  const warm = (async () => {
    await sleep(Math.min(15_000, durationMs / 8));
    warmHeap = heapMb();
  })();
  await Promise.all([disturb(), stall(), warm, sleep(durationMs)]);
  clearInterval(poster);
  clearInterval(sender);
  // Let the last messages land and the last sends settle (queued sends time out after 30 s).
  for (let i = 0; i < 350 && (userSends.some((s) => !s.outcome) || platforms.some((p) => !up[p])); i++) await sleep(100);
  await sleep(1500);
  const endHeap = heapMb();

  const shown = postedWhileUp.filter((k) => shownKeys.has(k)).length;
  const lost = postedWhileUp.filter((k) => !emitted.has(k));
  const duplicates = [...emitted.values()].filter((n) => n > 1).length;
  const delivered = userSends.filter((s) => s.outcome === 'delivered');
  const failed = userSends.filter((s) => s.outcome === 'failed');
  const unsettled = userSends.filter((s) => !s.outcome);
  const silentlyLost = delivered.filter((s) => !deliveredToClient[s.platform](s.text));
  const growth = endHeap - warmHeap;

  console.log(`soak: ${minutes} min at ${rate} msg/s across ${platforms.length} platforms, drops every ${Math.round(dropEveryMs / 1000)} s, one stall each`);
  console.log(`  posted ${postedTotal}; posted while up ${postedWhileUp.length}; shown ${shown}; lost ${lost.length}; duplicates ${duplicates}; reconnects ${reconnects}`);
  console.log(`  user sends ${userSends.length}: delivered ${delivered.length}, reported failed ${failed.length}, unsettled ${unsettled.length}, acknowledged but missing ${silentlyLost.length}`);
  console.log(`  heap after warm-up ${warmHeap.toFixed(1)} MB, at the end ${endHeap.toFixed(1)} MB (growth ${growth.toFixed(1)} MB)`);
  console.log(`  final states: ${platforms.map((p) => `${p} ${clients[p].state.kind}`).join(', ')}`);
  if (lost.length) console.log(`  first lost: ${lost.slice(0, 5).join(', ')}`);

  const checks: Array<[string, boolean]> = [
    ['no message delivered while up was lost', lost.length === 0],
    ['no message was shown twice', duplicates === 0],
    ['every user message was delivered or reported failed', unsettled.length === 0 && silentlyLost.length === 0],
    ['heap growth under 10 MB', growth < 10],
    ['every platform ends connected', platforms.every((p) => clients[p].state.kind === 'connected')],
    ['reconnections happened (the soak disturbed the connections)', reconnects >= platforms.length],
  ];
  for (const [name, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}`);
  const passed = checks.filter(([, ok]) => ok).length;
  console.log(`soak: ${passed} passed, ${checks.length - passed} failed`);
  hub.dispose();
  await Promise.all([glimeshSim.close(), mixerSim.close(), tauSim.close()]);
  process.exit(passed === checks.length ? 0 : 1);
}

void main();
