// The pseudo locale (qps-ploc): each string wrapped in ⟦ ⟧ with its letters accented, so a text
// that skipped localisation stands out. Used by scripts/l10n.mjs and the tests; no imports, so
// test bundles can take it.
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
