// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../src/core/message';
import { parseHighlightRules } from '../../../src/protocol/highlightRules';
import type { HostToWebview, ViewSettings } from '../../../src/protocol/messages';
import { ChatApp } from '../../../webview/app';
import { compileRules, matchRule } from '../../../webview/highlightRules';
import { chatMessage } from './builders';

describe('streamChat.view.highlights: checking the setting', () => {
  it('keeps valid parts and names each dropped one by its key', () => {
    const { rules, problems } = parseHighlightRules([
      { words: ['bug', '', 3], color: '#e5c07b' },
      { users: ['@Alice'], color: 'red' },
      { regex: '(unclosed' },
      { regex: '\\bdeploy(ed)?\\b' },
      {},
      'nope',
    ]);
    expect(rules).toEqual([
      { words: ['bug'], color: '#e5c07b' },
      { users: ['Alice'] },
      { regex: '\\bdeploy(ed)?\\b' },
    ]);
    expect(problems).toEqual([
      "streamChat.view.highlights[1].color must be #rgb or #rrggbb; the theme's highlight colour is used.",
      expect.stringMatching(
        /^streamChat\.view\.highlights\[2\]\.regex is not a valid regular expression/,
      ),
      'streamChat.view.highlights[2] has no words, users or regex; ignored.',
      'streamChat.view.highlights[4] has no words, users or regex; ignored.',
      'streamChat.view.highlights[5] is not an object; ignored.',
    ]);
    expect(parseHighlightRules({ words: ['x'] }).problems).toEqual([
      'streamChat.view.highlights must be a list of rules; ignored.',
    ]);
    expect(parseHighlightRules(undefined)).toEqual({ rules: [], problems: [] });
  });
});

describe('matching a line', () => {
  const rules = compileRules([{ words: ['bug'] }, { users: ['alice'] }, { regex: 'deploy(ed)?' }]);
  it('whole words in any case, authors by login or display name, the regex case-insensitively', () => {
    expect(matchRule(chatMessage({ text: 'found a BUG!' }), rules)).toBe(rules[0]);
    expect(matchRule(chatMessage({ text: 'debugging' }), rules)).toBeUndefined();
    expect(matchRule(chatMessage({ user: 'Alice', text: 'hi' }), rules)).toBe(rules[1]);
    expect(matchRule(chatMessage({ text: 'we DEPLOYED it' }), rules)).toBe(rules[2]);
    expect(matchRule(chatMessage({ text: 'bug', kind: 'system' }), rules)).toBeUndefined();
  });
});

describe('highlight rules, sound and Mentions in the view', () => {
  const base = {
    showTimestamps: true,
    hideDeleted: false,
    fontSize: 13,
    scrollback: 100,
    mentionNames: ['codercat'],
  };
  function setup(settings: ViewSettings, history: ChatMessage[] = []) {
    document.body.replaceChildren();
    const audio = document.createElement('audio');
    audio.id = 'highlight-sound';
    let plays = 0;
    audio.play = () => {
      plays++;
      return Promise.resolve();
    };
    document.body.append(audio);
    const root = document.createElement('div');
    document.body.append(root);
    const app = new ChatApp(
      root,
      { post: () => {}, getState: () => undefined, setState: () => {} },
      (cb) => cb(),
    );
    const receive = (m: HostToWebview) => app.receive(m);
    receive({ type: 'snapshot', messages: history, platforms: [], settings, highlights: [] });
    const append = (m: ChatMessage) =>
      receive({ type: 'ops', ops: [{ op: 'append', message: m }] });
    return {
      app,
      append,
      plays: () => plays,
      line: (id: string) => document.querySelector<HTMLElement>(`.line[data-key="glimesh:${id}"]`)!,
    };
  }
  beforeEach(() => document.body.replaceChildren());

  it('a matching line gets the rule’s colour; no sound unless streamChat.view.sound is on', () => {
    const v = setup({ ...base, highlightRules: [{ words: ['bug'], color: '#e5c07b' }] });
    v.append(chatMessage({ id: 'a', text: 'there is a bug' }));
    v.append(chatMessage({ id: 'b', text: 'all good' }));
    expect(v.line('a').classList.contains('rule-highlight')).toBe(true);
    expect(v.line('a').style.getPropertyValue('--rule-color')).toBe('#e5c07b');
    expect(v.line('b').classList.contains('rule-highlight')).toBe(false);
    expect(v.plays()).toBe(0);
  });

  it('with sound on, a new match or mention plays once; history from the snapshot and re-renders never do', () => {
    const v = setup({ ...base, highlightRules: [{ words: ['bug'] }], sound: true }, [
      chatMessage({ id: 'old', text: 'old bug' }),
    ]);
    expect(v.plays()).toBe(0);
    v.append(chatMessage({ id: 'a', text: 'new bug' }));
    v.append(chatMessage({ id: 'm', text: 'hey @codercat' }));
    expect(v.plays()).toBe(2);
    v.app.setTheme({ backgrounds: ['#ffffff'], highContrast: false });
    expect(v.plays()).toBe(2);
  });

  it('records on the audio element what a test can read: asked (data-plays), started (data-played), refused (data-sound-refused)', async () => {
    const v = setup({ ...base, highlightRules: [{ words: ['bug'] }], sound: true });
    const audio = document.getElementById('highlight-sound') as HTMLAudioElement;
    v.append(chatMessage({ id: 'a', text: 'new bug' }));
    await Promise.resolve();
    expect([audio.dataset.plays, audio.dataset.played]).toEqual(['1', '1']);
    audio.play = () => Promise.reject(new DOMException('no gesture yet', 'NotAllowedError'));
    v.append(chatMessage({ id: 'b', text: 'another bug' }));
    await new Promise((r) => setTimeout(r, 0));
    expect([audio.dataset.plays, audio.dataset.played, audio.dataset.soundRefused]).toEqual([
      '2',
      '1',
      'NotAllowedError',
    ]);
  });

  it('the Mentions list holds matches and mentions and jumps to the line', () => {
    const v = setup({ ...base, highlightRules: [{ users: ['alice'] }] });
    v.append(chatMessage({ id: 'a', user: 'Alice', text: 'first' }));
    v.append(chatMessage({ id: 'x', text: 'nothing here' }));
    v.append(chatMessage({ id: 'm', text: 'thanks codercat' }));
    const toggle = document.getElementById('mentions-toggle')!;
    expect(toggle.getAttribute('aria-label')).toBe('Mentions (2)');
    toggle.click();
    const items = [...document.querySelectorAll<HTMLButtonElement>('#mentions .mention-jump')];
    expect(items.map((b) => b.textContent)).toEqual(['Alice first', 'viewer thanks codercat']);
    globalThis.CSS ??= { escape: (s: string) => s } as unknown as typeof CSS;
    items[1]!.click();
    expect(document.activeElement).toBe(v.line('m'));
  });
});
