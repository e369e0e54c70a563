// Whatever a streamer selects, the guard answers: it never throws, and every finding points
// inside the text (the screen guard turns offsets into editor ranges without checking them).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanForSecrets } from '../../../src/send/secretScanner';

/** Fragments that steer the text into every detector's code paths. */
const FRAGMENTS = [
  '-----BEGIN RSA PRIVATE KEY-----',
  '-----END RSA PRIVATE KEY-----',
  '-----BEGIN PGP PRIVATE KEY BLOCK-----',
  'PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\n',
  'Private-MAC: ',
  '\\n',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw',
  'password',
  'api_key',
  'Secret',
  'token',
  ' = ',
  ': ',
  ':=',
  '=>',
  '"',
  "'",
  '`',
  '(',
  ')',
  '[',
  ']',
  ',',
  ';',
  '&',
  '?',
  '\n',
  '  ',
  'ENV ',
  'export ',
  '--password ',
  'mysql -p',
  'curl -u a:',
  'Authorization: Bearer ',
  'Basic ',
  'postgres://u:',
  '@host',
  'kind: Secret\ndata:\n  k: ',
  'ghp_',
  'AKIA',
  'xoxb-',
  'sk-',
  'eyJhbGciOiJIUzI1NiJ9.',
  'eyJzdWIiOiIxIn0.',
  'AIza',
  'sig=',
  'setPassword(',
  'new Credentials(',
  'q8Zr3Lk9Xw2Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc',
  'xxxx',
  '${X}',
  'é',
  '😀',
  '\r\n',
];

const hostile = fc
  .array(
    fc.oneof(
      fc.constantFrom(...FRAGMENTS),
      fc.string({ maxLength: 12 }),
      fc.stringMatching(/^[A-Za-z0-9+/=_-]{0,60}$/),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('scanForSecrets on any text', () => {
  it('never throws, and every finding is a non-empty span inside the text on a line that exists', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostile,
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
        ),
        (text) => {
          const lines = text.split('\n').length;
          for (const f of scanForSecrets(text)) {
            expect(Number.isInteger(f.start) && Number.isInteger(f.end)).toBe(true);
            expect(f.start).toBeGreaterThanOrEqual(0);
            expect(f.end).toBeGreaterThan(f.start);
            expect(f.end).toBeLessThanOrEqual(text.length);
            expect(f.line).toBeGreaterThanOrEqual(1);
            expect(f.line).toBeLessThanOrEqual(lines);
            expect(f.kind.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 250 },
    );
  });

  it('finds the same secret wherever the selection starts (offsets shift with it)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }).filter((s) => !/[A-Za-z0-9+/=_-]$/.test(s)),
        (prefix) => {
          const line = 'GITHUB_TOKEN=ghp_Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa1B2c';
          const text = `${prefix}\n${line}`;
          const finding = scanForSecrets(text).find((f) => f.kind === 'GitHub token');
          expect(finding).toBeDefined();
          expect(text.slice(finding!.start, finding!.end)).toBe(
            'ghp_Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rc9TuVwXyZa1B2c',
          );
          expect(finding!.line).toBe(prefix.split('\n').length + 1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('findings do not overlap and come in text order', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const findings = scanForSecrets(text);
        for (let i = 1; i < findings.length; i++) {
          const [a, b] = [findings[i - 1]!, findings[i]!];
          expect(b.line > a.line || (b.line === a.line && b.start >= a.start)).toBe(true);
        }
        const spans = findings.map((f) => [f.start, f.end] as const).sort((x, y) => x[0] - y[0]);
        for (let i = 1; i < spans.length; i++)
          expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
      }),
      { numRuns: 300 },
    );
  });
});
