// The bench's chat: every platform's simulator and the sender that posts numbered lines through
// them, on a worker thread of their own. On the bench's main thread they shared an event loop and
// a heap with the Playwright driver, so a stall there (a large `evaluate` result, a GC) held the
// sender back and it then sent what fell due in one tick: the pipe saw a burst, not the rate (a
// full run once had a 393 ms stall followed by 1,963 lines at once). This module is both ends:
// `ChatSender` on the main thread, `runSenderWorker` in the worker (bench/senderWorker.ts).
import { Worker, parentPort } from 'node:worker_threads';
import { BENCH_PLATFORMS, BenchSimulator, VIEWERS } from './platforms';

/** What one `pump` did: lines `first` to `last` (exclusive), and how steady the sender was. */
export interface PumpResult {
  readonly first: number;
  readonly last: number;
  /** The longest gap between two of the sender's ticks (it ticks every 5 ms). */
  readonly longestTickGapMs: number;
  /** The most lines it sent in one tick. */
  readonly largestBatch: number;
  /** When each line was sent (epoch ms), `first` at index 0; empty unless recorded. */
  readonly sentAt: Float64Array;
}

/** One simulator as the main thread needs it: what to set in VS Code to reach it. */
export interface SenderSimulator {
  readonly platform: string;
  readonly label: string;
  readonly token: string;
  readonly settings: Record<string, unknown>;
}

type ToWorker =
  | {
      readonly type: 'pump';
      readonly rate: number;
      readonly seconds: number;
      readonly record: boolean;
    }
  | { readonly type: 'close' };

type FromWorker =
  | { readonly type: 'ready'; readonly simulators: readonly SenderSimulator[] }
  | ({ readonly type: 'pumped' } & PumpResult)
  | { readonly type: 'closed' }
  | { readonly type: 'error'; readonly message: string };

/** The main thread's handle on the sender worker. One pump at a time. */
export class ChatSender {
  private _next: ((m: FromWorker) => void) | undefined;

  private constructor(
    private readonly _worker: Worker,
    readonly simulators: readonly SenderSimulator[],
  ) {
    _worker.on('message', (m: FromWorker) => {
      const next = this._next;
      this._next = undefined;
      next?.(m);
    });
  }

  /** Starts the worker (`workerFile`: the bundled bench/senderWorker.ts) and its simulators. */
  static async start(workerFile: string): Promise<ChatSender> {
    const worker = new Worker(workerFile);
    const first = await new Promise<FromWorker>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the sender worker exited (${code})`)));
    });
    if (first.type !== 'ready') {
      await worker.terminate();
      throw new Error(
        `the sender worker did not start: ${first.type === 'error' ? first.message : first.type}`,
      );
    }
    return new ChatSender(worker, first.simulators);
  }

  /** VS Code settings pointing at every simulator. */
  settings(): Record<string, unknown> {
    return Object.assign({}, ...this.simulators.map((s) => s.settings)) as Record<string, unknown>;
  }

  /** Posts at `rate` msg/s for `seconds`, round robin over the platforms; numbering goes on across pumps. */
  pump(rate: number, seconds: number, record: boolean): Promise<PumpResult> {
    return this._request({ type: 'pump', rate, seconds, record }).then((m) => {
      if (m.type !== 'pumped') throw new Error(`the sender answered ${m.type} to a pump`);
      return m;
    });
  }

  async close(): Promise<void> {
    await this._request({ type: 'close' }).catch(() => undefined);
    await this._worker.terminate();
  }

  private _request(message: ToWorker): Promise<FromWorker> {
    if (this._next) return Promise.reject(new Error('the sender is busy'));
    return new Promise<FromWorker>((resolve, reject) => {
      this._next = (m) => (m.type === 'error' ? reject(new Error(m.message)) : resolve(m));
      this._worker.postMessage(message);
    });
  }
}

/** The worker's side: starts the simulators, then pumps and closes on request. */
export async function runSenderWorker(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runSenderWorker runs in a worker thread');
  const sims: BenchSimulator[] = [];
  try {
    for (const platform of BENCH_PLATFORMS) sims.push(await platform.start({}));
  } catch (error) {
    port.postMessage({ type: 'error', message: String(error) } satisfies FromWorker);
    return;
  }
  let seq = 0;
  port.postMessage({
    type: 'ready',
    simulators: BENCH_PLATFORMS.map((p, i) => ({
      platform: p.id,
      label: p.label,
      token: sims[i]!.token,
      settings: sims[i]!.settings(),
    })),
  } satisfies FromWorker);
  port.on('message', (m: ToWorker) => {
    if (m.type === 'close') {
      void Promise.all(sims.map((s) => s.close())).finally(() => {
        port.postMessage({ type: 'closed' } satisfies FromWorker);
        port.close();
      });
      return;
    }
    const first = seq;
    const sentAt = m.record ? new Float64Array(Math.ceil(m.rate * m.seconds)) : new Float64Array(0);
    const start = performance.now();
    let lastTick = start;
    let longestTickGapMs = 0;
    let largestBatch = 0;
    const timer = setInterval(() => {
      const tick = performance.now();
      const elapsed = tick - start;
      const due = Math.floor((Math.min(elapsed, m.seconds * 1000) / 1000) * m.rate) - (seq - first);
      longestTickGapMs = Math.max(longestTickGapMs, tick - lastTick);
      largestBatch = Math.max(largestBatch, due);
      lastTick = tick;
      for (let i = 0; i < due; i++) {
        const now = Date.now();
        const n = seq++;
        if (n - first < sentAt.length) sentAt[n - first] = now;
        sims[n % sims.length]!.post(`bench ${n} ${now}`, VIEWERS[n % VIEWERS.length]!);
      }
      if (elapsed >= m.seconds * 1000) {
        clearInterval(timer);
        port.postMessage(
          {
            type: 'pumped',
            first,
            last: seq,
            longestTickGapMs,
            largestBatch,
            sentAt,
          } satisfies FromWorker,
          [sentAt.buffer],
        );
      }
    }, 5);
  });
}
