import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOCKED_FILES } from '../../../src/core/settings';
import { blockedBy, scanForSecrets } from '../../../src/send/secretScanner';

const kinds = (text: string) => scanForSecrets(text).map((f) => f.kind);

describe('scanForSecrets finds', () => {
  it.each([
    // A key block is a secret by its body: a header alone, or `...` where the body goes, is what
    // code and docs that talk about keys look like (issue 12), so those are near-misses below.
    [
      'private key',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n-----END RSA PRIVATE KEY-----',
    ],
    [
      'private key',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
    ],
    ['AWS access key id', "const id = 'AKIAIOSFODNN7EXAMPLE';"],
    ['AWS secret access key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['GitHub token', 'token: ghp_1234567890abcdefghijklmnopqrstuvwxyzAB'],
    [
      'GitHub token',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ',
    ],
    ['Slack token', 'SLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
    [
      'Slack webhook',
      'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
    ],
    ['Twitch OAuth token', 'PASS oauth:abcdefghijklmnopqrstuvwxyz0123'],
    ['Google API key', 'key=AIzaSyA1234567890abcdefghijklmnopqrstuv'],
    ['Stripe secret key', 'stripe("sk_live_4eC39HqLyjWDarjtT1zdp7dc")'],
    [
      'JSON Web Token',
      'Authorization: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ],
    ['credential assignment', 'password = "hunter2-but-longer"'],
    ['credential assignment', 'DB_PASSWORD=s3cr3tP@ssw0rd'],
    ['credential assignment', '  api_key: "9f8e7d6c5b4a"'],
    ['credential assignment', '{"client_secret": "abcDEF123456ghiJKL"}'],
    ['high-entropy string', 'const blob = "q8Zr3Lk9Xw2Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc";'],
  ])('%s in %j', (kind, text) => {
    expect(kinds(text)).toContain(kind);
  });

  it('reports the line, never the value', () => {
    const findings = scanForSecrets('line one\nconst k = "AKIAIOSFODNN7EXAMPLE";\n');
    expect(findings).toEqual([{ kind: 'AWS access key id', line: 2, start: 20, end: 40 }]);
    expect(JSON.stringify(findings)).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it.each([
    ['const k = "AKIAIOSFODNN7EXAMPLE";', 'AKIAIOSFODNN7EXAMPLE'],
    ['password = "hunter2-but-longer"', 'hunter2-but-longer'],
    ["  api_key: '9f8e7d6c5b4a'", '9f8e7d6c5b4a'],
    ['DB_PASSWORD=s3cr3tP@ssw0rd', 's3cr3tP@ssw0rd'],
    [
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ],
    [
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0t\nq8Zr3Lk9\n-----END RSA PRIVATE KEY-----',
      'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0t\nq8Zr3Lk9',
    ],
  ])('offsets of %j cover the value only', (text, value) => {
    const [finding] = scanForSecrets(text);
    expect(finding).toBeDefined();
    expect(text.slice(finding!.start, finding!.end)).toBe(value);
  });
});

describe('scanForSecrets leaves alone', () => {
  it.each([
    'password = ""',
    'const password = process.env.PASSWORD;',
    'api_key: ${API_KEY}',
    'const token = getToken();',
    'token = await tokens.get(platform)',
    'The AKIA prefix marks AWS access keys.',
    'const header = "eyJhbGci";',
    'id: 123e4567-e89b-12d3-a456-426614174000',
    'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed it',
    'export function createGlimeshClientWithDefaultOptions(deps) {}',
    'import { ReconnectingClientOptions } from "./reconnectingClient";',
    'const url = "https://glimesh.tv/api/graph/websocket";',
    'password: string; // the user types it',
    'secret = "changeme"',
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----',
    "const KEY = 'streamChat.timeline';",
    'const RefreshTokenClientAcquireToken = "refreshTokenClientAcquireToken";',
    '    IdToken: Record<string, SerializedIdTokenEntity>;',
    'export type Flow = "CustomAuthFlowScenarioV2" | "FLOW_EXISTING_ACCOUNT_PASSWORD_REQUIRED";',
    "const myURL = new URL('https://abc:xyz@example.com');",
    '  - secure: rE2Vvo7vnjabYNULNyLFxOyt98BoJexDqsiOnfiD6kLYYsiQGfr/sbZkPMOFm9qfQG7pjqx+zZWZ',
    "{ key: 'glimesh.socketUrl', url: 'wss://glimesh.tv/api/graph/websocket' }",
    'max_tokens = 4096',
    'const passwordHash = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";',
  ])('%j', (text) => {
    expect(scanForSecrets(text)).toEqual([]);
  });
});

describe('blocked files', () => {
  it.each([
    '.env',
    '.env.local',
    'config/.env.production',
    'certs/server.pem',
    'keys/deploy.key',
    'home/.ssh/id_rsa',
    'id_rsa.pub',
    'src/clientSecret.ts',
    'SECRETS.md',
    'secrets/prod.yaml',
    'config/.env.d/app.conf',
  ])('blocks %s', (path) => {
    expect(blockedBy(path, DEFAULT_BLOCKED_FILES)).toBeDefined();
  });

  it.each([
    'src/environment.ts',
    'src/app.ts',
    'docs/keyboard.md',
    'src/key.ts',
    'README.md',
    'src/envelope.ts',
  ])('allows %s', (path) => {
    expect(blockedBy(path, DEFAULT_BLOCKED_FILES)).toBeUndefined();
  });
});

// Every kind the guard names, with the exact span a mask must cover (`[…]` marks the value; the
// brackets are removed before scanning), and beside it a near-miss that must pass.
const VALUE = /\[([^\]]*)\]/;
const marked = (s: string) => ({ text: s.replace(VALUE, '$1'), value: VALUE.exec(s)![1]! });

describe('each kind, its value span, and its near-miss', () => {
  it.each([
    [
      'private key',
      'k = """-----BEGIN PRIVATE KEY-----\n[MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nVb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa1B2c]\n-----END PRIVATE KEY-----"""',
      'const HEADER = "-----BEGIN PRIVATE KEY-----";',
    ],
    [
      'private key',
      '"private_key": "-----BEGIN PRIVATE KEY-----\\n[MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\nBKcwggSjAgEAAoIBAQC7Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe]\\n-----END PRIVATE KEY-----\\n"',
      '"private_key": "-----BEGIN PRIVATE KEY-----\\n<YOUR_KEY>\\n-----END PRIVATE KEY-----\\n"',
    ],
    [
      'private key',
      'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPublic-Lines: 1\nAAAAC3NzaC1lZDI1NTE5AAAAIOr2\nPrivate-Lines: 1\n[AAAAIGx3bXh4Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa1B2cDEF]\nPrivate-MAC: 0f3c',
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0t\n-----END PUBLIC KEY-----',
    ],
    [
      'AWS access key id',
      'aws_access_key_id: [AKIA4Q7ZK2M5N8P3R6T9]',
      'AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX',
    ],
    [
      'GitHub token',
      'git clone https://[ghp_Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa1B2c]@github.com/a/b',
      'const RE = /gh[pousr]_[A-Za-z0-9]{36}/;',
    ],
    [
      'GitLab token',
      'GITLAB_TOKEN=[glpat-Vb7Nm4Pt6Yh1Jd5Fg0Sa]',
      'GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx',
    ],
    [
      'GitLab runner token',
      '--registration-token [GR1348941Vb7Nm4Pt6Yh1Jd5Fg0Sa]',
      '--registration-token $RUNNER_TOKEN',
    ],
    [
      'Slack token',
      "new WebClient('[xoxb-2048-4096-Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc]')",
      'new WebClient(process.env.SLACK_TOKEN)',
    ],
    [
      'Stripe secret key',
      "Stripe.apiKey = '[sk_live_Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2R]';",
      "const pk = 'pk_live_Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2R';",
    ],
    ['Google API key', 'apiKey: "[AIzaVb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa]",', 'apiKey: "AIza..."'],
    [
      'Azure client secret',
      'AZURE_CLIENT_SECRET=[Ab18Q~Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwX]',
      'AZURE_CLIENT_SECRET=${{ secrets.AZURE_CLIENT_SECRET }}',
    ],
    [
      'Azure SAS signature',
      'https://a.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=[Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa1B2c%3D]',
      'https://a.blob.core.windows.net/c/logo.png',
    ],
    [
      'SendGrid API key',
      "sgMail.setApiKey('[SG.Vb7Nm4Pt6Yh1Jd5Fg0Sa8Q.e2Rc9TuVwXyZa1B2cDEFGHIJKLMNOPQRSTUVWXYZabcdefg]');",
      'sgMail.setApiKey(process.env.SENDGRID_API_KEY);',
    ],
    [
      'npm token',
      '//registry.npmjs.org/:_authToken=[npm_Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa1]',
      '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
    ],
    [
      'Discord webhook',
      "url: '[https://discord.com/api/webhooks/123456789012345678/Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa1B2cVb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa]'",
      "url: 'https://discord.com/developers/docs/resources/webhook'",
    ],
    ['Twitch OAuth token', 'PASS [oauth:vb7nm4pt6yh1jd5fg0sa8qe2rc9tuv]', 'PASS oauth:<token>'],
    [
      'Hugging Face token',
      'HF_TOKEN=[hf_VbNmPtYhJdFgSaQeRcTuVwXyZaBcDeFgHi]',
      'HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
    [
      'DigitalOcean token',
      'token = "[dop_v1_0f3c9a8b7e6d5c4b3a29180f3c9a8b7e6d5c4b3a29180f3c9a8b7e6d5c4b3a29]"',
      'token = var.do_token',
    ],
    [
      'Anthropic API key',
      'ANTHROPIC_API_KEY=[sk-ant-api03-Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa1B2cVb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa1B2cVb7Nm4Pt6Yh1Jd5AA]',
      'ANTHROPIC_API_KEY=sk-ant-...',
    ],
    [
      'OpenAI-style API key',
      'OPENAI_API_KEY=[sk-Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa1B2cDeF]',
      'OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
    [
      'password in URL',
      'DATABASE_URL=postgres://app:[Harbor-Lumen-42]@db.internal:5432/app',
      'DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal:5432/app',
    ],
    [
      'authorization header',
      'Authorization: Bearer [Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa]',
      'Authorization: Bearer $TOKEN',
    ],
    [
      'authorization header',
      'Authorization: Basic [ZGVwbG95Om9yYml0MTIzIVg=]',
      'Authorization: Basic <credentials>',
    ],
    [
      'curl credentials',
      'curl -u deploy:[orbit123!X] https://ci.example.com',
      'curl -u "$USER:$PASS" https://ci.example.com',
    ],
    ['password on the command line', 'mysql -u root -p[orbit123!X] app', 'mysql -u root -p app'],
    [
      'Kubernetes Secret value',
      'kind: Secret\ndata:\n  password: [b3JiaXQxMjMhWA==]',
      'kind: ConfigMap\ndata:\n  LOG_LEVEL: info',
    ],
    [
      'Twilio auth token',
      'client = Client("AC0f3c9a8b7e6d5c4b3a29180f3c9a8b7e", "[6d5c4b3a29180f3c9a8b7e6d5c4b3a29]")',
      'client = Client(account_sid, auth_token)',
    ],
    [
      'credential assignment',
      '    password: str = "[orbit123!X]"',
      '    password: Optional[str] = None',
    ],
    ['credential assignment', 'secret := "[Vb7Nm4Pt6Yh1]"', 'secret := os.Getenv("SECRET")'],
    ['credential assignment', "'password' => '[orbit123!X]',", "'password' => env('DB_PASSWORD'),"],
    [
      'credential assignment',
      'ENV API_TOKEN [Vb7Nm4Pt6Yh1Jd5Fg0Sa8Q]',
      'ENV API_TOKEN=${API_TOKEN}',
    ],
    [
      'credential assignment',
      'if (password === "[orbit123!X]") {',
      'if (password === confirmation) {',
    ],
    [
      'credential assignment',
      'user.setPassword("[orbit123!X]");',
      'user.setPassword(form.password);',
    ],
    [
      'credential assignment',
      "define('DB_PASSWORD', '[orbit123!X]');",
      "define('DB_PASSWORD', getenv('DB_PASSWORD'));",
    ],
    [
      'credential assignment',
      'docker login -u bot --password [orbit123!X] ghcr.io',
      'docker login -u bot --password-stdin ghcr.io',
    ],
    ['credential assignment', '"password": "[orbit123!X]"', '"password": "Mot de passe"'],
    [
      'credential assignment',
      'token: [vb7nm4pt6yh1jd5fg0sa8qe2rc9tuv]',
      'token: vscode.CancellationToken',
    ],
    [
      'password hash',
      'admin:[$apr1$x8Zr3Lk9$Vb7Nm4Pt6Yh1Jd5Fg0Sa8/]',
      'const passwordHash = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";',
    ],
    [
      'password in URL',
      'sql.Open("mysql", "app:[Pa55w0rd!x]@tcp(127.0.0.1:3306)/shop")',
      'sql.Open("mysql", dsn)',
    ],
    ['credential assignment', "$dbpass = '[Kestrel#4471]';", "$bypass = 'Kestrel#4471';"],
    [
      'credential assignment',
      'secret_key_base: [9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928]',
      'secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>',
    ],
    [
      'credential assignment',
      "define( 'AUTH_KEY', '[Vb7N|m4Pt6Yh1J d5Fg0Sa8Qe2Rc9Tu]' );",
      "define( 'AUTH_KEY', 'put your unique phrase here' );",
    ],
    [
      'credential assignment',
      'docker run -e MYSQL_ROOT_PASSWORD=[Tq8!mz2Kp4] mysql:8',
      'docker run -e MYSQL_ROOT_PASSWORD mysql:8',
    ],
    [
      'credential assignment',
      '<Pass encoding="base64">[cTh6cjNMazlYdzI=]</Pass>',
      '<label>Password</label>',
    ],
  ])('%s: %j', (kind, secret, nearMiss) => {
    const { text, value } = marked(secret);
    const finding = scanForSecrets(text).find((f) => f.kind === kind);
    expect(finding, `no ${kind} in ${text}`).toBeDefined();
    expect(text.slice(finding!.start, finding!.end)).toBe(value);
    expect(scanForSecrets(nearMiss)).toEqual([]);
  });

  it('reports each secret once, the most specific kind first', () => {
    expect(
      scanForSecrets('GITHUB_TOKEN="ghp_Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa1B2c"').map(
        (f) => f.kind,
      ),
    ).toEqual(['GitHub token']);
  });

  it('reports every secret of a block with its own line', () => {
    const text = [
      '[default]',
      'aws_access_key_id = AKIA4Q7ZK2M5N8P3R6T9',
      'aws_secret_access_key = Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa1B2cD',
      'region = eu-west-1',
    ].join('\n');
    expect(scanForSecrets(text).map((f) => [f.kind, f.line])).toEqual([
      ['AWS access key id', 2],
      ['AWS secret access key', 3],
    ]);
  });
});
