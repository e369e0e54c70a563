// `npm run soak [-- --minutes N] [--rate R]`: bundles bench/soak.ts (esbuild, like the tests) and
// runs it under `node --expose-gc` so it can measure the heap after GC. Exit code is the soak's.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';

await esbuild.build({
  entryPoints: ['bench/soak.ts'],
  outfile: 'out/bench/soak.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
  // One `ws` for simulators, clients and the soak's wire tap.
  external: ['ws'],
});
const result = spawnSync(process.execPath, ['--expose-gc', '--enable-source-maps', 'out/bench/soak.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
