// `npm run bench:secrets`: the secret guard's evaluation alone (bench/secrets.ts): recall and
// false-alarm rate per kind on test/fixtures/secrets/corpus.json, secretlint's recommended preset
// on the same snippets in the same run, and the 2,000-line scan time. `npm run bench` prints the
// same section among the others.
import { bundleAndRun } from './node-bundle.mjs';

await bundleAndRun({
  stdin: {
    contents:
      "import { runSecretsBench } from './bench/secrets';\nrunSecretsBench({ log: (s) => console.log(s) }).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });\n",
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  outfile: 'out/bench/secrets.js',
});
