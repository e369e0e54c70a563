import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatError } from '../../../src/core/errors';
import {
  FetchLike,
  TAU_TEST_EVENTS,
  baseUrl,
  checkToken,
  fetchBroadcaster,
  postTestEvent,
  socketUrl,
} from '../../../src/platforms/tau';
import { TAU_SIM_TOKEN, TauSimulator, startTauSimulator } from '../../simulators/tau/server';

let sim: TauSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const DEAD = 'http://127.0.0.1:1';
const answering =
  (status: number, body: unknown = {}): FetchLike =>
  async () => ({
    status,
    ok: status >= 200 && status < 300,
    json: async () => body,
    text: async () => JSON.stringify(body),
  });
const caught = async (p: Promise<unknown>): Promise<ChatError> => {
  try {
    await p;
  } catch (error) {
    if (error instanceof ChatError) return error;
    throw error;
  }
  throw new Error('did not reject');
};

describe('URLs', () => {
  it('http → ws and https → wss; ws(s) settings are taken as their http(s) twin; a path prefix is kept', () => {
    expect(socketUrl('http://localhost:8000', '/ws/twitch-events/')).toBe(
      'ws://localhost:8000/ws/twitch-events/',
    );
    expect(socketUrl('https://tau.example.com/', '/ws/twitch-events/')).toBe(
      'wss://tau.example.com/ws/twitch-events/',
    );
    expect(socketUrl('wss://tau.example.com', '/ws/chat-bots/bot/')).toBe(
      'wss://tau.example.com/ws/chat-bots/bot/',
    );
    expect(baseUrl('ws://host:8000/tau/?x=1#y')).toBe('http://host:8000/tau');
  });

  it('anything else is a settings error', () => {
    expect(() => baseUrl('ftp://host')).toThrow(
      expect.objectContaining({ code: 'TAU_BAD_URL', category: 'config' }),
    );
    expect(() => baseUrl('localhost:8000:x')).toThrow(
      expect.objectContaining({ category: 'config' }),
    );
    expect(() => baseUrl('http://me:hunter2@host')).toThrow(
      expect.objectContaining({
        category: 'config',
        message: expect.not.stringContaining('hunter2'),
      }),
    );
  });
});

describe('checkToken', () => {
  it('passes a good token and refuses a wrong one as an auth failure that never shows the token', async () => {
    sim = await startTauSimulator();
    await expect(checkToken(sim.url, TAU_SIM_TOKEN)).resolves.toBeUndefined();
    const error = await caught(checkToken(sim.url, 'secret-wrong-token'));
    expect(error).toMatchObject({ code: 'TAU_BAD_TOKEN', category: 'auth' });
    expect(error.message).not.toContain('secret-wrong-token');
    expect(sim.requests.map((r) => `${r.method} ${r.path} ${r.auth}`)).toEqual([
      'GET /api/v1/twitch-events valid',
      'GET /api/v1/twitch-events invalid',
    ]);
  });

  it('a refused connection is a network failure (retried); other statuses say which', async () => {
    expect(await caught(checkToken(DEAD, 't'))).toMatchObject({
      code: 'TAU_UNREACHABLE',
      category: 'network',
      message: expect.stringContaining('not reachable at http://127.0.0.1:1'),
    });
    expect(await caught(checkToken('http://x', 't', { fetch: answering(502) }))).toMatchObject({
      category: 'network',
      message: expect.stringContaining('HTTP 502'),
    });
    expect(await caught(checkToken('http://x', 't', { fetch: answering(404) }))).toMatchObject({
      category: 'config',
      message: expect.stringContaining('streamChat.tau.url'),
    });
  });
});

describe('postTestEvent', () => {
  it('POSTs the body to the test endpoint with the token header and returns TAU’s envelope', async () => {
    sim = await startTauSimulator();
    const envelope = await postTestEvent(sim.url + '/', TAU_SIM_TOKEN, 'channel-follow', {
      user_name: 'Fan',
    });
    expect(envelope).toMatchObject({ event_type: 'channel-follow', origin: 'test' });
    expect(sim.testEvents).toEqual([{ type: 'channel-follow', body: { user_name: 'Fan' } }]);
    expect(sim.requests.at(-1)).toEqual({
      method: 'POST',
      path: '/api/v1/twitch-events/channel-follow/test',
      auth: 'valid',
    });
  });

  it('without a token it sends no header (the endpoint is AllowAny)', async () => {
    sim = await startTauSimulator();
    await postTestEvent(sim.url, undefined, 'channel-raid', { viewers: 1 });
    expect(sim.requests.at(-1)!.auth).toBe('none');
  });

  it('says clearly what went wrong: refused token, unreachable server, other statuses, a bad type', async () => {
    sim = await startTauSimulator();
    const refused = await caught(
      postTestEvent(sim.url, 'secret-wrong-token', 'channel-follow', {}),
    );
    expect(refused).toMatchObject({
      code: 'TAU_BAD_TOKEN',
      message: expect.stringMatching(/^TAU refused the token/),
    });
    expect(refused.message).not.toContain('secret-wrong-token');
    expect(await caught(postTestEvent(DEAD, TAU_SIM_TOKEN, 'channel-follow', {}))).toMatchObject({
      message: expect.stringMatching(/^TAU is not reachable at http:\/\/127\.0\.0\.1:1/),
    });
    expect(
      await caught(
        postTestEvent(
          'http://x',
          't',
          'channel-follow',
          {},
          { fetch: answering(500, { detail: 'boom' }) },
        ),
      ),
    ).toMatchObject({ message: expect.stringContaining('HTTP 500') });
    expect(await caught(postTestEvent('http://x', 't', '../../admin', {}))).toMatchObject({
      code: 'TAU_EVENT_TYPE',
    });
    expect(sim.testEvents).toEqual([]);
  });
});

describe('fetchBroadcaster', () => {
  it('reads the broadcaster from the Helix passthrough, and is undefined on any failure', async () => {
    sim = await startTauSimulator();
    expect(await fetchBroadcaster(sim.url, TAU_SIM_TOKEN)).toEqual({
      id: '424242',
      login: 'codercat',
      name: 'CoderCat',
    });
    expect(await fetchBroadcaster(sim.url, 'wrong')).toBeUndefined();
    expect(await fetchBroadcaster(DEAD, TAU_SIM_TOKEN)).toBeUndefined();
    expect(
      await fetchBroadcaster('http://x', 't', { fetch: answering(200, { data: [] }) }),
    ).toBeUndefined();
    expect(await fetchBroadcaster('not a url', 't')).toBeUndefined();
  });
});

// Each sample body as TAU receives it (JSON, key order included), with the clock, the viewer pick
// and the ids held still; with no broadcaster given, the placeholder channel stands in.
const SAMPLES: Record<string, unknown> = {
  'channel-follow': {
    user_id: '141981764',
    user_login: 'twitchdev',
    user_name: 'TwitchDev',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    followed_at: '2026-01-02T03:04:05.000Z',
  },
  'channel-subscribe': {
    user_id: '141981764',
    user_login: 'twitchdev',
    user_name: 'TwitchDev',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    tier: '1000',
    is_gift: false,
  },
  'channel-subscription-gift': {
    user_id: '141981764',
    user_login: 'twitchdev',
    user_name: 'TwitchDev',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    total: 5,
    tier: '1000',
    cumulative_total: 12,
    is_anonymous: false,
  },
  'channel-subscription-message': {
    user_id: '141981764',
    user_login: 'twitchdev',
    user_name: 'TwitchDev',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    tier: '1000',
    message: { text: 'Still here for the refactors!', emotes: [] },
    cumulative_months: 14,
    streak_months: 3,
    duration_months: 1,
  },
  'channel-cheer': {
    is_anonymous: false,
    user_id: '141981764',
    user_login: 'twitchdev',
    user_name: 'TwitchDev',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    message: 'Cheer500 ship it!',
    bits: 500,
  },
  'channel-raid': {
    from_broadcaster_user_id: '141981764',
    from_broadcaster_user_login: 'twitchdev',
    from_broadcaster_user_name: 'TwitchDev',
    to_broadcaster_user_id: '1337',
    to_broadcaster_user_login: 'yourchannel',
    to_broadcaster_user_name: 'YourChannel',
    viewers: 42,
  },
  'channel-channel_points_custom_reward_redemption-add': {
    id: 'uuid',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    user_id: '141981764',
    user_login: 'twitchdev',
    user_name: 'TwitchDev',
    user_input: 'Use tabs',
    status: 'unfulfilled',
    reward: { id: 'uuid', title: 'Pick my indentation', cost: 500, prompt: 'Tabs or spaces?' },
    redeemed_at: '2026-01-02T03:04:05.000Z',
  },
  'channel-hype_train-begin': {
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    total: 137,
    progress: 137,
    goal: 500,
    level: 1,
    started_at: '2026-01-02T03:04:05.000Z',
    expires_at: '2026-01-02T03:09:05.000Z',
    top_contributions: [],
  },
  'channel-hype_train-progress': {
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    level: 2,
    total: 700,
    progress: 200,
    goal: 1000,
    started_at: '2026-01-02T03:04:05.000Z',
    expires_at: '2026-01-02T03:08:05.000Z',
    top_contributions: [],
  },
  'channel-hype_train-end': {
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    level: 3,
    total: 2300,
    started_at: '2026-01-02T03:04:05.000Z',
    ended_at: '2026-01-02T03:04:05.000Z',
    cooldown_ends_at: '2026-01-02T04:04:05.000Z',
    top_contributions: [],
  },
  'stream-online': {
    id: '9001',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    type: 'live',
    started_at: '2026-01-02T03:04:05.000Z',
  },
  'stream-offline': {
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
  },
  'channel-ban': {
    user_id: '141981764',
    user_login: 'twitchdev',
    user_name: 'TwitchDev',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    moderator_user_id: '1000',
    moderator_user_login: 'modcat',
    moderator_user_name: 'ModCat',
    reason: 'spam',
    banned_at: '2026-01-02T03:04:05.000Z',
    ends_at: null,
    is_permanent: true,
  },
  'channel-unban': {
    user_id: '141981764',
    user_login: 'twitchdev',
    user_name: 'TwitchDev',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    moderator_user_id: '1000',
    moderator_user_login: 'modcat',
    moderator_user_name: 'ModCat',
  },
  'channel-poll-begin': {
    id: 'uuid',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    title: 'Tabs or spaces?',
    choices: [
      { id: '1', title: 'Tabs' },
      { id: '2', title: 'Spaces' },
    ],
    started_at: '2026-01-02T03:04:05.000Z',
    ends_at: '2026-01-02T03:06:05.000Z',
  },
  'channel-poll-end': {
    id: 'uuid',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    title: 'Tabs or spaces?',
    choices: [
      { id: '1', title: 'Tabs', votes: 12 },
      { id: '2', title: 'Spaces', votes: 31 },
    ],
    status: 'completed',
    started_at: '2026-01-02T03:04:05.000Z',
    ended_at: '2026-01-02T03:04:05.000Z',
  },
  'channel-prediction-begin': {
    id: 'uuid',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    title: 'Will the tests pass first try?',
    outcomes: [
      { id: 'a', title: 'Yes', color: 'blue' },
      { id: 'b', title: 'No', color: 'pink' },
    ],
    started_at: '2026-01-02T03:04:05.000Z',
    locks_at: '2026-01-02T03:06:05.000Z',
  },
  'channel-prediction-end': {
    id: 'uuid',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    title: 'Will the tests pass first try?',
    winning_outcome_id: 'b',
    outcomes: [
      { id: 'a', title: 'Yes' },
      { id: 'b', title: 'No' },
    ],
    status: 'resolved',
    started_at: '2026-01-02T03:04:05.000Z',
    ended_at: '2026-01-02T03:04:05.000Z',
  },
  'channel-goal-begin': {
    id: 'uuid',
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    type: 'follower',
    description: 'Road to 1k followers',
    current_amount: 930,
    target_amount: 1000,
    started_at: '2026-01-02T03:04:05.000Z',
  },
  'channel-shoutout-create': {
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    to_broadcaster_user_id: '141981764',
    to_broadcaster_user_login: 'twitchdev',
    to_broadcaster_user_name: 'TwitchDev',
    moderator_user_id: '1337',
    moderator_user_login: 'yourchannel',
    moderator_user_name: 'YourChannel',
    viewer_count: 120,
    started_at: '2026-01-02T03:04:05.000Z',
    cooldown_ends_at: '2026-01-02T03:06:05.000Z',
    target_cooldown_ends_at: '2026-01-02T04:04:05.000Z',
  },
  'channel-update': {
    broadcaster_user_id: '1337',
    broadcaster_user_login: 'yourchannel',
    broadcaster_user_name: 'YourChannel',
    title: 'Building a VS Code extension live',
    language: 'en',
    category_id: '1469308723',
    category_name: 'Software and Game Development',
    content_classification_labels: [],
  },
};

describe('test-event samples', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('each event type sends its pinned payload, for the placeholder channel and for the broadcaster', () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-02T03:04:05.000Z') });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    vi.spyOn(crypto, 'randomUUID').mockReturnValue('uuid' as ReturnType<typeof crypto.randomUUID>);
    expect(TAU_TEST_EVENTS.map((t) => t.type)).toEqual(Object.keys(SAMPLES));
    const broadcaster = { id: '424242', login: 'codercat', name: 'CoderCat' };
    for (const t of TAU_TEST_EVENTS) {
      const pinned = JSON.stringify(SAMPLES[t.type]);
      expect(JSON.stringify(t.sample()), t.type).toBe(pinned);
      expect(JSON.stringify(t.sample(broadcaster)), t.type).toBe(
        pinned
          .replaceAll('"1337"', '"424242"')
          .replaceAll('"yourchannel"', '"codercat"')
          .replaceAll('"YourChannel"', '"CoderCat"'),
      );
    }
  });
});
