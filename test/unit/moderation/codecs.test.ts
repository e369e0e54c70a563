import { describe, expect, it } from 'vitest';
import { ChatMessage } from '../../../src/core/message';
import {
  ModerationCapability,
  describeDuration,
  findUser,
  fitTimeout,
  isModerationRequest,
  undoOf,
} from '../../../src/core/moderation';
import {
  moderationLookupRequest,
  moderationMutation,
  readModerationLookup,
} from '../../../src/platforms/glimesh/moderation';
import {
  mixerBanPatch,
  mixerCanModerate,
  mixerCapability,
  mixerDuration,
  mixerMethodCall,
  mixerReplySentence,
} from '../../../src/platforms/mixer/moderation';
import {
  helixErrorMessage,
  helixModerationCall,
  helixUser,
  moderatesChannel,
} from '../../../src/platforms/tau/moderation';
import { isWebviewToHost } from '../../../src/protocol/messages';

const user = { id: '42', name: 'spammer' };
const ANY: ModerationCapability = {
  canModerate: true,
  actions: ['delete', 'timeout', 'untimeout', 'ban', 'unban', 'clear'],
};

describe('shared moderation helpers', () => {
  it('undo takes a ban back with unban, a timeout with untimeout where it exists, else unban; nothing else has one', () => {
    expect(undoOf({ action: 'ban', user }, ANY)).toEqual({ action: 'unban', user });
    expect(undoOf({ action: 'timeout', user, seconds: 60 }, ANY)).toEqual({
      action: 'untimeout',
      user,
    });
    expect(
      undoOf(
        { action: 'timeout', user, seconds: 60 },
        { canModerate: true, actions: ['timeout', 'unban'] },
      ),
    ).toEqual({ action: 'unban', user });
    expect(
      undoOf({ action: 'timeout', user, seconds: 60 }, { canModerate: true, actions: ['timeout'] }),
    ).toBeUndefined();
    expect(undoOf({ action: 'delete', messageId: 'm1' }, ANY)).toBeUndefined();
  });

  it('fits a timeout to the lengths a platform offers', () => {
    const glimesh: ModerationCapability = {
      canModerate: true,
      actions: ['timeout'],
      timeoutSeconds: [300, 900],
    };
    expect([60, 300, 599, 601, 86_400].map((s) => fitTimeout(s, glimesh))).toEqual([
      300, 300, 300, 900, 900,
    ]);
    expect(fitTimeout(42.4, ANY)).toBe(42);
  });

  it('describes durations in the largest whole unit', () => {
    expect([45, 60, 600, 3600, 7200, 86_400].map(describeDuration)).toEqual([
      '45 seconds',
      '1 minute',
      '10 minutes',
      '1 hour',
      '2 hours',
      '1 day',
    ]);
  });

  it('finds a user by login, display name or id, newest line first, on the right platform only', () => {
    const line = (
      platform: ChatMessage['platform'],
      id: string,
      name: string,
      displayName: string,
    ): ChatMessage => ({
      id: `m${id}`,
      platform,
      channel: '',
      kind: 'chat',
      author: { id, name, displayName, roles: [] },
      parts: [],
      receivedAt: 0,
      flags: {},
    });
    const lines = [
      line('mixer', '1', 'alice', 'Alice'),
      line('tau', '2', 'alice', 'Alice'),
      line('mixer', '3', 'bob', 'TheBob'),
    ];
    expect(findUser(lines, 'mixer', '@ALICE')).toEqual({ id: '1', name: 'alice' });
    expect(findUser(lines, 'tau', 'alice')).toEqual({ id: '2', name: 'alice' });
    expect(findUser(lines, 'mixer', 'thebob')).toEqual({ id: '3', name: 'bob' });
    expect(findUser(lines, 'mixer', '3')).toEqual({ id: '3', name: 'bob' });
    expect(findUser(lines, 'glimesh', 'alice')).toBeUndefined();
  });

  it('accepts well-formed requests only (they come from the webview and from command arguments)', () => {
    expect(isModerationRequest({ action: 'delete', messageId: 'x' })).toBe(true);
    expect(isModerationRequest({ action: 'timeout', user, seconds: 600 })).toBe(true);
    expect(isModerationRequest({ action: 'clear' })).toBe(true);
    for (const bad of [
      null,
      { action: 'nuke' },
      { action: 'delete' },
      { action: 'delete', messageId: '' },
      { action: 'timeout', user, seconds: 0 },
      { action: 'timeout', user, seconds: Number.NaN },
      { action: 'timeout', user, seconds: 2_000_000 },
      { action: 'ban', user: { name: '' } },
      { action: 'ban', user: { name: 'x', id: 5 } },
      { action: 'ban', user: { name: 'x'.repeat(201) } },
    ]) {
      expect(isModerationRequest(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(
      isWebviewToHost({
        type: 'moderate',
        requestId: 'pageAAAAAAAA:1',
        platform: 'mixer',
        request: { action: 'ban', user },
      }),
    ).toBe(true);
    expect(
      isWebviewToHost({
        type: 'moderate',
        requestId: 'pageAAAAAAAA:1',
        platform: 'twitch',
        request: { action: 'ban', user },
      }),
    ).toBe(false);
    expect(
      isWebviewToHost({
        type: 'moderate',
        requestId: 1.5,
        platform: 'mixer',
        request: { action: 'ban', user },
      }),
    ).toBe(false);
    // A bare counter is not a request id: it would repeat on the next page.
    expect(
      isWebviewToHost({
        type: 'moderate',
        requestId: 1,
        platform: 'mixer',
        request: { action: 'ban', user },
      }),
    ).toBe(false);
    expect(isWebviewToHost({ type: 'selectLine' })).toBe(true);
    expect(isWebviewToHost({ type: 'selectLine', platform: 'tau', id: 'abc' })).toBe(true);
    expect(isWebviewToHost({ type: 'selectLine', platform: 'tau' })).toBe(false);
    // Clear chat from the view: the host confirms, so a platform is optional.
    expect(isWebviewToHost({ type: 'clearChat', requestId: 'pageAAAAAAAA:1' })).toBe(true);
    expect(
      isWebviewToHost({ type: 'clearChat', requestId: 'pageAAAAAAAA:2', platform: 'mixer' }),
    ).toBe(true);
    expect(
      isWebviewToHost({ type: 'clearChat', requestId: 'pageAAAAAAAA:3', platform: 'twitch' }),
    ).toBe(false);
    expect(isWebviewToHost({ type: 'clearChat', requestId: 4 })).toBe(false);
    expect(isWebviewToHost({ type: 'clearChat', platform: 'mixer' })).toBe(false);
  });
});

describe('Mixer moderation frames', () => {
  it('owner and mods moderate; plain users and anonymous sessions do not', () => {
    expect(mixerCanModerate(['Owner', 'User'])).toBe(true);
    expect(mixerCanModerate(['Mod', 'User'])).toBe(true);
    expect(mixerCanModerate(['Subscriber', 'User'])).toBe(false);
    expect(mixerCapability(true, ['Mod']).actions).toEqual([
      'delete',
      'timeout',
      'untimeout',
      'ban',
      'unban',
      'clear',
    ]);
    expect(mixerCapability(true, ['User'])).toMatchObject({
      canModerate: false,
      reason: expect.stringMatching(/not a moderator/),
    });
    expect(mixerCapability(false, [])).toMatchObject({
      canModerate: false,
      reason: expect.stringMatching(/anonymously/),
    });
  });

  it('durations in Mixer’s units', () => {
    expect([1, 30, 60, 300, 3600, 5400, 86_400].map(mixerDuration)).toEqual([
      '1s',
      '30s',
      '1m',
      '5m',
      '1h',
      '90m',
      '1d',
    ]);
  });

  it('methods and arguments as the chat docs give them', () => {
    expect(mixerMethodCall({ action: 'delete', messageId: '8e07a0b0' })).toEqual({
      method: 'deleteMessage',
      args: ['8e07a0b0'],
    });
    expect(mixerMethodCall({ action: 'timeout', user, seconds: 30 })).toEqual({
      method: 'timeout',
      args: ['spammer', '30s'],
    });
    expect(mixerMethodCall({ action: 'untimeout', user })).toEqual({
      method: 'timeout',
      args: ['spammer', 'clear'],
    });
    expect(mixerMethodCall({ action: 'clear' })).toEqual({ method: 'clearMessages', args: [] });
    expect(mixerMethodCall({ action: 'ban', user })).toBeUndefined();
  });

  it('bans as the Banned channel role over REST', () => {
    expect(mixerBanPatch('https://mixer.com/api/v1/', 160788, '42', true)).toEqual({
      url: 'https://mixer.com/api/v1/channels/160788/users/42',
      body: '{"add":["Banned"]}',
    });
    expect(mixerBanPatch('https://mixer.com/api/v1', 160788, '42', false).body).toBe(
      '{"remove":["Banned"]}',
    );
  });

  it('the reply’s sentence, or ours when Mixer sends none', () => {
    expect(mixerReplySentence('username has been timed out for 30s.', 'x')).toBe(
      'username has been timed out for 30s.',
    );
    expect(mixerReplySentence(undefined, 'Done.')).toBe('Done.');
    expect(mixerReplySentence({ not: 'a string' }, 'Done.')).toBe('Done.');
  });
});

describe('Glimesh moderation documents', () => {
  it('the mutations of chat_types.ex with channel and user (or message) ids', () => {
    expect(moderationMutation('6', { action: 'delete', messageId: '1001' })).toEqual({
      query:
        'mutation ($c: ID!, $m: ID!) { deleteChatMessage(channelId: $c, messageId: $m) { id action } }',
      variables: { c: '6', m: '1001' },
    });
    const field = (r: Parameters<typeof moderationMutation>[1]) =>
      /\{ (\w+)\(/.exec(moderationMutation('6', r, '101')!.query)![1];
    expect(field({ action: 'timeout', user, seconds: 300 })).toBe('shortTimeoutUser');
    expect(field({ action: 'timeout', user, seconds: 301 })).toBe('longTimeoutUser');
    expect(field({ action: 'ban', user })).toBe('banUser');
    expect(field({ action: 'unban', user })).toBe('unbanUser');
    expect(moderationMutation('6', { action: 'ban', user }, '101')!.variables).toEqual({
      c: '6',
      u: '101',
    });
    expect(moderationMutation('6', { action: 'ban', user })).toBeUndefined();
    expect(moderationMutation('6', { action: 'clear' }, '101')).toBeUndefined();
    expect(moderationLookupRequest('6').variables).toEqual({ id: '6' });
  });

  it('the channel owner may do everything; a moderator what their flags allow; others nothing', () => {
    const body = (selfId: string, mods: unknown[] = []) => ({
      data: {
        myself: { id: selfId },
        channel: { streamer: { id: '101' }, moderators: { edges: mods.map((node) => ({ node })) } },
      },
    });
    expect(readModerationLookup(body('101'))).toEqual({
      canModerate: true,
      actions: ['delete', 'timeout', 'ban', 'unban'],
      timeoutSeconds: [300, 900],
    });
    expect(
      readModerationLookup(
        body('202', [
          {
            user: { id: '202' },
            canShortTimeout: true,
            canLongTimeout: false,
            canBan: false,
            canUnban: false,
            canDelete: true,
          },
        ]),
      ),
    ).toEqual({
      canModerate: true,
      actions: ['delete', 'timeout'],
      timeoutSeconds: [300],
    });
    expect(readModerationLookup(body('202', [{ user: { id: '202' } }])).canModerate).toBe(false);
    expect(
      readModerationLookup(body('303', [{ user: { id: '202' }, canBan: true }])),
    ).toMatchObject({ canModerate: false, reason: expect.stringMatching(/not a moderator/) });
    expect(readModerationLookup({ errors: [{ message: 'unauthorized' }] })).toMatchObject({
      canModerate: false,
      reason: expect.stringMatching(/unauthorized/),
    });
  });
});

describe('Twitch moderation through TAU’s Helix passthrough', () => {
  const ids = { broadcasterId: '424242', moderatorId: '5150' };
  it('bans and timeouts are POST moderation/bans with data.user_id (and duration)', () => {
    expect(helixModerationCall(ids, { action: 'ban', user }, '42')).toEqual({
      method: 'POST',
      path: '/moderation/bans?broadcaster_id=424242&moderator_id=5150',
      body: '{"data":{"user_id":"42"}}',
    });
    expect(
      JSON.parse(
        helixModerationCall(ids, { action: 'timeout', user, seconds: 600.4 }, '42')!.body!,
      ),
    ).toEqual({ data: { user_id: '42', duration: 600 } });
    expect(
      JSON.parse(
        helixModerationCall(ids, { action: 'timeout', user, seconds: 9_999_999 }, '42')!.body!,
      ).data.duration,
    ).toBe(1_209_600);
    expect(helixModerationCall(ids, { action: 'ban', user })).toBeUndefined();
  });

  it('unban, delete and clear are DELETEs with their ids in the query', () => {
    expect(helixModerationCall(ids, { action: 'unban', user }, '42')).toEqual({
      method: 'DELETE',
      path: '/moderation/bans?broadcaster_id=424242&moderator_id=5150&user_id=42',
    });
    expect(helixModerationCall(ids, { action: 'delete', messageId: 'a b&c' })).toEqual({
      method: 'DELETE',
      path: '/moderation/chat?broadcaster_id=424242&moderator_id=5150&message_id=a+b%26c',
    });
    expect(helixModerationCall(ids, { action: 'clear' })).toEqual({
      method: 'DELETE',
      path: '/moderation/chat?broadcaster_id=424242&moderator_id=5150',
    });
  });

  it('reads Twitch’s error sentence, users and moderated channels', () => {
    expect(
      helixErrorMessage({
        error: 'Bad Request',
        status: 400,
        message: 'The user specified in the user_id field is already banned.',
      }),
    ).toBe('The user specified in the user_id field is already banned.');
    expect(helixErrorMessage({ detail: 'Invalid token.' })).toBeUndefined();
    expect(helixErrorMessage('<html>')).toBeUndefined();
    expect(helixUser({ data: [{ id: '1', login: 'a', display_name: 'A' }] })).toEqual({
      id: '1',
      login: 'a',
    });
    expect(helixUser({ data: [] })).toBeUndefined();
    expect(moderatesChannel({ data: [{ broadcaster_id: '424242' }] }, '424242')).toBe(true);
    expect(moderatesChannel({ data: [{ broadcaster_id: '1' }] }, '424242')).toBe(false);
    expect(moderatesChannel({}, '424242')).toBe(false);
  });
});
