import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../src/platforms/glimesh/codec';

// decodeFrame reads subscription pushes through a fast path (only the payload is parsed; the topic
// is taken as written). A space after the opening bracket is the same JSON but skips that path:
// both must always give the same frame.
const general = (frame: string) => decodeFrame(`[ ${frame.slice(1)}`);
const push = (topic: string, payload: string) => `[null,null,${JSON.stringify(topic)},"subscription:data",${payload}]`;

describe('decodeFrame: the subscription push fast path', () => {
  it('gives the same frame as the general path for any subscription id and payload', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })), (id, payload) => {
        const frame = push(`__absinthe__:doc:${id}`, JSON.stringify(payload));
        expect(decodeFrame(frame)).toEqual(general(frame));
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['an escaped quote in the topic', push('__absinthe__:doc:a"b', '{}')],
    ['an escaped backslash in the topic', push('__absinthe__:doc:a\\b', '{}')],
    ['a unicode escape in the topic', '[null,null,"__absinthe__:doc:\\u0041","subscription:data",{}]'],
    ['a raw control character in the topic', '[null,null,"__absinthe__:doc:\t","subscription:data",{}]'],
    ['a payload that is not an object', push('__absinthe__:doc:x', '[]')],
    ['a sixth element', push('__absinthe__:doc:x', '{},1')],
    ['trailing text', `${push('__absinthe__:doc:x', '{}')} `],
    ['broken payload', push('__absinthe__:doc:x', '{"a":}')],
    ['another event', '[null,null,"__absinthe__:doc:x","phx_reply",{"status":"ok"}]'],
  ])('falls back to the general path on %s', (_name, frame) => {
    expect(decodeFrame(frame)).toEqual(general(frame));
  });

  it('agrees with the general path on every cut of a push', () => {
    const frame = push('__absinthe__:doc:-5764:A52E', '{"result":{"data":{"chatMessage":{"id":"1","message":"hi]"}}},"subscriptionId":"__absinthe__:doc:-5764:A52E"}');
    for (let i = 12; i <= frame.length; i++) expect(decodeFrame(frame.slice(0, i))).toEqual(general(frame.slice(0, i)));
  });
});
