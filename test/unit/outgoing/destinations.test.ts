import { describe, expect, it } from 'vitest';
import type { PlatformStatus } from '../../../src/core/chatHub';
import type { PlatformId } from '../../../src/core/message';
import { planDestination } from '../../../src/outgoing/destinations';

const status = (platform: PlatformId, enabled: boolean, canSend: boolean, reason?: string): PlatformStatus => ({
  platform,
  enabled,
  state: { kind: canSend ? 'connected' : 'disconnected' } as PlatformStatus['state'],
  send: { canSend, reason, maxLength: 255 },
});

describe('planDestination', () => {
  it('uses the only platform that can send, without asking', () => {
    expect(planDestination([status('glimesh', true, false, 'Glimesh is not connected.'), status('mixer', true, true), status('tau', false, false)])).toEqual({ kind: 'one', platform: 'mixer' });
  });

  it('asks when several can, the last choice first', () => {
    const all = [status('glimesh', true, true), status('mixer', true, true), status('tau', true, true)];
    expect(planDestination(all)).toEqual({ kind: 'pick', platforms: ['glimesh', 'mixer', 'tau'] });
    expect(planDestination(all, 'tau')).toEqual({ kind: 'pick', platforms: ['tau', 'glimesh', 'mixer'] });
    expect(planDestination(all, 'nonsense')).toEqual({ kind: 'pick', platforms: ['glimesh', 'mixer', 'tau'] });
  });

  it('says why each enabled platform cannot send, naming it', () => {
    const plan = planDestination([
      status('glimesh', true, false, 'Read-only: connected with a client id. Set a Glimesh token to chat.'),
      status('mixer', true, false, 'Mixer is not connected.'),
      status('tau', true, false, 'TAU: set streamChat.tau.chatBot (a TAU chat-bot login) to send chat.'),
    ]);
    expect(plan).toEqual({
      kind: 'none',
      message:
        'Stream Chat: nothing can send right now. Read-only: connected with a client id. Set a Glimesh token to chat. Mixer is not connected. TAU: set streamChat.tau.chatBot (a TAU chat-bot login) to send chat.',
    });
    const unnamed = planDestination([status('mixer', true, false, 'read-only (no chat permission)')]);
    expect(unnamed).toEqual({ kind: 'none', message: 'Stream Chat: nothing can send right now. Mixer: read-only (no chat permission).' });
  });

  it('says how to enable one when none is', () => {
    const plan = planDestination([status('glimesh', false, false), status('mixer', false, false), status('tau', false, false)]);
    expect(plan.kind).toBe('none');
    expect(plan.kind === 'none' && plan.message).toMatch(/no platform is enabled.*streamChat\.glimesh\.enabled, streamChat\.mixer\.enabled, streamChat\.tau\.enabled/);
  });
});
