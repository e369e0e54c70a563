// Builds the two bundles: the extension host (Node, CommonJS, `vscode` external) and the webview
// (browser, IIFE, with its own CSS). Flags: --production (minify, no sourcemaps), --watch.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Copies the codicon font and CSS next to the webview bundle (the webview may only load from dist/ and media/). */
function copyCodicons() {
  mkdirSync('dist/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) {
    cpSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);
  }
}

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

const contexts = await Promise.all([
  esbuild.context({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // ws's optional native speedups are not installed; keep them out of the bundle.
    define: { 'process.env.WS_NO_BUFFER_UTIL': '"1"', 'process.env.WS_NO_UTF_8_VALIDATE': '"1"' },
    metafile: true,
  }),
  esbuild.context({
    ...common,
    entryPoints: {
      webview: 'webview/main.ts',
      'webview-style': 'webview/style.css',
      'webview-moderation': 'webview/moderation.css',
    },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    metafile: true,
  }),
]);

copyCodicons();
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching');
} else {
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  for (const r of results) {
    for (const [file, out] of Object.entries(r.metafile.outputs)) {
      if (!file.endsWith('.map'))
        console.log(`  ${file.padEnd(28)} ${(out.bytes / 1024).toFixed(1)} KB`);
    }
  }
}
