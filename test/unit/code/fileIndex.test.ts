import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileIndex, resolveReferences } from '../../../src/code/fileIndex';
import { findCodeReferences } from '../../../src/code/references';

const indexOf = (...paths: string[]) => {
  const index = new FileIndex();
  for (const path of paths) index.add({ uri: `file:///ws/${path}`, path });
  return index;
};
const resolve = (text: string, index: FileIndex, remotes: string[] = []) =>
  resolveReferences(findCodeReferences(text), index, new Set(remotes)).map((r) => ({
    text: text.slice(r.candidate.start, r.candidate.end),
    path: r.file.path,
    line: r.line,
    endLine: r.endLine,
    column: r.column,
  }));

describe('FileIndex.find', () => {
  const index = indexOf(
    'src/app.ts',
    'src/config.ts',
    'lib/config.ts',
    'Dockerfile',
    'test/fixtures/app.test.ts',
    'docs/README.md',
  );

  it.each([
    ['src/app.ts', 'src/app.ts'],
    ['app.ts', 'src/app.ts'],
    ['SRC/App.ts', 'src/app.ts'],
    ['./src/app.ts', 'src/app.ts'],
    ['/home/them/proj/src/app.ts', 'src/app.ts'],
    ['C:/Users/them/proj/src/app.ts', 'src/app.ts'],
    ['src/config.ts', 'src/config.ts'],
    ['/elsewhere/lib/config.ts', 'lib/config.ts'],
    ['Dockerfile', 'Dockerfile'],
    ['fixtures/app.test.ts', 'test/fixtures/app.test.ts'],
  ])('%j → %j', (written, path) => {
    expect(index.find(written)?.path).toBe(path);
  });

  it.each(['config.ts', '/somewhere/config.ts', 'myapp.ts', 'pp.ts', 'nothing.ts', '', '/'])(
    '%j names no single file',
    (written) => {
      expect(index.find(written)).toBeUndefined();
    },
  );

  it('follows creations and deletions (the watcher’s events)', () => {
    const live = indexOf('src/app.ts');
    expect(live.find('new.ts')).toBeUndefined();
    live.add({ uri: 'file:///ws/src/new.ts', path: 'src/new.ts' });
    expect(live.find('new.ts')?.path).toBe('src/new.ts');
    live.add({ uri: 'file:///ws/lib/app.ts', path: 'lib/app.ts' });
    expect(live.find('app.ts')).toBeUndefined();
    live.remove('file:///ws/lib/app.ts');
    expect(live.find('app.ts')?.path).toBe('src/app.ts');
    live.removeUnder('file:///ws/src');
    expect(live.size).toBe(0);
  });

  it('property: a file is always found by its own path, and by its name when the name is unique', () => {
    const seg = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc
            .tuple(fc.array(seg, { maxLength: 3 }), seg)
            .map(([d, n]) => [...d, `${n}.ts`].join('/')),
          { minLength: 1, maxLength: 30 },
        ),
        (paths) => {
          const idx = indexOf(...paths);
          for (const p of paths) {
            expect(idx.find(p)?.path).toBe(p);
            const name = p.split('/').pop()!;
            const sameName = paths.filter((q) => q.split('/').pop() === name);
            if (sameName.length === 1) expect(idx.find(name)?.path).toBe(p);
            else if (!sameName.includes(name)) expect(idx.find(name)).toBeUndefined();
          }
        },
      ),
    );
  });
});

describe('resolveReferences', () => {
  const index = indexOf('src/app.ts', 'src/config.ts', 'Dockerfile', 'feature/x.ts');

  it('keeps what names a workspace file, with its lines', () => {
    expect(resolve('app.ts:2 and src/config.ts#L1-L2, nope.ts:3, Dockerfile', index)).toEqual([
      { text: 'app.ts:2', path: 'src/app.ts', line: 2, endLine: undefined, column: undefined },
      {
        text: 'src/config.ts#L1-L2',
        path: 'src/config.ts',
        line: 1,
        endLine: 2,
        column: undefined,
      },
      {
        text: 'Dockerfile',
        path: 'Dockerfile',
        line: undefined,
        endLine: undefined,
        column: undefined,
      },
    ]);
  });

  it('a repository link counts only for our own remote; a ref with slashes is split where the rest is a file', () => {
    const ours = ['github.com/codercat/stream-chat'];
    expect(
      resolve('https://github.com/codercat/stream-chat/blob/main/src/app.ts#L3', index, ours),
    ).toMatchObject([{ path: 'src/app.ts', line: 3 }]);
    expect(
      resolve(
        'https://github.com/CoderCat/Stream-Chat/blob/feature/x/src/app.ts#L3-L4',
        index,
        ours,
      ),
    ).toMatchObject([{ path: 'src/app.ts', line: 3, endLine: 4 }]);
    expect(resolve('https://github.com/someone/else/blob/main/src/app.ts#L3', index, ours)).toEqual(
      [],
    );
    expect(
      resolve('https://github.com/codercat/stream-chat/blob/main/src/app.ts#L3', index, []),
    ).toEqual([]);
  });
});
