// CPU time by process during a bench run, read from /proc: on two shared cores the latency tails
// move from run to run, while the CPU each part of the pipe spends per line moves much less, so it
// says where a change saved work. Linux only; elsewhere every figure reads as unavailable.
import { readFileSync, readdirSync } from 'node:fs';

/** The parts of the pipe a bench run reports CPU for. */
export type CpuPart = 'renderer' | 'gpu' | 'browser' | 'extensionHost' | 'server' | 'bench';

export const CPU_PARTS: readonly CpuPart[] = [
  'renderer',
  'gpu',
  'browser',
  'extensionHost',
  'server',
  'bench',
];

/** CPU milliseconds per part, at one moment. */
export type CpuSample = Record<CpuPart, number>;

export interface ProcRow {
  readonly pid: number;
  readonly ppid: number;
  /** user + system time, in clock ticks. */
  readonly ticks: number;
  readonly args: string;
}

// `getconf CLK_TCK` is 100 on every Linux this runs on (the kernel's USER_HZ).
const MS_PER_TICK = 10;

export function procRows(): ProcRow[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const rows: ProcRow[] = [];
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      rows.push({
        pid: Number(pid),
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
        args,
      });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return rows;
}

/** `root` and every process under it. */
export function descendants(rows: readonly ProcRow[], root: number): ProcRow[] {
  const ours = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows)
      if (ours.has(r.ppid) && !ours.has(r.pid)) {
        ours.add(r.pid);
        grew = true;
      }
  }
  return rows.filter((r) => ours.has(r.pid));
}

/**
 * The CPU used so far by Chromium (launched by this process: its renderers hold the workbench and
 * the chat view, on one main thread), by code-server's process tree and by this process (the
 * simulators and the Playwright driver).
 */
export function sampleCpu(serverPid: number | undefined): CpuSample {
  const sample: CpuSample = {
    renderer: 0,
    gpu: 0,
    browser: 0,
    extensionHost: 0,
    server: 0,
    bench: 0,
  };
  const rows = procRows();
  const server = serverPid === undefined ? [] : descendants(rows, serverPid);
  const inServer = new Set(server.map((r) => r.pid));
  for (const r of server)
    sample[/extensionHost/.test(r.args) ? 'extensionHost' : 'server'] += r.ticks * MS_PER_TICK;
  for (const r of descendants(rows, process.pid)) {
    if (r.pid === process.pid || inServer.has(r.pid) || !/chrom/i.test(r.args)) continue;
    const part: CpuPart = r.args.includes('--type=renderer')
      ? 'renderer'
      : r.args.includes('--type=gpu-process')
        ? 'gpu'
        : 'browser';
    sample[part] += r.ticks * MS_PER_TICK;
  }
  const own = process.cpuUsage();
  sample.bench = (own.user + own.system) / 1000;
  return sample;
}

/** A sample made part by part from `f` (of each part's name). */
function perPart(f: (part: CpuPart) => number): CpuSample {
  return Object.fromEntries(CPU_PARTS.map((part) => [part, f(part)])) as CpuSample;
}

/** CPU per part between two samples. */
export function cpuBetween(before: CpuSample, after: CpuSample): CpuSample {
  return perPart((p) => Math.max(0, after[p] - before[p]));
}

/** Two spells' CPU together. */
export function cpuSum(a: CpuSample, b: CpuSample): CpuSample {
  return perPart((p) => a[p] + b[p]);
}

/** What a run spent beyond `idle` (a sample of the same processes with chat idle) scaled by `times` its length. */
export function aboveIdle(spent: CpuSample, idle: CpuSample, times: number): CpuSample {
  return perPart((p) => Math.max(0, spent[p] - idle[p] * times));
}

/** CPU per part per 1,000 lines. */
export function perThousand(spent: CpuSample, lines: number): CpuSample {
  return perPart((p) => (lines > 0 ? (spent[p] * 1000) / lines : Number.NaN));
}

/** What each part is called in the bench's output. */
const PART_NAMES: Record<CpuPart, string> = {
  renderer: 'renderer',
  gpu: 'GPU',
  browser: 'browser',
  extensionHost: 'extension host',
  server: 'code-server',
  bench: 'simulators + driver',
};

/** e.g. "renderer 367, GPU 52, …; all 917", in ms; `unit` follows each figure (e.g. "%"). */
export function formatCpu(sample: CpuSample, unit = ''): string {
  const n = (v: number) =>
    `${Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a'}${unit}`;
  const total = CPU_PARTS.reduce((sum, part) => sum + sample[part], 0);
  return `${CPU_PARTS.map((p) => `${PART_NAMES[p]} ${n(sample[p])}`).join(', ')}; all ${n(total)}`;
}

/** e.g. "renderer 41%, GPU 3%, …" of one core over `ms`. */
export function formatCpuShare(spent: CpuSample, ms: number): string {
  return formatCpu(
    perPart((p) => (100 * spent[p]) / ms),
    '%',
  );
}
