import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CodeRefCandidate,
  MAX_CANDIDATES,
  findCodeReferences,
  looksLikeFile,
  normalizePath,
  remoteKey,
} from '../../../src/code/references';

/** The candidates with the text each one covers (what becomes the link). */
const refs = (text: string) =>
  findCodeReferences(text).map((c) => ({ ...c, text: text.slice(c.start, c.end) }));
const only = (text: string) => {
  const found = refs(text);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('findCodeReferences: the written forms', () => {
  it.each<[string, Partial<CodeRefCandidate> & { text: string }]>([
    ['look at app.ts:17 please', { kind: 'pathLine', path: 'app.ts', line: 17, text: 'app.ts:17' }],
    [
      'src/app.ts:3:5',
      { kind: 'pathLine', path: 'src/app.ts', line: 3, column: 5, text: 'src/app.ts:3:5' },
    ],
    ['./src/app.ts:3', { kind: 'pathLine', path: 'src/app.ts', line: 3, text: './src/app.ts:3' }],
    [
      'lines src/app.ts:12-20?',
      { kind: 'pathLine', path: 'src/app.ts', line: 12, endLine: 20, text: 'src/app.ts:12-20' },
    ],
    [
      'Dockerfile:3 uses latest',
      { kind: 'pathLine', path: 'Dockerfile', line: 3, text: 'Dockerfile:3' },
    ],
    [
      'src/app.ts#L12-L20',
      { kind: 'anchor', path: 'src/app.ts', line: 12, endLine: 20, text: 'src/app.ts#L12-L20' },
    ],
    ['app.ts#L3!', { kind: 'anchor', path: 'app.ts', line: 3, text: 'app.ts#L3' }],
    [
      'app.ts#L12-14',
      { kind: 'anchor', path: 'app.ts', line: 12, endLine: 14, text: 'app.ts#L12-14' },
    ],
    [
      'error in src/app.ts(12,5): TS2345',
      { kind: 'paren', path: 'src/app.ts', line: 12, column: 5, text: 'src/app.ts(12,5)' },
    ],
    ['Program.cs(7)', { kind: 'paren', path: 'Program.cs', line: 7, text: 'Program.cs(7)' }],
    ['check app.ts now', { kind: 'bare', path: 'app.ts', text: 'app.ts' }],
    ['see app.ts.', { kind: 'bare', path: 'app.ts', text: 'app.ts' }],
    ['the Makefile', { kind: 'bare', path: 'Makefile', text: 'Makefile' }],
  ])('%j', (text, expected) => {
    expect(only(text)).toMatchObject(expected);
  });

  it('several references in one line, in order', () => {
    expect(refs('app.ts:1 then src/config.ts#L2 and long.ts(3,4)').map((r) => r.text)).toEqual([
      'app.ts:1',
      'src/config.ts#L2',
      'long.ts(3,4)',
    ]);
  });

  it.each([
    'Math.max(1, 2)',
    'console.log(x)',
    'meet at 12:30',
    'example.com:443',
    'localhost:8000',
    'v1.2.3',
    'a.b',
    'version 2.0:1',
    'it costs $3.50',
    '...',
    'e.g. this',
    '3.14',
  ])('%j is not a reference', (text) => {
    expect(findCodeReferences(text)).toEqual([]);
  });
});

describe('findCodeReferences: stack-trace frames', () => {
  it.each<[string, string, Partial<CodeRefCandidate>]>([
    [
      'Node/V8 with a function',
      '    at greet (/home/bob/proj/src/app.ts:2:20)',
      { path: '/home/bob/proj/src/app.ts', line: 2, column: 20 },
    ],
    [
      'Node/V8 anonymous',
      '    at /home/bob/proj/src/app.ts:2:20',
      { path: '/home/bob/proj/src/app.ts', line: 2, column: 20 },
    ],
    [
      'Node/V8 file URL',
      '    at file:///home/x/src/app.js:10:5',
      { path: '/home/x/src/app.js', line: 10, column: 5 },
    ],
    [
      'Python',
      'File "/home/bob/proj/tools/run.py", line 12, in <module>',
      { kind: 'python', path: '/home/bob/proj/tools/run.py', line: 12 },
    ],
    [
      'Java',
      '\tat com.example.Greeter.greet(Greeter.java:42)',
      { kind: 'pathLine', path: 'Greeter.java', line: 42 },
    ],
    ['Go', '\t/home/u/proj/main.go:42 +0x1d', { path: '/home/u/proj/main.go', line: 42 }],
    [
      'Rust panic',
      "thread 'main' panicked at src/main.rs:10:5:",
      { path: 'src/main.rs', line: 10, column: 5 },
    ],
    ['Rust compiler', '  --> src/main.rs:10:5', { path: 'src/main.rs', line: 10, column: 5 }],
    [
      '.NET',
      '   at Foo.Bar() in C:\\src\\Foo.cs:line 42',
      { kind: 'dotnet', path: 'C:/src/Foo.cs', line: 42 },
    ],
  ])('%s', (_name, text, expected) => {
    expect(only(text)).toMatchObject(expected);
  });

  // A line without an extension or an extension-less name skips the patterns that need a file
  // name: these are found without either, so the skipping must not lose them.
  it.each<[string, Partial<CodeRefCandidate> & { text: string }]>([
    [
      'File "manage", line 3',
      { kind: 'python', path: 'manage', line: 3, text: 'File "manage", line 3' },
    ],
    ['see LICENSE(3) first', { kind: 'paren', path: 'LICENSE', line: 3, text: 'LICENSE(3)' }],
    ['readme#L4-L9', { kind: 'anchor', path: 'readme', line: 4, endLine: 9, text: 'readme#L4-L9' }],
    [
      'docker/Containerfile:7',
      { kind: 'pathLine', path: 'docker/Containerfile', line: 7, text: 'docker/Containerfile:7' },
    ],
  ])('without a dot: %s', (text, expected) => {
    expect(only(text)).toMatchObject(expected);
  });

  it('chat with no file in it finds nothing, a sentence ending in a dot included', () => {
    for (const text of [
      'lol that was great',
      'bench 12 1796157034947',
      'nice. gg!',
      'PogChamp PogChamp',
    ])
      expect(refs(text)).toEqual([]);
  });

  it('a pasted multi-frame Python trace gives every frame', () => {
    const trace =
      'Traceback (most recent call last): File "app/main.py", line 3, in <module> File "app/util.py", line 9, in helper';
    expect(refs(trace).map((r) => [r.path, r.line])).toEqual([
      ['app/main.py', 3],
      ['app/util.py', 9],
    ]);
  });
});

describe('findCodeReferences: repository links', () => {
  it('GitHub blob link with a line range', () => {
    expect(
      only('https://github.com/CoderCat/stream-chat/blob/main/src/app.ts#L12-L14 nice'),
    ).toMatchObject({
      kind: 'repo',
      remote: 'github.com/codercat/stream-chat',
      path: 'main/src/app.ts',
      line: 12,
      endLine: 14,
      text: 'https://github.com/CoderCat/stream-chat/blob/main/src/app.ts#L12-L14',
    });
  });
  it('GitLab and Bitbucket spellings', () => {
    expect(only('https://gitlab.com/group/proj/-/blob/feature/x/src/app.ts#L3')).toMatchObject({
      remote: 'gitlab.com/group/proj',
      path: 'feature/x/src/app.ts',
      line: 3,
    });
    expect(only('https://bitbucket.org/team/repo/src/abc123/app.ts#lines-7')).toMatchObject({
      remote: 'bitbucket.org/team/repo',
      path: 'abc123/app.ts',
      line: 7,
    });
  });
  it('a path inside some other URL is not a reference; trailing punctuation is not part of the link', () => {
    expect(findCodeReferences('https://example.com/x/app.ts:3')).toEqual([]);
    expect(only('(see https://github.com/a/b/blob/main/app.ts#L1).').text).toBe(
      'https://github.com/a/b/blob/main/app.ts#L1',
    );
  });
});

describe('helpers', () => {
  it.each([
    ['git@github.com:CoderCat/stream-chat.git', 'github.com/codercat/stream-chat'],
    ['https://github.com/CoderCat/stream-chat', 'github.com/codercat/stream-chat'],
    ['https://user@github.com/codercat/stream-chat.git/', 'github.com/codercat/stream-chat'],
    ['ssh://git@gitlab.com/group/sub/proj.git', 'gitlab.com/group/sub/proj'],
    ['not a remote', undefined],
    ['https://github.com/only-owner', undefined],
  ])('remoteKey(%j)', (remote, key) => {
    expect(remoteKey(remote)).toBe(key);
  });
  it('looksLikeFile and normalizePath', () => {
    expect(looksLikeFile('app.ts')).toBe(true);
    expect(looksLikeFile('Dockerfile')).toBe(true);
    expect(looksLikeFile('src/data.weird')).toBe(true);
    expect(looksLikeFile('.env')).toBe(true);
    expect(looksLikeFile('Math.max')).toBe(false);
    expect(looksLikeFile('a.b')).toBe(false);
    expect(normalizePath('.\\src\\\\app.ts')).toBe('src/app.ts');
  });
});

describe('findCodeReferences: properties', () => {
  const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/);
  const ext = fc.constantFrom('ts', 'js', 'py', 'go', 'rs', 'java', 'cs', 'md');
  const filePath = fc
    .tuple(fc.array(word, { maxLength: 3 }), word, ext)
    .map(([dirs, name, e]) => [...dirs, `${name}.${e}`].join('/'));
  const line = fc.integer({ min: 1, max: 99_999 });

  it('never throws; ranges are inside the text, sorted and disjoint', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc
            .array(
              fc.constantFrom(
                'a',
                '.',
                '/',
                ':',
                '1',
                '#L',
                '(',
                ',',
                ')',
                ' ',
                'ts',
                '\\',
                'File "',
                '", line ',
              ),
              { maxLength: 60 },
            )
            .map((a) => a.join('')),
        ),
        (text) => {
          const found = findCodeReferences(text);
          expect(found.length).toBeLessThanOrEqual(MAX_CANDIDATES);
          let last = 0;
          for (const c of found) {
            expect(c.start).toBeGreaterThanOrEqual(last);
            expect(c.end).toBeGreaterThan(c.start);
            expect(c.end).toBeLessThanOrEqual(text.length);
            if (c.line !== undefined) expect(c.line).toBeGreaterThanOrEqual(1);
            if (c.endLine !== undefined) expect(c.endLine).toBeGreaterThanOrEqual(c.line!);
            last = c.end;
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('round-trips: a formatted reference is found with its path, lines and column, wherever it sits', () => {
    const form = fc.constantFrom('pathLine', 'pathLineCol', 'range', 'anchor', 'paren', 'python');
    fc.assert(
      fc.property(
        filePath,
        line,
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 50 }),
        form,
        fc.constantFrom('', 'see ', 'at (', 'hi: '),
        fc.constantFrom('', ' ok', ')', '.', ', thanks'),
        (path, l, col, extra, kind, before, after) => {
          const text = {
            pathLine: `${path}:${l}`,
            pathLineCol: `${path}:${l}:${col}`,
            range: `${path}:${l}-${l + extra}`,
            anchor: `${path}#L${l}-L${l + extra}`,
            paren: `${path}(${l},${col})`,
            python: `File "${path}", line ${l}`,
          }[kind];
          const found = findCodeReferences(before + text + after);
          expect(found).toHaveLength(1);
          const c = found[0]!;
          expect({ path: c.path, line: c.line, start: c.start, end: c.end }).toEqual({
            path,
            line: l,
            start: before.length,
            end: before.length + text.length,
          });
          if (kind === 'pathLineCol' || kind === 'paren') expect(c.column).toBe(col);
          if (kind === 'range' || kind === 'anchor') expect(c.endLine).toBe(l + extra);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a long line is scanned without blowing up (bounded work, bounded results)', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `f${i}.ts:${i + 1}`).join(' ');
    const found = findCodeReferences(text);
    expect(found).toHaveLength(MAX_CANDIDATES);
    expect(found[0]).toMatchObject({ path: 'f0.ts', line: 1 });
  });
});
