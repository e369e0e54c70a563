import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChatCommandLimiter,
  GLOBAL_MS,
  PER_VIEWER_MS,
  answerChatCommand,
  parseChatCommand,
} from '../../../src/code/chatCommands';

describe('parseChatCommand', () => {
  it.each([
    ['!file', 'file'],
    ['  !BRANCH  ', 'branch'],
    ['!theme please', 'theme'],
    ['!font?', undefined],
    ['!font', 'font'],
    ['!files', undefined],
    ['what !file', undefined],
    ['file', undefined],
  ])('%j → %j', (text, expected) => {
    expect(parseChatCommand(text)).toBe(expected);
  });
  it('property: never throws', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseChatCommand(s)));
  });
});

describe('ChatCommandLimiter', () => {
  it('each viewer once a minute per command, each command once per 15 s overall', () => {
    let now = 0;
    const limit = new ChatCommandLimiter(() => now);
    expect(limit.allow('file', 'a')).toBe(true);
    expect(limit.allow('file', 'b')).toBe(false); // global
    expect(limit.allow('branch', 'a')).toBe(true); // another command
    now = GLOBAL_MS;
    expect(limit.allow('file', 'a')).toBe(false); // per viewer
    expect(limit.allow('file', 'b')).toBe(true);
    now = PER_VIEWER_MS;
    expect(limit.allow('file', 'a')).toBe(true);
  });
});

describe('answerChatCommand', () => {
  const viewer = { name: 'curious' };
  it('names workspace files with their line, never a blocked or outside one', () => {
    expect(
      answerChatCommand(
        'file',
        { file: { where: 'workspace', path: 'src/app.ts', line: 12, blocked: false } },
        viewer,
      ),
    ).toBe('@curious src/app.ts:12');
    expect(
      answerChatCommand(
        'file',
        { file: { where: 'workspace', path: 'config/.env.local', line: 1, blocked: true } },
        viewer,
      ),
    ).toBe('@curious a private file');
    expect(answerChatCommand('file', { file: { where: 'outside' } }, viewer)).toBe(
      '@curious a file outside the workspace',
    );
    expect(answerChatCommand('file', {}, viewer)).toBe('@curious no file is open right now');
  });
  it('branch, theme and font', () => {
    expect(answerChatCommand('branch', { branch: 'feature/x' }, viewer)).toBe(
      '@curious on branch feature/x',
    );
    expect(answerChatCommand('branch', {}, viewer)).toBe('@curious not on a git branch');
    expect(answerChatCommand('theme', { theme: 'Default Dark Modern' }, viewer)).toBe(
      '@curious the theme is Default Dark Modern',
    );
    expect(
      answerChatCommand('font', { font: { family: "'Fira Code', monospace", size: 14 } }, viewer),
    ).toBe("@curious 'Fira Code', monospace, 14px");
  });
  it('property: a blocked file’s path never appears in the answer', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z]{2,6}[0-9]{2}\/[a-z]{3,10}\.env$/),
        fc.integer({ min: 1, max: 1e6 }),
        (path, line) => {
          expect(
            answerChatCommand(
              'file',
              { file: { where: 'workspace', path, line, blocked: true } },
              viewer,
            ),
          ).not.toContain(path.split('/')[0]);
        },
      ),
    );
  });
});
