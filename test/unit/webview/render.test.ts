// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MentionMatcher } from '../../../webview/mentions';
import { LineContext, ROLE_BADGES, renderLine, setRepeat } from '../../../webview/render/line';
import { chatMessage } from './builders';

const ctx = (over: Partial<LineContext> = {}): LineContext => ({
  document,
  mentions: new MentionMatcher(['codercat']),
  readableColor: (c) => c,
  ...over,
});
const elements = (node: Element) => node.getElementsByTagName('*').length + 1;

describe('renderLine', () => {
  it('a plain chat line is four elements (line, time, author, text); three without timestamps', () => {
    const line = renderLine(
      chatMessage({ text: 'hello there, how is the refactor going?' }),
      ctx(),
    );
    expect(elements(line)).toBe(4);
    expect(line.querySelector('.author')!.classList.contains('says')).toBe(true);
    expect(line.textContent).toContain('hello there');
    expect(elements(renderLine(chatMessage({ text: 'x' }), ctx({ showTimestamps: false })))).toBe(
      3,
    );
  });

  it('a mention of the streamer is marked in the text and on the line', () => {
    const line = renderLine(chatMessage({ text: 'hey @CoderCat, nice' }), ctx());
    expect(line.classList.contains('mentions-me')).toBe(true);
    expect(line.querySelector('.mention.me')!.textContent).toBe('@CoderCat');
    expect(line.querySelector('.text')!.textContent).toBe('hey @CoderCat, nice');
  });

  it('shows ×N for a run of identical lines, and takes it away again', () => {
    const line = renderLine(chatMessage({ text: 'spam' }), ctx());
    setRepeat(line, 12);
    expect(line.querySelector('.repeat')!.textContent).toBe('×12');
    expect(line.dataset.repeat).toBe('12');
    setRepeat(line, 1);
    expect(line.querySelector('.repeat')).toBeNull();
  });

  it('every badge is a codicon that exists (VIP was codicon-gem, which renders blank)', () => {
    const css = readFileSync(
      path.join(__dirname, '../../../node_modules/@vscode/codicons/dist/codicon.css'),
      'utf8',
    );
    for (const { icon } of Object.values(ROLE_BADGES))
      expect(css, icon).toContain(`.codicon-${icon}:before`);
    expect(ROLE_BADGES.vip.icon).not.toBe('gem');
    const line = renderLine(chatMessage({ roles: ['vip', 'moderator'] }), ctx());
    expect([...line.querySelectorAll('.badge')].map((b) => b.getAttribute('aria-label'))).toEqual([
      'VIP',
      'Moderator',
    ]);
  });

  it('every line is focusable from the keyboard without being in the tab order', () => {
    expect(renderLine(chatMessage(), ctx()).tabIndex).toBe(-1);
  });
});
