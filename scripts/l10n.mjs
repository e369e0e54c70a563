// Localisation bundles. `node scripts/l10n.mjs` writes l10n/bundle.l10n.json: every literal
// string the host passes to vscode.l10n.t (or its `t` alias) and every string of the chat view
// (the one list in src/protocol/webviewStrings.ts, which the host translates for the view), the
// English source of truth a translator starts from. `--pseudo <dir>` also writes a pseudo-locale (qps-ploc) bundle and
// package.nls.qps-ploc.json there, each string wrapped and accented, so a run with
// `--locale qps-ploc` shows at a glance any text that does not go through localisation.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

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

const ACCENTS = {
  a: 'à',
  e: 'é',
  i: 'ï',
  o: 'ö',
  u: 'ü',
  c: 'ç',
  n: 'ñ',
  y: 'ý',
  A: 'Å',
  E: 'É',
  I: 'Ï',
  O: 'Ö',
  U: 'Ü',
  C: 'Ç',
  N: 'Ñ',
};

/** Accents letters outside placeholders, command links and code spans; wraps in ⟦ ⟧. */
export function pseudo(text) {
  const keep = /(\{\d+\}|\]\(command:[^)]*\)|`[^`]*`|#[\w.]+#|\$\([\w~-]+\))/;
  const body = text
    .split(keep)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[a-zA-Z]/g, (ch) => ACCENTS[ch] ?? ch)))
    .join('');
  return `⟦${body}⟧`;
}

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)
) {
  const bundle = hostMessages();
  mkdirSync(path.join(root, 'l10n'), { recursive: true });
  writeFileSync(path.join(root, 'l10n/bundle.l10n.json'), JSON.stringify(bundle, null, 2) + '\n');
  const i = process.argv.indexOf('--pseudo');
  if (i > 0) {
    const dir = path.resolve(process.argv[i + 1]);
    const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
    mkdirSync(path.join(dir, 'l10n'), { recursive: true });
    writeFileSync(
      path.join(dir, 'l10n/bundle.l10n.qps-ploc.json'),
      JSON.stringify(Object.fromEntries(Object.keys(bundle).map((k) => [k, pseudo(k)])), null, 2),
    );
    writeFileSync(
      path.join(dir, 'package.nls.qps-ploc.json'),
      JSON.stringify(
        Object.fromEntries(Object.entries(nls).map(([k, v]) => [k, pseudo(v)])),
        null,
        2,
      ),
    );
  }
  console.log(
    `l10n: ${Object.keys(bundle).length} strings (${webviewMessages().length} of the chat view)`,
  );
}
