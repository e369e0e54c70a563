// `npm run bench [-- --quick] [--decode-only]`: measures, prints a table with the targets next to
// the figures (and by how much a target is missed), writes bench-results/latest.json. A benchmark
// measures; nothing here passes or fails on time. scripts/bench.mjs packages the extension first
// (production bundles + .vsix) and installs it for the code-server part.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { gzipSync } from 'node:zlib';
import { DecodeResult, runDecodeBench } from './decode';
import { E2eResult, runE2eBench } from './e2e';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const decodeOnly = args.includes('--decode-only');
const log = (s: string) => console.log(s);
const n0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

interface Row {
  readonly measure: string;
  readonly figure: string;
  readonly target: string;
  readonly verdict: string;
}

/** "met", or how far off: `missed by X (Y%)`. */
function verdict(value: number | undefined, target: number, better: 'lower' | 'higher', unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return 'not measured';
  const ok = better === 'lower' ? value < target : value >= target;
  if (ok) return 'met';
  const off = Math.abs(value - target);
  return `missed by ${off.toFixed(off < 10 ? 1 : 0)} ${unit} (${((off / target) * 100).toFixed(0)}%)`;
}

async function main(): Promise<void> {
  const started = new Date();
  console.log(`Stream Chat benchmarks${quick ? ' (quick)' : ''}: ${started.toISOString()}, node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'})`);

  console.log('\nDecode throughput (recorded simulator frames → ChatMessage; official client path in the same run)');
  const decode: DecodeResult[] = await runDecodeBench({ framesPerPlatform: 4000, rounds: quick ? 3 : 7, roundMs: quick ? 300 : 700, log });

  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const extension = readFileSync('dist/extension.js');
  const webview = readFileSync('dist/webview.js');
  const vsixBytes = statSync(`stream-chat-${version}.vsix`).size;
  const cold = { extensionBundleBytes: extension.length, extensionBundleGzipBytes: gzipSync(extension).length, webviewBundleBytes: webview.length, webviewBundleGzipBytes: gzipSync(webview).length, vsixBytes };

  let e2e: E2eResult | undefined;
  if (!decodeOnly) {
    console.log('\nEnd to end in code-server + Chromium (all platforms at once)');
    e2e = await runE2eBench({ sustainSeconds: quick ? 10 : 60, latencySeconds: quick ? 5 : 10, heapMessages: quick ? 20_000 : 100_000, log });
  }

  const rows: Row[] = [];
  for (const d of decode) {
    rows.push({
      measure: `Decode ${d.platform} (frames/s)`,
      figure: `${n0(d.oursFramesPerSecond)}${d.official ? ` vs ${n0(d.official.framesPerSecond)} official (×${d.ratio!.toFixed(2)})` : ' (no official client)'}`,
      target: d.official ? 'not slower than official' : '—',
      verdict: d.ratio === undefined ? '—' : d.ratio >= 1 ? 'met' : `missed: ${((1 - d.ratio) * 100).toFixed(0)}% slower`,
    });
    if (d.official && d.oursParseOnlyFramesPerSecond) {
      const ratio = d.oursParseOnlyFramesPerSecond / d.official.framesPerSecond;
      rows.push({
        measure: `Decode ${d.platform}, frame parse only (like for like)`,
        figure: `${n0(d.oursParseOnlyFramesPerSecond)} vs ${n0(d.official.framesPerSecond)} official (×${ratio.toFixed(2)})`,
        target: 'not slower than official',
        verdict: ratio >= 1 ? 'met' : `missed: ${((1 - ratio) * 100).toFixed(0)}% slower`,
      });
    }
  }
  if (e2e) {
    for (const l of e2e.latency) {
      rows.push({
        measure: `Latency at ${n0(l.rate)} msg/s, ${l.seconds} s (p50/p95/p99)`,
        figure: `${n0(l.p50)} / ${n0(l.p95)} / ${n0(l.p99)} ms (${n0(l.shown)}/${n0(l.sent)} shown)`,
        target: l.rate === 1000 ? 'p99 < 100 ms' : '—',
        verdict: l.rate === 1000 ? verdict(l.p99, 100, 'lower', 'ms') : '—',
      });
    }
    for (const s of e2e.sustained) {
      rows.push({ measure: `Sustained ${n0(s.rate)} msg/s for ${s.seconds} s (p99)`, figure: `${n0(s.p99)} ms, ${n0(s.shown)}/${n0(s.sent)} shown`, target: 'p99 < 250 ms, ≥ 99% shown', verdict: s.p99 < 250 && s.shown >= s.sent * 0.99 ? 'sustained' : 'not sustained' });
    }
    rows.push({ measure: 'Highest sustained rate', figure: `${n0(e2e.highestSustainedRate)} msg/s`, target: '5,000 msg/s', verdict: verdict(e2e.highestSustainedRate, 5000, 'higher', 'msg/s') });
    rows.push({ measure: `Long tasks in a 2,000 msg/s burst (${e2e.longTasks.seconds} s)`, figure: `${e2e.longTasks.count} (${e2e.longTasks.over50} over 50 ms, longest ${n0(e2e.longTasks.maxMs)} ms)`, target: 'none over 50 ms', verdict: verdict(e2e.longTasks.maxMs, 50, 'lower', 'ms') });
    const wv = e2e.webviewHeapMb.after100k - e2e.webviewHeapMb.after1k;
    rows.push({ measure: `Webview heap, 1k → ${n0(e2e.webviewHeapMb.messages)} lines`, figure: `${e2e.webviewHeapMb.after1k.toFixed(1)} → ${e2e.webviewHeapMb.after100k.toFixed(1)} MB (${wv >= 0 ? '+' : ''}${wv.toFixed(1)} MB)`, target: '< 10 MB growth', verdict: verdict(wv, 10, 'lower', 'MB') });
    const hh = e2e.hostHeapMb.after100k - e2e.hostHeapMb.after1k;
    rows.push({ measure: 'Extension host heap, same run', figure: `${e2e.hostHeapMb.after1k.toFixed(1)} → ${e2e.hostHeapMb.after100k.toFixed(1)} MB (${hh >= 0 ? '+' : ''}${hh.toFixed(1)} MB)`, target: '< 10 MB growth', verdict: verdict(hh, 10, 'lower', 'MB') });
    rows.push({ measure: 'Activation (code-server, "activated in" log line)', figure: e2e.activationMs === undefined ? 'n/a' : `${e2e.activationMs.toFixed(1)} ms`, target: '< 20 ms', verdict: verdict(e2e.activationMs, 20, 'lower', 'ms') });
  }
  rows.push({ measure: 'Extension bundle (minified, with deps)', figure: `${kb(cold.extensionBundleBytes)} (${kb(cold.extensionBundleGzipBytes)} gzip)`, target: '< 250 KB', verdict: verdict(cold.extensionBundleBytes / 1024, 250, 'lower', 'KB') });
  rows.push({ measure: 'Webview bundle (minified)', figure: `${kb(cold.webviewBundleBytes)} (${kb(cold.webviewBundleGzipBytes)} gzip)`, target: '—', verdict: '—' });
  rows.push({ measure: '.vsix', figure: kb(cold.vsixBytes), target: '< 1 MB', verdict: verdict(cold.vsixBytes / 1024, 1024, 'lower', 'KB') });

  console.log('');
  console.table(rows);

  mkdirSync('bench-results', { recursive: true });
  const result = { date: started.toISOString(), quick, decodeOnly, node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, decode, cold, e2e, table: rows };
  writeFileSync('bench-results/latest.json', JSON.stringify(result, null, 2) + '\n');
  console.log('wrote bench-results/latest.json');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
