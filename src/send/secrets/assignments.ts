/**
 * Literals given to something whose name says it is a secret, in the syntax of each language a
 * streamer writes: `=`, `:`, `:=`, `=>`, annotated (`password: str = "…"`), compared
 * (`token == "…"`), `.env` / YAML / TOML / INI / properties / Dockerfile `ENV`, query and
 * connection strings (`;Password=…`, `&password=…`), command-line flags (`--password …`), keyed
 * calls (`define('DB_PASSWORD', '…')`, `fill('#password', '…')`) and setters or constructors
 * named for a secret (`setPassword("…")`, `new Credentials("u", "…")`).
 *
 * Names are judged by their last word (`passwordHash`, `max_tokens`, `tokenizer` are not
 * secrets; `DJANGO_SECRET_KEY`, `x-api-key`, `dbPassword` are). Values are judged by
 * `isSecretLiteral`: placeholders, references, paths, prose and identifiers pass.
 */
import type { Candidate, Detector } from './types';
import { isSecretLiteral } from './values';

/** Where a secret-ish word appears; the name around it is then taken whole. */
const NAME_HINT = /pass|pwd|secret|token|key|auth|credential/gi;
const NAME_CHAR = /[A-Za-z0-9_$-]/;
const SECRET_ENDING =
  /(?:pass(?:word|wd|phrase)?|pwd|secret|token|key|auth|credentials?)(?:[_-]?(?:base|value|val|b64|base64|hex|raw|plain|plaintext|str|string))?$/i;

const STRONG_LAST = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'secretkey',
  'authtoken',
  'accesstoken',
  'credential',
  'credentials',
]);
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'secret',
  'private',
  'signing',
  'encryption',
  'encrypt',
  'master',
  'account',
  'client',
  'app',
  'auth',
  'subscription',
  'shared',
  'webhook',
  'hmac',
  'jwt',
  'session',
  'service',
  'consumer',
  'license',
  'admin',
  'deploy',
  'ssh',
  'x',
]);
/** Tokens that are not credentials: pagination cursors, cancellation, parsing. */
const TOKEN_NOT_SECRET = new Set([
  'next',
  'page',
  'continuation',
  'cancellation',
  'sync',
  'resume',
  'pagination',
  'lexer',
  'parser',
  'csrf',
  'xsrf',
  'max',
  'num',
  'total',
  'input',
  'output',
  'type',
]);

/** Splits `DJANGO_SECRET_KEY`, `dbPassword`, `x-api-key`, `clientSecretCredential` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+|(?<=\D)(?=\d)|(?<=\d)(?=\D)/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** 'strong': a secret by name; 'weak': maybe (bare `key`, `auth`: the value must look random); undefined: not a secret's name. */
const judged = new Map<string, 'strong' | 'weak' | undefined>();

export function secretName(name: string): 'strong' | 'weak' | undefined {
  if (judged.has(name)) return judged.get(name);
  const verdict = judgeName(name);
  if (judged.size > 5000) judged.clear(); // names repeat; a bounded memo keeps long scans cheap
  judged.set(name, verdict);
  return verdict;
}

/** Trailing words that describe the encoding of the secret named before them (`secret_key_base`, `token_b64`). */
const ENCODING_WORDS = new Set([
  'base',
  'value',
  'val',
  'b64',
  'base64',
  'hex',
  'raw',
  'plain',
  'plaintext',
  'str',
  'string',
]);
/** Short prefixes glued to a secret word in one lower-case name: `dbpass`, `adminpassword`, `smtppwd`. */
const GLUED =
  /^(?:db|admin|root|user|smtp|mail|ftp|sftp|ssh|app|api|my|sql|mysql|pg|redis|mongo|ldap|wifi|vpn|proxy|master|sudo|access|auth|client|bot|rcon|server)(password|passwd|pass|pwd|secret|token|apikey)$/;

function judgeName(name: string): 'strong' | 'weak' | undefined {
  let words = nameWords(name);
  if (words.length >= 2 && ENCODING_WORDS.has(words[words.length - 1]!)) words = words.slice(0, -1);
  const glued = GLUED.exec(words[words.length - 1] ?? '');
  if (glued) words = [...words.slice(0, -1), glued[1]!];
  if (words.length === 0 || words.length > 8) return undefined;
  const last = words[words.length - 1]!;
  const prev = words[words.length - 2];
  if (words.includes('public') || words.includes('publishable')) return undefined;
  if (last === 'token' || last === 'tokens')
    return last === 'token' && !(prev && TOKEN_NOT_SECRET.has(prev)) ? 'strong' : undefined;
  if (STRONG_LAST.has(last)) return 'strong';
  if (last === 'key')
    return prev && KEY_QUALIFIERS.has(prev) ? 'strong' : words.length === 1 ? 'weak' : undefined;
  if (last === 'auth' && words.length <= 2) return 'weak';
  return undefined;
}

/** Setters and constructors whose literal argument is the secret. Getters take a name, not a value. */
function secretCallee(name: string): boolean {
  const words = nameWords(name);
  if (
    words.length < 1 ||
    /^(?:get|read|load|fetch|has|is|delete|remove|clear|validate|check|verify|compare|hash|encode|decode|parse|prompt|ask|generate|create|new|random|find|lookup|use|show|hide|reset|forgot|refresh|revoke)$/.test(
      words[0]!,
    )
  )
    return false;
  const last = words[words.length - 1]!;
  if (
    last === 'credential' ||
    last === 'credentials' ||
    (last === 'auth' && words.includes('basic'))
  )
    return true;
  return (
    (words[0] === 'set' || words[0] === 'with') &&
    words.length >= 2 &&
    secretName(words.slice(1).join('_')) === 'strong'
  );
}

interface Value {
  readonly start: number;
  readonly end: number;
  readonly quoted: boolean;
}

/** A quoted literal starting at `i` (optionally with a Python/C# prefix: f"", r"", b"", @""). */
function quotedAt(text: string, i: number): Value | undefined {
  let q = i;
  if (/[frbuFRBU@]/.test(text[q] ?? '') && /["']/.test(text[q + 1] ?? '')) q++;
  const quote = text[q];
  if (quote !== '"' && quote !== "'" && quote !== '`') return undefined;
  const limit = Math.min(text.length, q + 2100);
  for (let j = q + 1; j < limit; j++) {
    const c = text[j];
    if (c === '\n') return undefined;
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === quote) return { start: q + 1, end: j, quoted: true };
  }
  return undefined;
}

/** An unquoted value at `i`, up to whitespace or a delimiter the context uses. */
function bareAt(text: string, i: number, stop: RegExp): Value | undefined {
  let j = i;
  const limit = Math.min(text.length, i + 2100);
  while (j < limit && !stop.test(text[j]!)) j++;
  // Trailing punctuation of the line's syntax is not part of the value.
  while (j > i && /[;,]/.test(text[j - 1]!)) j--;
  return j > i ? { start: i, end: j, quoted: false } : undefined;
}

/** Unquoted values that are code: identifiers and member access without digits, calls, indexing. */
function looksLikeCode(v: string): boolean {
  if (
    /^(?:await|new|this|self|null|nil|None|true|false|undefined)\b/.test(v) ||
    /^[A-Za-z_$][\w$.]*(?:\[|\(|::|->|<)/.test(v)
  )
    return true;
  return /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.test(v) && !/\d/.test(v);
}

const skipSpaces = (text: string, i: number, max = 4) => {
  let n = 0;
  while (n < max && (text[i] === ' ' || text[i] === '\t')) {
    i++;
    n++;
  }
  return i;
};

const BEFORE_MAX = 120;
const ENV_PREFIX = /^\s*(?:export\s+|ENV\s+|set\s+|setx\s+|-\s+|[\w-]{1,40}\.){0,4}["']?$/;

export const findAssignments: Detector = function* (text: string): Iterable<Candidate> {
  NAME_HINT.lastIndex = 0;
  let after = 0;
  for (let m = NAME_HINT.exec(text); m; m = NAME_HINT.exec(text)) {
    let ns = m.index;
    while (ns > 0 && NAME_CHAR.test(text[ns - 1]!)) ns--;
    let ne = m.index + m[0].length;
    while (ne < text.length && NAME_CHAR.test(text[ne]!)) ne++;
    NAME_HINT.lastIndex = ne;
    if (ns < after) continue;
    while (text[ns] === '-' || text[ns] === '$') ns++; // --password, $password
    // Cheap first: a secret's name ends with its secret word (`passwordHash`, `keyboard` do not).
    if (!SECRET_ENDING.test(text.slice(Math.max(ns, ne - 24), ne))) continue;
    const name = text.slice(ns, ne);
    // `setPassword("…")` is a call: its argument, not an assignment, holds the value.
    const callee = text[ne] === '(';
    const strength = callee ? undefined : secretName(name);
    if (callee ? !secretCallee(name) : !strength) continue;

    // What precedes the name on its line, at most BEFORE_MAX characters: every rule here looks at
    // the line's start or the last few characters (and a long minified line must stay linear).
    let lineStart = ns;
    while (lineStart > 0 && ns - lineStart < BEFORE_MAX && text[lineStart - 1] !== '\n')
      lineStart--;
    const before =
      (lineStart > 0 && text[lineStart - 1] !== '\n' ? '\u0000' : '') + text.slice(lineStart, ns);
    const quoteBefore =
      /["'#.]$/.test(before) && /["']/.test(before.replace(/[#.]$/, '').slice(-1));
    const value = callee ? calleeValue(text, ne) : valueAfterName(text, ne, before, quoteBefore);
    if (!value) continue;
    const literal = text.slice(value.start, value.end);
    if (!isSecretLiteral(literal, strength === 'weak', value.quoted)) continue;
    after = value.end;
    yield { kind: 'credential assignment', at: ns, start: value.start, end: value.end };
  }
};

/** The literal argument of `setPassword("…")` / `new Credentials("user", "…")`: the last literal. */
function calleeValue(text: string, open: number): Value | undefined {
  const close = text.indexOf(text[open] === '[' ? ']' : ')', open);
  if (close < 0 || close - open > 400) return undefined;
  let last: Value | undefined;
  for (let i = open + 1; i < close; i++) {
    const q = quotedAt(text, i);
    if (q) {
      last = q;
      i = q.end;
    }
  }
  return last;
}

function valueAfterName(
  text: string,
  ne: number,
  before: string,
  quoteBefore: boolean,
): Value | undefined {
  if (before.endsWith('<')) return elementText(text, ne);
  let i = ne;
  if (quoteBefore && (text[i] === '"' || text[i] === "'")) i++;
  if (text[i] === ']') i++;
  const cli = /(?:^|\s)--?$/.test(before);
  const delimited = /[?&;]$/.test(before) || /(?:-H|--header)\s+["']$/.test(before);
  // `docker run -e NAME=…`, `--build-arg NAME=…`, `helm --set name=…`, `-Dname=…`: an env or property on a command line.
  const envLine =
    ENV_PREFIX.test(before) ||
    /(?:^|\s)(?:-e|--env|--build-arg|--set|--set-string|-D)[\s=]?$/.test(before);
  i = skipSpaces(text, i);

  let op = '';
  const rest = text.slice(i, i + 4);
  const opMatch = /^(?::=|=>|===|!==|==|!=|\?=|=|:|,)/.exec(rest);
  if (opMatch) op = opMatch[0];
  if (op === ',' && !quoteBefore) return undefined; // only `define('NAME', 'value')`-style keyed calls
  if (op === '' && /^\s+value\s*=/.test(text.slice(i - 1, i + 12)) && quoteBefore) {
    // <add key="SmtpPassword" value="…" />
    const v = /^\s*value\s*=\s*/.exec(text.slice(i, i + 20));
    if (!v) return undefined;
    return quotedAt(text, i + v[0].length);
  }
  if (op === '') {
    // Go: `var clientSecret string = "…"` (a type between the name and `=`).
    const typed = /^[A-Za-z_][\w.*[\]]{0,30}\s{0,3}=(?!=)\s{0,3}/.exec(text.slice(i, i + 40));
    if (typed && /\s/.test(text[ne] ?? '')) return quotedAt(text, i + typed[0].length);
    // Whitespace-separated: Dockerfile `ENV NAME value`, CLI `--password value`, gh's `<<< value`.
    if (!(cli || /^\s*ENV\s+$/.test(before)) || !/\s/.test(text[ne] ?? '')) return undefined;
    let j = skipSpaces(text, ne);
    if (text.startsWith('<<<', j)) j = skipSpaces(text, j + 3);
    return quotedAt(text, j) ?? bareAt(text, j, /[\s"'`]/);
  }
  let j = skipSpaces(text, i + op.length);
  if (op === ':') {
    // An annotation (`password: str = "…"`, `dbPassword: string = '…'`) moves the value past its `=`.
    const annotated = /^[A-Za-z_][\w.[\]|, <>?]{0,40}?\s{0,3}=(?!=|>)\s{0,3}/.exec(
      text.slice(j, j + 48),
    );
    if (annotated && !/^["'`]/.test(text.slice(j))) j += annotated[0].length;
  }
  // `auth=("user", "…")`, `credentials = ["user", "…"]`: a pair whose last literal is the secret.
  const quoted =
    quotedAt(text, j) ??
    wrappedLiteral(text, j) ??
    (text[j] === '(' || text[j] === '[' ? calleeValue(text, j) : undefined);
  if (quoted) return quoted;
  if (op === ',' || (op.startsWith('=') && op.length > 1 && op !== '=>') || op.startsWith('!'))
    return undefined; // compared with or passed a non-literal
  if (cli) return bareAt(text, j, /[\s"'`]/);
  if (delimited) return bareAt(text, j, /[\s;&"'`<>()[\]#]/);
  if (envLine && (op === '=' || op === ':')) {
    const v = bareAt(text, j, /[\s"'`]/);
    if (v && !looksLikeCode(text.slice(v.start, v.end))) return v;
  }
  return undefined;
}

/** `<password>…</password>`, `<Pass encoding="base64">…</Pass>`: the element's text. */
function elementText(text: string, ne: number): Value | undefined {
  const m = /^(?:\s[^<>\n]{0,100})?>([^<>\n]{1,2000})<\//.exec(text.slice(ne, ne + 2200));
  if (!m) return undefined;
  const start = ne + m[0].length - 2 - m[1]!.length;
  return { start, end: start + m[1]!.length, quoted: true };
}

/** `String::from("…")`, `SecretStr("…")`: a literal in a wrapper that adds nothing. */
function wrappedLiteral(text: string, j: number): Value | undefined {
  const w = /^(?:String::from|SecretStr|SecretString|Secret|String|new String)\(\s{0,2}/.exec(
    text.slice(j, j + 24),
  );
  return w ? quotedAt(text, j + w[0].length) : undefined;
}
