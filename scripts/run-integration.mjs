// Extension-host integration tests: mocha suites run by @vscode/test-electron's runTests, inside
// code-server (the real VS Code workbench and Node extension host) through the stand-in executable.
import { runTests } from '@vscode/test-electron';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const rig = require('./rig/paths.cjs');
rig.assertRig();
execFileSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/build-tests.mjs'], { stdio: 'inherit' });

const userDataDir = mkdtempSync(path.join(tmpdir(), 'stream-chat-it-'));
try {
  await runTests({
    vscodeExecutablePath: path.join(rig.root, 'scripts/rig/code-shim.cjs'),
    extensionDevelopmentPath: rig.root,
    extensionTestsPath: path.join(rig.root, 'out/test/integration/index.js'),
    launchArgs: [path.join(rig.root, 'test/fixtures/workspace'), `--user-data-dir=${userDataDir}`],
    extensionTestsEnv: { STREAM_CHAT_TEST: '1', STREAM_CHAT_TEST_GREP: process.env.STREAM_CHAT_TEST_GREP ?? '' },
  });
} catch (e) {
  console.error('integration tests failed:', e instanceof Error ? e.message : e);
  process.exit(1);
}
