import { describe, expect, it } from 'vitest';
import {
  FOLLOWING,
  isAtBottom,
  newMessagesLabel,
  onNewLines,
  onSelection,
  onUserScroll,
} from '../../../webview/scroll';

describe('follow logic', () => {
  it('counts as at the bottom within 40 px', () => {
    expect(isAtBottom({ scrollTop: 960, scrollHeight: 1500, clientHeight: 500 })).toBe(true);
    expect(isAtBottom({ scrollTop: 1000, scrollHeight: 1500, clientHeight: 500 })).toBe(true);
    expect(isAtBottom({ scrollTop: 900, scrollHeight: 1500, clientHeight: 500 })).toBe(false);
    expect(isAtBottom({ scrollTop: 0, scrollHeight: 300, clientHeight: 500 })).toBe(true);
  });

  it('follows while at the bottom, then counts new lines once the user scrolls up', () => {
    let s = FOLLOWING;
    s = onNewLines(s, 5);
    expect(s).toEqual({ following: true, unseen: 0 });
    s = onUserScroll(s, false);
    s = onNewLines(s, 3);
    s = onNewLines(s, 2);
    expect(s).toEqual({ following: false, unseen: 5, reason: 'scroll' });
    s = onUserScroll(s, false);
    expect(s.unseen).toBe(5);
    s = onUserScroll(s, true);
    expect(s).toEqual({ following: true, unseen: 0 });
  });

  it('scroll events while following at the bottom change nothing (same state object)', () => {
    expect(onUserScroll(FOLLOWING, true)).toBe(FOLLOWING);
    expect(onNewLines(FOLLOWING, 3)).toBe(FOLLOWING);
  });

  it('a selection pauses; reaching the bottom does not resume while it lasts; clearing it resumes', () => {
    let s = onSelection(FOLLOWING, true);
    expect(s).toEqual({ following: false, unseen: 0, reason: 'selection' });
    s = onNewLines(s, 2);
    s = onUserScroll(s, true);
    expect(s.following).toBe(false);
    s = onSelection(s, false);
    expect(s).toEqual(FOLLOWING);
  });

  it('clearing a selection does not resume a pause the user scrolled into', () => {
    const scrolled = onNewLines(onUserScroll(FOLLOWING, false), 4);
    expect(onSelection(scrolled, true)).toBe(scrolled);
    expect(onSelection(scrolled, false)).toBe(scrolled);
  });

  it('labels the jump button', () => {
    expect(newMessagesLabel({ following: false, unseen: 1, reason: 'scroll' })).toBe(
      '1 new message',
    );
    expect(newMessagesLabel({ following: false, unseen: 2500, reason: 'scroll' })).toBe(
      '2,500 new messages',
    );
    expect(newMessagesLabel({ following: false, unseen: 0, reason: 'scroll' })).toBe(
      'Back to the latest',
    );
    expect(newMessagesLabel({ following: false, unseen: 0, reason: 'selection' })).toBe(
      'Paused while selecting',
    );
  });
});
