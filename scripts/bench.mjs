// `npm run bench [-- --quick] [--decode-only] [--only=<rows>]`: packages the extension (production
// bundles and the .vsix, as `npm run package` does), installs the .vsix into a fresh extensions dir
// with code-server's own --install-extension (as the UI tests do), installs it again with the
// bench's bare renderer as the floor, bundles bench/*.ts and runs it.
// `--only=` runs some rows: decode, secrets, screenguard, coderefs, cold (no code-server), latency,
// typing, longtasks, sustained, heap, dom (the product in code-server), floor (the bare renderer's
// latency, typing and highest rate held: those chosen, all three when none is); e.g.
// `npm run bench -- --quick --only=latency,floor`. Steps no chosen row
// needs (packaging, installs) are skipped.
// Prints a table; writes bench-results/latest.json (with --only=, bench-results/partial.tmp).
import * as esbuild from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NODE_BUNDLE } from './node-bundle.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const decodeOnly = args.includes('--decode-only');
const only = args
  .filter((a) => a.startsWith('--only='))
  .flatMap((a) => a.slice('--only='.length).split(','))
  .map((s) => s.trim().toLowerCase())
  .filter(Boolean);
const E2E_ROWS = ['latency', 'typing', 'longtasks', 'sustained', 'heap', 'dom'];
const wants = (row) => only.length === 0 || only.includes(row);
const wantsProduct = !decodeOnly && E2E_ROWS.some(wants);
const wantsFloor = !decodeOnly && wants('floor');
const wantsPackage = wantsProduct || wantsFloor || wants('cold');
if (wantsProduct || wantsFloor)
  execFileSync('bash', ['scripts/rig/setup.sh'], { stdio: 'inherit' });
if (wantsPackage) packageExtension();

function packageExtension() {
  try {
    execFileSync('npm', ['run', '--silent', 'package'], { stdio: 'inherit' });
  } catch {
    // vsce refuses relative README images when it cannot tell the repository; the bytes are the same with explicit bases.
    console.log(
      'bench: `npm run package` failed; packaging with explicit --baseContentUrl/--baseImagesUrl instead',
    );
    execFileSync(process.execPath, ['esbuild.mjs', '--production'], { stdio: 'inherit' });
    execFileSync(
      'npx',
      [
        'vsce',
        'package',
        '--no-dependencies',
        '--baseContentUrl',
        'https://example.invalid/',
        '--baseImagesUrl',
        'https://example.invalid/',
      ],
      { stdio: 'inherit' },
    );
  }
}

let extensionsDir;
let floorDir;
let stateDir;
if (wantsProduct || wantsFloor) {
  const rig = require('./rig/paths.cjs');
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
  stateDir = mkdtempSync(path.join(tmpdir(), 'stream-chat-bench-install-'));
  const install = (prefix) => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    execFileSync(
      rig.codeServer,
      rig.installExtensionArgs({
        extensionsDir: dir,
        userDataDir: path.join(stateDir, 'u'),
        vsixes: [path.resolve(`stream-chat-${version}.vsix`)],
      }),
      {
        env: rig.codeServerEnv(stateDir),
        stdio: 'ignore',
      },
    );
    return dir;
  };
  if (wantsProduct) extensionsDir = install('stream-chat-bench-ext-');
  // The floor: the same .vsix with the bare renderer (bench/bareView.ts) in place of the view's
  // bundle and an empty stylesheet. The host, protocol and CSP are the product's.
  if (wantsFloor) floorDir = install('stream-chat-bench-floor-');
}
if (floorDir) {
  const installed = readdirSync(floorDir).find((name) =>
    name.startsWith('stream-chat.stream-chat-'),
  );
  if (!installed) throw new Error(`bench: the .vsix did not install into ${floorDir}`);
  await esbuild.build({
    entryPoints: ['bench/bareView.ts'],
    outfile: path.join(floorDir, installed, 'dist', 'webview.js'),
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    logLevel: 'warning',
    allowOverwrite: true,
  });
  writeFileSync(path.join(floorDir, installed, 'dist', 'webview-style.css'), '');
}

await esbuild.build({
  ...NODE_BUNDLE,
  entryPoints: ['bench/main.ts'],
  outfile: 'out/bench/bench.js',
  // One `ws` for simulators and the corpus recorder's tap; playwright-core stays a package.
  // esbuild runs its own binary, found relative to its package: it cannot be bundled.
  external: ['ws', 'playwright-core', 'esbuild'],
});
// The simulators and the sender run on a worker thread of their own (bench/chatSender.ts).
await esbuild.build({
  ...NODE_BUNDLE,
  entryPoints: ['bench/senderWorker.ts'],
  outfile: 'out/bench/sender-worker.js',
  external: ['ws'],
});
const result = spawnSync(
  process.execPath,
  ['--expose-gc', '--enable-source-maps', 'out/bench/bench.js', ...args],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      ...(extensionsDir ? { STREAM_CHAT_UI_EXTENSIONS_DIR: extensionsDir } : {}),
      ...(floorDir ? { STREAM_CHAT_BENCH_FLOOR_EXTENSIONS_DIR: floorDir } : {}),
    },
  },
);
for (const dir of [extensionsDir, floorDir, stateDir])
  if (dir) rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);
