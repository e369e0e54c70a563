// Localisation bundles. `node scripts/l10n.mjs` writes l10n/bundle.l10n.json: every literal
// string the host passes to vscode.l10n.t (or its `t` alias) and every string of the chat view
// (the one list in src/protocol/webviewStrings.ts, which the host translates for the view), the
// English source of truth a translator starts from. `--pseudo <extension dir>` instead writes a
// pseudo-locale (qps-ploc) l10n/bundle.l10n.qps-ploc.json and package.nls.qps-ploc.json into an
// installed copy of the extension, from its own English files, each string wrapped and accented:
// a run with the qps-ploc display language then shows at a glance any text that skips
// localisation (test/ui/pseudoLocale.test.ts). Pseudo bundles are never committed.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pseudo } from './pseudo.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** The first argument of each `l10n.t('…')` / `t('…')` call with a plain string literal. */
export function extractMessages(source) {
  const found = [];
  const call = /(?:\bl10n\.t|(?<![\w.])t)\(\s*(['"])((?:\\.|(?!\1).)*)\1/g;
  for (const m of source.matchAll(call))
    found.push(JSON.parse(`"${m[2].replace(/\\'/g, "'").replace(/"/g, '\\"')}"`));
  return found;
}

/** The chat view's strings: `WEBVIEW_STRINGS` as the host and the view get it (the module, run). */
export function webviewMessages() {
  // Loaded here, not at the top: pseudo() is also used from jsdom tests, where esbuild cannot load.
  const { buildSync } = createRequire(import.meta.url)('esbuild');
  const { outputFiles } = buildSync({
    entryPoints: [path.join(root, 'src/protocol/webviewStrings.ts')],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'neutral',
    logLevel: 'silent',
  });
  const module = { exports: {} };
  new Function('module', 'exports', outputFiles[0].text)(module, module.exports);
  return [...module.exports.WEBVIEW_STRINGS];
}

/** The bundle: host strings and the view's strings, each its own English key. */
export function hostMessages() {
  const all = [
    ...sourceFiles(path.join(root, 'src')).flatMap((f) => extractMessages(readFileSync(f, 'utf8'))),
    ...webviewMessages(),
  ];
  return Object.fromEntries([...new Set(all)].sort().map((m) => [m, m]));
}

export { pseudo } from './pseudo.mjs';

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)
) {
  const i = process.argv.indexOf('--pseudo');
  if (i > 0) {
    const dir = path.resolve(process.argv[i + 1]);
    const read = (file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const pseudoAll = (table) =>
      JSON.stringify(
        Object.fromEntries(Object.entries(table).map(([k, v]) => [k, pseudo(v)])),
        null,
        2,
      );
    writeFileSync(
      path.join(dir, 'l10n/bundle.l10n.qps-ploc.json'),
      pseudoAll(read('l10n/bundle.l10n.json')),
    );
    writeFileSync(path.join(dir, 'package.nls.qps-ploc.json'), pseudoAll(read('package.nls.json')));
    console.log(`l10n: pseudo bundles written to ${dir}`);
  } else {
    const bundle = hostMessages();
    mkdirSync(path.join(root, 'l10n'), { recursive: true });
    writeFileSync(path.join(root, 'l10n/bundle.l10n.json'), JSON.stringify(bundle, null, 2) + '\n');
    console.log(
      `l10n: ${Object.keys(bundle).length} strings (${webviewMessages().length} of the chat view)`,
    );
  }
}
