// The soak: the extension's real platform clients (through their factories) and a real ChatHub in
// Node, against every simulator on loopback, at a steady message rate, with each server dropping
// its connections periodically and one heartbeat/keep-alive stall per platform. It proves with
// counts that every line a server wrote to an open socket shows exactly once, that every line the
// user sent arrived or failed loudly, that memory stays flat and that every platform ends connected.
//
// What "delivered while the connection was up" means here is taken from the wire: `ws`'s send is
// tapped on the simulators' sockets (which socket, when), and its message event on the clients'
// sockets. Run with `node --expose-gc` (scripts/soak.mjs does).
import { WebSocket } from 'ws';
import { ChatHub } from '../src/core/chatHub';
import type { PlatformClient } from '../src/core/client';
import type { Logger } from '../src/core/log';
import { PlatformId, plainText } from '../src/core/message';
import { BENCH_PLATFORMS, BenchSimulator, PHRASES, VIEWERS, rawSettingsFor } from './platforms';

interface Options {
  readonly minutes: number;
  readonly rate: number;
}

function parseArgs(argv: readonly string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  const minutes = value('--minutes') ?? 30;
  const rate = value('--rate') ?? 200;
  if (!(minutes > 0) || !(rate > 0))
    throw new Error('usage: soak [--minutes N] [--rate msgs-per-second]');
  return { minutes, rate };
}

const SEQ = /soak (\d+) /g;
/** A lost line written this close before its socket closed was still in flight when the connection died. */
const IN_FLIGHT_MS = 500;
const TAU_KEEP_ALIVE_MS = 5_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** A logger that keeps only counts and the last few warnings (so it cannot grow the heap). */
function countingLogger(): Logger & { warnings: number; errors: number; recent: string[] } {
  const recent: string[] = [];
  const keep = (line: string) => {
    recent.push(line);
    if (recent.length > 12) recent.shift();
  };
  const log = {
    warnings: 0,
    errors: 0,
    recent,
    trace() {},
    debug() {},
    info() {},
    warn(m: string) {
      log.warnings++;
      keep(`warn: ${m}`);
    },
    error(m: string) {
      log.errors++;
      keep(`error: ${m}`);
    },
  };
  return log;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run soak does)');
  const durationMs = Math.round(options.minutes * 60_000);
  const dropPeriodMs = Math.min(120_000, Math.floor(durationMs / 3));
  const warmupMs = Math.min(60_000, Math.max(20_000, durationMs * 0.1));
  const capacity = Math.ceil((options.rate * durationMs) / 1000) + 10_000;

  // ---- per-line bookkeeping, allocated before the heap baseline --------------------------------
  const platformOf = new Uint8Array(capacity);
  const writes = new Uint8Array(capacity);
  const lastWriteSocket = new Int32Array(capacity).fill(-1);
  const lastWriteAt = new Float64Array(capacity);
  const wireReceived = new Uint8Array(capacity);
  const shown = new Uint8Array(capacity);
  const misrouted = { count: 0 };
  const socketIds = new WeakMap<WebSocket, number>();
  const socketClosedAt: number[] = [];
  let posted = 0;

  const socketId = (ws: WebSocket) => {
    let id = socketIds.get(ws);
    if (id === undefined) {
      id = socketClosedAt.length;
      socketIds.set(ws, id);
      socketClosedAt.push(Number.NaN);
      const closedId = id;
      ws.once('close', () => (socketClosedAt[closedId] = performance.now()));
    }
    return id;
  };
  /** The one line a live chat frame carries (history replies carry many and are not live writes). */
  const liveSeq = (data: unknown): number | undefined => {
    const text =
      typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString() : undefined;
    if (!text || !text.includes('soak ')) return undefined;
    let seq: number | undefined;
    for (const m of text.matchAll(SEQ)) {
      const n = Number(m[1]);
      if (seq !== undefined && seq !== n) return undefined;
      seq = n;
    }
    return seq !== undefined && seq < posted ? seq : undefined;
  };
  const proto = WebSocket.prototype as unknown as {
    send(this: WebSocket & { _isServer: boolean }, data: unknown, ...rest: unknown[]): void;
    emit(
      this: WebSocket & { _isServer: boolean },
      event: string | symbol,
      ...args: unknown[]
    ): boolean;
  };
  const originalSend = proto.send;
  const originalEmit = proto.emit;
  proto.send = function (data, ...rest) {
    if (this._isServer && this.readyState === WebSocket.OPEN) {
      const seq = liveSeq(data);
      if (seq !== undefined) {
        writes[seq] = Math.min(255, writes[seq]! + 1);
        lastWriteSocket[seq] = socketId(this);
        lastWriteAt[seq] = performance.now();
      }
    }
    return originalSend.call(this, data, ...rest);
  };
  proto.emit = function (event, ...args) {
    if (!this._isServer && event === 'message') {
      const seq = liveSeq(args[0]);
      if (seq !== undefined) wireReceived[seq] = 1;
    }
    return originalEmit.call(this, event, ...args);
  };

  // ---- simulators, clients, hub ------------------------------------------------------------------
  const sims: BenchSimulator[] = [];
  for (const platform of BENCH_PLATFORMS)
    sims.push(await platform.start({ keepAliveMs: TAU_KEEP_ALIVE_MS }));
  const log = countingLogger();
  const hub = new ChatHub({ scrollback: 1000, log });
  const clients: PlatformClient[] = [];
  const connects = BENCH_PLATFORMS.map(() => 0);
  const lastState = BENCH_PLATFORMS.map(() => 'disconnected');
  BENCH_PLATFORMS.forEach((platform, i) => {
    const sim = sims[i]!;
    const settings = { ...sim.settings(), ...(platform.soakSettings?.(TAU_KEEP_ALIVE_MS) ?? {}) };
    const client = platform.factory({
      settings: rawSettingsFor(platform.id, settings),
      getToken: async () => sim.token,
      log: {
        ...log,
        warn: (m) => log.warn(`[${platform.id}] ${m}`),
        error: (m) => log.error(`[${platform.id}] ${m}`),
      },
    });
    client.onDidChangeState((state) => {
      if (state.kind === 'connected') connects[i]!++;
      lastState[i] = state.kind;
    });
    clients.push(client);
    hub.setClient(platform.id, client);
  });
  const indexOf = new Map<PlatformId, number>(BENCH_PLATFORMS.map((p, i) => [p.id, i]));
  hub.onDidApply((op) => {
    if (op.op !== 'append' || op.message.kind !== 'chat') return;
    const text = plainText(op.message);
    const m = /^soak (\d+) /.exec(text);
    if (!m) return;
    const seq = Number(m[1]);
    if (seq >= posted) return;
    if (platformOf[seq] !== indexOf.get(op.message.platform)) misrouted.count++;
    shown[seq] = Math.min(255, shown[seq]! + 1);
  });

  console.log(
    `soak: ${options.minutes} min at ${options.rate} msg/s across ${BENCH_PLATFORMS.map((p) => p.id).join(', ')}; ` +
      `drops every ${dropPeriodMs / 1000} s per server; heap baseline after ${warmupMs / 1000} s`,
  );
  hub.connectAll();
  const connectDeadline = Date.now() + 20_000;
  while (clients.some((c) => c.state.kind !== 'connected') && Date.now() < connectDeadline)
    await sleep(50);
  const startedConnected = clients.every((c) => c.state.kind === 'connected');

  // ---- load ------------------------------------------------------------------------------------------
  const t0 = performance.now();
  const paused = BENCH_PLATFORMS.map(() => false);
  let rr = 0;
  const poster = setInterval(() => {
    const due = Math.min(
      capacity - 1,
      Math.floor(((performance.now() - t0) * options.rate) / 1000),
    );
    while (posted < due) {
      let i = rr++ % sims.length;
      for (let tries = 0; paused[i] && tries < sims.length; tries++) i = rr++ % sims.length;
      if (paused[i]) return;
      const seq = posted++;
      platformOf[seq] = i;
      sims[i]!.post(`soak ${seq} ${PHRASES[seq % PHRASES.length]}`, VIEWERS[seq % VIEWERS.length]!);
    }
  }, 10);
  const at = (ms: number) => sleep(Math.max(0, t0 + ms - performance.now()));

  // The user: one line a second, round robin, until the queue timeout (30 s) can still settle.
  const userSends: Array<{
    platform: number;
    text: string;
    outcome: 'pending' | 'ok' | 'failed';
    error?: string;
  }> = [];
  const userTask = (async () => {
    const last = Math.max(5_000, durationMs - 32_000);
    for (let n = 0; ; n++) {
      await at(2_000 + n * 1_000);
      if (performance.now() - t0 > last) break;
      const platform = n % sims.length;
      const entry = {
        platform,
        text: `user says ${n} to chat`,
        outcome: 'pending' as 'pending' | 'ok' | 'failed',
        error: undefined as string | undefined,
      };
      userSends.push(entry);
      hub.send(BENCH_PLATFORMS[platform]!.id, entry.text).then(
        () => (entry.outcome = 'ok'),
        (error: unknown) => {
          entry.outcome = 'failed';
          entry.error = error instanceof Error ? error.message : String(error);
        },
      );
    }
  })();

  // Stalls: one per platform, after the baseline; held until the client notices, then lifted.
  const stallResults = BENCH_PLATFORMS.map(() => ({ detectedMs: Number.NaN, kind: '' }));
  const stallDone: Array<Promise<void>> = sims.map(async (sim, i) => {
    if (!sim.stall) return;
    await at(warmupMs + 1_000 + i * 2_000);
    const stall = sim.stall;
    stallResults[i]!.kind = stall.kind;
    const started = performance.now();
    stall.set(true);
    if (stall.silencesChat) paused[i] = true;
    while (clients[i]!.state.kind === 'connected' && performance.now() - started < 75_000)
      await sleep(50);
    if (clients[i]!.state.kind !== 'connected')
      stallResults[i]!.detectedMs = performance.now() - started;
    stall.set(false);
    paused[i] = false;
    // A drop waiting for the stall to end should cut a live connection, not the reconnect attempt.
    const reconnectDeadline = performance.now() + 30_000;
    while (clients[i]!.state.kind !== 'connected' && performance.now() < reconnectDeadline)
      await sleep(50);
  });

  // Drops: every period per server (staggered by 3 s), never during that server's stall.
  const drops = BENCH_PLATFORMS.map(() => 0);
  const dropTasks = sims.map(async (sim, i) => {
    for (let k = 1; ; k++) {
      const when = k * dropPeriodMs + i * 3_000;
      if (when > durationMs - 8_000) break;
      await at(when);
      await stallDone[i];
      if (performance.now() - t0 > durationMs - 6_000) break;
      sim.dropConnections();
      drops[i]!++;
    }
  });

  // Heap baseline after warm-up; a progress line now and then.
  let heapBaseline = 0;
  const baselineTask = (async () => {
    await at(warmupMs);
    for (let i = 0; i < 3; i++) gc();
    heapBaseline = process.memoryUsage().heapUsed;
  })();
  const progress = setInterval(
    () => {
      const s = Math.round((performance.now() - t0) / 1000);
      console.log(
        `  ${s} s: posted ${posted}, states ${clients.map((c, i) => `${BENCH_PLATFORMS[i]!.id}=${c.state.kind}`).join(' ')}, heap ${mb(process.memoryUsage().heapUsed)}`,
      );
    },
    Math.max(10_000, Math.min(60_000, durationMs / 12)),
  );

  await at(durationMs);
  clearInterval(poster);
  clearInterval(progress);
  await Promise.all([userTask, baselineTask, ...stallDone, ...dropTasks]);
  // Let the last lines arrive and any reconnect finish; give pending user sends a moment.
  const settleDeadline = performance.now() + 10_000;
  await sleep(2_000);
  while (
    (clients.some((c) => c.state.kind !== 'connected') ||
      userSends.some((u) => u.outcome === 'pending')) &&
    performance.now() < settleDeadline
  ) {
    await sleep(100);
  }
  for (let i = 0; i < 3; i++) gc();
  const heapEnd = process.memoryUsage().heapUsed;

  // ---- counts ----------------------------------------------------------------------------------------
  const per = BENCH_PLATFORMS.map(() => ({
    posted: 0,
    written: 0,
    shown: 0,
    duplicates: 0,
    lost: 0,
    inFlight: 0,
    backfilled: 0,
  }));
  const lostExamples: string[] = [];
  for (let seq = 0; seq < posted; seq++) {
    const p = per[platformOf[seq]!]!;
    p.posted++;
    const wasWritten = writes[seq]! > 0;
    if (wasWritten) p.written++;
    if (shown[seq]! > 0) p.shown++;
    if (shown[seq]! > 1) p.duplicates += shown[seq]! - 1;
    if (wasWritten && shown[seq] === 0) {
      const closedAt = socketClosedAt[lastWriteSocket[seq]!] ?? Number.NaN;
      if (!wireReceived[seq] && closedAt - lastWriteAt[seq]! < IN_FLIGHT_MS) p.inFlight++;
      else {
        p.lost++;
        if (lostExamples.length < 5)
          lostExamples.push(
            `${BENCH_PLATFORMS[platformOf[seq]!]!.id} #${seq} (wire ${wireReceived[seq] ? 'received' : 'not received'}, socket ${Number.isNaN(closedAt) ? 'still open' : `closed ${Math.round(closedAt - lastWriteAt[seq]!)} ms after`})`,
          );
      }
    }
    if (!wasWritten && shown[seq]! > 0) p.backfilled++;
  }
  const sends = BENCH_PLATFORMS.map((_, i) => {
    const mine = userSends.filter((u) => u.platform === i);
    const atSim = new Set(sims[i]!.sentTexts());
    return {
      sent: mine.length,
      delivered: mine.filter((u) => u.outcome === 'ok' && atSim.has(u.text)).length,
      failed: mine.filter((u) => u.outcome === 'failed').length,
      failedButArrived: mine.filter((u) => u.outcome === 'failed' && atSim.has(u.text)).length,
      silentlyLost: mine.filter(
        (u) => u.outcome === 'pending' || (u.outcome === 'ok' && !atSim.has(u.text)),
      ).length,
      errors: [...new Set(mine.filter((u) => u.error).map((u) => u.error!))].slice(0, 3),
    };
  });

  const rows = BENCH_PLATFORMS.map((p, i) => ({
    platform: p.id,
    posted: per[i]!.posted,
    'sent (written to an open socket)': per[i]!.written,
    shown: per[i]!.shown,
    duplicates: per[i]!.duplicates,
    lost: per[i]!.lost,
    'in flight at a drop': per[i]!.inFlight,
    'back-filled': per[i]!.backfilled,
    drops: drops[i]!,
    reconnects: Math.max(0, connects[i]! - 1),
    stall: Number.isNaN(stallResults[i]!.detectedMs)
      ? 'not detected'
      : `seen after ${(stallResults[i]!.detectedMs / 1000).toFixed(1)} s`,
    'user sends': sends[i]!.sent,
    'user delivered': sends[i]!.delivered,
    'user failed (reported)': sends[i]!.failed,
    'end state': clients[i]!.state.kind,
  }));
  console.table(rows);
  if (lostExamples.length) console.log(`lost, e.g.: ${lostExamples.join('; ')}`);
  for (const [i, s] of sends.entries())
    if (s.errors.length)
      console.log(
        `${BENCH_PLATFORMS[i]!.id} send errors: ${s.errors.join(' | ')}${s.failedButArrived ? ` (${s.failedButArrived} reported failed but arrived)` : ''}`,
      );
  const growth = heapEnd - heapBaseline;
  console.log(
    `heap after GC: ${mb(heapBaseline)} after warm-up, ${mb(heapEnd)} at the end (${growth >= 0 ? '+' : ''}${mb(growth)}); log: ${log.warnings} warnings, ${log.errors} errors`,
  );
  if (misrouted.count) console.log(`lines shown under the wrong platform: ${misrouted.count}`);

  // ---- checks ----------------------------------------------------------------------------------------
  const checks: Array<[string, boolean]> = [
    ['every client connected at the start', startedConnected],
  ];
  BENCH_PLATFORMS.forEach((p, i) => {
    const c = per[i]!;
    checks.push([
      `${p.id}: lines were shown (${c.shown} of ${c.written} written)`,
      c.shown > 0 && c.written > 0,
    ]);
    checks.push([`${p.id}: no line lost (${c.lost})`, c.lost === 0]);
    checks.push([`${p.id}: no duplicates (${c.duplicates})`, c.duplicates === 0]);
    const stalls = Number.isNaN(stallResults[i]!.detectedMs) ? 0 : 1;
    checks.push([
      `${p.id}: at least 2 drops, each drop and stall followed by a reconnect (${drops[i]} drops, ${stalls} stall, ${Math.max(0, connects[i]! - 1)} reconnects)`,
      drops[i]! >= 2 && connects[i]! - 1 >= drops[i]! + stalls,
    ]);
    if (sims[i]!.stall)
      checks.push([
        `${p.id}: the ${stallResults[i]!.kind} was detected`,
        !Number.isNaN(stallResults[i]!.detectedMs),
      ]);
    checks.push([
      `${p.id}: every user send delivered or reported failed (${sends[i]!.silentlyLost} silently lost)`,
      sends[i]!.silentlyLost === 0 && sends[i]!.sent > 0,
    ]);
    checks.push([
      `${p.id}: ends connected (${clients[i]!.state.kind})`,
      clients[i]!.state.kind === 'connected',
    ]);
  });
  checks.push([`heap growth under 10 MB (${mb(growth)})`, growth < 10 * 1024 * 1024]);
  checks.push([
    `every line shown under its own platform (${misrouted.count} misrouted)`,
    misrouted.count === 0,
  ]);
  for (const [name, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}`);
  if (checks.some(([, ok]) => !ok) && log.recent.length)
    console.log(`last log lines:\n    ${log.recent.join('\n    ')}`);

  // The soak made the clients, so it disposes them (the hub only listens to them).
  for (const client of clients) client.dispose();
  hub.dispose();
  await Promise.all(sims.map((s) => s.close()));
  proto.send = originalSend;
  proto.emit = originalEmit;
  const passed = checks.filter(([, ok]) => ok).length;
  const failed = checks.length - passed;
  console.log(`soak: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    console.log('soak: 0 passed, 1 failed');
    process.exit(1);
  },
);
