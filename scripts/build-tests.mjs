// Bundles the extension-host integration suite and the UI suite (TypeScript) into out/test/,
// one file per test file, so mocha (inside VS Code) and node:test (Playwright) can load them.
import * as esbuild from 'esbuild';
import { globSync } from 'glob';
import { existsSync, rmSync } from 'node:fs';
import { NODE_BUNDLE } from './node-bundle.mjs';

rmSync('out/test', { recursive: true, force: true });
await esbuild.build({
  ...NODE_BUNDLE,
  entryPoints: globSync('test/integration/**/*.ts'),
  outbase: 'test/integration',
  outdir: 'out/test/integration',
  external: ['vscode', 'mocha'],
});
await esbuild.build({
  ...NODE_BUNDLE,
  entryPoints: [
    ...globSync('test/ui/**/*.ts'),
    ...(existsSync('test/simulators/cli.ts') ? ['test/simulators/cli.ts'] : []),
  ],
  outbase: 'test',
  outdir: 'out/test',
  external: ['playwright-core'],
});
