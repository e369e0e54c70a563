import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stableColor } from '../../../src/core/message';
import {
  MixerDecodeContext,
  authArguments,
  decodeAuthResult,
  decodeChatMessage,
  decodeEvent,
  decodePacket,
  encodeMethod,
  formatDuration,
  mapRoles,
  replyErrorToChatError,
} from '../../../src/platforms/mixer/codec';

// Frames below are copied from mixer/developer-docs (reference/chat/**) unless marked otherwise.

function context(overrides: Partial<MixerDecodeContext> = {}): MixerDecodeContext {
  let seq = 0;
  return {
    channel: 'codercat',
    receivedAt: 1_000,
    showJoinLeave: false,
    nextSeq: () => seq++,
    ...overrides,
  };
}

const DOC_CHAT_MESSAGE =
  '{"type":"event","event":"ChatMessage","data":{"channel":12345,"id":"cfa8a5b0-2ec5-11e6-1234-f3d652ffec28","user_name":"Username","user_id":12345,"user_roles":["User"],"user_level":5,"user_avatar":"https://uploads.mixer.com/avatar/ed47s4h5-696.jpg","message":{"message":[{"type":"text","data":"Hello! ","text":"Hello! "},{"type":"emoticon","source":"builtin","pack":"default","coords":{"x":96,"y":0,"width":24,"height":24},"text":":)"},{"type":"text","data":" ","text":" "},{"type":"link","url":"http://mixer.com/mixer","text":"mixer.com/mixer"},{"type":"emoticon","source":"external","pack":"https://uploads.mixer.com/emoticons/x.png","coords":{"x":24,"y":48,"width":24,"height":24},"text":":coolpartneremote"}],"meta":{}}}}';

function chatFrom(frame: string, ctx = context()) {
  const packet = decodePacket(frame);
  if (packet.type !== 'event') throw new Error(`not an event: ${packet.type}`);
  const outcome = decodeEvent(packet.event, packet.data, ctx);
  if (outcome.kind !== 'message') throw new Error(`not a message: ${outcome.kind}`);
  return outcome.message;
}

describe('decodePacket', () => {
  it.each([
    [
      'an auth reply',
      '{"type":"reply","error":null,"id":0,"data":{"authenticated":true,"roles":["Owner"]}}',
      { type: 'reply', id: 0, error: null, data: { authenticated: true, roles: ['Owner'] } },
    ],
    [
      'UNOTFOUND as a string',
      '{"type":"reply","error":"UNOTFOUND","id":0}',
      { type: 'reply', id: 0, error: { code: 'UNOTFOUND', message: 'UNOTFOUND' }, data: undefined },
    ],
    [
      'UACCESS as a string',
      '{"type":"reply","error":"UACCESS","id":0}',
      { type: 'reply', id: 0, error: { code: 'UACCESS', message: 'UACCESS' }, data: undefined },
    ],
    [
      'UNOTFOUND wrapped in an object (later auth docs)',
      '{"type":"reply","error":{"code":1,"message":"UNOTFOUND","stacktrace":"","data":{}},"id":0}',
      { type: 'reply', id: 0, error: { code: 'UNOTFOUND', message: 'UNOTFOUND' }, data: undefined },
    ],
    [
      'a level restriction',
      '{"type":"reply","error":{"code":4007,"message":"You need to be level 50 in this channel to chat."},"id":5}',
      {
        type: 'reply',
        id: 5,
        error: { code: 4007, message: 'You need to be level 50 in this channel to chat.' },
        data: undefined,
      },
    ],
    [
      'a ping reply without data',
      '{ "type": "reply", "error": null, "id": 12 }',
      { type: 'reply', id: 12, error: null, data: undefined },
    ],
    [
      'a WelcomeEvent',
      '{"type":"event","event":"WelcomeEvent","data":{"server":"cb4fce87-cd05-44db-830e-cccc53a33fab"}}',
      {
        type: 'event',
        event: 'WelcomeEvent',
        data: { server: 'cb4fce87-cd05-44db-830e-cccc53a33fab' },
      },
    ],
    [
      'a method',
      '{"type":"method","method":"msg","arguments":["Hello World!"],"id":2}',
      { type: 'method', id: 2, method: 'msg', arguments: ['Hello World!'] },
    ],
  ])('decodes %s', (_name, frame, expected) => {
    expect(decodePacket(frame)).toEqual(expected);
  });

  it.each([
    ['not JSON', 'not json'],
    ['truncated JSON', '{"type":"reply","error":null,"id":'],
    ['an array', '[1,2]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a reply with a string id', '{"type":"reply","error":null,"id":"1"}'],
    ['a reply with a negative id', '{"type":"reply","error":null,"id":-1}'],
    ['a reply with an unreadable error', '{"type":"reply","error":42,"id":1}'],
    ['an event without a name', '{"type":"event","data":{}}'],
    ['a method without arguments', '{"type":"method","method":"msg","id":1}'],
  ])('marks %s malformed', (_name, frame) => {
    expect(decodePacket(frame).type).toBe('malformed');
  });

  it('marks non-text and huge frames malformed', () => {
    expect(decodePacket(undefined)).toMatchObject({ type: 'malformed' });
    expect(
      decodePacket('{"type":"event","event":"x","data":"' + 'a'.repeat(1_000_001) + '"}'),
    ).toMatchObject({ type: 'malformed' });
  });

  it('types packets of an unknown kind as unknown', () => {
    expect(decodePacket('{"type":"mystery","id":1}')).toEqual({
      type: 'unknown',
      packetType: 'mystery',
    });
    expect(decodePacket('{"id":1}')).toEqual({ type: 'unknown', packetType: 'undefined' });
  });
});

describe('encodeMethod / authArguments', () => {
  it('encodes the documented method frames', () => {
    expect(
      JSON.parse(encodeMethod(0, 'auth', authArguments(12345, { userId: 54321, authkey: 'key' }))),
    ).toEqual({
      type: 'method',
      method: 'auth',
      arguments: [12345, 54321, 'key'],
      id: 0,
    });
    expect(JSON.parse(encodeMethod(0, 'auth', authArguments(12345)))).toEqual({
      type: 'method',
      method: 'auth',
      arguments: [12345],
      id: 0,
    });
    expect(encodeMethod(2, 'msg', ['Hello World!'])).toBe(
      '{"type":"method","method":"msg","arguments":["Hello World!"],"id":2}',
    );
    expect(encodeMethod(12, 'ping', [])).toBe(
      '{"type":"method","method":"ping","arguments":[],"id":12}',
    );
  });

  it('round-trips any method call through decodePacket', () => {
    fc.assert(
      fc.property(fc.nat(), fc.string(), fc.array(fc.jsonValue()), (id, method, args) => {
        const decoded = decodePacket(encodeMethod(id, method, args));
        expect(decoded).toEqual({
          type: 'method',
          id,
          method,
          arguments: JSON.parse(JSON.stringify(args)),
        });
      }),
    );
  });
});

describe('replyErrorToChatError', () => {
  it.each([
    [
      { code: 'UNOTFOUND', message: 'UNOTFOUND' },
      'auth',
      'MIXER_AUTH_UNOTFOUND',
      'auth',
      /UNOTFOUND.*Set the Mixer token again/,
    ],
    [
      { code: 'UACCESS', message: 'UACCESS' },
      'auth',
      'MIXER_AUTH_UACCESS',
      'auth',
      /banned.*test-stream/,
    ],
    [{ code: 'UNOTJSON', message: 'UNOTJSON' }, 'msg', 'MIXER_UNOTJSON', 'protocol', /UNOTJSON/],
    [
      { code: 4000, message: 'boom' },
      'msg',
      'MIXER_UNKNOWN_ERROR',
      'protocol',
      /^Mixer reported an unknown error: boom\.$/,
    ],
    [
      { code: 4001, message: '' },
      'purge',
      'MIXER_PURGE_USER_NOT_FOUND',
      'protocol',
      /could not find that user/,
    ],
    [
      { code: 4002, message: '' },
      'purge',
      'MIXER_PURGE_NO_PERMISSION',
      'protocol',
      /permission to purge/,
    ],
    [
      { code: 4003, message: '' },
      'deleteMessage',
      'MIXER_MESSAGE_NOT_FOUND',
      'protocol',
      /could not find that message/,
    ],
    [
      { code: 4004, message: 'Bad request' },
      'msg',
      'MIXER_BAD_REQUEST',
      'protocol',
      /^Mixer rejected the msg request as invalid: Bad request\.$/,
    ],
    [
      { code: 4005, message: 'Rate limited' },
      'msg',
      'MIXER_RATE_LIMITED',
      'protocol',
      /^Mixer is rate limiting your messages; wait a moment and try again\.$/,
    ],
    [{ code: 4006, message: '' }, 'auth', 'MIXER_AUTH_SERVER_ERROR', 'network', /internal error/],
    [
      { code: 4007, message: 'You need to be level 50 in this channel to chat.' },
      'msg',
      'MIXER_LEVEL_RESTRICTED',
      'protocol',
      /^Mixer did not post the message: You need to be level 50 in this channel to chat\.$/,
    ],
    [
      { code: 4999, message: 'new thing' },
      'msg',
      'MIXER_ERROR',
      'protocol',
      /^Mixer refused the msg request \(error 4999\): new thing\.$/,
    ],
  ] as const)('%o on %s → %s', (error, method, code, category, message) => {
    const chatError = replyErrorToChatError(error, method);
    expect(chatError).toMatchObject({ code, category });
    expect(chatError.message).toMatch(message);
  });

  it('clips and flattens a hostile server message', () => {
    const error = replyErrorToChatError(
      { code: 4007, message: `line1\nline2\u0000${'x'.repeat(1000)}` },
      'msg',
    );
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('\u0000');
    expect(error.message.length).toBeLessThan(400);
  });
});

describe('decodeAuthResult', () => {
  it('reads authenticated and anonymous results', () => {
    expect(decodeAuthResult({ authenticated: true, roles: ['Owner'] })).toEqual({
      authenticated: true,
      roles: ['Owner'],
    });
    expect(decodeAuthResult({ authenticated: false, roles: [] })).toEqual({
      authenticated: false,
      roles: [],
    });
    expect(decodeAuthResult({ roles: [] })).toBeUndefined();
    expect(decodeAuthResult('yes')).toBeUndefined();
  });
});

describe('ChatMessage → shared model', () => {
  it('maps the documented regular message', () => {
    expect(chatFrom(DOC_CHAT_MESSAGE)).toEqual({
      id: 'cfa8a5b0-2ec5-11e6-1234-f3d652ffec28',
      platform: 'mixer',
      channel: 'codercat',
      kind: 'chat',
      author: {
        id: '12345',
        name: 'Username',
        displayName: 'Username',
        color: stableColor('Username'),
        avatarUrl: 'https://uploads.mixer.com/avatar/ed47s4h5-696.jpg',
        roles: [],
      },
      parts: [
        { type: 'text', text: 'Hello! ' },
        {
          type: 'emote',
          name: ':)',
          url: 'https://mixer.com/_latest/emoticons/default.png',
          sprite: { x: 96, y: 0, width: 24, height: 24 },
        },
        { type: 'text', text: ' ' },
        { type: 'link', text: 'mixer.com/mixer', url: 'http://mixer.com/mixer' },
        {
          type: 'emote',
          name: ':coolpartneremote',
          url: 'https://uploads.mixer.com/emoticons/x.png',
          sprite: { x: 24, y: 48, width: 24, height: 24 },
        },
      ],
      receivedAt: 1_000,
      flags: {},
    });
  });

  it.each([
    ['whisper', '{"whisper":true}', { whisper: true }],
    ['action', '{"me":true}', { action: true }],
    ['censored', '{"censored":true}', { censored: true }],
  ])('maps meta %s to flags', (_name, meta, flags) => {
    const frame = `{"type":"event","event":"ChatMessage","data":{"channel":12345,"id":"eaf6e9b0","user_name":"username","user_id":12345,"user_roles":["User"],"message":{"message":[{"type":"text","data":"hi","text":"hi"}],"meta":${meta}},"target":"recipient username"}}`;
    expect(chatFrom(frame).flags).toEqual(flags);
  });

  it('maps the documented tag and image segments', () => {
    const data = {
      channel: 12345,
      id: 'c46148d0',
      user_name: 'username',
      user_id: 12345,
      user_roles: ['User'],
      message: {
        message: [
          { text: '@username', type: 'tag', username: 'username', id: 12345 },
          { type: 'image', text: 'image_name', url: 'https://mixer.com/image.png' },
        ],
        meta: {},
      },
    };
    expect(decodeChatMessage(data, context())?.parts).toEqual([
      { type: 'mention', text: '@username', username: 'username' },
      { type: 'image', alt: 'image_name', url: 'https://mixer.com/image.png' },
    ]);
  });

  it('keeps the censored note CatBot adds', () => {
    const data = {
      id: 'x',
      user_name: 'u',
      user_id: 1,
      message: {
        message: [
          { type: 'text', data: 'A bad message.', text: 'A bad message.' },
          { type: 'text', data: '( Removed by CatBot )', text: '( Removed by CatBot )' },
        ],
        meta: { censored: true },
      },
    };
    expect(decodeChatMessage(data, context())).toMatchObject({
      flags: { censored: true },
      parts: [{ type: 'text', text: 'A bad message.( Removed by CatBot )' }],
    });
  });

  it('flags our own messages', () => {
    const data = { id: 'x', user_name: 'me', user_id: 7, message: { message: [], meta: {} } };
    expect(decodeChatMessage(data, context({ selfUserId: '7' }))?.flags).toEqual({ self: true });
    expect(decodeChatMessage(data, context({ selfUserId: '8' }))?.flags).toEqual({});
  });

  it.each([
    [['Owner', 'User'], ['broadcaster']],
    [['Mod', 'User'], ['moderator']],
    [['ChannelEditor', 'Mod'], ['moderator']],
    [
      ['Subscriber', 'Founder', 'Pro', 'Partner', 'Staff'],
      ['subscriber', 'founder', 'pro', 'partner', 'staff'],
    ],
    [['User', 'Banned', 'GlobalMod', 'Mystery'], []],
  ])('maps roles %o to %o', (roles, expected) => {
    expect(mapRoles(roles)).toEqual(expected);
  });

  it('falls back to text for emoticons it cannot place and drops unsafe avatars', () => {
    const data = {
      id: 'x',
      user_name: 'u',
      user_id: 1,
      user_avatar: 'javascript:alert(1)',
      message: {
        message: [
          {
            type: 'emoticon',
            source: 'builtin',
            pack: '../../etc',
            coords: { x: 0, y: 0, width: 24, height: 24 },
            text: ':evil',
          },
          {
            type: 'emoticon',
            source: 'builtin',
            pack: 'default',
            coords: { x: -1, y: 0, width: 24, height: 24 },
            text: ':)',
          },
          { type: 'sticker', text: ' [sticker]' },
        ],
        meta: {},
      },
    };
    const message = decodeChatMessage(data, context());
    expect(message?.author?.avatarUrl).toBeUndefined();
    expect(message?.parts).toEqual([
      { type: 'text', text: ':evil' },
      { type: 'emote', name: ':)', url: 'https://mixer.com/_latest/emoticons/default.png' },
      { type: 'text', text: ' [sticker]' },
    ]);
  });

  it('refuses a message without an id or a user name', () => {
    expect(decodeChatMessage({ user_name: 'u', message: {} }, context())).toBeUndefined();
    expect(decodeChatMessage({ id: 'x', message: {} }, context())).toBeUndefined();
    expect(decodeEvent('ChatMessage', { id: 5 }, context())).toMatchObject({ kind: 'malformed' });
  });
});

describe('decodeEvent: moderation, polls, presence', () => {
  const frame = (text: string) => {
    const packet = decodePacket(text);
    if (packet.type !== 'event') throw new Error('not an event');
    return packet;
  };

  it('DeleteMessage → delete op', () => {
    const packet = frame(
      '{"type":"event","event":"DeleteMessage","data":{"moderator":{"user_name":"Mod","user_id":12345,"user_roles":["Mod","User"],"user_level":12},"id":"b6661250-3a2e"}}',
    );
    expect(decodeEvent(packet.event, packet.data, context())).toEqual({
      kind: 'ops',
      ops: [{ op: 'delete', platform: 'mixer', ids: ['b6661250-3a2e'] }],
    });
  });

  it('PurgeMessage → purgeUser op (with or without a moderator)', () => {
    const packet = frame(
      '{"type":"event","event":"PurgeMessage","data":{"moderator":{"user_name":"USERNAME","user_id":12345,"user_roles":["Mod","User"],"user_level":12},"user_id":12345}}',
    );
    expect(decodeEvent(packet.event, packet.data, context())).toEqual({
      kind: 'ops',
      ops: [{ op: 'purgeUser', platform: 'mixer', userId: '12345' }],
    });
    expect(
      decodeEvent('PurgeMessage', { user_id: 9, cause: { type: 'ban' } }, context()),
    ).toMatchObject({ ops: [{ op: 'purgeUser', userId: '9' }] });
  });

  it('ClearMessages → clear op, then a notice', () => {
    const outcome = decodeEvent(
      'ClearMessages',
      { clearer: { user_name: 'ModBot', user_id: 1, user_roles: ['Mod'], user_level: 1 } },
      context(),
    );
    expect(outcome).toMatchObject({
      kind: 'ops',
      ops: [
        { op: 'clear', platform: 'mixer' },
        {
          op: 'append',
          message: {
            kind: 'event',
            eventType: 'clear',
            parts: [{ type: 'text', text: 'Chat was cleared by ModBot.' }],
          },
        },
      ],
    });
  });

  it('UserTimeout → a warning line for us', () => {
    const packet = frame(
      '{"type":"event","event":"UserTimeout","data":{"user":{"user_name":"username","user_id":102534,"user_roles":["Pro","User"]},"duration":59998}}',
    );
    expect(decodeEvent(packet.event, packet.data, context())).toMatchObject({
      ops: [
        {
          op: 'append',
          message: {
            eventType: 'timeout',
            severity: 'warning',
            parts: [{ text: 'You were timed out in this chat for 1 minute.' }],
          },
        },
      ],
    });
  });

  it('PollStart / PollEnd → event lines with one id per poll', () => {
    const data = {
      originatingChannel: 1,
      q: "How's the weather?",
      answers: ['Good.', 'Bad.'],
      author: {},
      duration: 29996,
      endsAt: 1465533783407,
      voters: 0,
      responses: { 'Good.': 0, 'Bad.': 0 },
    };
    const start = decodeEvent('PollStart', data, context());
    const again = decodeEvent('PollStart', { ...data, voters: 2 }, context({ receivedAt: 5_000 }));
    expect(start).toMatchObject({
      ops: [
        {
          message: {
            eventType: 'poll-start',
            parts: [{ text: "Poll: How's the weather? [Good.] [Bad.] (30 seconds)" }],
          },
        },
      ],
    });
    const idOf = (o: typeof start) =>
      o.kind === 'ops' && o.ops[0]?.op === 'append' ? o.ops[0].message.id : undefined;
    expect(idOf(start)).toBeDefined();
    expect(idOf(again)).toBe(idOf(start));
    expect(
      decodeEvent('PollEnd', { ...data, responses: { 'Good.': 3, 'Bad.': 1 } }, context()),
    ).toMatchObject({
      ops: [
        {
          message: {
            eventType: 'poll-end',
            parts: [{ text: "Poll ended: How's the weather? (Good. 3, Bad. 1)" }],
          },
        },
      ],
    });
    expect(decodeEvent('PollStart', { answers: [] }, context())).toMatchObject({
      kind: 'malformed',
    });
  });

  it('UserJoin / UserLeave are counted, shown only when asked', () => {
    const join = frame(
      '{"type":"event","event":"UserJoin","data":{"originatingChannel":1,"username":"USERNAME","roles":["User"],"id":12345}}',
    );
    expect(decodeEvent(join.event, join.data, context())).toEqual({
      kind: 'presence',
      change: 'join',
      userId: '12345',
      ops: [],
    });
    expect(decodeEvent(join.event, join.data, context({ showJoinLeave: true }))).toMatchObject({
      ops: [
        {
          op: 'append',
          message: { eventType: 'join', parts: [{ text: 'USERNAME joined the chat.' }] },
        },
      ],
    });
    const leave = frame(
      '{"type":"event","event":"UserLeave","data":{"originatingChannel":1,"username":"USERNAME","id":12345}}',
    );
    expect(decodeEvent(leave.event, leave.data, context({ showJoinLeave: true }))).toMatchObject({
      change: 'leave',
      ops: [{ message: { parts: [{ text: 'USERNAME left the chat.' }] } }],
    });
  });

  it('knows which events it ignores and which it does not know', () => {
    expect(
      decodeEvent('UserUpdate', { user: 12345, roles: ['Banned', 'Pro', 'User'] }, context()),
    ).toEqual({ kind: 'ignored', event: 'UserUpdate' });
    expect(decodeEvent('BrandNew', {}, context())).toEqual({ kind: 'unknown', event: 'BrandNew' });
    expect(decodeEvent('WelcomeEvent', { server: 'x' }, context())).toEqual({ kind: 'welcome' });
  });

  it('formats durations', () => {
    expect([500, 5_000, 59_998, 300_000, 7_200_000, 259_200_000].map(formatDuration)).toEqual([
      '1 second',
      '5 seconds',
      '1 minute',
      '5 minutes',
      '2 hours',
      '3 days',
    ]);
  });
});

describe('property: nothing throws out of the decoder', () => {
  const eventNames = fc.constantFrom(
    'WelcomeEvent',
    'ChatMessage',
    'DeleteMessage',
    'PurgeMessage',
    'ClearMessages',
    'UserTimeout',
    'PollStart',
    'PollEnd',
    'UserJoin',
    'UserLeave',
    'UserUpdate',
    'Whatever',
  );

  it('decodePacket never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        expect(['method', 'reply', 'event', 'unknown', 'malformed']).toContain(
          decodePacket(text).type,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('decodePacket + decodeEvent never throw on arbitrary JSON frames', () => {
    const frames = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          type: fc.constantFrom('event', 'reply', 'method', 'x'),
          event: eventNames,
          data: fc.jsonValue(),
          id: fc.jsonValue(),
          error: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(frames, (value) => {
        const packet = decodePacket(JSON.stringify(value));
        if (packet.type === 'event')
          decodeEvent(packet.event, packet.data, context({ showJoinLeave: true }));
        if (packet.type === 'reply' && packet.error) replyErrorToChatError(packet.error, 'msg');
      }),
      { numRuns: 500 },
    );
  });

  it('decodeChatMessage never throws on arbitrary payload shapes and keeps parts well-formed', () => {
    const segment = fc.record(
      {
        type: fc.constantFrom('text', 'emoticon', 'link', 'tag', 'image', 'inaspacesuffix'),
        text: fc.oneof(fc.string(), fc.jsonValue()),
        data: fc.jsonValue(),
        source: fc.constantFrom('builtin', 'external', 'subscriber', 7),
        pack: fc.oneof(fc.string(), fc.constant('default'), fc.webUrl()),
        coords: fc.oneof(
          fc.jsonValue(),
          fc.record({ x: fc.double(), y: fc.integer(), width: fc.integer(), height: fc.nat() }),
        ),
        url: fc.oneof(fc.webUrl(), fc.jsonValue()),
        username: fc.jsonValue(),
      },
      { requiredKeys: ['type'] },
    );
    const payload = fc.record(
      {
        id: fc.oneof(fc.uuid(), fc.jsonValue()),
        user_name: fc.oneof(fc.string(), fc.jsonValue()),
        user_id: fc.oneof(fc.nat(), fc.jsonValue()),
        user_roles: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
        user_avatar: fc.jsonValue(),
        message: fc.oneof(
          fc.record({ message: fc.array(segment), meta: fc.jsonValue() }),
          fc.jsonValue(),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(payload, (data) => {
        const message = decodeChatMessage(data, context());
        for (const part of message?.parts ?? []) {
          if (part.type === 'emote' && part.sprite) {
            expect(Number.isFinite(part.sprite.x) && part.sprite.width >= 1).toBe(true);
          }
          if (part.type === 'emote') expect(part.url).toMatch(/^https?:\/\//);
        }
      }),
      { numRuns: 500 },
    );
  });
});
