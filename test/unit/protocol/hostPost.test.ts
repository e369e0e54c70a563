import { describe, expect, it } from 'vitest';
import { HostToWebview, decodeHostPost, encodeHostPost } from '../../../src/protocol/messages';

describe('HostPost (a host message as JSON text)', () => {
  it('carries a message through unchanged, hostile text included', () => {
    const message: HostToWebview = {
      type: 'ops',
      ops: [
        {
          op: 'append',
          message: {
            id: '1',
            platform: 'tau',
            channel: 'c',
            kind: 'chat',
            author: { name: 'u', displayName: '"}</script>\u2028', roles: ['vip'] },
            parts: [{ type: 'text', text: '\\"{"json":1}\u0000 😀' }],
            receivedAt: 5,
            flags: { action: true },
          },
        },
        { op: 'delete', platform: 'tau', ids: ['1'] },
      ],
    };
    const post = encodeHostPost(message);
    expect(typeof post.json).toBe('string');
    expect(decodeHostPost(post)).toEqual(message);
  });

  it('is undefined for anything that is not a post of ours', () => {
    for (const data of [
      undefined,
      null,
      'text',
      { type: 'ops', ops: [] },
      { json: 3 },
      { json: '{not json' },
      { json: '"a string"' },
      { json: '{"no":"type"}' },
    ])
      expect(decodeHostPost(data)).toBeUndefined();
  });
});
