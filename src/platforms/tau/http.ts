/** TAU's REST API: token pre-flight, test events (with their sample bodies), and the broadcaster. */
import { ChatError, abortedError } from '../../core/errors';
import { FetchLike, JsonResponse, requestJson } from '../../core/http';
import { baseUrl } from './settings';

/** Every TAU REST call ends within this (a Helix call on an unlinked TAU can hang the request). */
export const TAU_REQUEST_TIMEOUT_MS = 10_000;

function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
  fetchImpl: FetchLike | undefined,
  what: string,
  timeoutMs = TAU_REQUEST_TIMEOUT_MS,
): Promise<JsonResponse> {
  const origin = new URL(url).origin;
  return requestJson({
    url,
    ...init,
    timeoutMs,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    failures: {
      aborted: () => abortedError(what),
      timedOut: (ms) =>
        new ChatError(
          'TAU_TIMEOUT',
          `${what}: TAU at ${origin} did not answer within ${Math.round(ms / 1000)} s.`,
          'network',
        ),
      unreachable: (reason, error) =>
        new ChatError(
          'TAU_UNREACHABLE',
          `TAU is not reachable at ${origin} (${reason}). Is it running?`,
          'network',
          { cause: error },
        ),
    },
  });
}

/**
 * TAU never acknowledges a token on its sockets, so the token is checked first with an
 * authenticated REST call: 401 means a wrong token (an auth failure, not worth retrying).
 */
export async function checkToken(
  url: string,
  token: string,
  options: { fetch?: FetchLike; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<void> {
  const res = await request(
    `${baseUrl(url)}/api/v1/twitch-events?page_size=1`,
    {
      headers: { Authorization: `Token ${token}` },
      ...(options.signal ? { signal: options.signal } : {}),
    },
    options.fetch,
    'The token check',
    options.timeoutMs,
  );
  if (res.status === 401 || res.status === 403) {
    throw new ChatError(
      'TAU_BAD_TOKEN',
      'TAU refused the token. Copy it from the TAU dashboard (menu → Show Auth Token) and run Stream Chat: Set Token….',
      'auth',
    );
  }
  if (res.status === 404)
    throw new ChatError(
      'TAU_NOT_FOUND',
      `${new URL(baseUrl(url)).origin} has no TAU API (HTTP 404 for /api/v1/twitch-events): check streamChat.tau.url.`,
      'config',
    );
  if (res.status === 429 || res.status === 503) {
    const wait = res.retryAfterMs;
    throw new ChatError(
      'TAU_BUSY',
      `TAU answered the token check with HTTP ${res.status}${wait !== undefined ? `; retrying after ${Math.ceil(wait / 1000)} s` : ''}.`,
      'network',
      { retryAfterMs: wait },
    );
  }
  if (!res.ok)
    throw new ChatError(
      'TAU_HTTP',
      `TAU answered the token check with HTTP ${res.status}.`,
      'network',
    );
}

/** The test-event envelope TAU broadcast (the response of the test endpoint). */
export interface TestEventResponse {
  readonly event_type?: string;
  readonly origin?: string;
}

/** `POST /api/v1/twitch-events/<type>/test` with an EventSub-shaped body; TAU broadcasts it as a test event. */
export async function postTestEvent(
  url: string,
  token: string | undefined,
  eventType: string,
  data: Record<string, unknown>,
  options: { fetch?: FetchLike } = {},
): Promise<TestEventResponse> {
  if (!/^[a-z0-9_.-]{1,100}$/i.test(eventType))
    throw new ChatError('TAU_EVENT_TYPE', `"${eventType}" is not a TAU event type.`, 'config');
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Token ${token}`;
  const res = await request(
    `${baseUrl(url)}/api/v1/twitch-events/${encodeURIComponent(eventType)}/test`,
    { method: 'POST', headers, body: JSON.stringify(data) },
    options.fetch,
    'The test event',
  );
  if (res.status === 401 || res.status === 403)
    throw new ChatError(
      'TAU_BAD_TOKEN',
      'TAU refused the token for the test event. Set the right one with Stream Chat: Set Token….',
      'auth',
    );
  if (res.status === 404)
    throw new ChatError(
      'TAU_NO_TEST_ENDPOINT',
      `TAU has no test endpoint for "${eventType}" (HTTP 404). Is this a TAU server, and is the event type enabled?`,
      'config',
    );
  if (!res.ok) {
    const body = res.text.slice(0, 200);
    throw new ChatError(
      'TAU_HTTP',
      `TAU refused the test event: HTTP ${res.status}${body ? ` ${body}` : ''}.`,
      'protocol',
    );
  }
  const body = res.body;
  return (typeof body === 'object' && body !== null ? body : {}) as TestEventResponse;
}

/** The Twitch account TAU is connected as. */
export interface Broadcaster {
  readonly id: string;
  readonly login: string;
  readonly name: string;
}

/** The broadcaster TAU is connected as, via its Helix passthrough (best effort: undefined on any failure). */
export async function fetchBroadcaster(
  url: string,
  token: string,
  options: { fetch?: FetchLike } = {},
): Promise<Broadcaster | undefined> {
  try {
    const res = await request(
      `${baseUrl(url)}/api/twitch/helix/users`,
      { headers: { Authorization: `Token ${token}` } },
      options.fetch,
      'The broadcaster lookup',
    );
    if (!res.ok) return undefined;
    const body = res.body as {
      data?: Array<{ id?: unknown; login?: unknown; display_name?: unknown }>;
    };
    const user = body.data?.[0];
    if (!user || typeof user.id !== 'string' || typeof user.login !== 'string') return undefined;
    return {
      id: user.id,
      login: user.login,
      name: typeof user.display_name === 'string' ? user.display_name : user.login,
    };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The test events offered by `Send TAU Test Event…`, with EventSub-shaped sample bodies.

/** One entry of the test-event picker: the TAU event type, a label, a description, a sample body. */
export interface TauTestEventType {
  readonly type: string;
  readonly label: string;
  readonly description: string;
  sample(broadcaster?: Broadcaster): Record<string, unknown>;
}

const VIEWERS = [
  { id: '141981764', login: 'twitchdev', name: 'TwitchDev' },
  { id: '90075649', login: 'pixelpusher', name: 'PixelPusher' },
  { id: '52399210', login: 'rubberduckdev', name: 'RubberDuckDev' },
];
const pick = () => VIEWERS[Math.floor(Math.random() * VIEWERS.length)]!;
const me = (b?: Broadcaster) => b ?? { id: '1337', login: 'yourchannel', name: 'YourChannel' };
const broadcasterFields = (b?: Broadcaster, prefix = 'broadcaster_user') => ({
  [`${prefix}_id`]: me(b).id,
  [`${prefix}_login`]: me(b).login,
  [`${prefix}_name`]: me(b).name,
});
const userFields = (prefix = 'user') => {
  const v = pick();
  return { [`${prefix}_id`]: v.id, [`${prefix}_login`]: v.login, [`${prefix}_name`]: v.name };
};
const now = () => new Date().toISOString();
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

/** The event types offered by `Send TAU Test Event…`, most common first. */
export const TAU_TEST_EVENTS: readonly TauTestEventType[] = [
  {
    type: 'channel-follow',
    label: 'Follow',
    description: 'A viewer follows the channel.',
    sample: (b) => ({ ...userFields(), ...broadcasterFields(b), followed_at: now() }),
  },
  {
    type: 'channel-subscribe',
    label: 'Subscription',
    description: 'A new Tier 1 subscription.',
    sample: (b) => ({ ...userFields(), ...broadcasterFields(b), tier: '1000', is_gift: false }),
  },
  {
    type: 'channel-subscription-gift',
    label: 'Gifted subs',
    description: 'A viewer gifts five subs.',
    sample: (b) => ({
      ...userFields(),
      ...broadcasterFields(b),
      total: 5,
      tier: '1000',
      cumulative_total: 12,
      is_anonymous: false,
    }),
  },
  {
    type: 'channel-subscription-message',
    label: 'Resub message',
    description: 'A resubscription with a message.',
    sample: (b) => ({
      ...userFields(),
      ...broadcasterFields(b),
      tier: '1000',
      message: { text: 'Still here for the refactors!', emotes: [] },
      cumulative_months: 14,
      streak_months: 3,
      duration_months: 1,
    }),
  },
  {
    type: 'channel-cheer',
    label: 'Cheer',
    description: 'A viewer cheers 500 bits.',
    sample: (b) => ({
      is_anonymous: false,
      ...userFields(),
      ...broadcasterFields(b),
      message: 'Cheer500 ship it!',
      bits: 500,
    }),
  },
  {
    type: 'channel-raid',
    label: 'Raid',
    description: 'Another channel raids with 42 viewers.',
    sample: (b) => ({
      ...userFields('from_broadcaster_user'),
      ...broadcasterFields(b, 'to_broadcaster_user'),
      viewers: 42,
    }),
  },
  {
    type: 'channel-channel_points_custom_reward_redemption-add',
    label: 'Channel points redemption',
    description: 'A viewer redeems a custom reward.',
    sample: (b) => ({
      id: crypto.randomUUID(),
      ...broadcasterFields(b),
      ...userFields(),
      user_input: 'Use tabs',
      status: 'unfulfilled',
      reward: {
        id: crypto.randomUUID(),
        title: 'Pick my indentation',
        cost: 500,
        prompt: 'Tabs or spaces?',
      },
      redeemed_at: now(),
    }),
  },
  {
    type: 'channel-hype_train-begin',
    label: 'Hype train begins',
    description: 'A hype train starts at level 1.',
    sample: (b) => ({
      ...broadcasterFields(b),
      total: 137,
      progress: 137,
      goal: 500,
      level: 1,
      started_at: now(),
      expires_at: inMinutes(5),
      top_contributions: [],
    }),
  },
  {
    type: 'channel-hype_train-progress',
    label: 'Hype train progress',
    description: 'The hype train reaches level 2.',
    sample: (b) => ({
      ...broadcasterFields(b),
      level: 2,
      total: 700,
      progress: 200,
      goal: 1000,
      started_at: now(),
      expires_at: inMinutes(4),
      top_contributions: [],
    }),
  },
  {
    type: 'channel-hype_train-end',
    label: 'Hype train ends',
    description: 'The hype train ends at level 3.',
    sample: (b) => ({
      ...broadcasterFields(b),
      level: 3,
      total: 2300,
      started_at: now(),
      ended_at: now(),
      cooldown_ends_at: inMinutes(60),
      top_contributions: [],
    }),
  },
  {
    type: 'stream-online',
    label: 'Stream online',
    description: 'The stream goes live.',
    sample: (b) => ({ id: '9001', ...broadcasterFields(b), type: 'live', started_at: now() }),
  },
  {
    type: 'stream-offline',
    label: 'Stream offline',
    description: 'The stream ends.',
    sample: (b) => ({ ...broadcasterFields(b) }),
  },
  {
    type: 'channel-ban',
    label: 'Ban',
    description: 'A moderator bans a viewer (their messages are struck through).',
    sample: (b) => ({
      ...userFields(),
      ...broadcasterFields(b),
      moderator_user_id: '1000',
      moderator_user_login: 'modcat',
      moderator_user_name: 'ModCat',
      reason: 'spam',
      banned_at: now(),
      ends_at: null,
      is_permanent: true,
    }),
  },
  {
    type: 'channel-unban',
    label: 'Unban',
    description: 'A moderator unbans a viewer.',
    sample: (b) => ({
      ...userFields(),
      ...broadcasterFields(b),
      moderator_user_id: '1000',
      moderator_user_login: 'modcat',
      moderator_user_name: 'ModCat',
    }),
  },
  {
    type: 'channel-poll-begin',
    label: 'Poll begins',
    description: 'A poll starts.',
    sample: (b) => ({
      id: crypto.randomUUID(),
      ...broadcasterFields(b),
      title: 'Tabs or spaces?',
      choices: [
        { id: '1', title: 'Tabs' },
        { id: '2', title: 'Spaces' },
      ],
      started_at: now(),
      ends_at: inMinutes(2),
    }),
  },
  {
    type: 'channel-poll-end',
    label: 'Poll ends',
    description: 'A poll ends with a winner.',
    sample: (b) => ({
      id: crypto.randomUUID(),
      ...broadcasterFields(b),
      title: 'Tabs or spaces?',
      choices: [
        { id: '1', title: 'Tabs', votes: 12 },
        { id: '2', title: 'Spaces', votes: 31 },
      ],
      status: 'completed',
      started_at: now(),
      ended_at: now(),
    }),
  },
  {
    type: 'channel-prediction-begin',
    label: 'Prediction begins',
    description: 'A prediction starts.',
    sample: (b) => ({
      id: crypto.randomUUID(),
      ...broadcasterFields(b),
      title: 'Will the tests pass first try?',
      outcomes: [
        { id: 'a', title: 'Yes', color: 'blue' },
        { id: 'b', title: 'No', color: 'pink' },
      ],
      started_at: now(),
      locks_at: inMinutes(2),
    }),
  },
  {
    type: 'channel-prediction-end',
    label: 'Prediction ends',
    description: 'A prediction resolves.',
    sample: (b) => ({
      id: crypto.randomUUID(),
      ...broadcasterFields(b),
      title: 'Will the tests pass first try?',
      winning_outcome_id: 'b',
      outcomes: [
        { id: 'a', title: 'Yes' },
        { id: 'b', title: 'No' },
      ],
      status: 'resolved',
      started_at: now(),
      ended_at: now(),
    }),
  },
  {
    type: 'channel-goal-begin',
    label: 'Goal begins',
    description: 'A follower goal starts.',
    sample: (b) => ({
      id: crypto.randomUUID(),
      ...broadcasterFields(b),
      type: 'follower',
      description: 'Road to 1k followers',
      current_amount: 930,
      target_amount: 1000,
      started_at: now(),
    }),
  },
  {
    type: 'channel-shoutout-create',
    label: 'Shoutout',
    description: 'You give another channel a shoutout.',
    sample: (b) => ({
      ...broadcasterFields(b),
      ...userFields('to_broadcaster_user'),
      moderator_user_id: me(b).id,
      moderator_user_login: me(b).login,
      moderator_user_name: me(b).name,
      viewer_count: 120,
      started_at: now(),
      cooldown_ends_at: inMinutes(2),
      target_cooldown_ends_at: inMinutes(60),
    }),
  },
  {
    type: 'channel-update',
    label: 'Channel update',
    description: 'The stream title or category changes.',
    sample: (b) => ({
      ...broadcasterFields(b),
      title: 'Building a VS Code extension live',
      language: 'en',
      category_id: '1469308723',
      category_name: 'Software and Game Development',
      content_classification_labels: [],
    }),
  },
];
