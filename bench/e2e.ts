// End to end in a real VS Code (code-server + Chromium through test/ui/workbench.ts): simulators →
// extension host → chat view DOM, every registered platform at once. Each line carries its send
// time (`bench <seq> <epochMs>`); a MutationObserver in the webview frame records when its node
// is added (performance.timeOrigin + performance.now(): the same wall clock on this machine).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { CDPSession, Frame } from 'playwright-core';
import { WebSocket } from 'ws';
import { Workbench } from '../test/ui/workbench';
import { BENCH_PLATFORMS, BenchSimulator, VIEWERS } from './platforms';

export interface LatencyResult {
  readonly rate: number;
  readonly seconds: number;
  readonly sent: number;
  /** Lines whose node reached the DOM within 3 s after the run. */
  readonly shown: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface E2eResult {
  readonly latency: LatencyResult[];
  readonly sustained: LatencyResult[];
  readonly highestSustainedRate: number;
  readonly longTasks: { readonly rate: number; readonly seconds: number; readonly count: number; readonly over50: number; readonly maxMs: number; readonly attribution: Record<string, number> };
  readonly webviewHeapMb: { readonly after1k: number; readonly after100k: number; readonly messages: number; readonly how: string };
  readonly hostHeapMb: { readonly after1k: number; readonly after100k: number; readonly how: string };
  readonly activationMs: number | undefined;
}

interface BenchWindow {
  __bench: { record: boolean; seqs: number[]; arrivals: number[]; count: number; long: Array<{ d: number; name: string }> };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pct = (sorted: readonly number[], p: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

export async function runE2eBench(options: { sustainSeconds: number; latencySeconds: number; heapMessages: number; log: (s: string) => void }): Promise<E2eResult> {
  const sims: BenchSimulator[] = [];
  for (const platform of BENCH_PLATFORMS) sims.push(await platform.start({}));
  const settings = Object.assign({ 'streamChat.scrollback': 1000 }, ...sims.map((s) => s.settings())) as Record<string, unknown>;
  const wb = await Workbench.launch({ settings });
  let host: HostInspector | undefined;
  try {
    for (const [i, platform] of BENCH_PLATFORMS.entries()) await wb.setToken(platform.label, sims[i]!.token);
    await wb.runCommand('Stream Chat: Connect');
    await wb.runCommand('Stream Chat: Open Chat');
    const chat = await wb.waitForChat();
    for (const p of BENCH_PLATFORMS) await chat.locator(`.chip[data-platform="${p.id}"][data-state="connected"]`).waitFor({ timeout: 30_000 });
    const frame = await findChatFrame(wb);
    await frame.evaluate(() => {
      const w = window as unknown as BenchWindow;
      w.__bench = { record: true, seqs: [], arrivals: [], count: 0, long: [] };
      const pattern = /bench (\d+) \d+/;
      new MutationObserver((records) => {
        const now = performance.timeOrigin + performance.now();
        for (const r of records) {
          for (const n of r.addedNodes) {
            const m = pattern.exec((n as HTMLElement).textContent ?? '');
            if (!m) continue;
            w.__bench.count++;
            if (w.__bench.record) {
              w.__bench.seqs.push(Number(m[1]));
              w.__bench.arrivals.push(now);
            }
          }
        }
      }).observe(document.getElementById('timeline')!, { childList: true });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__bench.long.push({ d: e.duration, name: e.name });
      }).observe({ type: 'longtask', buffered: false });
    });

    let seq = 0;
    const sentAt: number[] = [];
    /** Posts at `rate` msg/s for `seconds`, round robin over the platforms. */
    const pump = async (rate: number, seconds: number, record: boolean) => {
      const first = seq;
      const start = performance.now();
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const elapsed = performance.now() - start;
          const due = Math.floor((Math.min(elapsed, seconds * 1000) / 1000) * rate) - (seq - first);
          for (let i = 0; i < due; i++) {
            const now = Date.now();
            if (record) sentAt[seq] = now;
            sims[seq % sims.length]!.post(`bench ${seq} ${now}`, VIEWERS[seq % VIEWERS.length]!);
            seq++;
          }
          if (elapsed >= seconds * 1000) {
            clearInterval(timer);
            resolve();
          }
        }, 5);
      });
      return { first, last: seq };
    };
    const reset = (record: boolean) =>
      frame.evaluate((r) => {
        const b = (window as unknown as BenchWindow).__bench;
        b.record = r;
        b.seqs = [];
        b.arrivals = [];
        b.count = 0;
        b.long = [];
      }, record);
    const run = async (rate: number, seconds: number): Promise<LatencyResult> => {
      await reset(true);
      const { first, last } = await pump(rate, seconds, true);
      await sleep(3000);
      const { seqs, arrivals } = await frame.evaluate(() => {
        const b = (window as unknown as BenchWindow).__bench;
        return { seqs: b.seqs, arrivals: b.arrivals };
      });
      const latencies: number[] = [];
      const seen = new Set<number>();
      seqs.forEach((s, i) => {
        if (s < first || s >= last || seen.has(s)) return;
        seen.add(s);
        latencies.push(arrivals[i]! - sentAt[s]!);
      });
      latencies.sort((a, b) => a - b);
      const r: LatencyResult = { rate, seconds, sent: last - first, shown: seen.size, p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), max: latencies.at(-1) ?? Number.NaN };
      options.log(`  ${rate} msg/s for ${seconds} s: shown ${r.shown}/${r.sent}, p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, max ${r.max.toFixed(0)} ms`);
      return r;
    };

    await run(100, 2); // warm-up, not reported
    const latency = [await run(100, options.latencySeconds), await run(1000, options.latencySeconds)];

    const sustained: LatencyResult[] = [];
    let highestSustainedRate = 0;
    for (const rate of [1000, 2000, 3000, 5000]) {
      const r = await run(rate, options.sustainSeconds);
      sustained.push(r);
      if (r.p99 < 250 && r.shown >= r.sent * 0.99) highestSustainedRate = rate;
      else break;
      await sleep(2000);
    }

    // Long tasks during a 2,000 msg/s burst (the observer sits in the chat view's frame).
    const burstSeconds = 10;
    await reset(false);
    await pump(2000, burstSeconds, false);
    await sleep(1000);
    const long = await frame.evaluate(() => (window as unknown as BenchWindow).__bench.long);
    const attribution: Record<string, number> = {};
    for (const t of long) attribution[t.name] = (attribution[t.name] ?? 0) + 1;
    const longTasks = { rate: 2000, seconds: burstSeconds, count: long.length, over50: long.filter((t) => t.d > 50).length, maxMs: long.length ? Math.max(...long.map((t) => t.d)) : 0, attribution };
    options.log(`  long tasks in a 2,000 msg/s burst: ${longTasks.count}, over 50 ms ${longTasks.over50}, longest ${longTasks.maxMs.toFixed(0)} ms`);

    // Heap: after 1,000 lines and after `heapMessages`, each after a forced GC.
    const webview = await webviewSession(wb, frame);
    host = await HostInspector.attach(wb).catch((error: unknown) => {
      options.log(`  host inspector unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    await reset(false);
    await pump(1000, 1, false);
    await sleep(2000);
    const webview1k = await heapMb(webview.session);
    const host1k = host ? await host.heapMb() : Number.NaN;
    const bulkRate = 2500;
    await pump(bulkRate, Math.max(1, (options.heapMessages - 1000) / bulkRate), false);
    await sleep(3000);
    const counted = await frame.evaluate(() => (window as unknown as BenchWindow).__bench.count);
    const webview100k = await heapMb(webview.session);
    const host100k = host ? await host.heapMb() : Number.NaN;
    options.log(`  heap: webview ${webview1k.toFixed(1)} → ${webview100k.toFixed(1)} MB, host ${host1k.toFixed(1)} → ${host100k.toFixed(1)} MB after ${counted} lines`);

    return {
      latency,
      sustained,
      highestSustainedRate,
      longTasks,
      webviewHeapMb: { after1k: webview1k, after100k: webview100k, messages: counted, how: webview.how },
      hostHeapMb: { after1k: host1k, after100k: host100k, how: host ? 'SIGUSR1 → Node inspector of the extension host process; HeapProfiler.collectGarbage, Runtime.getHeapUsage' : 'unavailable' },
      activationMs: readActivationMs(wb),
    };
  } finally {
    host?.close();
    await wb.close();
    await Promise.all(sims.map((s) => s.close()));
  }
}

async function findChatFrame(wb: Workbench): Promise<Frame> {
  for (let i = 0; i < 50; i++) {
    for (const f of wb.page.frames()) {
      if (await f.evaluate(() => !!document.getElementById('timeline')).catch(() => false)) return f;
    }
    await sleep(200);
  }
  throw new Error('no chat frame');
}

/** The chat frame's own CDP session when it is out of process; otherwise the page's (same renderer isolate). */
async function webviewSession(wb: Workbench, frame: Frame): Promise<{ session: CDPSession; how: string }> {
  try {
    return { session: await wb.page.context().newCDPSession(frame), how: 'CDP session of the webview frame (its own renderer): HeapProfiler.collectGarbage, Runtime.getHeapUsage' };
  } catch {
    return {
      session: await wb.page.context().newCDPSession(wb.page),
      how: 'the webview shares the workbench renderer: its isolate heap (workbench + webview) after HeapProfiler.collectGarbage, Runtime.getHeapUsage',
    };
  }
}

async function heapMb(session: CDPSession): Promise<number> {
  await session.send('HeapProfiler.collectGarbage');
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  return usedSize / 1024 / 1024;
}

/** The extension host (a Node process under our code-server) through its inspector, opened with SIGUSR1. */
class HostInspector {
  private _id = 0;
  private readonly _pending = new Map<number, (result: unknown) => void>();
  private constructor(private readonly _ws: WebSocket) {
    _ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown };
      if (message.id !== undefined) this._pending.get(message.id)?.(message.result);
    });
  }

  static async attach(wb: Workbench): Promise<HostInspector> {
    const serverPid = (wb as unknown as { _server: { pid: number } })._server.pid;
    const pid = extensionHostPid(serverPid);
    if (!pid) throw new Error('no extension host process found under code-server');
    const before = inspectorPorts();
    process.kill(pid, 'SIGUSR1');
    let url: string | undefined;
    for (let i = 0; i < 50 && !url; i++) {
      await sleep(100);
      for (const port of [9229, ...inspectorPorts().filter((p) => !before.includes(p))]) {
        const list = await fetch(`http://127.0.0.1:${port}/json/list`).then((r) => r.json() as Promise<Array<{ webSocketDebuggerUrl: string }>>).catch(() => undefined);
        if (list?.[0]) {
          url = list[0].webSocketDebuggerUrl;
          break;
        }
      }
    }
    if (!url) throw new Error(`the extension host (pid ${pid}) did not open an inspector`);
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new HostInspector(ws);
  }

  private _send(method: string): Promise<unknown> {
    const id = ++this._id;
    return new Promise((resolve) => {
      this._pending.set(id, resolve);
      this._ws.send(JSON.stringify({ id, method }));
    });
  }

  async heapMb(): Promise<number> {
    await this._send('HeapProfiler.collectGarbage');
    await this._send('HeapProfiler.collectGarbage');
    const { usedSize } = (await this._send('Runtime.getHeapUsage')) as { usedSize: number };
    return usedSize / 1024 / 1024;
  }

  close(): void {
    this._ws.close();
  }
}

function extensionHostPid(root: number): number | undefined {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const ours = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) {
      if (ours.has(r.ppid) && !ours.has(r.pid)) {
        ours.add(r.pid);
        grew = true;
      }
    }
  }
  return rows.find((r) => ours.has(r.pid) && /extensionHost/.test(r.args))?.pid;
}

function inspectorPorts(): number[] {
  try {
    return execFileSync('ss', ['-ltnH'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => /127\.0\.0\.1:(\d+)/.exec(l)?.[1])
      .filter((p): p is string => p !== undefined)
      .map(Number);
  } catch {
    return [];
  }
}

/** "activated in X ms" from the extension's own log (the Stream Chat output channel's file). */
function readActivationMs(wb: Workbench): number | undefined {
  const stateDir = (wb as unknown as { _stateDir: string })._stateDir;
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.log')) files.push(full);
    }
  };
  try {
    walk(path.join(stateDir, 'user-data', 'logs'));
  } catch {
    return undefined;
  }
  for (const file of files) {
    const m = /activated in ([\d.]+) ms/.exec(readFileSync(file, 'utf8'));
    if (m) return Number(m[1]);
  }
  return undefined;
}
