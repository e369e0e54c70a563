/**
 * The last resort: a long random-looking literal with no name or prefix to go by. Only whole
 * tokens (a quoted literal, or a value after `=`/`:`) count, and never where random-looking data
 * is expected: hashes and digests, lockfile integrity, SRI, data: URIs and source maps, public
 * keys and certificates, known_hosts, alphabets. Pure hex is left to the named rules (it is
 * almost always a hash or an id).
 */
import type { Candidate, Detector } from './types';
import { classes, entropy, identifierLike, looksLikeAlphabet } from './values';

const RUN = /[A-Za-z0-9+/_=-]{24,1024}/g;
/** Words on the line that say the random text there is data, not a credential. */
const SAFE_LINE =
  /integrity|checksum|hash|digest|sha-?\d{1,3}\b|sha\d{1,3}[-:]|\bh1:|nonce|fingerprint|alphabet|charset|chars\b|possible|base64,|sourceMappingURL|ssh-(?:rsa|ed25519|dss)|ecdsa-sha2|sk-ssh|\|1\||"(?:n|e|x|y|kid|rev)"\s*:|\b(?:rev|commit|gitHead|uuid|guid|etag)\b|pk_(?:live|test)_|\bsecure:|atob\(|Uint8Array|wasm|font\/|image\/|resolved/i;
const NON_PRIVATE_BLOCK =
  /-----BEGIN (?![A-Z ]*PRIVATE)[A-Z0-9 ]{1,40}-----[\s\S]{0,20000}?-----END [A-Z0-9 ]{1,40}-----/g;

function safeSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  NON_PRIVATE_BLOCK.lastIndex = 0;
  for (let m = NON_PRIVATE_BLOCK.exec(text); m; m = NON_PRIVATE_BLOCK.exec(text))
    spans.push([m.index, m.index + m[0].length]);
  return spans;
}

export const findHighEntropy: Detector = function* (text, taken): Iterable<Candidate> {
  const safe = safeSpans(text);
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m; m = RUN.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const before = text[start - 1] ?? '\n';
    const after = text[end] ?? '\n';
    // A whole token: a quoted literal, or the value after `=` / `: `.
    if (!/["'`=\s:]/.test(before) || !/["'`\s;,)]/.test(after) || taken(start, end)) continue;
    let coreEnd = end;
    while (coreEnd > start && text.charCodeAt(coreEnd - 1) === 61) coreEnd--; // base64 padding
    if (coreEnd - start < 24 || classes(text.slice(start, coreEnd)) < 3) continue;
    const core = text.slice(start, coreEnd);
    if (/^[0-9a-f]+$/i.test(core) || (/[/-]/.test(core) && /^[a-z0-9/._-]+$/.test(core))) continue; // hashes, paths, kebab-case
    if (entropy(core) < 4.2 || looksLikeAlphabet(core) || identifierLike(core)) continue;
    if (safe.some(([a, b]) => start >= a && start < b)) continue;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = text.indexOf('\n', end);
    if (SAFE_LINE.test(text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd))) continue;
    yield { kind: 'high-entropy string', at: start, start, end };
  }
};
