// The secret guard against its corpus (test/fixtures/secrets/corpus.json, made by
// scripts/gen-secrets-corpus.mjs): a correctness test of the targets, not a timed one. The
// figures beside secretlint's are printed by `npm run bench:secrets` (bench/secrets.ts).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanForSecrets } from '../../../src/send/secretScanner';

interface Snippet {
  id: string;
  kind: string;
  expect: 'secret' | 'clean';
  text: string;
  value?: string;
}

const corpus = (
  JSON.parse(readFileSync('test/fixtures/secrets/corpus.json', 'utf8')) as { snippets: Snippet[] }
).snippets;
const secrets = corpus.filter((s) => s.expect === 'secret');
const cleans = corpus.filter((s) => s.expect === 'clean');

/** Caught: a finding overlaps the snippet's secret value (so a mask built from it covers the value). */
function caught(s: Snippet): boolean {
  const start = s.text.indexOf(s.value!);
  const end = start + s.value!.length;
  return scanForSecrets(s.text).some((f) => f.start < end && start < f.end);
}

describe('secret corpus', () => {
  it('is the generator output, at least 400 snippets, about half secrets', () => {
    execFileSync(process.execPath, ['scripts/gen-secrets-corpus.mjs', '--check'], {
      stdio: 'pipe',
    });
    expect(corpus.length).toBeGreaterThanOrEqual(400);
    expect(secrets.length / corpus.length).toBeGreaterThan(0.45);
    expect(cleans.length / corpus.length).toBeGreaterThan(0.45);
    expect(new Set(corpus.map((s) => s.id)).size).toBe(corpus.length);
    for (const s of secrets) expect(s.text.includes(s.value!), s.id).toBe(true);
  });

  it('covers every kind the issue lists', () => {
    const kinds = (expect: string) =>
      new Set(corpus.filter((s) => s.expect === expect).map((s) => s.kind));
    expect([...kinds('secret')]).toEqual(
      expect.arrayContaining([
        'private-key',
        'aws',
        'github',
        'gitlab',
        'slack',
        'stripe',
        'google',
        'azure',
        'twilio',
        'sendgrid',
        'npm',
        'pypi',
        'discord',
        'twitch',
        'huggingface',
        'digitalocean',
        'openai',
        'anthropic',
        'jwt',
        'auth-header',
        'connection-url',
        'assignment',
        'k8s-secret',
      ]),
    );
    expect([...kinds('clean')]).toEqual(
      expect.arrayContaining([
        'cancellation-token',
        'tokenizer',
        'lockfile',
        'git-sha',
        'uuid',
        'hash-vector',
        'sri',
        'image-digest',
        'data-uri',
        'public-key',
        'certificate',
        'known-hosts',
        'nonce-alphabet',
        'optional-none',
        'get-token',
        'env-reference',
        'regex',
        'i18n',
        'pem-header',
        'placeholder',
      ]),
    );
    const text = (kind: string) =>
      corpus
        .filter((s) => s.kind === kind)
        .map((s) => s.text)
        .join('\n');
    for (const armour of [
      'RSA PRIVATE KEY',
      'BEGIN PRIVATE KEY',
      'EC PRIVATE KEY',
      'DSA PRIVATE KEY',
      'ENCRYPTED PRIVATE KEY',
      'OPENSSH PRIVATE KEY',
      'PGP PRIVATE KEY BLOCK',
      'PuTTY-User-Key-File-2',
      'PuTTY-User-Key-File-3',
    ])
      expect(text('private-key')).toContain(armour);
    for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'])
      expect(text('github')).toContain(prefix);
    for (const scheme of [
      'postgres://',
      'mongodb+srv://',
      'redis://',
      'amqp://',
      'mysql://',
      'ftp://',
    ])
      expect(text('connection-url')).toContain(scheme);
    for (const form of [
      ':=',
      '=>',
      'password: str = ',
      'ENV ',
      'DJANGO_SECRET_KEY',
      'passwd',
      '===',
    ])
      expect(text('assignment')).toContain(form);
    for (const p of ['YOUR_API_KEY', '<token>', '${TOKEN}', 'xxxx', 'changeme', 'sk-...'])
      expect(text('placeholder')).toContain(p);
  });

  it('meets the targets: recall ≥ 97%, false alarms ≤ 2%', () => {
    const missed = secrets.filter((s) => !caught(s)).map((s) => s.id);
    const alarms = cleans.filter((s) => scanForSecrets(s.text).length > 0).map((s) => s.id);
    const recall = 1 - missed.length / secrets.length;
    const falseAlarmRate = alarms.length / cleans.length;
    expect({ recall: recall >= 0.97, missed }).toEqual({ recall: true, missed: expect.any(Array) });
    expect({ falseAlarms: falseAlarmRate <= 0.02, alarms }).toEqual({
      falseAlarms: true,
      alarms: expect.any(Array),
    });
  });

  it('catches at least 90% of every secret kind (no kind carried by the others)', () => {
    const byKind = new Map<string, Snippet[]>();
    for (const s of secrets) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s]);
    for (const [kind, list] of byKind)
      expect({ kind, rate: list.filter(caught).length / list.length >= 0.9 }).toEqual({
        kind,
        rate: true,
      });
  });

  it('never puts the value in what it reports', () => {
    for (const s of secrets) {
      const findings = scanForSecrets(s.text);
      for (const f of findings)
        expect(Object.keys(f).sort()).toEqual(['end', 'kind', 'line', 'start']);
      expect(JSON.stringify(findings)).not.toContain(s.value!);
    }
  });
});
