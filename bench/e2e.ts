// End to end in a real VS Code (code-server + Chromium through test/ui/workbench.ts): simulators →
// extension host → chat view DOM, every registered platform at once. Each line carries its send
// time (`bench <seq> <epochMs>`); in the webview frame a MutationObserver records when a node with
// that text reaches the DOM as a new last line, and a message listener records which lines the view
// received and when (a view that virtualises may never build a line that scrolled past: received,
// not shown; a line it builds later above those already built, to fill its window for scrolling up,
// is counted apart, since that is not when the line arrived). Timestamps are wall clock (Date.now()
// on both ends, the same clock on this machine); the part between send and the message event in the
// view's frame is printed as the pipe's share.
//
// Two views run in the same bench, one after the other: the product, and the floor (bench/bareView.ts,
// one text node per line, installed in place of the product's webview bundle by scripts/bench.mjs).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CDPSession, Frame } from 'playwright-core';
import { WebSocket } from 'ws';
import { Workbench } from '../test/ui/workbench';
import { ChatSender, PumpResult } from './chatSender';
import {
  CpuSample,
  aboveIdle,
  cpuBetween,
  cpuSum,
  descendants,
  formatCpu,
  formatCpuShare,
  perThousand,
  procRows,
  sampleCpu,
} from './processCpu';

export interface LatencyResult {
  readonly rate: number;
  readonly seconds: number;
  readonly sent: number;
  /** Lines the view received from the host (in `ops` or a snapshot) within 3 s after the run. */
  readonly received: number;
  /** Lines whose node reached the view's DOM as its newest line within 3 s after the run. */
  readonly shown: number;
  /** Snapshots the host sent instead of a backlog during the run. */
  readonly snapshots: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Of the latency, the pipe's share: send → the line's message event in the view's frame (p50/p99). */
  readonly pipeP50: number;
  readonly pipeP99: number;
  /** CPU per part of the pipe while the lines were sent, above the same time idle, per 1,000 lines sent (bench/processCpu.ts). */
  readonly cpuPer1000: CpuSample;
}

/** Keydown → the next animation frame after the editor's DOM changed, per key. */
export interface TypingResult {
  readonly keys: number;
  /** Keys whose change was seen within 2 s. */
  readonly measured: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  /** Long tasks of the workbench's renderer while typing; `fromView`: those the chat view's frame reports as its own. */
  readonly longTasks: {
    readonly count: number;
    readonly over50: number;
    readonly maxMs: number;
    readonly fromView: number;
    readonly fromViewOver50: number;
    readonly fromViewMaxMs: number;
  };
}

export interface TypingComparison {
  readonly idle: TypingResult;
  /** The same typing with chat at `chatRate`. */
  readonly chat: TypingResult;
  readonly chatRate: number;
  /** The chat's own latency while the streamer typed. */
  readonly chatLatency: LatencyResult;
}

export interface DomCount {
  readonly scrollback: number;
  /** Lines posted with this scrollback before counting. */
  readonly lines: number;
  /** Elements in the chat view's document. */
  readonly elements: number;
}

/** What both views are measured on. */
export interface ViewFigures {
  /** At 100 and 1,000 msg/s (empty when the latency rows were not run). */
  readonly latency: LatencyResult[];
  readonly typing: TypingComparison | undefined;
  /** The rates tried for the highest rate held, in order (empty when that row was not run). */
  readonly sustained: LatencyResult[];
  readonly highestSustainedRate: number | undefined;
}

/** The rows of the end-to-end bench; `--only=` picks some. */
export type E2eRow = 'latency' | 'typing' | 'longtasks' | 'sustained' | 'heap' | 'dom';

export interface E2eResult extends ViewFigures {
  /** The rows that were run; the others' fields are empty or undefined. */
  readonly rows: readonly E2eRow[];
  readonly longTasks:
    | {
        readonly rate: number;
        readonly seconds: number;
        readonly count: number;
        readonly over50: number;
        readonly maxMs: number;
        readonly attribution: Record<string, number>;
      }
    | undefined;
  readonly dom: DomCount[];
  readonly webviewHeapMb:
    | {
        readonly after1k: number;
        readonly after100k: number;
        readonly messages: number;
        readonly how: string;
      }
    | undefined;
  readonly hostHeapMb:
    | {
        readonly after1k: number;
        readonly after100k: number;
        readonly how: string;
      }
    | undefined;
  readonly activationMs: number | undefined;
  /** The bare renderer's figures, same run; undefined when no floor install was given. */
  readonly floor: ViewFigures | undefined;
}

export interface E2eOptions {
  readonly sustainSeconds: number;
  readonly latencySeconds: number;
  readonly typingSeconds: number;
  readonly heapMessages: number;
  /** Scrollback settings the DOM is counted at, and the most lines posted for one. */
  readonly domScrollbacks: readonly number[];
  readonly domMaxLines: number;
  /** Extensions dir with the floor's view installed (scripts/bench.mjs makes it). */
  readonly floorExtensionsDir: string | undefined;
  /** The rows to run; all when undefined. The floor runs the latency, typing and sustained rows among them (all three if none). */
  readonly rows?: ReadonlySet<E2eRow>;
  readonly log: (s: string) => void;
}

interface BenchWindow {
  __bench: {
    record: boolean;
    seqs: number[];
    arrivals: number[];
    received: Set<number>;
    /** Lines built above lines already built (not arrivals; see the MutationObserver). */
    backfilled: number;
    /** When each received line's message event ran in the view's frame (wall clock, as `arrivals`). */
    receivedAt: Map<number, number>;
    snapshots: number;
    count: number;
    long: Array<{ d: number; name: string }>;
  };
}

/** One spell of typing: the raw samples, so spells can be pooled. */
interface TypedKeys {
  readonly seconds: number;
  readonly keys: number;
  readonly samples: readonly number[];
  readonly missed: number;
  readonly long: ReadonlyArray<{ d: number; name: string }>;
  readonly viewLong: ReadonlyArray<{ d: number; name: string }>;
  readonly cpu: CpuSample;
  readonly ms: number;
}

interface TypingWindow {
  __typing: {
    /** Keydowns (event timeStamps) whose change has not been seen yet. */
    pending: number[];
    samples: number[];
    /** Keys given up on: no change to the editor within 2 s. */
    missed: number;
    long: Array<{ d: number; name: string }>;
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pct = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Editor settings that keep typing plain: no suggestions or auto-closing to accept with Enter. */
const TYPING_SETTINGS = {
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.parameterHints.enabled': false,
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.wordBasedSuggestions': 'off',
  'workbench.editor.untitled.hint': 'hidden',
};

/** One workbench with the chat view open and the bench's probes installed in it. */
class ChatSession {
  /** When each line was sent (epoch ms), by its number. */
  private readonly _sentAt: number[] = [];

  private constructor(
    readonly wb: Workbench,
    readonly frame: Frame,
    private readonly _sender: ChatSender,
    private readonly _log: (s: string) => void,
  ) {}

  static async open(
    sender: ChatSender,
    extensionsDir: string | undefined,
    log: (s: string) => void,
  ): Promise<ChatSession> {
    const settings = {
      'streamChat.scrollback': 1000,
      ...TYPING_SETTINGS,
      ...sender.settings(),
    } as Record<string, unknown>;
    const wb = await Workbench.launch({ settings, ...(extensionsDir ? { extensionsDir } : {}) });
    try {
      for (const sim of sender.simulators) await wb.setToken(sim.label, sim.token);
      await wb.runCommand('Stream Chat: Connect');
      await wb.runCommand('Stream Chat: Open Chat');
      const chat = await wb.waitForChat();
      for (const sim of sender.simulators)
        await chat
          .locator(`.chip[data-platform="${sim.platform}"][data-state="connected"]`)
          .waitFor({ state: 'attached', timeout: 30_000 });
      const frame = await findChatFrame(wb);
      await installViewProbes(frame);
      return new ChatSession(wb, frame, sender, log);
    } catch (error) {
      await wb.close();
      throw error;
    }
  }

  /**
   * Posts at `rate` msg/s for `seconds`, round robin over the platforms (bench/chatSender.ts, on its
   * own thread). Also says the longest gap between two of the sender's ticks and the most lines it
   * sent in one: a sender that stalls sends what fell due at once, and the pipe sees a burst, not
   * the rate.
   */
  async pump(rate: number, seconds: number, record: boolean): Promise<PumpResult> {
    const pumped = await this._sender.pump(rate, seconds, record);
    pumped.sentAt.forEach((at, i) => (this._sentAt[pumped.first + i] = at));
    return pumped;
  }

  reset(record: boolean): Promise<void> {
    return this.frame.evaluate((r) => {
      const b = (window as unknown as BenchWindow).__bench;
      b.record = r;
      b.seqs = [];
      b.arrivals = [];
      b.received = new Set();
      b.receivedAt = new Map();
      b.backfilled = 0;
      b.snapshots = 0;
      b.count = 0;
      b.long = [];
    }, record);
  }

  /** Chat at `rate` for `seconds`, then latency of every line of it that reached the DOM; `during` runs alongside. */
  async run(rate: number, seconds: number, during?: () => Promise<void>): Promise<LatencyResult> {
    await this.reset(true);
    const serverPid = this.wb.serverPid;
    // The workbench spends CPU with chat idle too: two seconds of that, taken off the run's figure.
    const idleStart = sampleCpu(serverPid);
    const idleFrom = performance.now();
    await sleep(2000);
    const cpuBefore = sampleCpu(serverPid);
    const idle = cpuBetween(idleStart, cpuBefore);
    const idleMs = performance.now() - idleFrom;
    const runFrom = performance.now();
    const [sender] = await Promise.all([this.pump(rate, seconds, true), during?.()]);
    const { first, last } = sender;
    // Half a second for the pipe to drain what the last moments sent.
    await sleep(500);
    const cpu = aboveIdle(
      cpuBetween(cpuBefore, sampleCpu(serverPid)),
      idle,
      (performance.now() - runFrom) / idleMs,
    );
    await sleep(2500);
    const { seqs, arrivals, received, receivedAt, backfilled, snapshots } =
      await this.frame.evaluate(() => {
        const b = (window as unknown as BenchWindow).__bench;
        return {
          seqs: b.seqs,
          arrivals: b.arrivals,
          received: [...b.received],
          receivedAt: [...b.receivedAt],
          backfilled: b.backfilled,
          snapshots: b.snapshots,
        };
      });
    const pipe = receivedAt
      .filter(([s]) => s >= first && s < last)
      .map(([s, at]) => at - this._sentAt[s]!)
      .sort((a, b) => a - b);
    const latencies: number[] = [];
    const inView: number[] = [];
    const receivedAtOf = new Map(receivedAt);
    const seen = new Set<number>();
    seqs.forEach((s, i) => {
      if (s < first || s >= last || seen.has(s)) return;
      seen.add(s);
      latencies.push(arrivals[i]! - this._sentAt[s]!);
      const at = receivedAtOf.get(s);
      if (at !== undefined) inView.push(arrivals[i]! - at);
    });
    latencies.sort((a, b) => a - b);
    inView.sort((a, b) => a - b);
    const receivedInRun = received.filter((s) => s >= first && s < last).length;
    const r: LatencyResult = {
      rate,
      seconds,
      sent: last - first,
      received: receivedInRun,
      shown: seen.size,
      snapshots,
      p50: pct(latencies, 50),
      p95: pct(latencies, 95),
      p99: pct(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
      pipeP50: pct(pipe, 50),
      pipeP99: pct(pipe, 99),
      cpuPer1000: perThousand(cpu, last - first),
    };
    this._log(
      `  ${rate} msg/s for ${seconds} s: received ${r.received}/${r.sent}, shown ${r.shown} (${backfilled} more built later above), snapshots ${r.snapshots} (the sender's longest stall ${sender.longestTickGapMs.toFixed(0)} ms, most lines in one tick ${sender.largestBatch}), p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, max ${r.max.toFixed(0)} ms; pipe p50 ${r.pipeP50.toFixed(0)} ms, p99 ${r.pipeP99.toFixed(0)} ms; in the view (shown lines) p50 ${pct(inView, 50).toFixed(0)} ms, p99 ${pct(inView, 99).toFixed(0)} ms; CPU above idle ${formatCpu(r.cpuPer1000)} ms per 1,000 lines (idle: ${formatCpuShare(idle, idleMs)} of a core)`,
    );
    return r;
  }

  /** The highest rate held for `seconds`: every line received, p99 of those shown under 250 ms. */
  async highestHeld(
    seconds: number,
    profiled: <T>(name: string, run: () => Promise<T>) => Promise<T> = (_, run) => run(),
  ): Promise<{ sustained: LatencyResult[]; highestSustainedRate: number }> {
    const sustained: LatencyResult[] = [];
    let highestSustainedRate = 0;
    // Each run starts with two seconds of idle chat (its CPU baseline), which is the pause between rates.
    for (const rate of [1000, 2000, 3000, 5000, 7500, 10000]) {
      const r = await profiled(`sustained-${rate}`, () => this.run(rate, seconds));
      sustained.push(r);
      if (r.p99 < 250 && r.received === r.sent) highestSustainedRate = rate;
      else break;
    }
    return { sustained, highestSustainedRate };
  }

  /** Opens an untitled plain-text editor (no language server behind it) with the typing probes. */
  async openTypingEditor(): Promise<void> {
    const page = this.wb.page;
    // Picked by its exact title: "File: Compare New Untitled Text Files" matches the same words.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('>File: New Untitled Text File');
    const row = page
      .locator('.quick-input-list .monaco-list-row', {
        hasText: /^\s*File: New Untitled Text File(?!s)/,
      })
      .first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    const lines = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await lines.waitFor({ timeout: 15_000 });
    await lines.click();
    await page.evaluate(() => {
      const w = window as unknown as TypingWindow;
      if (w.__typing) return;
      w.__typing = { pending: [], samples: [], missed: 0, long: [] };
      // The event's timeStamp is when the browser took the key: time queued behind a busy main thread counts.
      document.addEventListener('keydown', (e) => void w.__typing.pending.push(e.timeStamp), true);
      const target = document.querySelector('.editor-instance .monaco-editor .view-lines')!;
      // The editor applies each key to its model as the key is handled, so a change to its lines
      // shows every key taken before it; the next animation frame is when that change is on screen.
      new MutationObserver(() => {
        const keys = w.__typing.pending;
        if (keys.length === 0) return;
        w.__typing.pending = [];
        requestAnimationFrame(() => {
          const now = performance.now();
          for (const t0 of keys) {
            if (now - t0 > 2000) w.__typing.missed++;
            else w.__typing.samples.push(now - t0);
          }
        });
      }).observe(target, { childList: true, subtree: true, characterData: true });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__typing.long.push({ d: e.duration, name: e.name });
      }).observe({ type: 'longtask', buffered: false });
    });
  }

  /** Types plain text into the open editor for `seconds`, a key every 100 ms, and times each key. */
  private async _typeKeys(seconds: number): Promise<TypedKeys> {
    const page = this.wb.page;
    await page.evaluate(() => {
      const t = (window as unknown as TypingWindow).__typing;
      t.samples = [];
      t.long = [];
      t.pending = [];
      t.missed = 0;
    });
    await this.frame.evaluate(() => void ((window as unknown as BenchWindow).__bench.long = []));
    const text = 'the quick brown fox jumps over the lazy dog while chat scrolls by ';
    let keys = 0;
    const cpuBefore = sampleCpu(this.wb.serverPid);
    const start = performance.now();
    for (let i = 0; performance.now() - start < seconds * 1000; i++) {
      const key = i % 48 === 47 ? 'Enter' : text[i % text.length]!;
      await page.keyboard.press(key === ' ' ? 'Space' : key);
      keys++;
      // A steady typist: the next key is due 100 ms after this one was, however long this one took.
      await sleep(Math.max(0, start + (i + 1) * 100 - performance.now()));
    }
    const cpu = cpuBetween(cpuBefore, sampleCpu(this.wb.serverPid));
    const ms = performance.now() - start;
    await sleep(2500);
    const { samples, missed, long } = await page.evaluate(() => {
      const t = (window as unknown as TypingWindow).__typing;
      return { samples: t.samples, missed: t.missed + t.pending.length, long: t.long };
    });
    // The chat view's frame sees the same main thread: its `self` long tasks are the view's own work.
    const viewLong = (
      await this.frame.evaluate(() => (window as unknown as BenchWindow).__bench.long)
    ).filter((t) => t.name === 'self');
    return { seconds, keys, samples, missed, long, viewLong, cpu, ms };
  }

  /** One figure from typing spells that belong together (chat idle before and after the chat). */
  private _typingResult(spells: readonly TypedKeys[]): TypingResult {
    const sum = (f: (t: TypedKeys) => number) => spells.reduce((n, t) => n + f(t), 0);
    const long = spells.flatMap((t) => t.long);
    const viewLong = spells.flatMap((t) => t.viewLong);
    const sorted = spells.flatMap((t) => t.samples).sort((a, b) => a - b);
    const result: TypingResult = {
      keys: sum((t) => t.keys),
      measured: sorted.length,
      p50: pct(sorted, 50),
      p95: pct(sorted, 95),
      max: sorted.at(-1) ?? Number.NaN,
      longTasks: {
        count: long.length,
        over50: long.filter((t) => t.d > 50).length,
        maxMs: long.length ? Math.max(...long.map((t) => t.d)) : 0,
        fromView: viewLong.length,
        fromViewOver50: viewLong.filter((t) => t.d > 50).length,
        fromViewMaxMs: viewLong.length ? Math.max(...viewLong.map((t) => t.d)) : 0,
      },
    };
    const cpu = spells.map((t) => t.cpu).reduce((a, b) => cpuSum(a, b));
    this._log(
      `  typing ${sum((t) => t.seconds)} s${spells.length > 1 ? ` (${spells.map((t) => `${t.seconds} s`).join(' + ')})` : ''}: ${result.measured}/${result.keys} keys (${sum((t) => t.missed)} missed), p50 ${result.p50.toFixed(0)} ms, p95 ${result.p95.toFixed(0)} ms, max ${result.max.toFixed(0)} ms; workbench long tasks ${result.longTasks.count} (${result.longTasks.over50} over 50 ms), the view's own ${result.longTasks.fromView} (${result.longTasks.fromViewOver50} over 50 ms, longest ${result.longTasks.fromViewMaxMs.toFixed(0)} ms); CPU ${formatCpuShare(
        cpu,
        sum((t) => t.ms),
      )} of a core`,
    );
    return result;
  }

  /**
   * Typing with chat idle, the same with chat at `rate` (its latency measured alongside), then
   * chat idle again: the idle figure is both idle spells together, so a workbench that slows down
   * as the run goes on (a longer document, a fuller heap) weighs on both sides alike.
   */
  async typingComparison(seconds: number, rate: number): Promise<TypingComparison> {
    await this.openTypingEditor();
    const before = await this._typeKeys(seconds / 2);
    let chat: TypedKeys | undefined;
    const chatLatency = await this.run(rate, seconds + 1, async () => {
      await sleep(500);
      chat = await this._typeKeys(seconds);
    });
    const after = await this._typeKeys(seconds / 2);
    this._log('  typing with chat idle, before and after the chat:');
    const idle = this._typingResult([before, after]);
    this._log(`  typing with chat at ${rate} msg/s:`);
    return { idle, chat: this._typingResult([chat!]), chatRate: rate, chatLatency };
  }

  /**
   * Changes user settings through VS Code's own settings.json editor (select all, type, save), so
   * the change reaches the extension without waiting on a file watcher (on a busy machine the
   * watcher may never fire).
   */
  async setSettings(patch: Record<string, unknown>): Promise<void> {
    const page = this.wb.page;
    const file = path.join(
      (this.wb as unknown as { _stateDir: string })._stateDir,
      'user-data',
      'User',
      'settings.json',
    );
    const merged = {
      ...(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>),
      ...patch,
    };
    await this.wb.runCommand('Preferences: Open User Settings (JSON)');
    // It may open as a tab or as a modal editor: either shows the file name.
    await page.getByText('settings.json').first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    // Cleared first: typing over a selection can wrap it in the typed bracket.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.insertText(JSON.stringify(merged));
    await page.keyboard.press('Control+S');
    const took = () => {
      try {
        const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        return Object.entries(patch).every(
          ([k, v]) => JSON.stringify(saved[k]) === JSON.stringify(v),
        );
      } catch {
        return false;
      }
    };
    for (let i = 0; !took(); i++) {
      if (i === 300) {
        await page.keyboard.press('Escape');
        throw new Error(`settings.json did not take ${JSON.stringify(patch)} within 30 s`);
      }
      await sleep(100);
    }
    await page.keyboard.press('Control+W');
    await sleep(1500);
  }

  close(): Promise<void> {
    return this.wb.close();
  }
}

/** The probes in the chat view's frame: DOM arrivals, lines received from the host, long tasks. */
async function installViewProbes(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const w = window as unknown as BenchWindow;
    w.__bench = {
      record: true,
      seqs: [],
      arrivals: [],
      received: new Set(),
      receivedAt: new Map(),
      backfilled: 0,
      snapshots: 0,
      count: 0,
      long: [],
    };
    const pattern = /bench (\d+) \d{13}/g;
    const seen = (text: string | null, now: number) => {
      if (!text || !text.includes('bench ')) return;
      for (const m of text.matchAll(pattern)) {
        w.__bench.count++;
        if (w.__bench.record) {
          w.__bench.seqs.push(Number(m[1]));
          w.__bench.arrivals.push(now);
        }
      }
    };
    // A line is shown by the first frame that paints it. A change made inside an animation frame
    // callback (as the product view makes them) is painted by that frame: stamped when it is seen.
    // A change made in any other task (as the bare renderer makes them, on the message) waits for
    // the next frame: stamped by an animation frame requested when it is seen. Both ends read the
    // same wall clock (Date.now(), as the simulators stamp each line).
    let inFrame = false;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (callback) =>
      raf((time) => {
        inFrame = true;
        try {
          callback(time);
        } finally {
          // After the MutationObserver's own microtask for this callback's changes.
          queueMicrotask(() => (inFrame = false));
        }
      });
    let waiting: Array<string | null> = [];
    new MutationObserver((records) => {
      const texts: Array<string | null> = [];
      for (const r of records) {
        if (r.type === 'characterData') texts.push((r.target as CharacterData).data);
        // Inserted before a line already there: an older line built later, above what is on
        // screen (a virtual list filling its window for scrolling up), not the line's arrival.
        else if (r.nextSibling && r.nextSibling.nodeType === Node.ELEMENT_NODE)
          for (const n of r.addedNodes)
            w.__bench.backfilled += (n.textContent ?? '').split('bench ').length - 1;
        else for (const n of r.addedNodes) texts.push(n.textContent);
      }
      if (inFrame) {
        const now = Date.now();
        for (const t of texts) seen(t, now);
        return;
      }
      if (waiting.length === 0)
        raf(() => {
          const now = Date.now();
          for (const t of waiting) seen(t, now);
          waiting = [];
        });
      waiting.push(...texts);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
    const received = (seq: number) => {
      w.__bench.received.add(seq);
      if (!w.__bench.receivedAt.has(seq)) w.__bench.receivedAt.set(seq, Date.now());
    };
    // The host posts JSON text (src/protocol/messages.ts, HostPost). The probe finds the bench's
    // lines in it by their text rather than parsing it again, which would cost the renderer work
    // the view does not do.
    const benchText = /"text":"bench (\d+) /g;
    window.addEventListener('message', (e: MessageEvent<{ json?: unknown }>) => {
      if (!w.__bench.record) return;
      const json = e.data?.json;
      if (typeof json !== 'string') return;
      const type = /^\{"type":"(\w+)"/.exec(json)?.[1];
      if (type !== 'ops' && type !== 'snapshot') return;
      if (type === 'snapshot') w.__bench.snapshots++;
      for (const m of json.matchAll(benchText)) received(Number(m[1]));
    });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__bench.long.push({ d: e.duration, name: e.name });
    }).observe({ type: 'longtask', buffered: false });
  });
}

/** The floor: latency, typing and the highest rate held, with the bare renderer. */
async function measureFloor(
  sender: ChatSender,
  extensionsDir: string,
  options: E2eOptions,
): Promise<ViewFigures> {
  options.log('  floor (bare renderer: one text node per line, no styling):');
  const session = await ChatSession.open(sender, extensionsDir, options.log);
  const rows = options.rows;
  const neither =
    rows !== undefined && !rows.has('latency') && !rows.has('typing') && !rows.has('sustained');
  const want = (row: E2eRow) => rows === undefined || neither || rows.has(row);
  try {
    await session.run(100, 2); // warm-up, not reported
    const latency = want('latency')
      ? [
          await session.run(100, options.latencySeconds),
          await session.run(1000, options.latencySeconds),
        ]
      : [];
    const typing = want('typing')
      ? await session.typingComparison(options.typingSeconds, 1000)
      : undefined;
    const { sustained, highestSustainedRate } = want('sustained')
      ? await session.highestHeld(options.sustainSeconds)
      : { sustained: [], highestSustainedRate: undefined };
    return { latency, typing, sustained, highestSustainedRate };
  } finally {
    await session.close();
  }
}

export async function runE2eBench(options: E2eOptions): Promise<E2eResult> {
  const want = (row: E2eRow) => options.rows === undefined || options.rows.has(row);
  const rows = (['latency', 'typing', 'longtasks', 'sustained', 'heap', 'dom'] as const).filter(
    want,
  );
  const sender = await ChatSender.start(path.join(__dirname, 'sender-worker.js'));
  let host: HostInspector | undefined;
  try {
    let product: Omit<E2eResult, 'floor'> = {
      rows,
      latency: [],
      typing: undefined,
      sustained: [],
      highestSustainedRate: undefined,
      longTasks: undefined,
      dom: [],
      webviewHeapMb: undefined,
      hostHeapMb: undefined,
      activationMs: undefined,
    };
    if (rows.length > 0) {
      const session = await ChatSession.open(sender, undefined, options.log);
      try {
        product = await measureProduct(session, want, rows, options);
      } finally {
        host?.close();
        host = undefined;
        await session.close();
      }
    }
    const floor = options.floorExtensionsDir
      ? await measureFloor(sender, options.floorExtensionsDir, options)
      : undefined;
    return { ...product, floor };
  } finally {
    host?.close();
    await sender.close();
  }
}

/** The product's rows, in one workbench, in the order they always ran. */
async function measureProduct(
  session: ChatSession,
  want: (row: E2eRow) => boolean,
  rows: readonly E2eRow[],
  options: E2eOptions,
): Promise<Omit<E2eResult, 'floor'>> {
  const { wb, frame } = session;
  await session.run(100, 2); // warm-up, not reported
  // STREAM_CHAT_BENCH_CPU_PROFILE=<dir>: a CPU profile of the view's renderer for each latency run.
  const profileDir = process.env.STREAM_CHAT_BENCH_CPU_PROFILE;
  // STREAM_CHAT_BENCH_TRACE=<dir>: a Chromium performance trace (style, layout, paint per task) instead.
  const traceDir = process.env.STREAM_CHAT_BENCH_TRACE;
  const profiled = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const browser = wb.page.context().browser();
    if (traceDir && browser) {
      mkdirSync(traceDir, { recursive: true });
      await browser.startTracing(wb.page, {
        path: path.join(traceDir, `${name}.trace.json`),
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc'],
      });
      try {
        return await run();
      } finally {
        await browser.stopTracing();
      }
    }
    // STREAM_CHAT_BENCH_HOST_PROFILE=<dir>: a CPU profile of the extension host instead.
    const hostProfileDir = process.env.STREAM_CHAT_BENCH_HOST_PROFILE;
    if (hostProfileDir) {
      const host = await HostInspector.attach(wb);
      try {
        const { result, profile } = await host.profile(run);
        mkdirSync(hostProfileDir, { recursive: true });
        writeFileSync(path.join(hostProfileDir, `${name}.cpuprofile`), JSON.stringify(profile));
        return result;
      } finally {
        host.close();
      }
    }
    if (!profileDir) return run();
    const { session: cdp } = await webviewSession(wb, frame);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
    try {
      return await run();
    } finally {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(profileDir, { recursive: true });
      writeFileSync(path.join(profileDir, `${name}.cpuprofile`), JSON.stringify(profile));
      await cdp.detach().catch(() => {});
    }
  };
  const latency = want('latency')
    ? [
        await profiled('latency-100', () => session.run(100, options.latencySeconds)),
        await profiled('latency-1000', () => session.run(1000, options.latencySeconds)),
      ]
    : [];

  const typing = want('typing')
    ? await session.typingComparison(options.typingSeconds, 1000)
    : undefined;

  // Long tasks during a 2,000 msg/s burst (the observer sits in the chat view's frame).
  let longTasks: E2eResult['longTasks'];
  if (want('longtasks')) {
    const burstSeconds = 10;
    await session.reset(false);
    await profiled('longtasks-2000', () => session.pump(2000, burstSeconds, false));
    await sleep(1000);
    const long = await frame.evaluate(() => (window as unknown as BenchWindow).__bench.long);
    const attribution: Record<string, number> = {};
    for (const t of long) attribution[t.name] = (attribution[t.name] ?? 0) + 1;
    longTasks = {
      rate: 2000,
      seconds: burstSeconds,
      count: long.length,
      over50: long.filter((t) => t.d > 50).length,
      maxMs: long.length ? Math.max(...long.map((t) => t.d)) : 0,
      attribution,
    };
    options.log(
      `  long tasks in a 2,000 msg/s burst: ${longTasks.count}, over 50 ms ${longTasks.over50}, longest ${longTasks.maxMs.toFixed(0)} ms`,
    );
  }

  const { sustained, highestSustainedRate } = want('sustained')
    ? await session.highestHeld(options.sustainSeconds, profiled)
    : { sustained: [], highestSustainedRate: undefined };

  // Heap: after 1,000 lines and after `heapMessages`, each after a forced GC (scrollback 1,000).
  const bulkRate = 2500;
  let webviewHeapMb: E2eResult['webviewHeapMb'];
  let hostHeapMb: E2eResult['hostHeapMb'];
  if (want('heap')) {
    const webview = await webviewSession(wb, frame);
    const host = await HostInspector.attach(wb).catch((error: unknown) => {
      options.log(
        `  host inspector unavailable: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    });
    try {
      await session.reset(false);
      const heapFirst = (await session.pump(1000, 1, false)).first;
      await sleep(2000);
      const webview1k = await heapMb(webview.session);
      const host1k = host ? await host.heapMb() : Number.NaN;
      const heapLast = (
        await session.pump(bulkRate, Math.max(1, (options.heapMessages - 1000) / bulkRate), false)
      ).last;
      await sleep(3000);
      // Lines posted, not lines built: a virtualised view builds only what comes on screen.
      const posted = heapLast - heapFirst;
      const built = await frame.evaluate(() => (window as unknown as BenchWindow).__bench.count);
      const webview100k = await heapMb(webview.session);
      const host100k = host ? await host.heapMb() : Number.NaN;
      options.log(
        `  heap: webview ${webview1k.toFixed(1)} → ${webview100k.toFixed(1)} MB, host ${host1k.toFixed(1)} → ${host100k.toFixed(1)} MB after ${posted} lines (${built} built in the DOM)`,
      );
      webviewHeapMb = {
        after1k: webview1k,
        after100k: webview100k,
        messages: posted,
        how: webview.how,
      };
      hostHeapMb = {
        after1k: host1k,
        after100k: host100k,
        how: host
          ? 'SIGUSR1 → Node inspector of the extension host process; HeapProfiler.collectGarbage, Runtime.getHeapUsage'
          : 'unavailable',
      };
    } finally {
      host?.close();
    }
  }

  // DOM size against the scrollback setting: the view should hold a window, not the scrollback.
  const dom: DomCount[] = [];
  if (want('dom')) {
    for (const scrollback of options.domScrollbacks) {
      try {
        await session.setSettings({ 'streamChat.scrollback': scrollback });
      } catch (error) {
        options.log(
          `  DOM at scrollback ${scrollback}: not measured (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
        );
        break;
      }
      const lines = Math.min(options.domMaxLines, scrollback + Math.max(100, scrollback / 10));
      await session.pump(bulkRate, lines / bulkRate, false);
      await sleep(3000);
      const elements = await frame.evaluate(() => document.getElementsByTagName('*').length);
      dom.push({ scrollback, lines: Math.round(lines), elements });
      options.log(
        `  DOM at scrollback ${scrollback}: ${elements} elements after ${Math.round(lines)} lines`,
      );
    }
  }

  return {
    rows,
    latency,
    typing,
    sustained,
    highestSustainedRate,
    longTasks,
    dom,
    webviewHeapMb,
    hostHeapMb,
    activationMs: readActivationMs(wb),
  };
}

async function findChatFrame(wb: Workbench): Promise<Frame> {
  for (let i = 0; i < 50; i++) {
    for (const f of wb.page.frames()) {
      if (await f.evaluate(() => !!document.getElementById('timeline')).catch(() => false))
        return f;
    }
    await sleep(200);
  }
  throw new Error('no chat frame');
}

/** The chat frame's own CDP session when it is out of process; otherwise the page's (same renderer isolate). */
async function webviewSession(
  wb: Workbench,
  frame: Frame,
): Promise<{ session: CDPSession; how: string }> {
  try {
    return {
      session: await wb.page.context().newCDPSession(frame),
      how: 'CDP session of the webview frame (its own renderer): HeapProfiler.collectGarbage, Runtime.getHeapUsage',
    };
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
    const serverPid = wb.serverPid;
    const pid = serverPid === undefined ? undefined : extensionHostPid(serverPid);
    if (!pid) throw new Error('no extension host process found under code-server');
    const before = inspectorPorts();
    process.kill(pid, 'SIGUSR1');
    let url: string | undefined;
    for (let i = 0; i < 50 && !url; i++) {
      await sleep(100);
      for (const port of [9229, ...inspectorPorts().filter((p) => !before.includes(p))]) {
        const list = await fetch(`http://127.0.0.1:${port}/json/list`)
          .then((r) => r.json() as Promise<Array<{ webSocketDebuggerUrl: string }>>)
          .catch(() => undefined);
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

  /** A CPU profile of the extension host while `run` runs. */
  async profile<T>(run: () => Promise<T>): Promise<{ result: T; profile: unknown }> {
    await this._send('Profiler.enable');
    await this._send('Profiler.start');
    const result = await run();
    const { profile } = (await this._send('Profiler.stop')) as { profile: unknown };
    return { result, profile };
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
  return descendants(procRows(), root).find((r) => /extensionHost/.test(r.args))?.pid;
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
