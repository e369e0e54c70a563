import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimelineOp, plainText } from '../../../src/core/message';
import {
  chatParts,
  decodeChatFrame,
  decodeEventsFrame,
  describeEvent,
  encodeChatSend,
  ownChatMessage,
  splitForTwitch,
} from '../../../src/platforms/tau/codec';

const b = {
  broadcaster_user_id: '1',
  broadcaster_user_login: 'codercat',
  broadcaster_user_name: 'CoderCat',
};
const u = { user_id: '7', user_login: 'pixelpusher', user_name: 'PixelPusher' };
const line = (type: string, data: Record<string, unknown>, origin = 'twitch') => {
  const ops = describeEvent(
    { id: 'x', event_id: 'e1', event_type: type, event_data: data, origin },
    0,
  );
  const append = ops.find((o) => o.op === 'append');
  if (!append || append.op !== 'append') throw new Error('no line');
  return { text: plainText(append.message), message: append.message, ops };
};

describe('describeEvent: current (EventSub) names', () => {
  it.each([
    ['channel-follow', { ...u, ...b }, 'PixelPusher followed!'],
    [
      'channel-subscribe',
      { ...u, ...b, tier: '2000', is_gift: false },
      'PixelPusher subscribed (Tier 2).',
    ],
    [
      'channel-subscription-gift',
      { ...u, ...b, total: 5, tier: '1000', cumulative_total: 12, is_anonymous: false },
      'PixelPusher gifted 5 Tier 1 subs! (12 gifts in total)',
    ],
    [
      'channel-subscription-gift',
      { ...b, total: 1, tier: '1000', is_anonymous: true },
      'An anonymous gifter gifted 1 Tier 1 sub!',
    ],
    [
      'channel-subscription-message',
      { ...u, ...b, tier: '1000', message: { text: 'love it' }, cumulative_months: 14 },
      'PixelPusher resubscribed (Tier 1) for 14 months: love it',
    ],
    [
      'channel-cheer',
      { ...u, ...b, is_anonymous: false, bits: 500, message: 'Cheer500 go' },
      'PixelPusher cheered 500 bits! Cheer500 go',
    ],
    [
      'channel-raid',
      {
        from_broadcaster_user_id: '9',
        from_broadcaster_user_login: 'friend',
        from_broadcaster_user_name: 'Friend',
        viewers: 42,
      },
      'Friend is raiding with 42 viewers!',
    ],
    [
      'channel-channel_points_custom_reward_redemption-add',
      { ...u, ...b, user_input: 'tabs', reward: { title: 'Pick indentation', cost: 500 } },
      'PixelPusher redeemed Pick indentation (500 points): tabs',
    ],
    [
      'channel-hype_train-begin',
      { ...b, level: 1, progress: 137, goal: 500 },
      'A hype train started! Level 1, 137/500.',
    ],
    [
      'channel-hype_train-progress',
      { ...b, level: 2, progress: 200, goal: 1000 },
      'Hype train level 2: 200/1000.',
    ],
    ['channel-hype_train-end', { ...b, level: 3 }, 'The hype train ended at level 3.'],
    ['stream-online', { ...b, type: 'live' }, 'CoderCat went live!'],
    ['stream-offline', { ...b }, 'CoderCat went offline.'],
    [
      'channel-ban',
      { ...u, ...b, moderator_user_name: 'ModCat', reason: 'spam', is_permanent: true },
      'PixelPusher was banned by ModCat: spam',
    ],
    [
      'channel-ban',
      { ...u, ...b, is_permanent: false, ends_at: '2026-01-01T00:00:00Z' },
      'PixelPusher was timed out.',
    ],
    [
      'channel-unban',
      { ...u, ...b, moderator_user_name: 'ModCat' },
      'PixelPusher was unbanned by ModCat.',
    ],
    [
      'channel-poll-begin',
      { ...b, title: 'Tabs or spaces?', choices: [{ title: 'Tabs' }, { title: 'Spaces' }] },
      'Poll started: Tabs or spaces? (Tabs / Spaces)',
    ],
    [
      'channel-poll-end',
      {
        ...b,
        title: 'Tabs or spaces?',
        choices: [
          { title: 'Tabs', votes: 3 },
          { title: 'Spaces', votes: 9 },
        ],
      },
      'Poll ended: Tabs or spaces? — Spaces wins with 9 votes',
    ],
    [
      'channel-prediction-begin',
      {
        ...b,
        title: 'Green?',
        outcomes: [
          { id: 'a', title: 'Yes' },
          { id: 'b', title: 'No' },
        ],
      },
      'Prediction started: Green? (Yes / No)',
    ],
    [
      'channel-prediction-end',
      {
        ...b,
        title: 'Green?',
        winning_outcome_id: 'b',
        outcomes: [
          { id: 'a', title: 'Yes' },
          { id: 'b', title: 'No' },
        ],
      },
      'Prediction ended: Green? — No won',
    ],
    [
      'channel-goal-begin',
      { ...b, description: 'Road to 1k', current_amount: 930, target_amount: 1000 },
      'Goal started: Road to 1k 930/1000',
    ],
    [
      'channel-shoutout-create',
      { ...b, to_broadcaster_user_name: 'Friend', to_broadcaster_user_login: 'friend' },
      'Shoutout to Friend!',
    ],
    [
      'channel-update',
      { ...b, title: 'Refactoring live', category_name: 'Software and Game Development' },
      'Stream updated: Refactoring live · Software and Game Development',
    ],
    ['channel-update', { ...b }, 'Stream info updated.'],
    [
      'channel-subscription-end',
      { ...u, ...b, tier: '3000' },
      "PixelPusher's Tier 3 subscription ended.",
    ],
    ['channel-moderator-add', { ...u, ...b }, 'PixelPusher is now a moderator.'],
    ['channel-moderator-remove', { ...u, ...b }, 'PixelPusher is no longer a moderator.'],
    [
      'channel-channel_points_custom_reward_redemption-update',
      { ...u, ...b, reward: { title: 'Hydrate', cost: 100 }, status: 'fulfilled' },
      'PixelPusher redeemed Hydrate (100 points)',
    ],
    [
      'channel-channel_points_custom_reward-add',
      { ...b, title: 'Hydrate', cost: 100 },
      'Channel points reward Hydrate created.',
    ],
    [
      'channel-channel_points_custom_reward-update',
      { ...b, title: 'Hydrate' },
      'Channel points reward Hydrate updated.',
    ],
    [
      'channel-channel_points_custom_reward-remove',
      { ...b, title: 'Hydrate' },
      'Channel points reward Hydrate removed.',
    ],
    ['channel-poll-progress', { ...b, title: 'Tabs or spaces?' }, 'Poll update: Tabs or spaces?'],
    ['channel-prediction-progress', { ...b, title: 'Green?' }, 'Prediction update: Green?'],
    ['channel-prediction-lock', { ...b, title: 'Green?' }, 'Prediction locked: Green?'],
    [
      'channel-goal-progress',
      { ...b, type: 'follower', description: '', current_amount: 950, target_amount: 1000 },
      'Goal progress: follower 950/1000',
    ],
    [
      'channel-goal-end',
      { ...b, description: 'Road to 1k', current_amount: 1000, target_amount: 1000 },
      'Goal ended: Road to 1k 1000/1000',
    ],
    [
      'channel-shoutout-receive',
      {
        ...b,
        from_broadcaster_user_name: 'Friend',
        from_broadcaster_user_login: 'friend',
        viewer_count: 12,
      },
      'Friend gave you a shoutout!',
    ],
    [
      'channel-charity_campaign-donate',
      {
        ...u,
        ...b,
        charity_name: 'Code Club',
        amount: { value: 1550, decimal_places: 2, currency: 'USD' },
      },
      'PixelPusher donated 15.50 USD to Code Club!',
    ],
    [
      'channel-charity_campaign-start',
      { ...b, charity_name: 'Code Club' },
      'Charity campaign start: Code Club',
    ],
    [
      'channel-charity_campaign-progress',
      { ...b, charity_name: 'Code Club' },
      'Charity campaign progress: Code Club',
    ],
    [
      'channel-charity_campaign-stop',
      { ...b, charity_name: 'Code Club' },
      'Charity campaign stop: Code Club',
    ],
    ['channel-shield_mode-begin', { ...b }, 'Shield mode is on.'],
    ['channel-shield_mode-end', { ...b }, 'Shield mode is off.'],
    [
      'channel-cheer',
      {
        ...b,
        is_anonymous: true,
        user_id: null,
        user_login: null,
        user_name: null,
        bits: 1,
        message: 'hi',
      },
      'An anonymous cheerer cheered 1 bit! hi',
    ],
  ])('%s → %s', (type, data, expected) => {
    expect(line(type, data).text).toBe(expected);
  });

  it.each([
    ['channel-follow', { ...u, ...b }, 'pixelpusher'],
    ['channel-subscribe', { ...u, ...b }, 'pixelpusher'],
    ['channel-cheer', { ...u, ...b, bits: 5 }, 'pixelpusher'],
    [
      'channel-raid',
      {
        from_broadcaster_user_id: '9',
        from_broadcaster_user_login: 'friend',
        from_broadcaster_user_name: 'Friend',
        viewers: 1,
      },
      'friend',
    ],
    [
      'channel-channel_points_custom_reward_redemption-add',
      { ...u, ...b, reward: { title: 'x' } },
      'pixelpusher',
    ],
    ['channel-ban', { ...u, ...b }, 'pixelpusher'],
    ['stream-online', { ...b }, undefined],
    ['channel-subscription-gift', { ...b, total: 1, is_anonymous: true }, undefined],
  ])('%s: the author is who the event is about (%s)', (type, data, author) => {
    const { message } = line(type, data);
    expect(message.author?.name).toBe(author);
    expect(message).toMatchObject({ kind: 'event', platform: 'tau', eventType: type });
  });
});

describe('describeEvent: legacy names and the rest', () => {
  it.each([
    ['follow', { ...u }, 'PixelPusher followed!'],
    ['cheer', { ...u, bits: 100 }, 'PixelPusher cheered 100 bits!'],
    [
      'raid',
      { from_broadcaster_user_name: 'Friend', viewers: 3 },
      'Friend is raiding with 3 viewers!',
    ],
    [
      'point-redemption',
      { ...u, reward: { title: 'Hydrate', cost: 100 } },
      'PixelPusher redeemed Hydrate (100 points)',
    ],
    [
      'hype-train-begin',
      { level: 1, progress: 10, goal: 100 },
      'A hype train started! Level 1, 10/100.',
    ],
    ['hype-train-end', { level: 2 }, 'The hype train ended at level 2.'],
    ['update', { title: 'New title' }, 'Stream updated: New title'],
    [
      'subscribe',
      {
        topic: 'channel-subscribe-events-v1.1',
        message: JSON.stringify({
          user_name: 'pixelpusher',
          display_name: 'PixelPusher',
          sub_plan: '1000',
          cumulative_months: 3,
        }),
      },
      'PixelPusher subscribed (Tier 1), 3 months.',
    ],
    [
      'subscribe',
      {
        topic: 'channel-subscribe-events-v1.1',
        message: {
          user_name: 'pixelpusher',
          display_name: 'PixelPusher',
          sub_plan: 'Prime',
          cumulative_months: 4,
          context: 'resub',
          sub_message: { message: 'hi chat', emotes: null },
        },
      },
      'PixelPusher resubscribed (Prime), 4 months: hi chat',
    ],
    [
      'subscribe',
      {
        topic: 'channel-subscribe-events-v1.1',
        message: {
          user_name: 'pixelpusher',
          display_name: 'PixelPusher',
          sub_plan: '2000',
          context: 'subgift',
          is_gift: true,
          recipient_display_name: 'Lucky',
        },
      },
      'PixelPusher gifted a Tier 2 sub to Lucky!',
    ],
    [
      'subscribe',
      {
        topic: 'channel-subscribe-events-v1.1',
        message: {
          sub_plan: '1000',
          context: 'anonsubgift',
          is_gift: true,
          recipient_display_name: 'Lucky',
        },
      },
      'An anonymous gifter gifted a Tier 1 sub to Lucky!',
    ],
    ['hype-train-progress', { level: 2, progress: 50, goal: 200 }, 'Hype train level 2: 50/200.'],
    ['stream-online', { broadcaster_user_name: 'CoderCat' }, 'CoderCat went live!'],
  ])('%s → %s', (type, data, expected) => {
    expect(line(type, data).text).toBe(expected);
  });

  it('shows an unknown type as a generic line naming it, never dropping it', () => {
    expect(line('channel-brand_new_thing-begin', { ...u }).text).toBe(
      'channel-brand_new_thing-begin from PixelPusher',
    );
  });

  it('marks test and replayed events', () => {
    expect(line('channel-follow', u, 'test').message.flags.test).toBe(true);
    expect(line('channel-follow', u, 'replay').message.flags.test).toBe(true);
    expect(line('channel-follow', u, 'twitch').message.flags.test).toBeUndefined();
  });

  it('a ban also purges the user’s messages (live and test), a replay does not', () => {
    expect(line('channel-ban', { ...u, is_permanent: true }).ops[0]).toEqual({
      op: 'purgeUser',
      platform: 'tau',
      userId: '7',
    });
    expect(line('channel-ban', { ...u, is_permanent: true }, 'test').ops[0]).toEqual({
      op: 'purgeUser',
      platform: 'tau',
      userId: '7',
    });
    expect(
      line('channel-ban', { ...u, is_permanent: true }, 'replay').ops.map((o) => o.op),
    ).toEqual(['append']);
    expect(line('channel-unban', { ...u }).ops.map((o) => o.op)).toEqual(['append']);
  });

  it('ids: the event id when there is one, a fresh one per replay, and one of ours when TAU gives none', () => {
    const live = describeEvent(
      {
        id: 'row',
        event_id: 'twitch-msg',
        event_type: 'channel-follow',
        event_data: u,
        origin: 'twitch',
      },
      1,
    );
    const replay1 = describeEvent(
      {
        id: 'row',
        event_id: 'twitch-msg',
        event_type: 'channel-follow',
        event_data: u,
        origin: 'replay',
      },
      1,
    );
    const replay2 = describeEvent(
      {
        id: 'row',
        event_id: 'twitch-msg',
        event_type: 'channel-follow',
        event_data: u,
        origin: 'replay',
      },
      1,
    );
    const none = describeEvent(
      { id: null, event_id: null, event_type: 'subscribe', event_data: {}, origin: 'test' },
      1,
    );
    const ids = [live, replay1, replay2, none].map(
      (ops) => (ops.at(-1) as Extract<TimelineOp, { op: 'append' }>).message.id,
    );
    expect(ids[0]).toBe('twitch-msg');
    expect(new Set(ids).size).toBe(4);
    expect(plainText((replay1.at(-1) as Extract<TimelineOp, { op: 'append' }>).message)).toBe(
      'PixelPusher followed! (replay)',
    );
  });

  it('reads both of TAU’s time formats as sentAt', () => {
    const at = (created: string) =>
      (
        describeEvent(
          { id: 'x', event_id: 'e', event_type: 'follow', event_data: u, created },
          0,
        )[0] as Extract<TimelineOp, { op: 'append' }>
      ).message.sentAt;
    expect(at('2021-06-26T05:42:29+0000')).toBe(Date.UTC(2021, 5, 26, 5, 42, 29));
    expect(at('2026-11-22T13:15:39.123456+00:00')).toBe(Date.UTC(2026, 10, 22, 13, 15, 39, 123));
    expect(at('yesterday')).toBeUndefined();
  });
});

describe('chat frames', () => {
  const frame = (body: string, tags: Record<string, unknown> = {}) =>
    JSON.stringify({
      irc_username: 'bot',
      data: {
        raw: `... PRIVMSG #chan :${body}\r\n`,
        tags: {
          'display-name': 'PixelPusher',
          id: 'abc',
          color: '#FF4500',
          badges: { subscriber: '12', vip: '1' },
          'user-id': '7',
          'tmi-sent-ts': '1700000000000',
          ...tags,
        },
        prefix: ':pixelpusher!pixelpusher@pixelpusher.tmi.twitch.tv',
        command: 'PRIVMSG',
        params: ['PRIVMSG', '#chan', `${body}\r\n`],
        'message-text': body,
      },
    });

  it('maps a PRIVMSG with author, colour, roles and time', () => {
    const f = decodeChatFrame(frame('hello chat'), 5);
    expect(f.type).toBe('privmsg');
    if (f.type !== 'privmsg') return;
    expect(f.message).toMatchObject({
      id: 'abc',
      platform: 'tau',
      channel: 'chan',
      kind: 'chat',
      sentAt: 1700000000000,
      author: {
        name: 'pixelpusher',
        displayName: 'PixelPusher',
        color: '#FF4500',
        roles: ['subscriber', 'vip'],
      },
    });
    expect(plainText(f.message)).toBe('hello chat');
  });

  it('reads frames exactly as TAU sends them: badges as a string, params with the command and a trailing \\r\\n', () => {
    const tauFrame = {
      irc_username: 'codercatbot',
      data: {
        raw: '@badge-info=founder/3;badges=broadcaster/1,founder/0,partner/1;color=;display-name=CoderCat;emotes=;id=m1;mod=0;tmi-sent-ts=1700000000123;user-id=42 :codercat!codercat@codercat.tmi.twitch.tv PRIVMSG #codercat :see https://x.dev/a?b=1 and javascript:alert(1) @PixelPusher\r\n',
        tags: {
          'badge-info': 'founder/3',
          badges: 'broadcaster/1,founder/0,partner/1',
          color: '',
          'display-name': 'CoderCat',
          emotes: [],
          id: 'm1',
          mod: '0',
          'tmi-sent-ts': '1700000000123',
          'user-id': '42',
        },
        prefix: ':codercat!codercat@codercat.tmi.twitch.tv',
        command: 'PRIVMSG',
        params: [
          'PRIVMSG',
          '#codercat',
          ':see https://x.dev/a?b=1 and javascript:alert(1) @PixelPusher\r\n',
        ],
        'message-text': 'see https://x.dev/a?b=1 and javascript:alert(1) @PixelPusher',
      },
    };
    const f = decodeChatFrame(JSON.stringify(tauFrame), 9, 'codercat');
    if (f.type !== 'privmsg') throw new Error(f.type);
    expect(f.message).toMatchObject({
      id: 'm1',
      channel: 'codercat',
      sentAt: 1700000000123,
      receivedAt: 9,
      flags: { self: true },
      author: {
        id: '42',
        name: 'codercat',
        displayName: 'CoderCat',
        roles: ['broadcaster', 'founder', 'partner'],
      },
    });
    expect(f.message.author!.color).toBeUndefined();
    expect(f.message.parts).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', text: 'https://x.dev/a?b=1', url: 'https://x.dev/a?b=1' },
      { type: 'text', text: ' and javascript:alert(1) ' },
      { type: 'mention', text: '@PixelPusher', username: 'pixelpusher' },
    ]);
    // Without message-text, params[2] is used: leading ':' and trailing \r\n dropped.
    const noText = { ...tauFrame, data: { ...tauFrame.data, 'message-text': undefined } };
    const g = decodeChatFrame(JSON.stringify(noText), 0);
    expect(g.type === 'privmsg' && plainText(g.message)).toBe(
      'see https://x.dev/a?b=1 and javascript:alert(1) @PixelPusher',
    );
  });

  it.each([
    ['moderator/1', ['moderator']],
    ['vip/1,subscriber/6', ['vip', 'subscriber']],
    ['staff/1,glhf-pledge/1', ['staff']],
    ['', []],
  ])('badges %j → roles %j', (badges, roles) => {
    const f = decodeChatFrame(frame('x', { badges }), 0);
    expect(f.type === 'privmsg' && f.message.author!.roles).toEqual(roles);
  });

  it('reads /me actions', () => {
    const f = decodeChatFrame(frame('\u0001ACTION waves\u0001'), 0);
    expect(f.type === 'privmsg' && f.message.flags.action && plainText(f.message)).toBe('waves');
  });

  it('places emotes by code-point positions, even after emoji', () => {
    const parts = chatParts('😀 Kappa hi', [{ id: '25', positions: [[2, 6]] }]);
    expect(parts).toEqual([
      { type: 'text', text: '😀 ' },
      {
        type: 'emote',
        name: 'Kappa',
        url: 'https://static-cdn.jtvnw.net/emoticons/v2/25/default/dark/1.0',
      },
      { type: 'text', text: ' hi' },
    ]);
  });

  it('places emotes correctly after any mix of emoji and combined characters', () => {
    const piece = fc.constantFrom('😀', 'a', ' ', 'é', '👩‍💻', '𝔘', 'ß', '🇩🇪');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        fc.array(piece, { maxLength: 12 }),
        (before, after) => {
          const prefix = before.join('');
          const text = `${prefix}Kappa${after.join('')}`;
          const start = [...prefix].length;
          const parts = chatParts(text, [{ id: '25', positions: [[start, start + 4]] }]);
          expect(parts.filter((p) => p.type === 'emote')).toEqual([
            {
              type: 'emote',
              name: 'Kappa',
              url: 'https://static-cdn.jtvnw.net/emoticons/v2/25/default/dark/1.0',
            },
          ]);
          expect(plainText({ parts })).toBe(text);
        },
      ),
    );
  });

  it('ignores emote ranges that overlap or run past the text', () => {
    expect(
      chatParts('Kappa', [
        {
          id: '25',
          positions: [
            [0, 4],
            [2, 6],
          ],
        },
        { id: '1', positions: [[3, 40]] },
      ]),
    ).toEqual([
      {
        type: 'emote',
        name: 'Kappa',
        url: 'https://static-cdn.jtvnw.net/emoticons/v2/25/default/dark/1.0',
      },
    ]);
    expect(plainText({ parts: chatParts('hi', [{ id: '25', positions: [[5, 9]] }]) })).toBe('hi');
  });

  it('reads the raw IRC emotes tag too, and turns URLs into links', () => {
    expect(chatParts('Kappa see https://glimesh.tv/x.', '25:0-4')).toEqual([
      {
        type: 'emote',
        name: 'Kappa',
        url: 'https://static-cdn.jtvnw.net/emoticons/v2/25/default/dark/1.0',
      },
      { type: 'text', text: ' see ' },
      { type: 'link', text: 'https://glimesh.tv/x', url: 'https://glimesh.tv/x' },
      { type: 'text', text: '.' },
    ]);
  });

  it('decodes error frames, keep-alives and ignores other commands', () => {
    expect(decodeChatFrame('{"error":"the provided token does not match any users."}', 0)).toEqual({
      type: 'error',
      error: 'the provided token does not match any users.',
    });
    expect(decodeChatFrame('{"event":"keep_alive"}', 0)).toEqual({ type: 'keepAlive' });
    expect(decodeChatFrame('{"data":{"command":"JOIN"}}', 0)).toEqual({
      type: 'ignored',
      command: 'JOIN',
    });
    expect(decodeEventsFrame('{"event":"keep_alive"}')).toEqual({ type: 'keepAlive' });
  });

  it.each(['', 'not json', '[]', '{"data":{}}', '{"event_type":5}', 'null'])(
    'reports %j as malformed',
    (text) => {
      expect(decodeChatFrame(text, 0).type).toBe('malformed');
      expect(decodeEventsFrame(text).type).toBe('malformed');
    },
  );
});

describe('never throws', () => {
  it('on arbitrary text and JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          decodeChatFrame(text, 0);
          const e = decodeEventsFrame(text);
          if (e.type === 'event') describeEvent(e.envelope, 0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('on envelopes with arbitrary event data', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'channel-follow',
          'channel-cheer',
          'channel-ban',
          'channel-poll-end',
          'subscribe',
          'channel-raid',
          'channel-prediction-end',
          'channel-charity_campaign-donate',
          'x',
        ),
        fc.dictionary(fc.string(), fc.jsonValue()),
        (type, data) => {
          describeEvent(
            {
              id: null,
              event_id: null,
              event_type: type,
              event_data: data as Record<string, unknown>,
            },
            0,
          );
        },
      ),
    );
  });

  it('on chat frames with arbitrary tags and truncated text', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (tags, body) => {
        const text = JSON.stringify({
          data: { command: 'PRIVMSG', tags, params: ['PRIVMSG', '#c', body], 'message-text': body },
        });
        decodeChatFrame(text, 0);
        decodeChatFrame(text.slice(0, Math.floor(text.length / 2)), 0);
      }),
    );
  });
});

describe('own messages and the send frame', () => {
  it('shows a sent message as the bot’s own line, /me as an action', () => {
    expect(ownChatMessage('o1', 'codercatbot', 'codercat', '/me waves at @PixelPusher', 5)).toEqual(
      {
        id: 'o1',
        platform: 'tau',
        channel: 'codercat',
        kind: 'chat',
        author: { name: 'codercatbot', displayName: 'codercatbot', roles: [] },
        parts: [
          { type: 'text', text: 'waves at ' },
          { type: 'mention', text: '@PixelPusher', username: 'pixelpusher' },
        ],
        receivedAt: 5,
        sentAt: 5,
        flags: { self: true, action: true },
      },
    );
  });

  it('encodes {irc_channel, message} with the channel bare and lowercase', () => {
    expect(JSON.parse(encodeChatSend('#CoderCat', 'hi "there"'))).toEqual({
      irc_channel: 'codercat',
      message: 'hi "there"',
    });
  });
});

describe('splitForTwitch', () => {
  it('never keeps a line break and never exceeds 500 code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), (text) => {
        for (const m of splitForTwitch(text)) {
          expect(m).not.toMatch(/[\r\n\u2028\u2029]/);
          expect([...m].length).toBeLessThanOrEqual(500);
        }
      }),
    );
  });

  it('one message per line, blank lines dropped, long lines cut at a space', () => {
    expect(splitForTwitch('line one\n\nline two\r\nline three')).toEqual([
      'line one',
      'line two',
      'line three',
    ]);
    const long = 'word '.repeat(150).trim();
    const parts = splitForTwitch(long);
    expect(parts.length).toBe(2);
    expect(parts.every((p) => !p.startsWith(' ') && !p.endsWith(' '))).toBe(true);
    expect(parts.join(' ')).toBe(long);
  });
});
