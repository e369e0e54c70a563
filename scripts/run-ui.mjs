// UI tests: packages the extension (npm run package), installs the .vsix into a fresh extensions
// dir with code-server's own --install-extension (the same path a user takes), then runs the
// Playwright suites (node:test) against code-server one file at a time.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { globSync } from 'glob';

const require = createRequire(import.meta.url);
const rig = require('./rig/paths.cjs');
rig.assertRig();

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const vsix = path.resolve(`stream-chat-${version}.vsix`);
if (!process.env.UI_SKIP_PACKAGE || !existsSync(vsix)) {
  execFileSync('npm', ['run', '--silent', 'package'], { stdio: 'inherit' });
}
execFileSync(process.execPath, ['scripts/build-tests.mjs'], { stdio: 'inherit' });

const extensionsDir = mkdtempSync(path.join(tmpdir(), 'stream-chat-ui-ext-'));
const stateDir = mkdtempSync(path.join(tmpdir(), 'stream-chat-ui-install-'));
execFileSync(
  rig.codeServer,
  rig.installExtensionArgs({
    extensionsDir,
    userDataDir: path.join(stateDir, 'u'),
    vsixes: [vsix],
  }),
  {
    env: rig.codeServerEnv(stateDir),
    stdio: 'inherit',
  },
);

// Test files by their source (test/ui/x.test.ts) or bundle (out/test/ui/x.test.js) path.
const files =
  process.argv.slice(2).length > 0
    ? process.argv.slice(2).map((f) => f.replace(/^(?:\.\/)?test\/(.*)\.ts$/, 'out/test/$1.js'))
    : globSync('out/test/ui/**/*.test.js').sort();
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  {
    stdio: 'inherit',
    env: { ...process.env, STREAM_CHAT_UI_EXTENSIONS_DIR: extensionsDir },
  },
);
rmSync(extensionsDir, { recursive: true, force: true });
rmSync(stateDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
