/**
 * Judging a candidate value: placeholders, references and words are not secrets; random-looking
 * runs are. Shared by the provider rules (placeholder runs only), the context rules (all of it)
 * and the high-entropy pass.
 */

// One reusable table for ASCII character counts: scans judge thousands of runs, and a fresh
// array (or Map) per run was most of their time and garbage.
const TABLE = new Uint32Array(128);

/** Shannon entropy in bits per character; `distinct` gets the number of different characters. */
function measure(s: string): { bits: number; distinct: number } {
  let ascii = true;
  for (let i = 0; i < s.length && ascii; i++) if (s.charCodeAt(i) > 127) ascii = false;
  let bits = 0;
  let distinct = 0;
  if (ascii) {
    TABLE.fill(0);
    for (let i = 0; i < s.length; i++) if (TABLE[s.charCodeAt(i)]!++ === 0) distinct++;
    for (let c = 0; c < 128; c++) {
      const n = TABLE[c]!;
      if (n) bits -= (n / s.length) * Math.log2(n / s.length);
    }
    return { bits, distinct };
  }
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  const length = [...s].length;
  for (const n of counts.values()) bits -= (n / length) * Math.log2(n / length);
  return { bits, distinct: counts.size };
}

/** Shannon entropy in bits per character. */
export const entropy = (s: string): number => (s ? measure(s).bits : 0);

/** How many different characters `s` has. */
export const distinctChars = (s: string): number => measure(s).distinct;

/** Runs that documentation puts where a key goes: `xxxx`, `****`, `...`, `0000…`, one character over and over. */
export function hasPlaceholderRun(body: string): boolean {
  if (/x{5,}|\*{3,}|\.{3}|…|•{3,}|0{12,}|#{4,}/i.test(body)) return true;
  return distinctChars(body) <= 4;
}

const PLACEHOLDER_WORDS = new RegExp(
  '^(?:password|passwd|pass|pwd|secret|token|key|apikey|api[_-]?key|changeme|change[_-]?me|changeit|none|null|nil|undefined|true|false|empty|todo|tbd|fixme|dummy|fake|sample|example|test|testing|redacted|hidden|default|admin|guest|root|user|username|foo|bar|foobar|baz|qwerty|letmein|mypassword|yourpassword|secret123|password123|1234|12345|123456|12345678|123456789|s3cr3t|p@ssw0rd|required|optional|string|str|number|int|bool|boolean)$',
  'i',
);
/** Marks of a template or an instruction rather than a value. */
const PLACEHOLDER_MARKS =
  /x{4,}|\*{3,}|\.{3}|…|•{3,}|\$\{|\{\{|\}\}|%\(|%s\b|<[^<>]{0,40}>|^\[[^\]]*\]$|\byour[_-]|^your|^my[_-]|[_-]here$|replace[_-]?(?:me|with|this)|^replace|^insert[_-]|^enter[_-]|placeholder|example|changeme|change[_-]me|redacted|^todo\b|^<|>$/i;

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return v.length < 40
    ? PLACEHOLDER_WORDS.test(v) || PLACEHOLDER_MARKS.test(v) || distinctChars(v) <= 2
    : PLACEHOLDER_MARKS.test(v.slice(0, 200));
}

/**
 * Something that names where the value lives instead of being it: env, template, variable. A
 * bare (unquoted) value also reads as a shell variable, a YAML alias or a YAML tag.
 */
export function isReference(value: string, quoted = false): boolean {
  const v = value.trim();
  if (
    /^(?:\$\{|\$\(|%\(|\{\{|#\{|@\{|process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv|System\.getenv|Deno\.env|ENV\[|env\()/.test(
      v,
    )
  )
    return true;
  if (/^\$[A-Za-z_][\w]*$|^%[A-Za-z_][\w]*%$/.test(v)) return true;
  return !quoted && /^(?:\$|&[A-Za-z]|\*[A-Za-z]|![A-Z][a-z]+$)/.test(v);
}

/** Is the value a path, a URL without credentials, an env var name, a number or prose? */
export function isOrdinaryValue(value: string): boolean {
  const v = value.trim();
  // Prose, labels, sentences: every part a word or a number ("Mot de passe", "at least 12
  // characters"); a key with a space in it (WordPress salts) has parts that are not words.
  if (
    /\s/.test(v) &&
    v.split(/\s+/).every((w) => /^[\p{L}'’.,:;!?()«»"-]*$/u.test(w) || /^\d{1,4}[.,:;%)]?$/.test(w))
  )
    return true;
  if (
    /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v) ||
    /\.(?:pem|key|txt|json|ya?ml|crt|cer|p12|pfx|env|ini|conf|toml|gpg|asc)$/i.test(v)
  )
    return true;
  if (/^[a-z][a-z0-9+.-]{1,15}:\/\/(?![^/\s@]*:[^/\s@]*@)/i.test(v)) return true;
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v) || /^[A-Z]+$/.test(v)) return true; // API_KEY, an env var's name
  if (/^\d+$/.test(v) && v.length < 16) return true;
  if (v.length < 16 && /^[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]+$/.test(v)) return true; // a word: i18n labels, enum values
  if (/^[a-z]+(?:[-_./:][a-z]+)+$/.test(v)) return true; // slugs, dotted names, kebab words without digits
  if (!/\d/.test(v) && /^[A-Za-z_$][\w$]*(?:[./:#][A-Za-z_$][\w$]*)+$/.test(v)) return true; // setting and storage keys: streamChat.timeline
  if (/^[A-Za-z][A-Za-z0-9_]{11,}$/.test(v) && identifierLike(v)) return true; // an identifier's name as a string
  return false;
}

/**
 * Made of words, like a long identifier or constant (`CustomAuthFlowScenarioV2`,
 * `FLOW_EXISTING_ACCOUNT_PASSWORD`, `refreshTokenClientAcquireToken`): most of its letters are
 * in runs of three or more of one case. Random keys rarely have such runs.
 */
export function identifierLike(v: string): boolean {
  const words = v.match(/[A-Z]{3,}(?![a-z])|[A-Z]?[a-z]{3,}/g);
  if (!words) return false;
  let inWords = 0;
  for (const w of words) inWords += w.length;
  return inWords >= v.length * 0.75;
}

/** Character classes present: lowercase, uppercase, digits, symbols. */
export function classes(s: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

/** An alphabet or a sequence someone typed on purpose (`ABC…xyz0123`, nanoid's alphabet), not a key. */
export function looksLikeAlphabet(s: string): boolean {
  if (s.length >= 26 && distinctChars(s) >= s.length - 1) return true;
  return (
    /(?:abcdef|bcdefg|ABCDEF|BCDEFG|012345|123456|qwerty|QWERTY)/.test(s) &&
    s.length >= 20 &&
    hasLongSequence(s, 10)
  );
}

function hasLongSequence(s: string, n: number): boolean {
  let run = 1;
  for (let i = 1; i < s.length; i++) {
    run = s.charCodeAt(i) === s.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= n) return true;
  }
  return false;
}

/** Random-looking: long enough, varied, and not an alphabet. */
export function looksRandom(s: string, minLength = 16): boolean {
  const core = s.replace(/=+$/, '');
  if (core.length < minLength || looksLikeAlphabet(core)) return false;
  if (/^[0-9a-f]+$/i.test(core)) return core.length >= 20 && entropy(core) >= 3.2;
  return classes(core) >= 2 && entropy(core) >= Math.min(3.6, Math.log2(core.length) - 0.9);
}

/** Would a human call this literal a secret, given that its name says it is one? */
export function isSecretLiteral(value: string, weakName: boolean, quoted = true): boolean {
  const v = value.trim();
  if (v.length < 6 || v.length > 2000) return false;
  if (isPlaceholder(v) || isReference(v, quoted) || isOrdinaryValue(v)) return false;
  if (weakName) return /\d/.test(v) && looksRandom(v, 16); // `key`, `auth` alone name many things that are not secrets
  return true;
}
