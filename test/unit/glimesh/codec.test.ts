import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainText } from '../../../src/core/message';
import {
  CHAT_SUBSCRIPTION,
  HISTORY_QUERY,
  SEND_MUTATION,
  channelIdFrom,
  channelLookupRequest,
  classifyFrame,
  decodeFrame,
  encodeFrame,
  graphqlErrors,
  historyNodes,
  historyRequest,
  mapChatMessage,
  parseInsertedAt,
  readChannelLookup,
  readFrame,
  replyErrorText,
  sendRequest,
  subscriptionMessage,
  subscriptionRequest,
} from '../../../src/platforms/glimesh/codec';

// Frames as Glimesh's public API docs show them (a Phoenix channel carrying Absinthe subscriptions).
const SUB_ID =
  '__absinthe__:doc:-576460752303349214:33B2AA3BF7B8F0E158810EF0E0166F5E05840BE57444C92365C921943942A47D';
const DOC_FRAMES = {
  joinReply: '["1","1","__absinthe__:control","phx_reply",{"response":{},"status":"ok"}]',
  subscribeReply: `["1","1","__absinthe__:control","phx_reply",{"response":{"subscriptionId":"${SUB_ID}"},"status":"ok"}]`,
  heartbeatReplyAsDocumented: '["null","1","phoenix","phx_reply",{"response":{},"status":"ok"}]',
  heartbeatReply: '[null,"3","phoenix","phx_reply",{"response":{},"status":"ok"}]',
  push: `[null,null,"${SUB_ID}","subscription:data",{"result":{"data":{"chatMessage":{"message":"hello world!","user":{"avatar":"/uploads/avatars/Mytho.png?v=63762672056","username":"Mytho"}}}},"subscriptionId":"${SUB_ID}"}]`,
  mutationReply:
    '["1","1","__absinthe__:control","phx_reply",{"response":{"data":{"createChatMessage":{"message":"Hello There!"}}},"status":"ok"}]',
  queryReply:
    '["1","1","__absinthe__:control","phx_reply",{"response":{"data":{"followers":[{"id":"613","user":{"username":"Mytho"}},{"id":"629","user":{"username":"TheCat"}}]}},"status":"ok"}]',
  bannedReply:
    '["1","4","__absinthe__:control","phx_reply",{"response":{"data":{"createChatMessage":null},"errors":[{"locations":[{"column":3,"line":1}],"message":"You are banned from this channel for 5 more minutes.","path":["createChatMessage"]}]},"status":"ok"}]',
  channelCrash: '["1","1","__absinthe__:control","phx_error",{"reason":"channel_crash"}]',
  duplicateJoinClose: '["1","1","__absinthe__:control","phx_close",{}]',
  unmatchedTopic:
    '[null,"7","room:lobby","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}]',
};

describe('decodeFrame: Phoenix V2 frames from the docs', () => {
  it.each([
    [
      'join reply',
      DOC_FRAMES.joinReply,
      { joinRef: '1', ref: '1', topic: '__absinthe__:control', event: 'phx_reply' },
    ],
    [
      'heartbeat reply (join_ref null)',
      DOC_FRAMES.heartbeatReply,
      { joinRef: null, ref: '3', topic: 'phoenix', event: 'phx_reply' },
    ],
    [
      'heartbeat reply as the docs print it ("null")',
      DOC_FRAMES.heartbeatReplyAsDocumented,
      { joinRef: 'null', ref: '1', topic: 'phoenix' },
    ],
    [
      'subscription push (null refs)',
      DOC_FRAMES.push,
      { joinRef: null, ref: null, topic: SUB_ID, event: 'subscription:data' },
    ],
    [
      'numeric refs',
      '[1,2,"phoenix","phx_reply",{"status":"ok","response":{}}]',
      { joinRef: '1', ref: '2' },
    ],
  ])('%s', (_name, text, expected) => {
    expect(decodeFrame(text)).toMatchObject({ type: 'frame', ...expected });
  });

  it.each([
    ['not JSON', 'not json', 'not JSON'],
    [
      'an object (V1 frame)',
      '{"topic":"phoenix","event":"phx_reply","payload":{},"ref":"1"}',
      'not a five-element array',
    ],
    ['too few elements', '["1","2","x"]', 'not a five-element array'],
    ['too many elements', '["1","2","t","e",{},6]', 'not a five-element array'],
    ['a number topic', '["1","1",5,"x",{}]', 'topic or event is not a string'],
    ['an empty event', '["1","1","t","",{}]', 'topic or event is not a string'],
    ['an array ref', '[["a"],"1","t","e",{}]', 'refs are not strings or null'],
    ['a null payload', '[null,"1","phoenix","phx_reply",null]', 'payload is not an object'],
    [
      'a reply without status',
      '[null,"1","phoenix","phx_reply",{"response":{}}]',
      'reply without a ref or status',
    ],
    [
      'a reply without ref',
      '[null,null,"phoenix","phx_reply",{"status":"ok"}]',
      'reply without a ref or status',
    ],
    ['empty text', '', 'not JSON'],
    ['JSON null', 'null', 'not a five-element array'],
  ])('reports %s as malformed', (_name, text, reason) => {
    expect(decodeFrame(text)).toEqual({ type: 'malformed', reason });
  });

  it('refuses non-text and oversized frames', () => {
    expect(decodeFrame(Buffer.from('[]'))).toMatchObject({
      type: 'malformed',
      reason: 'not a text frame',
    });
    expect(decodeFrame(`["1","1","t","e",{"x":"${'a'.repeat(1_000_001)}"}]`)).toMatchObject({
      type: 'malformed',
      reason: 'frame too long',
    });
  });

  it('round-trips what encodeFrame writes', () => {
    expect(
      decodeFrame(encodeFrame('4', '9', '__absinthe__:control', 'doc', { query: 'q' })),
    ).toEqual({
      type: 'frame',
      joinRef: '4',
      ref: '9',
      topic: '__absinthe__:control',
      event: 'doc',
      payload: { query: 'q' },
    });
  });
});

describe('classifyFrame', () => {
  it.each([
    ['a join reply', DOC_FRAMES.joinReply, { type: 'reply', ref: '1', status: 'ok', response: {} }],
    [
      'a subscribe reply',
      DOC_FRAMES.subscribeReply,
      { type: 'reply', status: 'ok', response: { subscriptionId: SUB_ID } },
    ],
    [
      'a mutation reply',
      DOC_FRAMES.mutationReply,
      {
        type: 'reply',
        status: 'ok',
        response: { data: { createChatMessage: { message: 'Hello There!' } } },
      },
    ],
    ['a query reply', DOC_FRAMES.queryReply, { type: 'reply', status: 'ok' }],
    [
      'an unmatched-topic reply',
      DOC_FRAMES.unmatchedTopic,
      { type: 'reply', status: 'error', joinRef: null, response: { reason: 'unmatched topic' } },
    ],
    [
      'a subscription push',
      DOC_FRAMES.push,
      {
        type: 'subscriptionData',
        subscriptionId: SUB_ID,
        message: { message: 'hello world!' },
        errors: [],
      },
    ],
    [
      'a channel crash',
      DOC_FRAMES.channelCrash,
      { type: 'channelError', joinRef: '1', reason: 'channel_crash' },
    ],
    [
      'a close after a duplicate join',
      DOC_FRAMES.duplicateJoinClose,
      { type: 'channelClose', joinRef: '1' },
    ],
    [
      'an event we never asked for',
      '[null,null,"room:lobby","new_msg",{}]',
      { type: 'unknown', topic: 'room:lobby', event: 'new_msg' },
    ],
    [
      'subscription data on a foreign topic',
      '[null,null,"room:lobby","subscription:data",{}]',
      { type: 'unknown', event: 'subscription:data' },
    ],
    ['garbage', '{', { type: 'malformed', reason: 'not JSON' }],
  ])('%s', (_name, text, expected) => {
    expect(readFrame(text)).toMatchObject(expected);
  });

  it('reads GraphQL errors pushed on a subscription', () => {
    expect(
      readFrame(
        `[null,null,"${SUB_ID}","subscription:data",{"result":{"errors":[{"message":"boom"}]}}]`,
      ),
    ).toMatchObject({
      type: 'subscriptionData',
      message: undefined,
      errors: ['boom'],
    });
  });
});

describe('GraphQL documents: values travel as variables', () => {
  it('asks for the fields the current schema has (avatarUrl, not the docs’ avatar)', () => {
    for (const field of [
      'id',
      'message',
      'insertedAt',
      'username',
      'displayname',
      'avatarUrl',
      '... on EmoteToken { src }',
      '... on UrlToken { url }',
      'platformFounderSubscriber',
    ]) {
      expect(CHAT_SUBSCRIPTION).toContain(field);
      expect(HISTORY_QUERY).toContain(field);
    }
    expect(CHAT_SUBSCRIPTION).not.toMatch(/\bavatar\b(?!Url)/);
  });

  it('subscribes with a required channel id, so the firehose is never asked for', () => {
    expect(subscriptionRequest('6')).toEqual({ query: CHAT_SUBSCRIPTION, variables: { id: '6' } });
    expect(CHAT_SUBSCRIPTION).toMatch(/\(\$id: ID!\)/);
    expect(CHAT_SUBSCRIPTION).toContain('chatMessage(channelId: $id)');
  });

  it('keeps hostile text out of the document', () => {
    const text = 'hi") { id } } mutation { x(y: "z';
    const request = sendRequest('6', text);
    expect(request.query).toBe(SEND_MUTATION);
    expect(request.query).not.toContain(text);
    expect(request.variables).toEqual({ c: '6', m: text });
    expect(channelLookupRequest('a"b', false).variables).toEqual({ username: 'a"b' });
    expect(channelLookupRequest('x', true).query).toContain('myself { id username }');
    expect(channelLookupRequest('x', false).query).not.toContain('myself');
    expect(historyRequest('6')).toEqual({ query: HISTORY_QUERY, variables: { id: '6' } });
    expect(HISTORY_QUERY).toContain('chatMessages(last: 50)');
  });
});

describe('GraphQL answers', () => {
  it('reads the server’s error sentences (one per changeset error)', () => {
    expect(
      graphqlErrors({
        data: { createChatMessage: null },
        errors: [
          { message: 'message: should be at most 255 character(s)' },
          { message: "message: can't be blank" },
        ],
      }),
    ).toEqual(['message: should be at most 255 character(s)', "message: can't be blank"]);
    expect(graphqlErrors({ errors: [{ nope: 1 }] })).toEqual(['Unknown error.']);
    expect(graphqlErrors({ data: {} })).toEqual([]);
    expect(replyErrorText({ errors: [{ message: 'unauthorized' }] })).toBe('unauthorized');
    expect(replyErrorText({ error: 'Could not parse variables as map' })).toBe(
      'Could not parse variables as map',
    );
    expect(replyErrorText({ reason: 'unmatched topic' })).toBe('unmatched topic');
    expect(replyErrorText(null)).toBe('');
  });

  it('reads the channel lookup, the token’s own user and "not found"', () => {
    expect(
      readChannelLookup({
        data: { channel: { id: '6' }, myself: { id: '101', username: 'codercat' } },
      }),
    ).toEqual({ channelId: '6', self: { id: '101' }, errors: [] });
    expect(
      readChannelLookup({
        data: { channel: null },
        errors: [{ message: 'Could not find resource', path: ['channel'] }],
      }),
    ).toEqual({ errors: ['Could not find resource'] });
    expect(channelIdFrom({ data: { channel: { id: 6 } } })).toBe('6');
    expect(channelIdFrom('nope')).toBeUndefined();
  });

  it('reads history edges oldest first', () => {
    expect(
      historyNodes({
        data: {
          channel: {
            chatMessages: { edges: [{ node: { id: '1' } }, { node: { id: '2' } }, 'junk'] },
          },
        },
      }),
    ).toEqual([{ id: '1' }, { id: '2' }]);
    expect(historyNodes({ data: { channel: null } })).toEqual([]);
  });

  it('takes NaiveDateTime (no zone) as UTC', () => {
    expect(parseInsertedAt('2021-01-08T05:03:44')).toBe(Date.UTC(2021, 0, 8, 5, 3, 44));
    expect(parseInsertedAt('2021-01-08T05:03:44.123456')).toBe(Date.UTC(2021, 0, 8, 5, 3, 44, 123));
    expect(parseInsertedAt('2021-01-08T05:03:44Z')).toBe(Date.UTC(2021, 0, 8, 5, 3, 44));
    expect(parseInsertedAt('2021-01-08T07:03:44+02:00')).toBe(Date.UTC(2021, 0, 8, 5, 3, 44));
    expect(parseInsertedAt('yesterday')).toBeUndefined();
    expect(parseInsertedAt(1610082224)).toBeUndefined();
  });
});

describe('mapChatMessage', () => {
  const node = {
    id: '811',
    message: 'hi :glimheart: see https://glimesh.tv',
    insertedAt: '2021-01-08T05:03:44',
    user: { id: '5', username: 'mytho', displayname: 'Mytho', avatarUrl: 'https://x.test/a.png' },
    tokens: [
      { type: 'text', text: 'hi ' },
      { type: 'emote', text: ':glimheart:', src: 'https://x.test/glimheart.svg' },
      { type: 'text', text: ' see ' },
      { type: 'url', text: 'https://glimesh.tv', url: 'https://glimesh.tv' },
    ],
    metadata: {
      streamer: false,
      moderator: true,
      subscriber: true,
      admin: false,
      platformFounderSubscriber: true,
      platformSupporterSubscriber: false,
    },
  };

  it('maps tokens to parts, metadata to badges, insertedAt to sentAt, and derives a stable colour', () => {
    const m = mapChatMessage(node, 'codercat', 42)!;
    expect(m).toMatchObject({
      id: '811',
      platform: 'glimesh',
      channel: 'codercat',
      kind: 'chat',
      receivedAt: 42,
      sentAt: Date.UTC(2021, 0, 8, 5, 3, 44),
      flags: {},
    });
    expect(m.author).toMatchObject({
      id: '5',
      name: 'mytho',
      displayName: 'Mytho',
      avatarUrl: 'https://x.test/a.png',
      roles: ['moderator', 'subscriber', 'founder'],
    });
    expect(m.author!.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(mapChatMessage({ ...node, id: '812' }, 'codercat', 0)!.author!.color).toBe(
      m.author!.color,
    );
    expect(m.parts).toEqual([
      { type: 'text', text: 'hi ' },
      { type: 'emote', name: ':glimheart:', url: 'https://x.test/glimheart.svg' },
      { type: 'text', text: ' see ' },
      { type: 'link', text: 'https://glimesh.tv', url: 'https://glimesh.tv' },
    ]);
    expect(plainText(m)).toBe(node.message);
  });

  it.each([
    [{ streamer: true, admin: true }, ['broadcaster', 'admin']],
    [{ platformSupporterSubscriber: true }, ['supporter']],
    [{ moderator: 'yes' }, []],
    [null, []],
  ])('metadata %j → roles %j', (metadata, roles) => {
    expect(mapChatMessage({ ...node, metadata }, 'c', 0)!.author!.roles).toEqual(roles);
  });

  it('flags our own messages when the author is the token’s user', () => {
    expect(mapChatMessage(node, 'c', 0, { id: '5' })!.flags).toEqual({ self: true });
    expect(mapChatMessage(node, 'c', 0, { id: '6' })!.flags).toEqual({});
  });

  it('degrades gracefully: no tokens, odd tokens, missing display name; refuses no id or no user', () => {
    expect(mapChatMessage({ ...node, tokens: null }, 'c', 0)!.parts).toEqual([
      { type: 'text', text: node.message },
    ]);
    expect(
      mapChatMessage(
        { ...node, tokens: [{ type: 'emote', text: ':x:' }, { type: 'url', text: 'u' }, 5] },
        'c',
        0,
      )!.parts,
    ).toEqual([
      { type: 'text', text: ':x:' },
      { type: 'text', text: 'u' },
    ]);
    expect(mapChatMessage({ ...node, user: { username: 'Solo' } }, 'c', 0)!.author).toMatchObject({
      name: 'solo',
      displayName: 'Solo',
      roles: expect.any(Array),
    });
    expect(mapChatMessage({ ...node, id: undefined }, 'c', 0)).toBeUndefined();
    expect(mapChatMessage({ ...node, user: null }, 'c', 0)).toBeUndefined();
    expect(mapChatMessage({ ...node, user: { username: '' } }, 'c', 0)).toBeUndefined();
  });

  it('reads the message out of a subscription payload', () => {
    expect(subscriptionMessage({ result: { data: { chatMessage: { id: '1' } } } })).toEqual({
      id: '1',
    });
    expect(subscriptionMessage({ result: null })).toBeUndefined();
  });
});

describe('property: nothing throws', () => {
  const frameLike = fc.tuple(
    fc.oneof(fc.constant(null), fc.string(), fc.integer()),
    fc.oneof(fc.constant(null), fc.string()),
    fc.string(),
    fc.oneof(
      fc.constantFrom('phx_reply', 'subscription:data', 'phx_error', 'phx_close'),
      fc.string(),
    ),
    fc.jsonValue(),
  );

  it('decodeFrame and readFrame never throw on arbitrary, framelike or truncated text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          frameLike.map((t) => JSON.stringify(t)),
        ),
        fc.nat(),
        (text, cut) => {
          for (const t of [text, text.slice(0, cut % (text.length + 1))]) {
            const frame = decodeFrame(t);
            expect(['frame', 'malformed']).toContain(frame.type);
            const meaning = classifyFrame(frame);
            if (meaning.type === 'subscriptionData') mapChatMessage(meaning.message, 'c', 0);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('every truncation of a documented frame is either that frame or malformed', () => {
    for (const text of Object.values(DOC_FRAMES)) {
      for (let i = 0; i < text.length; i++)
        expect(decodeFrame(text.slice(0, i)).type).toBe('malformed');
      expect(decodeFrame(text).type).toBe('frame');
    }
  });

  it('the readers never throw on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        mapChatMessage(v, 'c', 0, { id: '1' });
        historyNodes(v);
        graphqlErrors(v);
        replyErrorText(v);
        readChannelLookup(v);
        subscriptionMessage(v);
        parseInsertedAt(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('a chat message from arbitrary node-shaped input maps to valid parts', () => {
    const token = fc.record({
      type: fc.constantFrom('text', 'url', 'emote', 'other'),
      text: fc.string(),
      url: fc.option(fc.webUrl()),
      src: fc.option(fc.webUrl()),
    });
    fc.assert(
      fc.property(
        fc.record({
          id: fc.string({ minLength: 1 }),
          message: fc.string(),
          user: fc.record({ username: fc.string({ minLength: 1 }) }),
          tokens: fc.array(token),
        }),
        (n) => {
          const m = mapChatMessage(n, 'c', 0)!;
          expect(m.id).toBe(n.id);
          for (const p of m.parts) expect(['text', 'emote', 'link']).toContain(p.type);
        },
      ),
    );
  });
});
