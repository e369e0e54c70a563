import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainText } from '../../../src/core/message';
import { chatParts, decodeChatFrame, decodeEventsFrame, describeEvent, splitForTwitch } from '../../../src/platforms/tau/codec';

const b = { broadcaster_user_id: '1', broadcaster_user_login: 'codercat', broadcaster_user_name: 'CoderCat' };
const u = { user_id: '7', user_login: 'pixelpusher', user_name: 'PixelPusher' };
const line = (type: string, data: Record<string, unknown>, origin = 'twitch') => {
  const ops = describeEvent({ id: 'x', event_id: 'e1', event_type: type, event_data: data, origin }, 0);
  const append = ops.find((o) => o.op === 'append');
  if (!append || append.op !== 'append') throw new Error('no line');
  return { text: plainText(append.message), message: append.message, ops };
};

describe('describeEvent: current (EventSub) names', () => {
  it.each([
    ['channel-follow', { ...u, ...b }, 'PixelPusher followed!'],
    ['channel-subscribe', { ...u, ...b, tier: '2000', is_gift: false }, 'PixelPusher subscribed (Tier 2).'],
    ['channel-subscription-gift', { ...u, ...b, total: 5, tier: '1000', cumulative_total: 12, is_anonymous: false }, 'PixelPusher gifted 5 Tier 1 subs! (12 gifts in total)'],
    ['channel-subscription-gift', { ...b, total: 1, tier: '1000', is_anonymous: true }, 'An anonymous gifter gifted 1 Tier 1 sub!'],
    ['channel-subscription-message', { ...u, ...b, tier: '1000', message: { text: 'love it' }, cumulative_months: 14 }, 'PixelPusher resubscribed (Tier 1) for 14 months: love it'],
    ['channel-cheer', { ...u, ...b, is_anonymous: false, bits: 500, message: 'Cheer500 go' }, 'PixelPusher cheered 500 bits! Cheer500 go'],
    ['channel-raid', { from_broadcaster_user_id: '9', from_broadcaster_user_login: 'friend', from_broadcaster_user_name: 'Friend', viewers: 42 }, 'Friend is raiding with 42 viewers!'],
    ['channel-channel_points_custom_reward_redemption-add', { ...u, ...b, user_input: 'tabs', reward: { title: 'Pick indentation', cost: 500 } }, 'PixelPusher redeemed Pick indentation (500 points): tabs'],
    ['channel-hype_train-begin', { ...b, level: 1, progress: 137, goal: 500 }, 'A hype train started! Level 1, 137/500.'],
    ['channel-hype_train-progress', { ...b, level: 2, progress: 200, goal: 1000 }, 'Hype train level 2: 200/1000.'],
    ['channel-hype_train-end', { ...b, level: 3 }, 'The hype train ended at level 3.'],
    ['stream-online', { ...b, type: 'live' }, 'CoderCat went live!'],
    ['stream-offline', { ...b }, 'CoderCat went offline.'],
    ['channel-ban', { ...u, ...b, moderator_user_name: 'ModCat', reason: 'spam', is_permanent: true }, 'PixelPusher was banned by ModCat: spam'],
    ['channel-ban', { ...u, ...b, is_permanent: false, ends_at: '2026-01-01T00:00:00Z' }, 'PixelPusher was timed out.'],
    ['channel-unban', { ...u, ...b, moderator_user_name: 'ModCat' }, 'PixelPusher was unbanned by ModCat.'],
    ['channel-poll-begin', { ...b, title: 'Tabs or spaces?', choices: [{ title: 'Tabs' }, { title: 'Spaces' }] }, 'Poll started: Tabs or spaces? (Tabs / Spaces)'],
    ['channel-poll-end', { ...b, title: 'Tabs or spaces?', choices: [{ title: 'Tabs', votes: 3 }, { title: 'Spaces', votes: 9 }] }, 'Poll ended: Tabs or spaces? — Spaces wins with 9 votes'],
    ['channel-prediction-begin', { ...b, title: 'Green?', outcomes: [{ id: 'a', title: 'Yes' }, { id: 'b', title: 'No' }] }, 'Prediction started: Green? (Yes / No)'],
    ['channel-prediction-end', { ...b, title: 'Green?', winning_outcome_id: 'b', outcomes: [{ id: 'a', title: 'Yes' }, { id: 'b', title: 'No' }] }, 'Prediction ended: Green? — No won'],
    ['channel-goal-begin', { ...b, description: 'Road to 1k', current_amount: 930, target_amount: 1000 }, 'Goal started: Road to 1k 930/1000'],
    ['channel-shoutout-create', { ...b, to_broadcaster_user_name: 'Friend', to_broadcaster_user_login: 'friend' }, 'Shoutout to Friend!'],
    ['channel-update', { ...b, title: 'Refactoring live', category_name: 'Software and Game Development' }, 'Stream updated: Refactoring live · Software and Game Development'],
  ])('%s → %s', (type, data, expected) => {
    expect(line(type, data).text).toBe(expected);
  });
});

describe('describeEvent: legacy names and the rest', () => {
  it.each([
    ['follow', { ...u }, 'PixelPusher followed!'],
    ['cheer', { ...u, bits: 100 }, 'PixelPusher cheered 100 bits!'],
    ['raid', { from_broadcaster_user_name: 'Friend', viewers: 3 }, 'Friend is raiding with 3 viewers!'],
    ['point-redemption', { ...u, reward: { title: 'Hydrate', cost: 100 } }, 'PixelPusher redeemed Hydrate (100 points)'],
    ['hype-train-begin', { level: 1, progress: 10, goal: 100 }, 'A hype train started! Level 1, 10/100.'],
    ['hype-train-end', { level: 2 }, 'The hype train ended at level 2.'],
    ['update', { title: 'New title' }, 'Stream updated: New title'],
    ['subscribe', { topic: 'channel-subscribe-events-v1.1', message: JSON.stringify({ user_name: 'pixelpusher', display_name: 'PixelPusher', sub_plan: '1000', cumulative_months: 3 }) }, 'PixelPusher subscribed (Tier 1), 3 months.'],
  ])('%s → %s', (type, data, expected) => {
    expect(line(type, data).text).toBe(expected);
  });

  it('shows an unknown type as a generic line naming it, never dropping it', () => {
    expect(line('channel-brand_new_thing-begin', { ...u }).text).toBe('channel-brand_new_thing-begin from PixelPusher');
  });

  it('marks test and replayed events', () => {
    expect(line('channel-follow', u, 'test').message.flags.test).toBe(true);
    expect(line('channel-follow', u, 'replay').message.flags.test).toBe(true);
    expect(line('channel-follow', u, 'twitch').message.flags.test).toBeUndefined();
  });

  it('a ban also purges the user’s messages', () => {
    expect(line('channel-ban', { ...u, is_permanent: true }).ops[0]).toEqual({ op: 'purgeUser', platform: 'tau', userId: '7' });
  });
});

describe('chat frames', () => {
  const frame = (body: string, tags: Record<string, unknown> = {}) =>
    JSON.stringify({ irc_username: 'bot', data: { raw: `... PRIVMSG #chan :${body}\r\n`, tags: { 'display-name': 'PixelPusher', id: 'abc', color: '#FF4500', badges: { subscriber: '12', vip: '1' }, 'user-id': '7', 'tmi-sent-ts': '1700000000000', ...tags }, prefix: ':pixelpusher!pixelpusher@pixelpusher.tmi.twitch.tv', command: 'PRIVMSG', params: ['PRIVMSG', '#chan', `${body}\r\n`], 'message-text': body } });

  it('maps a PRIVMSG with author, colour, roles and time', () => {
    const f = decodeChatFrame(frame('hello chat'), 5);
    expect(f.type).toBe('privmsg');
    if (f.type !== 'privmsg') return;
    expect(f.message).toMatchObject({ id: 'abc', platform: 'tau', channel: 'chan', kind: 'chat', sentAt: 1700000000000, author: { name: 'pixelpusher', displayName: 'PixelPusher', color: '#FF4500', roles: ['subscriber', 'vip'] } });
    expect(plainText(f.message)).toBe('hello chat');
  });

  it('reads /me actions', () => {
    const f = decodeChatFrame(frame('\u0001ACTION waves\u0001'), 0);
    expect(f.type === 'privmsg' && f.message.flags.action && plainText(f.message)).toBe('waves');
  });

  it('places emotes by code-point positions, even after emoji', () => {
    const parts = chatParts('😀 Kappa hi', [{ id: '25', positions: [[2, 6]] }]);
    expect(parts).toEqual([
      { type: 'text', text: '😀 ' },
      { type: 'emote', name: 'Kappa', url: 'https://static-cdn.jtvnw.net/emoticons/v2/25/default/dark/1.0' },
      { type: 'text', text: ' hi' },
    ]);
  });

  it('reads the raw IRC emotes tag too, and turns URLs into links', () => {
    expect(chatParts('Kappa see https://glimesh.tv/x.', '25:0-4')).toEqual([
      { type: 'emote', name: 'Kappa', url: 'https://static-cdn.jtvnw.net/emoticons/v2/25/default/dark/1.0' },
      { type: 'text', text: ' see ' },
      { type: 'link', text: 'https://glimesh.tv/x', url: 'https://glimesh.tv/x' },
      { type: 'text', text: '.' },
    ]);
  });

  it('decodes error frames, keep-alives and ignores other commands', () => {
    expect(decodeChatFrame('{"error":"the provided token does not match any users."}', 0)).toEqual({ type: 'error', error: 'the provided token does not match any users.' });
    expect(decodeChatFrame('{"event":"keep_alive"}', 0)).toEqual({ type: 'keepAlive' });
    expect(decodeChatFrame('{"data":{"command":"JOIN"}}', 0)).toEqual({ type: 'ignored', command: 'JOIN' });
    expect(decodeEventsFrame('{"event":"keep_alive"}')).toEqual({ type: 'keepAlive' });
  });

  it.each(['', 'not json', '[]', '{"data":{}}', '{"event_type":5}', 'null'])('reports %j as malformed', (text) => {
    expect(decodeChatFrame(text, 0).type).toBe('malformed');
    expect(decodeEventsFrame(text).type).toBe('malformed');
  });
});

describe('never throws', () => {
  it('on arbitrary text and JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
        decodeChatFrame(text, 0);
        const e = decodeEventsFrame(text);
        if (e.type === 'event') describeEvent(e.envelope, 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('on envelopes with arbitrary event data', () => {
    fc.assert(
      fc.property(fc.constantFrom('channel-follow', 'channel-cheer', 'channel-ban', 'channel-poll-end', 'subscribe', 'channel-raid', 'channel-prediction-end', 'channel-charity_campaign-donate', 'x'), fc.dictionary(fc.string(), fc.jsonValue()), (type, data) => {
        describeEvent({ id: null, event_id: null, event_type: type, event_data: data as Record<string, unknown> }, 0);
      }),
    );
  });

  it('on chat frames with arbitrary tags and truncated text', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (tags, body) => {
        const text = JSON.stringify({ data: { command: 'PRIVMSG', tags, params: ['PRIVMSG', '#c', body], 'message-text': body } });
        decodeChatFrame(text, 0);
        decodeChatFrame(text.slice(0, Math.floor(text.length / 2)), 0);
      }),
    );
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
    expect(splitForTwitch('line one\n\nline two\r\nline three')).toEqual(['line one', 'line two', 'line three']);
    const long = 'word '.repeat(150).trim();
    const parts = splitForTwitch(long);
    expect(parts.length).toBe(2);
    expect(parts.every((p) => !p.startsWith(' ') && !p.endsWith(' '))).toBe(true);
    expect(parts.join(' ')).toBe(long);
  });
});
