import { describe, expect, it } from 'vitest';
import { Author } from '../../../src/core/message';
import fc from 'fast-check';
import {
  ViewerRateLimit,
  isLiveRequest,
  matchRequestedFile,
  mayHighlight,
  parseLineCommand,
  shiftForEdit,
} from '../../../src/code/lineCommand';

describe('parseLineCommand', () => {
  it.each([
    ['!line 12', { startLine: 12, endLine: 12 }],
    ['!line 12-20', { startLine: 12, endLine: 20 }],
    ['!line 12 - 20', { startLine: 12, endLine: 20 }],
    ['!line 20-12', { startLine: 12, endLine: 20 }],
    ['!line 12 why is this here?', { startLine: 12, endLine: 12, comment: 'why is this here?' }],
    ['!line src/app.ts 40', { file: 'src/app.ts', startLine: 40, endLine: 40 }],
    [
      '!line app.ts 40-45 off by one?',
      { file: 'app.ts', startLine: 40, endLine: 45, comment: 'off by one?' },
    ],
    ['!highlight 3', { startLine: 3, endLine: 3 }],
    ['  !LINE 7  ', { startLine: 7, endLine: 7 }],
  ])('%j', (text, expected) => {
    expect(parseLineCommand(text)).toEqual({ file: undefined, comment: undefined, ...expected });
  });

  it.each([
    '!line',
    '!line 0',
    '!line -3',
    '!line abc',
    '!line 1-500',
    'line 12',
    'see !line 12',
    '!lines 12',
    '!line 12.5',
  ])('rejects %j', (text) => {
    expect(parseLineCommand(text)).toBeUndefined();
  });
});

describe('who may highlight', () => {
  const viewer = (roles: Author['roles'], id = 'v'): Author => ({
    id,
    name: id,
    displayName: id,
    roles,
  });

  it('everyone / subscribers / moderators', () => {
    expect(mayHighlight(viewer([]), 'everyone')).toBe(true);
    expect(mayHighlight(viewer([]), 'subscribers')).toBe(false);
    expect(mayHighlight(viewer(['subscriber']), 'subscribers')).toBe(true);
    expect(mayHighlight(viewer(['vip']), 'subscribers')).toBe(true);
    expect(mayHighlight(viewer(['subscriber']), 'moderators')).toBe(false);
    expect(mayHighlight(viewer(['moderator']), 'moderators')).toBe(true);
    expect(mayHighlight(viewer(['broadcaster']), 'moderators')).toBe(true);
    expect(mayHighlight(undefined, 'everyone')).toBe(false);
  });

  it('rate-limits each viewer, not moderators', () => {
    let now = 0;
    const limit = new ViewerRateLimit(10_000, () => now);
    expect(limit.allow(viewer([], 'a'))).toBe(true);
    expect(limit.allow(viewer([], 'a'))).toBe(false);
    expect(limit.allow(viewer([], 'b'))).toBe(true);
    expect(limit.allow(viewer(['moderator'], 'm'))).toBe(true);
    expect(limit.allow(viewer(['moderator'], 'm'))).toBe(true);
    now = 10_000;
    expect(limit.allow(viewer([], 'a'))).toBe(true);
  });
});

describe('parseLineCommand: files without an extension, colon ranges, comments', () => {
  it.each([
    ['!line Dockerfile 3', { file: 'Dockerfile', startLine: 3, endLine: 3 }],
    [
      '!line Makefile 10-12 why tabs?',
      { file: 'Makefile', startLine: 10, endLine: 12, comment: 'why tabs?' },
    ],
    ['!line docker/Dockerfile.dev 2', { file: 'docker/Dockerfile.dev', startLine: 2, endLine: 2 }],
    [
      '!line src/app.ts:40-45 hmm',
      { file: 'src/app.ts', startLine: 40, endLine: 45, comment: 'hmm' },
    ],
    ['!line .\\src\\app.ts 4', { file: 'src/app.ts', startLine: 4, endLine: 4 }],
    ['!line L12-L20', { startLine: 12, endLine: 20 }],
  ])('%j', (text, expected) => {
    expect(parseLineCommand(text)).toEqual({ file: undefined, comment: undefined, ...expected });
  });
  it.each(['!line ../etc/passwd 1', '!line https://x.y/z 3', '!line Dockerfile'])(
    'rejects %j',
    (text) => {
      expect(parseLineCommand(text)).toBeUndefined();
    },
  );
  it('property: never throws, and a parsed range is ordered and bounded', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }).map((s) => `!line ${s}`),
        (text) => {
          const c = parseLineCommand(text);
          if (c) {
            expect(c.startLine).toBeGreaterThanOrEqual(1);
            expect(c.endLine - c.startLine + 1).toBeLessThanOrEqual(200);
          }
        },
      ),
    );
  });
});

describe('highlights follow edits (shiftForEdit)', () => {
  const at = (startLine: number, endLine: number) => ({ startLine, endLine });
  it.each<
    [
      string,
      { startLine: number; endLine: number; insertedLineBreaks: number },
      ReturnType<typeof at> | undefined,
    ]
  >([
    ['an edit below leaves it', { startLine: 20, endLine: 20, insertedLineBreaks: 3 }, at(10, 12)],
    [
      'two lines inserted above move it down',
      { startLine: 2, endLine: 2, insertedLineBreaks: 2 },
      at(12, 14),
    ],
    [
      'a line deleted above moves it up',
      { startLine: 4, endLine: 5, insertedLineBreaks: 0 },
      at(9, 11),
    ],
    [
      'a line added inside grows it',
      { startLine: 11, endLine: 11, insertedLineBreaks: 1 },
      at(10, 13),
    ],
    [
      'replacing all of it (and more) removes it',
      { startLine: 9, endLine: 13, insertedLineBreaks: 0 },
      undefined,
    ],
  ])('%s', (_name, edit, expected) => {
    expect(shiftForEdit(at(10, 12), edit)).toEqual(expected);
  });
});

describe('which open file a viewer meant (matchRequestedFile)', () => {
  const open = ['src/app.ts', 'src/myapp.ts', 'lib/util.ts', 'test/util.ts', 'Dockerfile'];
  it('matches at a folder boundary, never guesses among several', () => {
    expect(matchRequestedFile('app.ts', open)).toEqual({ kind: 'match', path: 'src/app.ts' });
    expect(matchRequestedFile('dockerfile', open)).toEqual({ kind: 'match', path: 'Dockerfile' });
    expect(matchRequestedFile('util.ts', open).kind).toBe('ambiguous');
    expect(matchRequestedFile('util.ts', open, 'test/util.ts')).toEqual({
      kind: 'match',
      path: 'test/util.ts',
    });
    expect(matchRequestedFile('pp.ts', open)).toEqual({ kind: 'none' });
  });
});

describe('isLiveRequest', () => {
  const base = {
    id: '1',
    platform: 'tau' as const,
    channel: 'c',
    kind: 'chat' as const,
    parts: [],
    receivedAt: 1_000_000,
    flags: {},
    author: { name: 'v', displayName: 'V', roles: [] },
  };
  it('only live chat from viewers', () => {
    expect(isLiveRequest(base)).toBe(true);
    expect(isLiveRequest({ ...base, sentAt: 1_000_000 - 10_000 })).toBe(true);
    expect(isLiveRequest({ ...base, sentAt: 1_000_000 - 3_600_000 })).toBe(false);
    expect(isLiveRequest({ ...base, flags: { self: true } })).toBe(false);
    expect(isLiveRequest({ ...base, flags: { deleted: true } })).toBe(false);
    expect(isLiveRequest({ ...base, kind: 'event' })).toBe(false);
  });
});
