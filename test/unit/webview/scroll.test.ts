import { describe, expect, it } from 'vitest';
import { isAtBottom, onNewLines, onUserScroll } from '../../../webview/scroll';

describe('follow logic', () => {
  it('counts as at the bottom within the threshold', () => {
    expect(isAtBottom({ scrollTop: 960, scrollHeight: 1500, clientHeight: 500 })).toBe(true);
    expect(isAtBottom({ scrollTop: 900, scrollHeight: 1500, clientHeight: 500 })).toBe(false);
  });

  it('follows while at the bottom, then counts new lines once the user scrolls up', () => {
    let s = { following: true, unseen: 0 };
    s = onNewLines(s, 5);
    expect(s).toEqual({ following: true, unseen: 0 });
    s = onUserScroll(s, false);
    s = onNewLines(s, 3);
    s = onNewLines(s, 2);
    expect(s).toEqual({ following: false, unseen: 5 });
    s = onUserScroll(s, false);
    expect(s.unseen).toBe(5);
    s = onUserScroll(s, true);
    expect(s).toEqual({ following: true, unseen: 0 });
  });
});
