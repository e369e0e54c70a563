/**
 * A last look before code goes on stream, because a leaked key on stream is a streamer's worst
 * day. Finds what looks like a credential and reports its kind and line, never the value. Tuned
 * to catch real keys while leaving ordinary code, UUIDs, hashes and placeholders alone; every
 * rule has positives and near-misses in `test/unit/outgoing/secretScanner.test.ts`.
 */

/** What a finding looks like; the names are shown to the streamer. */
export type SecretKind =
  | 'private key'
  | 'AWS access key id'
  | 'AWS secret access key'
  | 'GitHub token'
  | 'Slack token'
  | 'Slack webhook'
  | 'Discord webhook'
  | 'Twitch OAuth token'
  | 'Google API key'
  | 'Stripe secret key'
  | 'OpenAI API key'
  | 'Anthropic API key'
  | 'npm token'
  | 'JSON Web Token'
  | 'password in URL'
  | 'bearer token'
  | 'credential assignment'
  | 'high-entropy string';

/** One thing that looks like a secret: its kind and line. Never the value. */
export interface SecretFinding {
  readonly kind: SecretKind;
  /** Line number (1-based, offset by `firstLine`). */
  readonly line: number;
}

/** Options for `scanForSecrets`. */
export interface ScanOptions {
  /** The number of the text's first line, so findings carry editor line numbers (default 1). */
  readonly firstLine?: number;
}

interface Detector {
  readonly kind: SecretKind;
  readonly pattern: RegExp;
  /** A further check on the match, with the whole text for context. */
  readonly accept?: (match: RegExpExecArray, text: string) => boolean;
}

/**
 * Provider formats: distinctive enough that a match is a finding. Prefixes are anchored at a word
 * start and lengths are the real ones, so the prefix alone, in prose or as a short fragment, is not.
 */
const SPECIFIC: readonly Detector[] = [
  {
    kind: 'private key',
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d+: /g,
    // The marker alone inside quotes is code that looks for keys ('-----BEGIN RSA PRIVATE KEY-----').
    accept: (m, text) => !(/["'`]/.test(text[m.index - 1] ?? '') && text[m.index + m[0].length] === text[m.index - 1]),
  },
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  {
    kind: 'AWS secret access key',
    pattern: /(?:aws_?secret(?:_?access)?_?key|secret_?access_?key)["']?\s*(?:=|:=|:|=>)\s*["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/gi,
  },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g },
  { kind: 'Slack token', pattern: /\bxox[baprs]-(?=[A-Za-z0-9-]*\d)[A-Za-z0-9-]{10,}/g },
  { kind: 'Slack webhook', pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_]+\/[A-Za-z0-9_/]{16,}/g },
  { kind: 'Discord webhook', pattern: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{5,}\/[A-Za-z0-9_-]{20,}/g },
  { kind: 'Twitch OAuth token', pattern: /\boauth:[a-z0-9]{30}(?![A-Za-z0-9])/gi },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  // Live keys only: sk_test_ keys reach Stripe's test mode, nothing real.
  { kind: 'Stripe secret key', pattern: /\b[sr]k_live_[0-9A-Za-z]{16,}/g },
  // OpenAI keys carry "T3BlbkFJ" (base64 "OpenAI"); project and service keys have their own prefixes.
  { kind: 'OpenAI API key', pattern: /\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|[A-Za-z0-9_-]{10,}T3BlbkFJ[A-Za-z0-9_-]{10,})/g },
  { kind: 'Anthropic API key', pattern: /\bsk-ant-[a-z]+\d{2}-[A-Za-z0-9_-]{40,}/g },
  { kind: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g },
  // header.payload.signature, both JSON objects (base64url of `{"` is `eyJ`).
  { kind: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}/g },
];

/** Forms that need a look at the value: a finding only when the value is a real literal. */
const CONTEXTUAL: readonly Detector[] = [
  {
    kind: 'password in URL',
    pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/?#@'"`]*:([^\s/?#@'"`]+)@[^\s/?#@'"`]+/gi,
    accept: (m) => !isPlaceholderValue(decodeUrlPart(m[1]!)),
  },
  {
    kind: 'bearer token',
    pattern: /\bBearer\s+([A-Za-z0-9._~+/-]{20,}=*)/g,
    accept: (m) => /\d/.test(m[1]!) && /[A-Za-z]/.test(m[1]!) && !isPlaceholderValue(m[1]!),
  },
];

function decodeUrlPart(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

// ---------------------------------------------------------------------------------------------
// Credential assignments: `password = "…"`, `"api_key": "…"`, `secret: …` (YAML), `TOKEN=…` (.env)

/** The words a key ends with when it names a credential (after splitting camelCase, snake_case…). */
// Not `credentials`: `credentials: 'include'` (fetch) and `withCredentials` are everywhere, and the
// fields of a real credentials object are named password, secret… and caught by name.
const CREDENTIAL_WORDS = new Set(['password', 'passwd', 'passphrase', 'pwd', 'pass', 'secret', 'apikey', 'token']);
/** Two-word endings (`api_key`, `clientSecret`, `private-key`). */
const CREDENTIAL_PAIRS = new Set(['api key', 'access key', 'secret key', 'private key', 'signing key', 'encryption key', 'master key', 'account key']);
/** Tokens that are not credentials (`nextPageToken`, `cancellationToken`). */
const NOT_CREDENTIAL_BEFORE_TOKEN = new Set(['page', 'cancellation', 'continuation', 'sync', 'next', 'paging', 'csrf', 'xsrf', 'lexer', 'parser', 'max', 'num']);

/** Whether an identifier (`dbPassword`, `AWS_SECRET`, `client-secret`, `auth.token`) names a credential. */
export function isCredentialKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const last = words[words.length - 1];
  const before = words[words.length - 2];
  if (!last) return false;
  if (last === 'token' && before !== undefined && NOT_CREDENTIAL_BEFORE_TOKEN.has(before)) return false;
  if (CREDENTIAL_WORDS.has(last)) return true;
  return before !== undefined && CREDENTIAL_PAIRS.has(`${before} ${last}`);
}

/** Words that stand for a value rather than being one. */
const PLACEHOLDER_WORDS = new Set([
  'changeme', 'changeit', 'example', 'placeholder', 'dummy', 'test', 'testing', 'sample', 'default', 'secret', 'password', 'passwd', 'token',
  'apikey', 'redacted', 'hidden', 'none', 'null', 'nil', 'undefined', 'true', 'false', 'todo', 'fixme', 'foo', 'bar', 'foobar', 'notasecret',
  'mysecret', 'mypassword', 'yourpassword', 'yoursecret', 'yourtoken', 'yourapikey', 'secretkey', 'accesstoken', 'required', 'optional',
  // type names after a colon: `password: string`
  'string', 'number', 'boolean', 'object', 'unknown', 'bytes',
]);

/**
 * Whether a value is no secret: short, a template or variable reference, a placeholder word, a
 * mask, a name (camelCase, snake_case, UPPER_SNAKE, kebab-case without digits), a path or URL,
 * or prose (three or more words: a validation message, not a password).
 */
export function isPlaceholderValue(raw: string): boolean {
  const v = raw.trim();
  if ([...v].length < 6) return true;
  if (/\$\{|\{\{|#\{|%\(|%s\b|<%|^\$[A-Za-z_{(]|^%[A-Za-z_]+%$/.test(v)) return true;
  if (/process\.env|os\.environ|getenv|\bENV\[|\benv\(|import\.meta\.env|secrets\./i.test(v)) return true;
  if (/^<[^>]*>$|^\[[^\]]*\]$|^\{[^}]*\}$/.test(v)) return true;
  if (/^(.)\1+$/.test(v) || /^[x*•.#-]+$/i.test(v)) return true;
  const bare = v.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (PLACEHOLDER_WORDS.has(bare)) return true;
  // `your-api-key-here`, `YOUR_TOKEN`, `myPassword`: a placeholder word then more words, no digits or symbols.
  const prefix = /^(?:your|my|insert|replace|enter|put|some|fake|sample|example|dummy|test|xxx)/i.exec(v);
  if (prefix && /^(?:[-_\s.]|[A-Z]|$)/.test(v.slice(prefix[0].length)) && /^[A-Za-z_\s.-]*$/.test(v)) return true;
  // Names: camelCase, PascalCase, snake_case, kebab-case, UPPER_SNAKE (an env var's name), all without digits.
  if (/^[A-Za-z][a-z]+(?:[A-Z][a-z]*)+$|^[a-z]+(?:_[a-z]+)+$|^[a-z]+(?:-[a-z]+)+$|^[A-Z]+(?:_[A-Z]+)*$/.test(v)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return true;
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:[\\/])/.test(v) || /\/[\w.-]+\.[a-z0-9]{1,5}$/i.test(v)) return true;
  if (v.split(/\s+/).length >= 3) return true;
  return false;
}

/** An unquoted value that is code, not data: `getToken()`, `config.password`, `await x`, `null`, `12`. */
function isExpression(v: string): boolean {
  if (/^(?:await|new|yield|typeof|self|this)\b/.test(v)) return true;
  if (/^[A-Za-z_$][\w$]*(?:\??\.[\w$]+|\[[^\]]*\]|\([^)]*\)?)+[;,)]*$/.test(v)) return true;
  if (/^[a-z_$][\w$]*[;,)]*$/.test(v) && /[A-Z_]/.test(v.slice(1)) && !/\d/.test(v)) return true; // camelCase name
  return /^-?\d+(?:\.\d+)?[;,)]*$/.test(v);
}

// key, an optional closing quote, an assignment operator, then the value (quoted or not).
const ASSIGNMENT = /(?<![\w$.-])["']?([A-Za-z_$][\w$.-]*)["']?\s*(:=|\?\?=|\|\|=|=>|=|:)[ \t]*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`([^`\n]*)`|([^\s,;#]+))/g;

function credentialAssignment(m: RegExpExecArray, text: string): boolean {
  const [whole, key, operator, double, single, backtick, bare] = m;
  if (!isCredentialKey(key!)) return false;
  if (bare !== undefined) {
    if (isPlaceholderValue(bare) || isExpression(bare)) return false;
    // .env / properties (`KEY=value` at the line start) and YAML (`key: value`) hold literals; in
    // code an unquoted value is an expression (`password = userInput`), so only config lines count.
    const before = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index);
    const after = text[m.index + whole!.length] ?? '\n';
    const envLine = operator === '=' && /^\s*(?:export\s+)?$/.test(before) && !/\s=/.test(whole!);
    const yamlLine = operator === ':' && /^\s*(?:-\s+)?$/.test(before) && /[\s#]/.test(after);
    return envLine || yamlLine;
  }
  return !isPlaceholderValue(double ?? single ?? backtick ?? '');
}

// ---------------------------------------------------------------------------------------------
// High-entropy runs

const RUN = /[A-Za-z0-9+/_=-]{32,}/g;

/**
 * Whether a 32+ character run looks random. Hex-only runs never count: git SHAs, lockfile and
 * checksum hashes are far more common in shown code than bare hex keys (a named hex key is still
 * caught as a credential assignment). UUIDs are hex with dashes. For the rest, randomness shows
 * as entropy (≥ 4.2 bits per character; random base64 of 32 characters has about 4.6) together
 * with frequent switches between lower case, upper case and digits and few word-like pieces: in
 * names (`createChatClient`) and paths letters of one case come in long runs, in random base64 the
 * average run is about 1.6. About 1 in 100 random 32-character strings is missed; 1 in 1000 at 40.
 */
export function looksRandom(run: string): boolean {
  const core = run.replace(/=+$/, '');
  if (core.length < 32) return false;
  if (/^[0-9a-f_-]+$/i.test(core)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(core)).length;
  if (classes < 3) return false;
  if (entropy(core) < 4.2) return false;
  const classOf = (c: string) => (/[a-z]/.test(c) ? 0 : /[A-Z]/.test(c) ? 1 : /[0-9]/.test(c) ? 2 : 3);
  let runs = 1;
  for (let i = 1; i < core.length; i++) if (classOf(core[i]!) !== classOf(core[i - 1]!)) runs++;
  if (core.length / runs > 2.5) return false;
  // Word pieces: lower-case runs of 3+ cover about 15% of random base64 (under 45% in 99 of 100
  // strings) and half or more of a path like `Web/API/WebGL2RenderingContext/texImage3D`.
  let wordy = 0;
  for (const m of core.matchAll(/[a-z]{3,}/g)) wordy += m[0].length;
  return wordy / core.length < 0.45;
}

// Subresource-integrity hashes (package-lock `sha512-…`) and data URIs are not secrets.
const SRI_HASH = /^sha(?:1|256|384|512)-/i;
const DATA_URI_BEFORE = /base64,$/i;

// ---------------------------------------------------------------------------------------------

/**
 * Scans text for secrets. Provider formats are reported first; a line with one gets no generic
 * finding (assignment, URL password, bearer token), and a line with any finding gets no
 * high-entropy finding, so each secret is named once and by its most precise kind.
 */
export function scanForSecrets(text: string, options: ScanOptions = {}): SecretFinding[] {
  const firstLine = options.firstLine ?? 1;
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (index: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + firstLine;
  };

  const findings: SecretFinding[] = [];
  const specificLines = new Set<number>();
  const flaggedLines = new Set<number>();
  const add = (kind: SecretKind, line: number) => {
    if (!findings.some((f) => f.kind === kind && f.line === line)) findings.push({ kind, line });
    flaggedLines.add(line);
  };
  const run = (detector: Detector, skip?: Set<number>) => {
    detector.pattern.lastIndex = 0;
    for (let m = detector.pattern.exec(text); m; m = detector.pattern.exec(text)) {
      const line = lineOf(m.index);
      if (skip?.has(line)) continue;
      if (!detector.accept || detector.accept(m, text)) add(detector.kind, line);
      // A refused match may hide a real one inside it (`label = password="…"`): look again from its next character.
      else detector.pattern.lastIndex = m.index + 1;
    }
  };

  for (const detector of SPECIFIC) run(detector);
  for (const f of findings) specificLines.add(f.line);
  for (const detector of CONTEXTUAL) run(detector, specificLines);
  run({ kind: 'credential assignment', pattern: ASSIGNMENT, accept: credentialAssignment }, specificLines);

  const flagged = new Set(flaggedLines);
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m; m = RUN.exec(text)) {
    const line = lineOf(m.index);
    if (flagged.has(line) || SRI_HASH.test(m[0]) || DATA_URI_BEFORE.test(text.slice(Math.max(0, m.index - 8), m.index))) continue;
    // In a URL, `/` separates path segments (`/docs/Web/API/SVGFEBlendElement/in1`): judge each one.
    const inUrl = /:\/\/\S*$/.test(text.slice(text.lastIndexOf('\n', m.index) + 1, m.index));
    if ((inUrl ? m[0].split('/') : [m[0]]).some(looksRandom)) add('high-entropy string', line);
  }
  return findings.sort((a, b) => a.line - b.line);
}

/** "AWS access key id on line 3; GitHub token on lines 5 and 9": for the warning, never the values. */
export function describeFindings(findings: readonly SecretFinding[]): string {
  const byKind = new Map<SecretKind, number[]>();
  for (const f of findings) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f.line]);
  return [...byKind]
    .map(([kind, lines]) => {
      const unique = [...new Set(lines)].sort((a, b) => a - b);
      if (unique.length === 1) return `${kind} on line ${unique[0]}`;
      return `${kind} on lines ${unique.slice(0, -1).join(', ')} and ${unique[unique.length - 1]}`;
    })
    .join('; ');
}
