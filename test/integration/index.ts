// Runs the mocha suites inside the extension host (the entry test-electron loads).
import { globSync } from 'glob';
import Mocha from 'mocha';
import * as path from 'node:path';

export function run(): Promise<void> {
  // STREAM_CHAT_TEST_GREP runs a subset (the benchmark reads the activation time this way).
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 30_000,
    reporter: 'spec',
    grep: process.env.STREAM_CHAT_TEST_GREP || undefined,
  });
  // The suites under foreign/ need their own workspace (test/fixtures/foreign-workspace), so they
  // run in a second VS Code launch of their own (scripts/run-integration.mjs).
  const foreign = process.env.STREAM_CHAT_TEST_WORKSPACE === 'foreign';
  const files = globSync('**/*.test.js', { cwd: __dirname }).filter(
    (f) => f.startsWith('foreign/') === foreign,
  );
  for (const file of files.sort()) mocha.addFile(path.resolve(__dirname, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats;
      // The plain closing line the test-all script (and CI) read.
      console.log(`integration: ${stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} integration tests failed`));
      else if ((stats?.passes ?? 0) === 0) reject(new Error('no integration test ran'));
      else resolve();
    });
  });
}
