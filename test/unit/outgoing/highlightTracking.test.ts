import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../src/core/message';
import { LineRange, isLiveRequest, matchRequestedFile, shiftForEdit } from '../../../src/outgoing/highlightTracking';

const chat = (overrides: Partial<ChatMessage> = {}): ChatMessage => ({
  id: '1',
  platform: 'tau',
  channel: 'c',
  kind: 'chat',
  author: { id: 'v', name: 'viewer', displayName: 'Viewer', roles: [] },
  parts: [{ type: 'text', text: '!line 3' }],
  receivedAt: 1_000_000,
  sentAt: 999_500,
  flags: {},
  ...overrides,
});

describe('isLiveRequest', () => {
  it('takes live chat from a viewer', () => {
    expect(isLiveRequest(chat())).toBe(true);
    expect(isLiveRequest(chat({ sentAt: undefined }))).toBe(true);
    expect(isLiveRequest(chat({ sentAt: 1_000_000 - 120_000 }))).toBe(true);
  });

  it('ignores history, own lines, deleted and test messages, events and notices', () => {
    expect(isLiveRequest(chat({ sentAt: 1_000_000 - 120_001 }))).toBe(false);
    expect(isLiveRequest(chat({ flags: { self: true } }))).toBe(false);
    expect(isLiveRequest(chat({ flags: { deleted: true } }))).toBe(false);
    expect(isLiveRequest(chat({ flags: { test: true } }))).toBe(false);
    expect(isLiveRequest(chat({ kind: 'event' }))).toBe(false);
    expect(isLiveRequest(chat({ kind: 'system', author: undefined }))).toBe(false);
  });
});

describe('matchRequestedFile', () => {
  const open = ['src/app.ts', 'test/app.ts', 'src/ui/view.ts', 'Dockerfile', 'src/myapp.ts'];

  it.each([
    ['src/app.ts', 'src/app.ts'],
    ['SRC/APP.TS', 'src/app.ts'],
    ['ui/view.ts', 'src/ui/view.ts'],
    ['view.ts', 'src/ui/view.ts'],
    ['src\\ui\\view.ts', 'src/ui/view.ts'],
    ['./src/app.ts', 'src/app.ts'],
    ['dockerfile', 'Dockerfile'],
    ['myapp.ts', 'src/myapp.ts'],
  ])('%s names %s', (requested, path) => {
    expect(matchRequestedFile(requested, open)).toEqual({ kind: 'match', path });
  });

  it('matches whole names only', () => {
    expect(matchRequestedFile('pp.ts', open)).toEqual({ kind: 'none' });
    expect(matchRequestedFile('view', open)).toEqual({ kind: 'none' });
    expect(matchRequestedFile('', open)).toEqual({ kind: 'none' });
  });

  it('prefers the active file among several matches, else calls it ambiguous', () => {
    expect(matchRequestedFile('app.ts', open, 'test/app.ts')).toEqual({ kind: 'match', path: 'test/app.ts' });
    expect(matchRequestedFile('app.ts', open, 'src/ui/view.ts')).toEqual({ kind: 'ambiguous', paths: ['src/app.ts', 'test/app.ts'] });
    expect(matchRequestedFile('app.ts', open)).toEqual({ kind: 'ambiguous', paths: ['src/app.ts', 'test/app.ts'] });
    // The same file in two editor groups is one file.
    expect(matchRequestedFile('view.ts', ['src/ui/view.ts', 'src/ui/view.ts'])).toEqual({ kind: 'match', path: 'src/ui/view.ts' });
  });
});

describe('shiftForEdit', () => {
  const h: LineRange = { startLine: 10, endLine: 12 };

  it.each<[string, { startLine: number; endLine: number; insertedLineBreaks: number }, LineRange | undefined]>([
    ['an edit below leaves it', { startLine: 13, endLine: 20, insertedLineBreaks: 0 }, h],
    ['typing on a line above leaves it', { startLine: 3, endLine: 3, insertedLineBreaks: 0 }, h],
    ['a line inserted above moves it down', { startLine: 9, endLine: 9, insertedLineBreaks: 1 }, { startLine: 11, endLine: 13 }],
    ['two lines deleted above move it up', { startLine: 2, endLine: 4, insertedLineBreaks: 0 }, { startLine: 8, endLine: 10 }],
    ['a line inserted inside grows it', { startLine: 11, endLine: 11, insertedLineBreaks: 1 }, { startLine: 10, endLine: 13 }],
    ['typing inside leaves it', { startLine: 10, endLine: 10, insertedLineBreaks: 0 }, h],
    ['a line deleted inside shrinks it', { startLine: 11, endLine: 12, insertedLineBreaks: 0 }, { startLine: 10, endLine: 11 }],
    ['an edit from above into it starts it at the edit', { startLine: 8, endLine: 10, insertedLineBreaks: 0 }, { startLine: 8, endLine: 10 }],
    ['an edit from inside past its end ends it with the new text', { startLine: 11, endLine: 15, insertedLineBreaks: 1 }, { startLine: 10, endLine: 12 }],
    ['replacing all of it and more removes it', { startLine: 9, endLine: 13, insertedLineBreaks: 0 }, undefined],
  ])('%s', (_, edit, expected) => {
    expect(shiftForEdit(h, edit)).toEqual(expected);
  });

  it('always gives a valid range (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), (start, span, editStart, editSpan, breaks) => {
        const result = shiftForEdit({ startLine: start, endLine: start + span }, { startLine: editStart, endLine: editStart + editSpan, insertedLineBreaks: breaks });
        if (result) {
          expect(result.startLine).toBeGreaterThanOrEqual(1);
          expect(result.endLine).toBeGreaterThanOrEqual(result.startLine);
        }
      }),
    );
  });
});
