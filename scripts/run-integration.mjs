// Extension-host integration tests: mocha suites run by @vscode/test-electron's runTests, inside
// code-server (the real VS Code workbench and Node extension host) through the stand-in executable.
import { runTests } from '@vscode/test-electron';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const rig = require('./rig/paths.cjs');
rig.assertRig();
execFileSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/build-tests.mjs'], { stdio: 'inherit' });

const grep = process.env.STREAM_CHAT_TEST_GREP ?? '';
// Two launches: the ordinary workspace, then a copy of the foreign one (its suites change its
// .vscode/settings.json, and it must start with connectOnStartup on) for the suites under foreign/.
const launches = [
  { workspace: path.join(rig.root, 'test/fixtures/workspace'), kind: 'ordinary' },
  { workspace: path.join(rig.root, 'test/fixtures/foreign-workspace'), kind: 'foreign' },
];
let failed = false;
for (const launch of launches) {
  // A grep for one suite skips the launch that cannot have it.
  if (
    grep &&
    launch.kind === 'foreign' &&
    !new RegExp(grep).test('Token origins (foreign workspace)')
  )
    continue;
  if (grep && launch.kind === 'ordinary' && /^Token origins/.test(grep)) continue;
  let workspace = launch.workspace;
  if (launch.kind === 'foreign') {
    workspace = path.join(mkdtempSync(path.join(tmpdir(), 'stream-chat-foreign-')), 'workspace');
    cpSync(launch.workspace, workspace, { recursive: true });
  }
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'stream-chat-it-'));
  try {
    await runTests({
      vscodeExecutablePath: path.join(rig.root, 'scripts/rig/code-shim.cjs'),
      extensionDevelopmentPath: rig.root,
      extensionTestsPath: path.join(rig.root, 'out/test/integration/index.js'),
      launchArgs: [workspace, `--user-data-dir=${userDataDir}`],
      extensionTestsEnv: {
        STREAM_CHAT_TEST: '1',
        STREAM_CHAT_TEST_GREP: grep,
        STREAM_CHAT_TEST_WORKSPACE: launch.kind,
      },
    });
  } catch (e) {
    console.error(
      `integration tests (${launch.kind} workspace) failed:`,
      e instanceof Error ? e.message : e,
    );
    failed = true;
  }
}
if (failed) process.exit(1);
