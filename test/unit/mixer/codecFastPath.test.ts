import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket } from '../../../src/platforms/mixer/codec';

// decodePacket reads chat events through a fast path (only the data is parsed). A space after the
// opening brace is the same JSON but skips that path: both must always give the same packet.
const general = (frame: string) => decodePacket(`{ ${frame.slice(1)}`);
const HEAD = '{"type":"event","event":"ChatMessage","data":';

describe('decodePacket: the chat event fast path', () => {
  it('gives the same packet as the general path for any data', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        const frame = `${HEAD}${JSON.stringify(data)}}`;
        expect(decodePacket(frame)).toEqual(general(frame));
        expect(decodePacket(frame)).toEqual({ type: 'event', event: 'ChatMessage', data: JSON.parse(JSON.stringify(data)) });
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['a later key overriding the type', `${HEAD}{"id":"1"},"type":"reply"}`],
    ['a later key overriding the event', `${HEAD}{"id":"1"},"event":"DeleteMessage"}`],
    ['a second data', `${HEAD}1,"data":2}`],
    ['trailing text', `${HEAD}{"id":"1"}} `],
    ['no closing brace', `${HEAD}{"id":"1"}`],
    ['broken data', `${HEAD}{"id":}`],
    ['an empty data', `${HEAD}}`],
  ])('falls back to the general path on %s', (_name, frame) => {
    expect(decodePacket(frame)).toEqual(general(frame));
  });

  it('agrees with the general path on every cut of a chat frame', () => {
    const frame = `${HEAD}{"channel":1,"id":"a","user_name":"u","user_id":2,"message":{"message":[{"type":"text","text":"hi}"}],"meta":{}}}}`;
    for (let i = HEAD.length; i <= frame.length; i++) expect(decodePacket(frame.slice(0, i))).toEqual(general(frame.slice(0, i)));
  });
});
