// Twitch replies through TAU: the reply-parent-* tags (IRC-escaped), as TAU's parse_message
// passes them (tags split at every "=", raw kept whole).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkStoredMessage } from '../../../src/core/storedTimeline';
import { decodeChatFrame, replyOf, unescapeTagValue } from '../../../src/platforms/tau/codec';
import { escapeTagValue } from '../../simulators/tau/server';

/** A chat-bot frame as TAU sends it: `tags` split TAU's way (`tag.split('=')`, then `pair[1]`). */
function frame(tagList: Array<[string, string]>, body = '@CoderCat thanks!', withRaw = true) {
  const rawTags = tagList.map(([k, v]) => `${k}=${v}`).join(';');
  const raw = `@${rawTags} :lintergirl!lintergirl@lintergirl.tmi.twitch.tv PRIVMSG #codercat :${body}\r\n`;
  const tags: Record<string, unknown> = {};
  for (const tag of rawTags.split(';')) {
    const pair = tag.split('=');
    tags[pair[0]!] = pair.length === 1 ? true : pair[1];
  }
  return JSON.stringify({
    irc_username: 'codercatbot',
    data: {
      ...(withRaw ? { raw } : {}),
      tags,
      prefix: ':lintergirl!lintergirl@lintergirl.tmi.twitch.tv',
      command: 'PRIVMSG',
      params: ['PRIVMSG', '#codercat', `:${body}\r\n`],
      'message-text': body,
    },
  });
}

const base: Array<[string, string]> = [
  ['display-name', 'Lintergirl'],
  ['id', 'child-1'],
  ['user-id', '9001'],
];
const reply = (body: string): Array<[string, string]> => [
  ...base,
  ['reply-parent-display-name', 'CoderCat'],
  ['reply-parent-msg-body', body],
  ['reply-parent-msg-id', 'parent-1'],
  ['reply-parent-user-id', '424242'],
  ['reply-parent-user-login', 'codercat'],
];

const decoded = (text: string) => {
  const f = decodeChatFrame(text, 1);
  if (f.type !== 'privmsg') throw new Error(`not a privmsg: ${JSON.stringify(f)}`);
  return f.message;
};

describe('unescapeTagValue (IRCv3 message tags)', () => {
  it.each([
    ['hello\\sworld', 'hello world'],
    ['a\\:b', 'a;b'],
    ['back\\\\slash', 'back\\slash'],
    ['cr\\rlf\\n', 'cr\rlf\n'],
    ['\\x unknown escape', 'x unknown escape'],
    ['trailing\\', 'trailing'],
    ['\\\\s is not a space', '\\s is not a space'],
    ['', ''],
  ])('%j → %j', (escaped, plain) => expect(unescapeTagValue(escaped)).toBe(plain));

  it('undoes Twitch’s escaping for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(unescapeTagValue(escapeTagValue(text))).toBe(text);
      }),
    );
  });
});

describe('replies in the TAU codec', () => {
  it('maps the reply-parent-* tags into replyTo, the body unescaped', () => {
    const m = decoded(frame(reply('use\\sa\\smap\\:\\sit\\sis\\sO(1)\\s\\\\o/')));
    expect(m.replyTo).toEqual({
      id: 'parent-1',
      author: 'CoderCat',
      login: 'codercat',
      text: 'use a map; it is O(1) \\o/',
    });
    // The reply's own text is as Twitch sent it.
    expect(m.parts).toEqual([
      { type: 'mention', text: '@CoderCat', username: 'codercat' },
      { type: 'text', text: ' thanks!' },
    ]);
  });

  it('reads the body from raw when TAU cut it at an "=" (its tags split at every one)', () => {
    const text = frame(reply('x\\s=\\sy\\s+\\s1\\s==\\strue'));
    expect(
      (JSON.parse(text) as { data: { tags: Record<string, unknown> } }).data.tags,
    ).toMatchObject({ 'reply-parent-msg-body': 'x\\s' });
    expect(decoded(text).replyTo?.text).toBe('x = y + 1 == true');
    // Without raw (an older TAU, another bridge), the tags are all there is.
    expect(decoded(frame(reply('x\\s=\\sy'), undefined, false)).replyTo?.text).toBe('x');
  });

  it('no reply-parent-msg-id: not a reply, whatever else is there', () => {
    expect(decoded(frame(base)).replyTo).toBeUndefined();
    expect(
      decoded(
        frame([
          ...base,
          ['reply-parent-display-name', 'CoderCat'],
          ['reply-parent-msg-body', 'hi'],
          ['reply-parent-msg-id', ''],
        ]),
      ).replyTo,
    ).toBeUndefined();
    expect(replyOf({ 'reply-parent-msg-id': true })).toBeUndefined();
  });

  it('missing tags: the author falls back to the login, then to "someone"; a missing body is empty', () => {
    expect(
      decoded(
        frame([...base, ['reply-parent-msg-id', 'p'], ['reply-parent-user-login', 'CoderCat']]),
      ).replyTo,
    ).toEqual({ id: 'p', author: 'codercat', login: 'codercat', text: '' });
    expect(decoded(frame([...base, ['reply-parent-msg-id', 'p']])).replyTo).toEqual({
      id: 'p',
      author: 'someone',
      text: '',
    });
    // A tag without "=" (TAU: value True) counts as empty.
    expect(replyOf({ 'reply-parent-msg-id': 'p', 'reply-parent-msg-body': true })).toEqual({
      id: 'p',
      author: 'someone',
      text: '',
    });
  });

  it('a /me parent loses its CTCP wrapping; control characters and long bodies are tamed', () => {
    expect(decoded(frame(reply(escapeTagValue('\u0001ACTION waves\u0001')))).replyTo?.text).toBe(
      'waves',
    );
    expect(decoded(frame(reply('line\\sone\\r\\nline\\stwo'))).replyTo?.text).toBe(
      'line one line two',
    );
    const long = decoded(frame(reply('a'.repeat(2000)))).replyTo!;
    expect(long.text).toHaveLength(500);
    const hostile = decoded(
      frame([
        ...base,
        ['reply-parent-msg-id', 'p'.repeat(1000)],
        ['reply-parent-display-name', 'x'.repeat(1000)],
      ]),
    ).replyTo!;
    expect([hostile.id.length, hostile.author.length]).toEqual([200, 100]);
  });

  it('only reply-parent-* tags are read from raw (no prototype keys, other tags as TAU gave them)', () => {
    const m = decoded(frame([...reply('hi'), ['__proto__', 'x'], ['constructor', 'y']]));
    expect(m.replyTo?.text).toBe('hi');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a stored reply survives the restore check; a malformed replyTo is dropped with a reason', () => {
    const m = decoded(frame(reply('hi')));
    expect('message' in checkStoredMessage(JSON.parse(JSON.stringify(m)))).toBe(true);
    for (const replyTo of [{ id: '', author: 'a', text: '' }, { id: 'p', text: 'x' }, 'p', 7]) {
      expect(checkStoredMessage({ ...m, replyTo })).toEqual({ reason: 'bad reply' });
    }
  });
});
