// The one way the bench, soak and secret-evaluation scripts bundle a TypeScript entry for Node
// (esbuild, like the tests) and run it with source maps; the exit code is the bundle's.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';

/** esbuild options shared by every Node bundle these scripts make. */
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
};

/** Bundles `build` (esbuild options with `outfile`), runs it with `nodeArgs` and `args`, exits with its status. */
export async function bundleAndRun(build, { nodeArgs = [], args = [], env = process.env } = {}) {
  await esbuild.build({ ...NODE_BUNDLE, ...build });
  const result = spawnSync(
    process.execPath,
    [...nodeArgs, '--enable-source-maps', build.outfile, ...args],
    { stdio: 'inherit', env },
  );
  process.exit(result.status ?? 1);
}
