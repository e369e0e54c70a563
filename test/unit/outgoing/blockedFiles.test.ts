import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOCKED_FILES, blockedFilePattern, isBlockedFile, matchesGlob } from '../../../src/outgoing/blockedFiles';

describe('default blocked files', () => {
  it('are the issue’s five patterns', () => {
    expect(DEFAULT_BLOCKED_FILES).toEqual(['**/.env*', '**/*.pem', '**/*.key', '**/id_rsa*', '**/*secret*']);
  });

  it.each([
    ['.env', '**/.env*'],
    ['.env.local', '**/.env*'],
    ['config/.env.production', '**/.env*'],
    ['.envrc', '**/.env*'],
    ['certs/server.pem', '**/*.pem'],
    ['server.PEM', '**/*.pem'],
    ['keys/deploy.key', '**/*.key'],
    ['.key', '**/*.key'],
    ['home/.ssh/id_rsa', '**/id_rsa*'],
    ['id_rsa.pub', '**/id_rsa*'],
    ['src/clientSecret.ts', '**/*secret*'],
    ['SECRETS.md', '**/*secret*'],
    ['k8s/.secrets/db.yaml', '**/*secret*'],
    ['deploy/secrets/prod.yaml', '**/*secret*'],
    ['config/.env.d/app.json', '**/.env*'],
    ['C:\\Users\\me\\project\\.env', '**/.env*'],
    ['/home/me/.ssh/id_rsa', '**/id_rsa*'],
    ['./.env', '**/.env*'],
  ])('blocks %s (by %s)', (path, pattern) => {
    expect(blockedFilePattern(path, DEFAULT_BLOCKED_FILES)).toBe(pattern);
    expect(isBlockedFile(path)).toBe(true);
  });

  it.each(['src/environment.ts', 'src/envelope.ts', 'env/setup.ts', 'src/app.ts', 'docs/keyboard.md', 'src/key.ts', 'src/keys.ts', 'README.md', 'id_dsa', 'my_id_rsa_notes.md', 'pem/readme.md', 'src/secre.ts'])(
    'allows %s',
    (path) => {
      expect(blockedFilePattern(path, DEFAULT_BLOCKED_FILES)).toBeUndefined();
    },
  );

  it('blocks any file under any folder by the ** patterns (property)', () => {
    const segment = fc.stringMatching(/^[a-zA-Z0-9_-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 5 }), fc.constantFrom('.env', 'a.pem', 'b.key', 'id_rsa', 'my-secret.txt'), (folders, name) => {
        return isBlockedFile([...folders, name].join('/'));
      }),
    );
  });
});

describe('glob matcher', () => {
  it.each([
    ['src/app.ts', 'src/*.ts', true],
    ['src/ui/app.ts', 'src/*.ts', false],
    ['src/ui/app.ts', 'src/**/*.ts', true],
    ['src/app.ts', 'src/**/*.ts', true],
    ['src/app.ts', 'src/**', true],
    ['srcx/app.ts', 'src/**', false],
    ['a.ts', '?.ts', true],
    ['ab.ts', '?.ts', false],
    ['certs/a.crt', '**/*.{pem,crt}', true],
    ['certs/a.key', '**/*.{pem,crt}', false],
    ['data1.json', 'data[0-9].json', true],
    ['dataX.json', 'data[!0-9].json', true],
    ['data1.json', 'data[!0-9].json', false],
    ['deep/down/credentials.json', 'credentials.json', true],
    ['credentials.json.bak', 'credentials.json', false],
    ['a+b(c).txt', '**/a+b(c).txt', true],
    ['axb.txt', 'a.b.txt', false],
    ['a/b', 'a**b', false],
  ])('%s ~ %s → %s', (path, glob, expected) => {
    expect(matchesGlob(path, glob)).toBe(expected);
  });

  it('skips entries of a user’s setting that are not patterns', () => {
    expect(blockedFilePattern('.env', [42, '', '   ', null, '**/.env*'])).toBe('**/.env*');
    expect(blockedFilePattern('.env', [])).toBeUndefined();
  });
});
