import { describe, expect, it } from 'vitest';
import { matchesFilter, parseFilter } from '../../../webview/filter';
import { MentionMatcher } from '../../../webview/mentions';
import { chatMessage } from './builders';

const mentions = new MentionMatcher(['codercat']);
const firsts = new Set<string>();
const matches = (message: ReturnType<typeof chatMessage>, input: string) =>
  matchesFilter(message, parseFilter(input), { mentions, isFirst: (m) => firsts.has(m.id) });

describe('filter', () => {
  const m = chatMessage({ user: 'RubberDuck', text: 'Try a Map here', platform: 'mixer' });

  it.each([
    ['', true],
    ['   ', true],
    ['map', true],
    ['MAP here', true],
    ['map there', false],
    ['rubber', true],
    ['"a map"', true],
    ['"map a"', false],
    ['from:rubberduck', true],
    ['from:@rubber', true],
    ['from:someoneelse', false],
    ['from:someoneelse from:rubberduck', true],
    ['platform:mixer', true],
    ['platform:glimesh', false],
    ['platform:glimesh platform:mixer', true],
    ['platform:twitch', false],
    ['from:rubberduck platform:mixer map', true],
    ['from:rubberduck platform:tau', false],
    ['-map', false],
    ['-there', true],
    ['-from:rubberduck', false],
    ['-platform:glimesh map', true],
    ['is:chat', true],
    ['is:event', false],
    ['has:link', false],
    ['-has:link', true],
  ])('"%s" → %s', (input, expected) => {
    expect(matches(m, input)).toBe(expected);
  });

  it('maps platform:twitch to TAU, and treats an unknown key:value as plain text rather than dropping it', () => {
    expect(parseFilter('platform:twitch').platforms).toEqual(['tau']);
    expect(parseFilter('platform:youtube').text).toEqual(['platform:youtube']);
    expect(parseFilter('is:nonsense has:nothing').text).toEqual(['is:nonsense', 'has:nothing']);
    expect(
      matches(chatMessage({ text: 'see platform:youtube for details' }), 'platform:youtube'),
    ).toBe(true);
  });

  it('has: and is: look at what a line is and holds', () => {
    const link = chatMessage({
      parts: [
        { type: 'text', text: 'docs at ' },
        { type: 'link', text: 'example.test', url: 'https://example.test' },
      ],
    });
    const emote = chatMessage({
      parts: [{ type: 'emote', name: 'Kappa', url: 'https://x.test/k.png' }],
    });
    const mention = chatMessage({ text: 'hey @CoderCat look' });
    const deleted = chatMessage({ flags: { deleted: true } });
    const event = chatMessage({ kind: 'event', eventType: 'channel-follow' });
    const notice = chatMessage({
      kind: 'system',
      author: undefined,
      text: 'Mixer: connected to codercat.',
    });
    expect(matches(link, 'has:link')).toBe(true);
    expect(matches(emote, 'has:emote')).toBe(true);
    expect(matches(emote, 'kappa')).toBe(true);
    expect(matches(mention, 'is:mention')).toBe(true);
    expect(matches(notice, 'is:mention')).toBe(false);
    expect(matches(notice, 'is:notice')).toBe(true);
    expect(matches(deleted, 'is:deleted')).toBe(true);
    expect(matches(deleted, '-is:deleted')).toBe(false);
    expect(matches(event, 'is:event')).toBe(true);
    expect(matches(chatMessage({ flags: { action: true } }), 'is:action')).toBe(true);
    expect(matches(chatMessage({ flags: { self: true } }), 'is:self')).toBe(true);
  });

  it('is:mod, is:sub, is:vip and is:first look at the author', () => {
    const mod = chatMessage({ roles: ['moderator'] });
    const owner = chatMessage({ roles: ['broadcaster'] });
    const sub = chatMessage({ roles: ['subscriber'] });
    const founder = chatMessage({ roles: ['founder'] });
    const vip = chatMessage({ roles: ['vip'] });
    const plain = chatMessage();
    const first = chatMessage();
    firsts.add(first.id);
    expect([mod, owner, sub, founder, vip, plain].map((m) => matches(m, 'is:mod'))).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect([mod, owner, sub, founder, vip, plain].map((m) => matches(m, 'is:sub'))).toEqual([
      false,
      false,
      true,
      true,
      false,
      false,
    ]);
    expect([mod, vip, plain].map((m) => matches(m, 'is:vip'))).toEqual([false, true, false]);
    expect([first, plain].map((m) => matches(m, 'is:first'))).toEqual([true, false]);
    expect([first, plain].map((m) => matches(m, '-is:first'))).toEqual([false, true]);
    // Only chat lines are someone's first words.
    const event = chatMessage({ kind: 'event', eventType: 'channel-follow' });
    firsts.add(event.id);
    expect(matches(event, 'is:first')).toBe(false);
  });

  it('negation, phrases and combinations: -from:bot, "quoted phrases", has:link is:sub', () => {
    const bot = chatMessage({
      user: 'StreamBot',
      text: 'Follow the stream at https://x.test',
      parts: [
        { type: 'text', text: 'Follow at ' },
        { type: 'link', text: 'x.test', url: 'https://x.test' },
      ],
    });
    const fan = chatMessage({
      user: 'fan',
      roles: ['subscriber'],
      parts: [
        { type: 'text', text: 'the docs are at ' },
        { type: 'link', text: 'docs.test', url: 'https://docs.test' },
      ],
    });
    const other = chatMessage({ user: 'other', text: 'the docs are great' });
    const all = [bot, fan, other];
    const run = (q: string) => all.filter((m) => matches(m, q)).map((m) => m.author!.name);
    expect(run('-from:bot')).toEqual(['fan', 'other']);
    expect(run('has:link -from:bot')).toEqual(['fan']);
    expect(run('"docs are"')).toEqual(['fan', 'other']);
    expect(run('"are great"')).toEqual(['other']);
    expect(run('-"docs are"')).toEqual(['streambot']);
    expect(run('has:link is:sub')).toEqual(['fan']);
    expect(run('from:"stream')).toEqual(['streambot']);
  });

  it('a message without an author still filters (notices)', () => {
    const notice = chatMessage({ kind: 'system', author: undefined, text: 'Reconnecting in 2 s' });
    expect(matches(notice, 'reconnecting')).toBe(true);
    expect(matches(notice, 'from:anyone')).toBe(false);
  });
});

describe('MentionMatcher', () => {
  it('finds the streamer as a whole word, with or without @, in any case', () => {
    expect(mentions.test('hi CoderCat!')).toBe(true);
    expect(mentions.test('@codercat')).toBe(true);
    expect(mentions.test('codercats are great')).toBe(false);
    expect(mentions.test('notcodercat')).toBe(false);
    expect(mentions.split('yo @codercat, fix it')).toEqual([
      { text: 'yo ', mention: false },
      { text: '@codercat', mention: true },
      { text: ', fix it', mention: false },
    ]);
  });

  it('treats names as text, not patterns', () => {
    const odd = new MentionMatcher(['a.b', '(x)']);
    expect(odd.test('aXb')).toBe(false);
    expect(odd.test('hi a.b')).toBe(true);
  });
});
