/** Files whose contents never go to chat (`streamChat.sendSelection.blockedFiles` default). */
export const DEFAULT_BLOCKED_FILES: readonly string[] = ['**/.env*', '**/*.pem', '**/*.key', '**/id_rsa*', '**/*secret*'];

/**
 * A small glob matcher, no dependency: `**` as a whole segment is any number of folders, `*` any
 * characters within a name (a leading dot included: `*secret*` matches `.secrets`), `?` one
 * character, `{a,b}` either, `[abc]` / `[!abc]` a character class. Matching ignores case (a file
 * system that ignores case would open `.ENV` as `.env`; blocking too much is the safe side), and
 * a pattern without `/` matches the file name in any folder, as in `.gitignore`.
 */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.includes('/') ? glob.replace(/^\.?\//, '') : `**/${glob}`;
  return new RegExp(`^${translate(pattern)}$`, 'i');
}

function translate(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    const atSegmentStart = i === 0 || glob[i - 1] === '/';
    if (c === '*' && glob[i + 1] === '*' && atSegmentStart && (glob[i + 2] === '/' || i + 2 === glob.length)) {
      if (glob[i + 2] === '/') {
        re += '(?:[^/]*/)*'; // `**/`: zero or more folders
        i += 2;
      } else {
        re += '.*'; // a trailing `**`: everything below
        i += 1;
      }
    } else if (c === '*') {
      while (glob[i + 1] === '*') i++; // `**` inside a name is `*`
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close === -1) re += '\\{';
      else {
        re += `(?:${glob.slice(i + 1, close).split(',').map(translate).join('|')})`;
        i = close;
      }
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) re += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/[\\\]]/g, '\\$&');
        re += `[${body}]`;
        i = close;
      }
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return re;
}

/** Whether `path` (workspace-relative, either slash) matches `glob`. */
export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(normalizePath(path));
}

function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/\/{2,}/g, '/').replace(/^\.\//, '');
}

/**
 * The first pattern that blocks `relativePath` or one of its folders, or undefined. Outside the
 * workspace the host passes the absolute path, which the `**` defaults still match. Non-string
 * entries in a user's setting are skipped.
 */
export function blockedFilePattern(relativePath: string, patterns: readonly unknown[] = DEFAULT_BLOCKED_FILES): string | undefined {
  // The file, or any folder it is in: as in `.gitignore`, a blocked folder (`.secrets/`, `.env.d/`) blocks what it holds.
  const segments = normalizePath(relativePath).split('/');
  const candidates = segments.map((_, i) => segments.slice(0, segments.length - i).join('/')).filter((p) => p !== '');
  return patterns.find((p): p is string => {
    if (typeof p !== 'string' || p.trim() === '') return false;
    const re = globToRegExp(p.trim());
    return candidates.some((path) => re.test(path));
  });
}

/** Whether Send Selection must warn (and send nothing unless told to) before sending this file. */
export function isBlockedFile(relativePath: string, patterns: readonly unknown[] = DEFAULT_BLOCKED_FILES): boolean {
  return blockedFilePattern(relativePath, patterns) !== undefined;
}
