// `npm run soak [-- --minutes N] [--rate R]`: bundles bench/soak.ts (esbuild, like the tests) and
// runs it under `node --expose-gc` so it can measure the heap after GC. Exit code is the soak's.
import { bundleAndRun } from './node-bundle.mjs';

await bundleAndRun(
  {
    entryPoints: ['bench/soak.ts'],
    outfile: 'out/bench/soak.js',
    // One `ws` for simulators, clients and the soak's wire tap.
    external: ['ws'],
  },
  { nodeArgs: ['--expose-gc'], args: process.argv.slice(2) },
);
