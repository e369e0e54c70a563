import { describe, expect, it } from 'vitest';
import { Author } from '../../../src/core/message';
import { ViewerRateLimit, mayHighlight, parseLineCommand } from '../../../src/send/lineCommand';

describe('parseLineCommand', () => {
  it.each([
    ['!line 12', { startLine: 12, endLine: 12 }],
    ['!line 12-20', { startLine: 12, endLine: 20 }],
    ['!line 12 - 20', { startLine: 12, endLine: 20 }],
    ['!line 20-12', { startLine: 12, endLine: 20 }],
    ['!line 12 why is this here?', { startLine: 12, endLine: 12, comment: 'why is this here?' }],
    ['!line src/app.ts 40', { file: 'src/app.ts', startLine: 40, endLine: 40 }],
    ['!line app.ts 40-45 off by one?', { file: 'app.ts', startLine: 40, endLine: 45, comment: 'off by one?' }],
    ['!highlight 3', { startLine: 3, endLine: 3 }],
    ['  !LINE 7  ', { startLine: 7, endLine: 7 }],
  ])('%j', (text, expected) => {
    expect(parseLineCommand(text)).toEqual({ file: undefined, comment: undefined, ...expected });
  });

  it.each(['!line', '!line 0', '!line -3', '!line abc', '!line 1-500', 'line 12', 'see !line 12', '!lines 12', '!line 12.5'])('rejects %j', (text) => {
    expect(parseLineCommand(text)).toBeUndefined();
  });
});

describe('who may highlight', () => {
  const viewer = (roles: Author['roles'], id = 'v'): Author => ({ id, name: id, displayName: id, roles });

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
