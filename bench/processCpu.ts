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

/** CPU per part between two samples. */
export function cpuBetween(before: CpuSample, after: CpuSample): CpuSample {
  const spent = { ...after };
  for (const part of CPU_PARTS) spent[part] = Math.max(0, after[part] - before[part]);
  return spent;
}

/** Two spells' CPU together. */
export function cpuSum(a: CpuSample, b: CpuSample): CpuSample {
  const sum = { ...a };
  for (const part of CPU_PARTS) sum[part] = a[part] + b[part];
  return sum;
}

/** What a run spent beyond `idle` (a sample of the same processes with chat idle) scaled by `times` its length. */
export function aboveIdle(spent: CpuSample, idle: CpuSample, times: number): CpuSample {
  const above = { ...spent };
  for (const part of CPU_PARTS) above[part] = Math.max(0, spent[part] - idle[part] * times);
  return above;
}

/** CPU per part per 1,000 lines. */
export function perThousand(spent: CpuSample, lines: number): CpuSample {
  const per = { ...spent };
  for (const part of CPU_PARTS) per[part] = lines > 0 ? (spent[part] * 1000) / lines : Number.NaN;
  return per;
}

/** e.g. "renderer 412, gpu 80, … ms CPU per 1,000 lines". */
export function formatCpuPerLines(spent: CpuSample, lines: number): string {
  if (lines <= 0) return 'no lines';
  const per = (ms: number) => ((ms * 1000) / lines).toFixed(0);
  const total = CPU_PARTS.reduce((sum, part) => sum + spent[part], 0);
  return `${CPU_PARTS.map((p) => `${p} ${per(spent[p])}`).join(', ')}; all ${per(total)} ms CPU per 1,000 lines`;
}

/** e.g. "renderer 41%, gpu 3%, …" of one core over `ms`. */
export function formatCpuShare(spent: CpuSample, ms: number): string {
  return CPU_PARTS.map((p) => `${p} ${((100 * spent[p]) / ms).toFixed(0)}%`).join(', ');
}
