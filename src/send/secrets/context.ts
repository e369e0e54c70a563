/**
 * Secrets recognised by what surrounds them rather than by their shape: passwords in connection
 * URLs, `Authorization` headers, `curl -u`, Kubernetes Secret data, SAS signatures, Twilio's
 * SID + auth token pair.
 */
import type { Candidate, Detector } from './types';
import { isPlaceholder, isReference, looksRandom } from './values';

const span = (m: RegExpExecArray, group: number) =>
  m.indices?.[group] ?? [m.index, m.index + m[0].length];

function* matches(
  text: string,
  pattern: RegExp,
  kind: string,
  group: number,
  accept: (value: string, m: RegExpExecArray) => boolean,
): Iterable<Candidate> {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const [start, end] = span(m, group);
    if (end > start && accept(text.slice(start, end), m)) yield { kind, at: m.index, start, end };
  }
}

/** A password someone typed into a URL or a command line: not empty, not `$VAR`, not `<password>`. */
const typedSecret = (v: string) =>
  v.length >= 4 &&
  !v.startsWith('$') &&
  !isPlaceholder(v) &&
  !isReference(v, true) &&
  !/^[{<[]|[}>\]]$/.test(v);

// scheme://user:password@host (postgres, mongodb+srv, redis with an empty user, amqp, mysql, ftp, …).
// The scheme is not checked: `://` is the literal the regex engine can search for quickly.
const CONNECTION_URL = /:\/\/[^\s:@/?#'"`]{0,64}:([^\s@/'"`]{1,128})@[^\s/'"`?#]{1,255}/dg;
// Go's MySQL DSN: user:password@tcp(host:port)/db
const GO_DSN = /["'`\s]([\w.-]{1,64}):([^\s@"'`/:]{3,128})@(?:tcp|unix|udp)\(/dg;
// .htpasswd lines: user:$apr1$… / $2y$… (a password hash is what an attacker cracks offline)
const HTPASSWD = /^[\w.@-]{1,64}:(\$(?:apr1|2[aby]|1|5|6)\$[./A-Za-z0-9$]{20,200})\s*$/dgm;
// Authorization: Bearer …, Basic …, token …, Bot …; in headers, objects, HTTPie, fetch options.
const AUTH_HEADER =
  /\b(?:proxy-)?authorization["']?\s{0,3}[:=,]\s{0,3}[`"'f]{0,2}\s{0,3}(?:bearer|basic|token|bot|digest|apikey|sso-key)\s{1,3}([A-Za-z0-9._~+/=:-]{8,4096})/dgi;
// curl -u user:password / --user "user:password"
const CURL_USER = /(?:^|\s)(?:-u|--user)\s{1,3}(["']?)[^\s:"']{1,64}:([^\s"']{1,128})\1/dg;
// mysql -pSECRET, sshpass -p 'SECRET', twine -p SECRET
const CLI_PASSWORD = /(?<=\s)-p\s?(["']?)([^\s"']{4,128})\1/dg;
const PASSWORD_CLI = /\b(?:mysql|mysqldump|mariadb|sshpass|twine|mysqladmin)\b/;
// Azure SAS: the signature in a shared-access URL.
const SAS_SIGNATURE = /[?&;]sig=([A-Za-z0-9%+/=]{20,200})/dg;
// PowerShell: a password turned into a SecureString from plain text.
const SECURE_STRING =
  /ConvertTo-SecureString\s{1,3}(?:-String\s{1,3})?(["'])([^"'\n]{1,256})\1\s{1,3}-AsPlainText/dgi;
// Twilio: an account SID (or the client factory) followed by a 32-hex auth token.
const TWILIO_PAIR = /AC[0-9a-f]{32}\b["']?\s{0,3},\s{0,3}["']([0-9a-f]{32})["']/dg;
const TWILIO_FACTORY =
  /twilio["']?\)\s{0,2}\(\s{0,2}[\w.]{1,40}\s{0,3},\s{0,3}["']([0-9a-f]{32})["']/dg;

export const findContextSecrets: Detector = function* (text: string): Iterable<Candidate> {
  // Most rules need a literal that most code lacks: a plain search for it first is far cheaper
  // than running a regex whose first character could be anywhere.
  const lower = text.toLowerCase();
  const has = (...needles: string[]) => needles.some((n) => lower.includes(n));
  yield* matches(text, CONNECTION_URL, 'password in URL', 1, typedSecret);
  if (has('authorization')) {
    yield* matches(text, AUTH_HEADER, 'authorization header', 1, (v, m) => {
      if (!typedSecret(v) || v.startsWith('$')) return false;
      return /basic/i.test(m[0]) ? v.length >= 8 : looksRandom(v, 16);
    });
  }
  if (has('@tcp(', '@unix(', '@udp('))
    yield* matches(text, GO_DSN, 'password in URL', 2, typedSecret);
  if (has(':$')) yield* matches(text, HTPASSWD, 'password hash', 1, () => true);
  if (has('-u ', '-u\t', '--user'))
    yield* matches(text, CURL_USER, 'curl credentials', 2, typedSecret);
  if (PASSWORD_CLI.test(text)) {
    yield* matches(text, CLI_PASSWORD, 'password on the command line', 2, (v, m) => {
      const lineStart = text.lastIndexOf('\n', m.index) + 1;
      return typedSecret(v) && PASSWORD_CLI.test(text.slice(lineStart, m.index));
    });
  }
  if (has('sig='))
    yield* matches(text, SAS_SIGNATURE, 'Azure SAS signature', 1, (v) =>
      looksRandom(decodeURIComponentSafe(v), 20),
    );
  if (has('securestring'))
    yield* matches(text, SECURE_STRING, 'password on the command line', 2, typedSecret);
  yield* matches(text, TWILIO_PAIR, 'Twilio auth token', 1, () => true);
  if (has('twilio')) yield* matches(text, TWILIO_FACTORY, 'Twilio auth token', 1, () => true);
  yield* findKubernetesSecretData(text);
};

function decodeURIComponentSafe(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** Values under `data:` / `stringData:` of a manifest that says `kind: Secret`. */
function* findKubernetesSecretData(text: string): Iterable<Candidate> {
  if (!/^\s*kind:\s*["']?Secret["']?\s*$/m.test(text)) return;
  const lines = text.split('\n');
  let offset = 0;
  let blockIndent = -1;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const trimmed = line.trim();
    if (/^(?:data|stringData):\s*$/.test(trimmed)) blockIndent = indent;
    else if (blockIndent >= 0 && trimmed && indent <= blockIndent) blockIndent = -1;
    else if (blockIndent >= 0) {
      const m = /^(\s*["']?[\w.-]{1,253}["']?:\s*)(["']?)([^\s"'#]{1,4096})\2\s*$/.exec(line);
      if (m && !m[3]!.startsWith('$') && !isPlaceholder(m[3]!) && !isReference(m[3]!, true)) {
        const start = offset + m[1]!.length + m[2]!.length;
        yield {
          kind: 'Kubernetes Secret value',
          at: offset + indent,
          start,
          end: start + m[3]!.length,
        };
      }
    }
    offset += line.length + 1;
  }
}
