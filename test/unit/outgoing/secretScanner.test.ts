import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeFindings, entropy, isCredentialKey, isPlaceholderValue, looksRandom, scanForSecrets } from '../../../src/outgoing/secretScanner';

// Fake credentials are assembled at run time, so this file holds no string that a secret scanner
// (GitHub push protection, or ours when a streamer sends this file) would take for a real key.
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const LOWER_DIGITS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const BASE64 = `${ALNUM}+/`;
/** A deterministic random-looking string (xorshift), so failures reproduce. */
function fake(length: number, alphabet = ALNUM, seed = length * 7919): string {
  let x = seed || 1;
  let out = '';
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += alphabet[Math.abs(x) % alphabet.length];
  }
  return out;
}
const join = (...parts: string[]) => parts.join('');

const kinds = (text: string) => scanForSecrets(text).map((f) => f.kind);

describe('scanForSecrets finds each kind of secret', () => {
  const awsId = join('AKIA', fake(16, UPPER_DIGITS));
  const awsSecret = fake(40, BASE64, 42);
  const jwt = join('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ', '.', fake(43, `${ALNUM}-_`));

  it.each([
    ['private key', join('-----BEGIN RSA ', 'PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----')],
    ['private key', join('-----BEGIN ', 'PRIVATE KEY-----')],
    ['private key', join('-----BEGIN OPENSSH ', 'PRIVATE KEY-----')],
    ['private key', join('-----BEGIN EC ', 'PRIVATE KEY-----')],
    ['private key', join('-----BEGIN ENCRYPTED ', 'PRIVATE KEY-----')],
    ['private key', join('-----BEGIN PGP ', 'PRIVATE KEY BLOCK-----')],
    ['private key', join('const pem = "-----BEGIN RSA ', 'PRIVATE KEY-----\\nMIIEow…";')],
    ['private key', join('PuTTY-User-Key-File-', '3: ssh-rsa')],
    ['AWS access key id', `const id = '${awsId}';`],
    ['AWS access key id', `aws_access_key_id=${join('ASIA', fake(16, UPPER_DIGITS, 3))}`],
    ['AWS secret access key', `aws_secret_access_key = ${awsSecret}`],
    ['AWS secret access key', `AWS_SECRET_ACCESS_KEY="${awsSecret}"`],
    ['AWS secret access key', `  secretAccessKey: '${awsSecret}',`],
    ['GitHub token', `token: ${join('gh', 'p_', fake(36))}`],
    ['GitHub token', join('gh', 'o_', fake(36, ALNUM, 5))],
    ['GitHub token', join('gh', 'u_', fake(36, ALNUM, 6))],
    ['GitHub token', join('gh', 's_', fake(36, ALNUM, 7))],
    ['GitHub token', join('gh', 'r_', fake(36, ALNUM, 8))],
    ['GitHub token', join('github', '_pat_', fake(22), '_', fake(59))],
    ['Slack token', `SLACK=${join('xo', 'xb-', '123456789012-1234567890123-', fake(24))}`],
    ['Slack token', join('xo', 'xp-', '1234567890-', fake(30, LOWER_DIGITS))],
    ['Slack webhook', join('https://hooks.', 'slack.com/services/T0', fake(8, UPPER_DIGITS), '/B0', fake(8, UPPER_DIGITS), '/', fake(24))],
    ['Discord webhook', join('https://discord.com/api/', 'webhooks/', '112233445566778899/', fake(68, `${ALNUM}-_`))],
    ['Twitch OAuth token', `PASS ${join('oauth', ':', fake(30, LOWER_DIGITS))}`],
    ['Google API key', `key=${join('AI', 'za', fake(35, `${ALNUM}-_`))}`],
    ['Stripe secret key', `stripe("${join('sk', '_live_', fake(24))}")`],
    ['Stripe secret key', join('rk', '_live_', fake(24, ALNUM, 9))],
    ['OpenAI API key', `OPENAI_API_KEY=${join('sk-', 'proj-', fake(64, `${ALNUM}-_`))}`],
    ['OpenAI API key', join('sk-', fake(20), 'T3Blbk', 'FJ', fake(20, ALNUM, 11))],
    ['Anthropic API key', join('sk-', 'ant-api03-', fake(93, `${ALNUM}-_`))],
    ['npm token', `//registry.npmjs.org/:_authToken=${join('np', 'm_', fake(36))}`],
    ['JSON Web Token', `Authorization: Bearer ${jwt}`],
    ['password in URL', 'const url = "postgres://admin:hunter22@db.internal:5432/app";'],
    ['password in URL', 'redis://:s3cr3t%21pass@cache:6379'],
    ['bearer token', `curl -H "Authorization: Bearer ${fake(40, LOWER_DIGITS)}"`],
    ['credential assignment', 'password = "hunter2"'],
    ['credential assignment', 'const dbPassword = \'correct-horse-battery-9\';'],
    ['credential assignment', 'DB_PASSWORD=s3cr3tP@ssw0rd'],
    ['credential assignment', 'export API_KEY=9f8e7d6c5b4a3f2e'],
    ['credential assignment', '  api_key: "9f8e7d6c5b4a"'],
    ['credential assignment', '{"client_secret": "abcDEF123456ghiJKL"}'],
    ['credential assignment', 'secret: hunter22'],
    ['credential assignment', '  - password: Tr0ub4dor&3'],
    ['credential assignment', 'token := "f00dbabe1234"'],
    ['credential assignment', 'connect(host, password="hunter22")'],
    ['credential assignment', 'settings.auth.token = `abc123def456`;'],
    ['credential assignment', 'label = password="hunter22x"'],
    ['credential assignment', "'password' => 'hunter22',"],
    ['credential assignment', ':api_key => "9f8e7d6c5b4a"'],
    ['high-entropy string', `const blob = "${fake(40, BASE64, 99)}";`],
    ['high-entropy string', `headers['X-Custom'] = '${fake(48, `${ALNUM}-_`, 7)}'`],
  ])('%s in %j', (kind, text) => {
    expect(kinds(text)).toContain(kind);
  });

  it('reports the line, never the value', () => {
    const secret = join('AKIA', fake(16, UPPER_DIGITS));
    const findings = scanForSecrets(`line one\nconst k = "${secret}";\n`);
    expect(findings).toEqual([{ kind: 'AWS access key id', line: 2 }]);
    expect(JSON.stringify(findings)).not.toContain(secret);
    expect(describeFindings(findings)).not.toContain(secret);
  });

  it('numbers lines from `firstLine` (editor lines for a selection)', () => {
    expect(scanForSecrets(`a\nb\npassword = "hunter22"`, { firstLine: 40 })).toEqual([{ kind: 'credential assignment', line: 42 }]);
  });

  it('names each secret once, by its most precise kind', () => {
    const token = join('gh', 'p_', fake(36));
    expect(scanForSecrets(`github_token = "${token}"`)).toEqual([{ kind: 'GitHub token', line: 1 }]);
    expect(scanForSecrets(`aws_secret_access_key = "${fake(40, BASE64, 42)}"`)).toEqual([{ kind: 'AWS secret access key', line: 1 }]);
  });

  it('finds several secrets across lines, sorted by line', () => {
    const text = [`id = "${join('AKIA', fake(16, UPPER_DIGITS))}"`, 'nothing here', 'password: "hunter22"', join('-----BEGIN ', 'PRIVATE KEY-----')].join('\n');
    expect(scanForSecrets(text)).toEqual([
      { kind: 'AWS access key id', line: 1 },
      { kind: 'credential assignment', line: 3 },
      { kind: 'private key', line: 4 },
    ]);
  });

  it('finds random base64 and base64url strings nearly always (99% at 40 characters)', () => {
    const rate = (length: number, alphabet: string) => {
      let found = 0;
      for (let seed = 1; seed <= 1000; seed++) if (scanForSecrets(`x = ${fake(length, alphabet, seed * 104729)}`).length > 0) found++;
      return found / 1000;
    };
    expect(rate(32, BASE64)).toBeGreaterThanOrEqual(0.97);
    expect(rate(40, BASE64)).toBeGreaterThanOrEqual(0.99);
    expect(rate(40, `${ALNUM}-_`)).toBeGreaterThanOrEqual(0.99);
    expect(rate(64, BASE64)).toBeGreaterThanOrEqual(0.995);
  });

  it('looksRandom judges one run: random base64 yes, names, hex and short runs no', () => {
    expect(looksRandom(fake(40, BASE64, 3))).toBe(true);
    expect(looksRandom('createGlimeshClientWithDefaultOptions2024')).toBe(false);
    expect(looksRandom(fake(64, '0123456789abcdef', 3))).toBe(false);
    expect(looksRandom(fake(31, BASE64, 3))).toBe(false);
  });

  it('leaves random hex alone (hashes), however long (property)', () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9a-f]{32,128}$/), (hex) => scanForSecrets(`x ${hex}`).length === 0));
  });

  it('entropy: bits per character', () => {
    expect(entropy('')).toBe(0);
    expect(entropy('aaaa')).toBe(0);
    expect(entropy('abab')).toBe(1);
    expect(entropy('abcdefgh')).toBe(3);
  });
});

describe('scanForSecrets leaves alone', () => {
  it.each([
    // the issue's near-misses
    'password = ""',
    "password = ''",
    'const password = process.env.PASSWORD;',
    'password = os.environ["PASSWORD"]',
    'api_key: ${API_KEY}',
    'api_key: "${API_KEY}"',
    'The AKIA prefix marks AWS access keys.',
    'const header = "eyJhbGci";',
    'const jwtStart = "eyJhbGciOiJIUzI1NiJ9";',
    'id: 123e4567-e89b-12d3-a456-426614174000',
    'ID = "123E4567-E89B-12D3-A456-426614174000"',
    'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed it',
    'sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'const token = getToken();',
    'token = await tokens.get(platform)',
    'export function createGlimeshClientWithDefaultOptions2024(deps) {}',
    'import { ReconnectingClientOptions } from "./reconnectingClient";',
    // placeholders, references and types
    'password: string; // the user types it',
    'password?: string;',
    'secret = "changeme"',
    'secret: "your-api-key-here"',
    'API_KEY=<your key>',
    'apiKey: YOUR_API_KEY',
    'password: "********"',
    'token: "xxxxxxxxxxxx"',
    'PASSWORD=$(cat /run/secrets/db)',
    'password = config.database.password',
    '  password: userPassword,',
    'const { password } = req.body;',
    'password: Optional[str] = None',
    'secret: SecretStr',
    'token => token.trim()',
    'if (password == "") return;',
    'private_key: "./keys/deploy.pem"',
    'errors: { password: "Password must be at least 8 characters" }',
    'const nextPageToken = "CAUQAA";',
    'maxTokens: 1000000',
    'credentials: "include"',
    'tokenizer = "whitespace-tokenizer"',
    // provider prefixes that are not keys
    'the ghp_ prefix is a classic token',
    'ghp_tooShort123',
    'xoxb-your-token',
    'https://hooks.slack.com/services/',
    'https://discord.com/api/webhooks/{id}/{token}',
    'oauth:abc',
    '"oauth:" + token',
    'AIzaShort',
    'stripe.setKey(sk_test_placeholder)',
    'sk_live_',
    'pip install scikit-learn  # sk-learn',
    'npm_config_registry=https://registry.npmjs.org/',
    'Authorization: Bearer ${token}',
    '`Bearer ${this.token}`',
    'postgres://user:${DB_PASS}@db/app',
    'https://user:<password>@host/path',
    'https://example.com/a/b',
    '-----BEGIN PUBLIC KEY-----',
    '-----BEGIN CERTIFICATE-----',
    "if (pem.startsWith('-----BEGIN RSA PRIVATE KEY-----')) parse(pem);",
    // long runs that are not random
    '"integrity": "sha512-' + fake(86, BASE64, 5) + '=="',
    'src="data:image/png;base64,' + fake(64, BASE64, 6) + '"',
    '/** [MDN Reference](https://developer.mozilla.org/docs/Web/API/WebGL2RenderingContext/texImage3D) */',
    'node_modules/@vscode/webview-ui-toolkit/dist/toolkit.min.js',
    'see docs/Web/API/WebGL2RenderingContext/texImage3D for details',
    'src/platforms/glimesh/ClientConnectionManager2024.ts',
    'const LONG_CONSTANT_NAME_FOR_THE_DEFAULT_TIMEOUT_MS = 5000;',
    '--disable-extensions-except-the-one-being-tested',
  ])('%j', (text) => {
    expect(scanForSecrets(text)).toEqual([]);
  });

  it('ordinary code (a realistic file)', () => {
    const code = `
import * as vscode from 'vscode';
import { ChatHub } from '../core/chatHub';

export async function sendSelection(hub: ChatHub, token: vscode.CancellationToken): Promise<number> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || token.isCancellationRequested) return 0;
  const password = await vscode.window.showInputBox({ password: true, prompt: 'Password' });
  const apiKey = context.secrets.get('apiKey');
  const url = \`https://api.example.com/v1/users/\${encodeURIComponent(id)}?page=2&per_page=100\`;
  const hash = createHash('sha256').update(text).digest('hex');
  return hub.send('mixer', \`\${hash}: \${url}\`).then(() => 1);
}
`;
    expect(scanForSecrets(code)).toEqual([]);
  });
});

describe('credential keys and values', () => {
  it.each(['password', 'dbPassword', 'DB_PASSWORD', 'db-pass', 'secret', 'clientSecret', 'client_secret', 'api_key', 'apiKey', 'APIKEY', 'x-api-key', 'accessToken', 'auth.token', 'privateKey', 'AWS_SECRET_ACCESS_KEY', 'signing_key', 'passphrase'])(
    'names a credential: %s',
    (key) => expect(isCredentialKey(key)).toBe(true),
  );

  it.each(['passwordHint', 'secretName', 'tokenType', 'nextPageToken', 'cancellationToken', 'publicKey', 'bypass', 'compass', 'keyboard', 'credentials', 'max_tokens', 'passwordLength', 'key'])(
    'does not name a credential: %s',
    (key) => expect(isCredentialKey(key)).toBe(false),
  );

  it.each(['', 'abc', 'changeme', '${SECRET}', '{{ secret }}', '<token>', '******', 'your-token-here', 'YOUR_TOKEN', 'myPassword', 'process.env.X', 'clientSecret', 'GITHUB_TOKEN', 'https://vault/x', './id_rsa', 'Enter your password here'])(
    'is a placeholder: %j',
    (value) => expect(isPlaceholderValue(value)).toBe(true),
  );

  it.each(['hunter22', 'Tr0ub4dor&3', 's3cr3tP@ssw0rd', 'f00dbabe1234', 'correct-horse-9', 'mySuperSecretP@ss'])('is a real value: %j', (value) => {
    expect(isPlaceholderValue(value)).toBe(false);
  });
});

describe('describeFindings', () => {
  it('groups lines by kind, in the order found', () => {
    expect(
      describeFindings([
        { kind: 'AWS access key id', line: 3 },
        { kind: 'GitHub token', line: 5 },
        { kind: 'GitHub token', line: 9 },
        { kind: 'GitHub token', line: 12 },
      ]),
    ).toBe('AWS access key id on line 3; GitHub token on lines 5, 9 and 12');
    expect(describeFindings([])).toBe('');
  });
});
