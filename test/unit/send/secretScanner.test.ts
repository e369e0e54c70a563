import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOCKED_FILES, blockedBy, scanForSecrets } from '../../../src/send/secretScanner';

const kinds = (text: string) => scanForSecrets(text).map((f) => f.kind);

describe('scanForSecrets finds', () => {
  it.each([
    // A key block is a secret by its body: a header alone, or `...` where the body goes, is what
    // code and docs that talk about keys look like (issue 12), so those are near-misses below.
    ['private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n-----END RSA PRIVATE KEY-----'],
    ['private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW'],
    ['AWS access key id', "const id = 'AKIAIOSFODNN7EXAMPLE';"],
    ['AWS secret access key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['GitHub token', 'token: ghp_1234567890abcdefghijklmnopqrstuvwxyzAB'],
    ['GitHub token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ'],
    ['Slack token', 'SLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
    ['Slack webhook', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['Twitch OAuth token', 'PASS oauth:abcdefghijklmnopqrstuvwxyz0123'],
    ['Google API key', 'key=AIzaSyA1234567890abcdefghijklmnopqrstuv'],
    ['Stripe secret key', 'stripe("sk_live_4eC39HqLyjWDarjtT1zdp7dc")'],
    ['JSON Web Token', 'Authorization: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
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
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0t\nq8Zr3Lk9\n-----END RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0t\nq8Zr3Lk9'],
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
  ])('%j', (text) => {
    expect(scanForSecrets(text)).toEqual([]);
  });
});

describe('blocked files', () => {
  it.each(['.env', '.env.local', 'config/.env.production', 'certs/server.pem', 'keys/deploy.key', 'home/.ssh/id_rsa', 'id_rsa.pub', 'src/clientSecret.ts', 'SECRETS.md', 'secrets/prod.yaml', 'config/.env.d/app.conf'])(
    'blocks %s',
    (path) => {
      expect(blockedBy(path, DEFAULT_BLOCKED_FILES)).toBeDefined();
    },
  );

  it.each(['src/environment.ts', 'src/app.ts', 'docs/keyboard.md', 'src/key.ts', 'README.md', 'src/envelope.ts'])('allows %s', (path) => {
    expect(blockedBy(path, DEFAULT_BLOCKED_FILES)).toBeUndefined();
  });
});
