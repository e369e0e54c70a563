import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainText } from '../../../src/core/message';
import { channelIdFrom, decodeFrame, graphqlErrors, historyNodes, mapChatMessage, subscriptionMessage } from '../../../src/platforms/glimesh/codec';

describe('Phoenix V2 frames (from the Glimesh docs)', () => {
  it.each([
    ['["1","1","__absinthe__:control","phx_reply",{"response":{},"status":"ok"}]', { joinRef: '1', ref: '1', topic: '__absinthe__:control', event: 'phx_reply' }],
    ['[null,"3","phoenix","phx_reply",{"response":{},"status":"ok"}]', { joinRef: null, ref: '3', topic: 'phoenix', event: 'phx_reply' }],
    ['[null,null,"__absinthe__:doc:-576:33B2","subscription:data",{"result":{"data":{"chatMessage":{"message":"hello world!"}}}}]', { joinRef: null, ref: null, topic: '__absinthe__:doc:-576:33B2', event: 'subscription:data' }],
  ])('%s', (text, expected) => {
    expect(decodeFrame(text)).toMatchObject({ type: 'frame', ...expected });
  });

  it.each(['not json', '{}', '[1,2,3]', '["1","1",5,"x",{}]', '[["a"],"1","t","e",{}]', '', 'null'])('reports %j as malformed', (text) => {
    expect(decodeFrame(text).type).toBe('malformed');
  });

  it('never throws on arbitrary or truncated input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.tuple(fc.jsonValue(), fc.jsonValue(), fc.string(), fc.string(), fc.jsonValue()).map((t) => JSON.stringify(t))), (text) => {
        decodeFrame(text);
        decodeFrame(text.slice(0, text.length >> 1));
        const f = decodeFrame(text);
        if (f.type === 'frame') mapChatMessage(subscriptionMessage(f.payload), 'c', 0);
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.jsonValue(), (v) => void (mapChatMessage(v, 'c', 0), historyNodes(v), graphqlErrors(v), channelIdFrom(v))));
  });
});

describe('chat message mapping', () => {
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
    metadata: { streamer: false, moderator: true, subscriber: true, admin: false, platformFounderSubscriber: true, platformSupporterSubscriber: false },
  };

  it('maps tokens to parts, metadata to roles, insertedAt (UTC, no zone) to sentAt, and derives a stable colour', () => {
    const m = mapChatMessage(node, 'codercat', 42)!;
    expect(m).toMatchObject({ id: '811', platform: 'glimesh', channel: 'codercat', kind: 'chat', receivedAt: 42, sentAt: Date.UTC(2021, 0, 8, 5, 3, 44) });
    expect(m.author).toMatchObject({ id: '5', name: 'mytho', displayName: 'Mytho', avatarUrl: 'https://x.test/a.png', roles: ['moderator', 'subscriber', 'founder'] });
    expect(m.author!.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(mapChatMessage(node, 'codercat', 0)!.author!.color).toBe(m.author!.color);
    expect(m.parts.map((p) => p.type)).toEqual(['text', 'emote', 'text', 'link']);
    expect(plainText(m)).toBe('hi :glimheart: see https://glimesh.tv');
  });

  it('falls back to the plain message without tokens, and refuses a message without id or user', () => {
    expect(mapChatMessage({ ...node, tokens: null }, 'c', 0)!.parts).toEqual([{ type: 'text', text: node.message }]);
    expect(mapChatMessage({ ...node, id: undefined }, 'c', 0)).toBeUndefined();
    expect(mapChatMessage({ ...node, user: null }, 'c', 0)).toBeUndefined();
  });

  it('reads GraphQL error sentences, history edges and the channel id', () => {
    expect(graphqlErrors({ data: { createChatMessage: null }, errors: [{ message: 'You are banned from this channel for 5 more minutes.' }] })).toEqual(['You are banned from this channel for 5 more minutes.']);
    expect(historyNodes({ data: { channel: { chatMessages: { edges: [{ node: { id: '1' } }, { node: { id: '2' } }] } } } })).toEqual([{ id: '1' }, { id: '2' }]);
    expect(channelIdFrom({ data: { channel: { id: '6' } } })).toBe('6');
    expect(channelIdFrom({ data: { channel: null } })).toBeUndefined();
  });
});
