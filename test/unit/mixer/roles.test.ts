import { describe, expect, it } from 'vitest';
import { decodeChatMessage, mapRoles } from '../../../src/platforms/mixer/codec';

describe('mapRoles', () => {
  it('never takes a role from Object.prototype (constructor, toString, __proto__)', () => {
    expect(mapRoles(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'Mod'])).toEqual([
      'moderator',
    ]);
  });

  it('skips what is not a string and keeps each badge once, in order', () => {
    expect(mapRoles([1, null, 'Owner', { role: 'Mod' }, 'Mod', 'ChannelEditor', 'User'])).toEqual([
      'broadcaster',
      'moderator',
    ]);
  });

  it('gives a message whose user_roles is not a list no badges', () => {
    const message = decodeChatMessage(
      { id: 'x', user_name: 'u', user_roles: 'Owner', message: { message: [] } },
      { channel: 'c', receivedAt: 0, showJoinLeave: false, nextSeq: () => 0 },
    );
    expect(message?.author?.roles).toEqual([]);
  });
});
