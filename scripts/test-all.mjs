// `npm test`: every tier in order (lint, typecheck, unit + protocol, integration in VS Code,
// UI in VS Code, a short soak), each tier's counts, and a closing total line. Installs the VS
// Code rig first when it is missing (idempotent), so a fresh machine needs only `npm ci`.
import { spawn } from 'node:child_process';

const tiers = [
  { name: 'rig', cmd: 'bash', args: ['scripts/rig/setup.sh'] },
  { name: 'lint', cmd: 'npx', args: ['eslint', '.'] },
  { name: 'typecheck', cmd: 'npm', args: ['run', '--silent', 'typecheck'] },
  { name: 'unit', cmd: 'npx', args: ['vitest', 'run'], count: vitestCounts },
  {
    name: 'integration',
    cmd: 'node',
    args: ['scripts/run-integration.mjs'],
    count: plainCounts('integration'),
  },
  { name: 'ui', cmd: 'node', args: ['scripts/run-ui.mjs'], count: nodeTestCounts },
  {
    name: 'soak',
    cmd: 'node',
    args: ['scripts/soak.mjs', '--minutes', '2'],
    count: plainCounts('soak'),
    optional: 'scripts/soak.mjs',
  },
];

function vitestCounts(out) {
  const line = out.split('\n').find((l) => /^\s*Tests\s/.test(strip(l)));
  if (!line) return undefined;
  const s = strip(line);
  return { passed: num(/(\d+) passed/, s), failed: num(/(\d+) failed/, s) };
}
function plainCounts(label) {
  return (out) => {
    // Integration runs in two launches (two workspaces): each prints its own line, summed here.
    const all = [
      ...strip(out).matchAll(new RegExp(`^${label}: (\\d+) passed, (\\d+) failed`, 'gm')),
    ];
    if (all.length === 0) return undefined;
    return {
      passed: all.reduce((n, m) => n + Number(m[1]), 0),
      failed: all.reduce((n, m) => n + Number(m[2]), 0),
    };
  };
}
function nodeTestCounts(out) {
  const s = strip(out);
  if (!/ℹ pass \d+/.test(s)) return undefined;
  return {
    passed: num(/ℹ pass (\d+)/, s),
    failed: num(/ℹ fail (\d+)/, s) + num(/ℹ cancelled (\d+)/, s),
  };
}
const num = (re, s) => Number(re.exec(s)?.[1] ?? 0);
// eslint-disable-next-line no-control-regex
const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

function run(tier) {
  return new Promise((resolve) => {
    const child = spawn(tier.cmd, tier.args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let out = '';
    const onData = (stream) => (chunk) => {
      out += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const { existsSync } = await import('node:fs');
const summary = [];
let failedTier;
for (const tier of tiers) {
  if (tier.optional && !existsSync(tier.optional)) continue;
  const started = Date.now();
  console.log(`\n=== ${tier.name} ===`);
  const { code, out } = await run(tier);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const counts = tier.count?.(out);
  summary.push({ tier: tier.name, code, counts, seconds });
  if (tier.count && !counts) {
    failedTier = `${tier.name} (no test counts found)`;
    break;
  }
  if (code !== 0) {
    failedTier = tier.name;
    break;
  }
}

console.log('\n=== summary ===');
let passed = 0;
let failed = 0;
for (const s of summary) {
  if (s.counts) {
    passed += s.counts.passed;
    failed += s.counts.failed;
    console.log(`${s.tier}: ${s.counts.passed} passed, ${s.counts.failed} failed (${s.seconds} s)`);
  } else {
    console.log(`${s.tier}: ${s.code === 0 ? 'ok' : 'FAILED'} (${s.seconds} s)`);
  }
}
if (failedTier) console.log(`stopped at: ${failedTier}`);
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(failedTier || failed > 0 ? 1 : 0);
