/**
 * A last look before code goes on stream: finds what looks like a credential and says what kind,
 * on which line and at which offsets, never the value. The detectors live in `./secrets/`; the
 * corpus they are measured on is `test/fixtures/secrets/corpus.json` (scripts/eval-secrets.mjs).
 */
export type { SecretFinding } from './secrets/types';
export { scanForSecrets } from './secrets/scan';
export { entropy } from './secrets/values';

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
