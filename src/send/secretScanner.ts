/**
 * A last look before code goes on stream: finds what looks like a credential and says what kind
 * and on which line, never the value. Tuned to catch real keys while leaving ordinary code,
 * UUIDs and placeholders alone (the near-misses are in the tests).
 */
export interface SecretFinding {
  readonly kind: string;
  /** 1-based line within the scanned text. */
  readonly line: number;
  /**
   * 0-based offsets into the scanned text of the secret value itself (what a mask should cover):
   * `text.slice(start, end)` is the key body of a private key block, the literal of an assignment
   * without its quotes, the token itself for a provider key.
   */
  readonly start: number;
  readonly end: number;
}

interface Detector {
  readonly kind: string;
  readonly pattern: RegExp;
  /** Extra check on the match (e.g. the assigned value is a literal). */
  readonly accept?: (match: RegExpExecArray) => boolean;
  /** Where the value is within the match: the first capture group that matched, else the whole match. */
  readonly valueGroups?: readonly number[];
}

/** Values that are obviously not secrets: empty, placeholders, references to env or variables. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length < 6) return true;
  if (/^(\$\{?|process\.env|os\.environ|env\(|getenv|<|%|\{\{|xxx|\*{3}|changeme|your[_-]|example|placeholder|dummy|test|null|none|undefined|true|false)/i.test(v)) return true;
  if (/^[A-Za-z_][\w.]*\(.*\)$/.test(v)) return true; // a call: getToken()
  if (/^[A-Za-z_][\w.]*$/.test(v) && !/\d/.test(v)) return true; // an identifier
  return false;
}

const ASSIGNMENT = /\b([A-Za-z0-9_.-]*?(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?key|auth[_-]?token|token|private[_-]?key|client[_-]?secret))["']?\s*(?:=|:|:=|=>)\s*(?:"([^"\n]*)"|'([^'\n]*)'|`([^`\n]*)`|([^\s,;#]+))/dgi;

const DETECTORS: readonly Detector[] = [
  { kind: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:\r?\n([\s\S]*?)(?:\r?\n)?(?=-----END |$))?/dg, valueGroups: [1] },
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g },
  { kind: 'AWS secret access key', pattern: /aws.{0,20}?(?:secret|key).{0,20}?["'=:\s]([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/dgi, valueGroups: [1] },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { kind: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g },
  { kind: 'Slack webhook', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]+/g },
  { kind: 'Twitch OAuth token', pattern: /\boauth:[a-z0-9]{30}\b/gi },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'Stripe secret key', pattern: /\b(?:sk|rk)_live_[0-9A-Za-z]{16,}\b/g },
  { kind: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g },
  {
    kind: 'credential assignment',
    pattern: ASSIGNMENT,
    valueGroups: [2, 3, 4, 5],
    accept: (m) => {
      const value = m[2] ?? m[3] ?? m[4] ?? m[5] ?? '';
      return !isPlaceholder(value);
    },
  },
];

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Long random-looking runs: 32+ characters of base64/base64url/hex. Hex runs need ≥ 3.5 bits per
 * character and at least 33 characters (so a 32-char MD5 or a 40-char git SHA in prose are left
 * alone only if they look like hashes: we accept that trade and flag hex keys ≥ 48 chars);
 * base64 runs need ≥ 4.3 bits and a mix of cases and digits.
 */
const HIGH_ENTROPY = /[A-Za-z0-9+/_=-]{32,}/g;

function isHighEntropy(run: string): boolean {
  const core = run.replace(/=+$/, '');
  if (/^[0-9a-f]+$/i.test(core)) return core.length >= 48 && entropy(core) >= 3.5;
  if (/^[A-Za-z]+$/.test(core) || /^[A-Za-z_]+$/.test(core)) return false; // words, identifiers
  if (/[/-]/.test(core) && /^[a-z0-9/._-]+$/.test(core)) return false; // paths, kebab-case
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(core)).length;
  return classes === 3 && entropy(core) >= 4.3;
}

export function scanForSecrets(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (index: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const seen = new Set<string>();
  const add = (kind: string, at: number, start: number, end: number) => {
    const line = lineOf(at);
    const key = `${kind}:${line}`;
    if (!seen.has(key)) {
      seen.add(key);
      findings.push({ kind, line, start, end });
    }
  };
  const valueSpan = (m: RegExpExecArray, groups: readonly number[] | undefined): [number, number] => {
    for (const g of groups ?? []) {
      const span = m.indices?.[g];
      if (span && span[1] > span[0]) return span;
    }
    return [m.index, m.index + m[0].length];
  };
  const flaggedLines = new Set<number>();
  for (const detector of DETECTORS) {
    detector.pattern.lastIndex = 0;
    for (let m = detector.pattern.exec(text); m; m = detector.pattern.exec(text)) {
      if (!detector.accept || detector.accept(m)) {
        const [start, end] = valueSpan(m, detector.valueGroups);
        add(detector.kind, m.index, start, end);
        flaggedLines.add(lineOf(m.index));
      }
    }
  }
  HIGH_ENTROPY.lastIndex = 0;
  for (let m = HIGH_ENTROPY.exec(text); m; m = HIGH_ENTROPY.exec(text)) {
    if (!flaggedLines.has(lineOf(m.index)) && isHighEntropy(m[0])) add('high-entropy string', m.index, m.index, m.index + m[0].length);
  }
  return findings.sort((a, b) => a.line - b.line);
}

/** Files whose contents never go to chat: `**` any folders, `*` within a name, `?` one character. */
export const DEFAULT_BLOCKED_FILES = ['**/.env*', '**/*.pem', '**/*.key', '**/id_rsa*', '**/*secret*'];

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

/** Whether a workspace-relative path (forward slashes) matches any blocked pattern; returns the pattern. */
export function blockedBy(relativePath: string, patterns: readonly string[]): string | undefined {
  const path = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
  // A blocked folder blocks what is inside it: `secrets/prod.yaml` matches `**/*secret*` by its folder.
  const segments = path.split('/');
  const candidates = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
  return patterns.find((p) => {
    const re = globToRegExp(p);
    return candidates.some((c) => re.test(c));
  });
}
