// `npm run bench [-- --quick] [--decode-only]`: packages the extension (production bundles and the
// .vsix, as `npm run package` does), installs the .vsix into a fresh extensions dir with
// code-server's own --install-extension (as the UI tests do), bundles bench/*.ts and runs it.
// Prints a table; writes bench-results/latest.json.
import * as esbuild from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const decodeOnly = args.includes('--decode-only');
if (!decodeOnly) execFileSync('bash', ['scripts/rig/setup.sh'], { stdio: 'inherit' });
try {
  execFileSync('npm', ['run', '--silent', 'package'], { stdio: 'inherit' });
} catch {
  // vsce refuses relative README images when it cannot tell the repository; the bytes are the same with explicit bases.
  console.log('bench: `npm run package` failed; packaging with explicit --baseContentUrl/--baseImagesUrl instead');
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { stdio: 'inherit' });
  execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--baseContentUrl', 'https://example.invalid/', '--baseImagesUrl', 'https://example.invalid/'], { stdio: 'inherit' });
}

let extensionsDir;
let stateDir;
if (!decodeOnly) {
  const rig = require('./rig/paths.cjs');
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
  extensionsDir = mkdtempSync(path.join(tmpdir(), 'stream-chat-bench-ext-'));
  stateDir = mkdtempSync(path.join(tmpdir(), 'stream-chat-bench-install-'));
  execFileSync(rig.codeServer, ['--extensions-dir', extensionsDir, '--user-data-dir', path.join(stateDir, 'u'), '--install-extension', path.resolve(`stream-chat-${version}.vsix`), '--force'], {
    env: rig.codeServerEnv(stateDir),
    stdio: 'ignore',
  });
}

await esbuild.build({
  entryPoints: ['bench/main.ts'],
  outfile: 'out/bench/bench.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
  // One `ws` for simulators and the corpus recorder's tap; playwright-core stays a package.
  external: ['ws', 'playwright-core'],
});
const result = spawnSync(process.execPath, ['--expose-gc', '--enable-source-maps', 'out/bench/bench.js', ...args], {
  stdio: 'inherit',
  env: { ...process.env, ...(extensionsDir ? { STREAM_CHAT_UI_EXTENSIONS_DIR: extensionsDir } : {}) },
});
for (const dir of [extensionsDir, stateDir]) if (dir) rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);
