/**
 * Private key blocks in every armour: PEM (PKCS#1/#8, EC, DSA, encrypted), OpenSSH, PGP, and
 * PuTTY's .ppk. A header alone (code that checks for one) or a body that is a placeholder
 * (`...`, `<your key>`) is not a key; a body without its END line (a selection that stops
 * early) still is. The value is the body: base64 lines, in plain text, indented in YAML, or
 * joined with `\n` escapes inside a JSON string.
 */
import type { Candidate, Detector } from './types';

const PEM_HEADER = /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,4})PRIVATE KEY( BLOCK)?-----/g;
const PUTTY_HEADER = /PuTTY-User-Key-File-\d{1,2}: [\w@.-]{1,40}/g;
/** A key body needs at least this many base64 characters; real keys have hundreds. */
const MIN_BODY = 40;
const MAX_BODY = 20_000;

const isBase64 = (c: number) =>
  (c >= 65 && c <= 90) ||
  (c >= 97 && c <= 122) ||
  (c >= 48 && c <= 57) ||
  c === 43 ||
  c === 47 ||
  c === 61;

/**
 * Walks a key body from `from` and returns the span of its base64 (first to last base64
 * character), stopping at `-----END`, at a line that is not part of a body, or at `stop`.
 */
function bodySpan(
  text: string,
  from: number,
  stopAt: RegExp | undefined,
): { start: number; end: number; count: number } | undefined {
  let start = -1;
  let end = -1;
  let count = 0;
  const limit = Math.min(text.length, from + MAX_BODY);
  let i = from;
  while (i < limit) {
    // One line at a time; `\n` escapes (JSON strings) count as line breaks.
    let lineEnd = i;
    while (
      lineEnd < limit &&
      text[lineEnd] !== '\n' &&
      !(text[lineEnd] === '\\' && text[lineEnd + 1] === 'n')
    )
      lineEnd++;
    const line = text.slice(i, lineEnd);
    const trimmed = line.trim().replace(/^["'`]|["'`,;]+$/g, '');
    if (line.includes('-----END') || (stopAt && stopAt.test(trimmed))) break;
    const isHeaderLine = /^[A-Za-z][\w-]{1,30}: /.test(trimmed); // Proc-Type:, DEK-Info:, Comment:, Version:
    const isChecksum = /^=[A-Za-z0-9+/]{4}$/.test(trimmed); // PGP's CRC line
    if (trimmed && !isHeaderLine && !isChecksum) {
      if (!/^[A-Za-z0-9+/=]+$/.test(trimmed)) break;
      // First and last base64 character of this line, in text offsets.
      let a = i;
      while (a < lineEnd && !isBase64(text.charCodeAt(a))) a++;
      let b = lineEnd;
      while (b > a && !isBase64(text.charCodeAt(b - 1))) b--;
      if (start < 0) start = a;
      end = b;
      count += trimmed.length;
    } else if (!trimmed && start >= 0 && stopAt) break;
    i = lineEnd + (text[lineEnd] === '\\' ? 2 : 1);
  }
  return start >= 0 && count >= MIN_BODY ? { start, end, count } : undefined;
}

export const findPrivateKeys: Detector = function* (text: string): Iterable<Candidate> {
  PEM_HEADER.lastIndex = 0;
  for (let m = PEM_HEADER.exec(text); m; m = PEM_HEADER.exec(text)) {
    const body = bodySpan(text, m.index + m[0].length, undefined);
    if (body) yield { kind: 'private key', at: m.index, start: body.start, end: body.end };
  }
  PUTTY_HEADER.lastIndex = 0;
  for (let m = PUTTY_HEADER.exec(text); m; m = PUTTY_HEADER.exec(text)) {
    const rest = text.slice(m.index, m.index + MAX_BODY);
    const lines = /\nPrivate-Lines: \d{1,4}\r?\n/.exec(rest);
    if (!lines) continue;
    const body = bodySpan(text, m.index + lines.index + lines[0].length, /^Private-MAC:/);
    if (body) yield { kind: 'private key', at: m.index, start: body.start, end: body.end };
  }
};
