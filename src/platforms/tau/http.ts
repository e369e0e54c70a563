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
const me = (b?: Broadcaster) => b ?? { id: '1337', login: 'yourchannel', name: 'YourChannel' };
type Person = { id: string; login: string; name: string };
const fields = (prefix: string, p: Person) => ({
  [`${prefix}_id`]: p.id,
  [`${prefix}_login`]: p.login,
  [`${prefix}_name`]: p.name,
});

/**
 * A sample body is written as its parts in key order. A function, in a part or as a part, is
 * called anew for each sample (a fresh time, id or viewer), so the table holds only data.
 */
type Part = Record<string, unknown> | ((b?: Broadcaster) => unknown);
const resolve = (value: unknown, b: Broadcaster | undefined): unknown => {
  if (typeof value === 'function') return (value as (b?: Broadcaster) => unknown)(b);
  if (Array.isArray(value)) return value.map((v) => resolve(v, b));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, b)]));
};
const viewer =
  (prefix = 'user') =>
  () =>
    fields(prefix, VIEWERS[Math.floor(Math.random() * VIEWERS.length)]!);
const channel =
  (prefix = 'broadcaster_user') =>
  (b?: Broadcaster) =>
    fields(prefix, me(b));
const MODCAT = fields('moderator_user', { id: '1000', login: 'modcat', name: 'ModCat' });
const uuid = () => crypto.randomUUID();
const now = () => new Date().toISOString();
const inMinutes = (m: number) => () => new Date(Date.now() + m * 60_000).toISOString();

/** What the picker shows for each event type, most common first. */
const PICKER = {
  'channel-follow': ['Follow', 'A viewer follows the channel.'],
  'channel-subscribe': ['Subscription', 'A new Tier 1 subscription.'],
  'channel-subscription-gift': ['Gifted subs', 'A viewer gifts five subs.'],
  'channel-subscription-message': ['Resub message', 'A resubscription with a message.'],
  'channel-cheer': ['Cheer', 'A viewer cheers 500 bits.'],
  'channel-raid': ['Raid', 'Another channel raids with 42 viewers.'],
  'channel-channel_points_custom_reward_redemption-add': [
    'Channel points redemption',
    'A viewer redeems a custom reward.',
  ],
  'channel-hype_train-begin': ['Hype train begins', 'A hype train starts at level 1.'],
  'channel-hype_train-progress': ['Hype train progress', 'The hype train reaches level 2.'],
  'channel-hype_train-end': ['Hype train ends', 'The hype train ends at level 3.'],
  'stream-online': ['Stream online', 'The stream goes live.'],
  'stream-offline': ['Stream offline', 'The stream ends.'],
  'channel-ban': ['Ban', 'A moderator bans a viewer (their messages are struck through).'],
  'channel-unban': ['Unban', 'A moderator unbans a viewer.'],
  'channel-poll-begin': ['Poll begins', 'A poll starts.'],
  'channel-poll-end': ['Poll ends', 'A poll ends with a winner.'],
  'channel-prediction-begin': ['Prediction begins', 'A prediction starts.'],
  'channel-prediction-end': ['Prediction ends', 'A prediction resolves.'],
  'channel-goal-begin': ['Goal begins', 'A follower goal starts.'],
  'channel-shoutout-create': ['Shoutout', 'You give another channel a shoutout.'],
  'channel-update': ['Channel update', 'The stream title or category changes.'],
} as const;

const POLL = 'Tabs or spaces?';
const PREDICTION = 'Will the tests pass first try?';

/** Each event type's EventSub-shaped sample body. */
const BODIES: Record<keyof typeof PICKER, readonly Part[]> = {
  'channel-follow': [viewer(), channel(), { followed_at: now }],
  'channel-subscribe': [viewer(), channel(), { tier: '1000', is_gift: false }],
  'channel-subscription-gift': [
    viewer(),
    channel(),
    { total: 5, tier: '1000', cumulative_total: 12, is_anonymous: false },
  ],
  'channel-subscription-message': [
    viewer(),
    channel(),
    { tier: '1000', message: { text: 'Still here for the refactors!', emotes: [] } },
    { cumulative_months: 14, streak_months: 3, duration_months: 1 },
  ],
  'channel-cheer': [
    { is_anonymous: false },
    viewer(),
    channel(),
    { message: 'Cheer500 ship it!', bits: 500 },
  ],
  'channel-raid': [
    viewer('from_broadcaster_user'),
    channel('to_broadcaster_user'),
    { viewers: 42 },
  ],
  'channel-channel_points_custom_reward_redemption-add': [
    { id: uuid },
    channel(),
    viewer(),
    { user_input: 'Use tabs', status: 'unfulfilled' },
    { reward: { id: uuid, title: 'Pick my indentation', cost: 500, prompt: POLL } },
    { redeemed_at: now },
  ],
  'channel-hype_train-begin': [
    channel(),
    { total: 137, progress: 137, goal: 500, level: 1 },
    { started_at: now, expires_at: inMinutes(5), top_contributions: [] },
  ],
  'channel-hype_train-progress': [
    channel(),
    { level: 2, total: 700, progress: 200, goal: 1000 },
    { started_at: now, expires_at: inMinutes(4), top_contributions: [] },
  ],
  'channel-hype_train-end': [
    channel(),
    { level: 3, total: 2300, started_at: now, ended_at: now },
    { cooldown_ends_at: inMinutes(60), top_contributions: [] },
  ],
  'stream-online': [{ id: '9001' }, channel(), { type: 'live', started_at: now }],
  'stream-offline': [channel()],
  'channel-ban': [
    viewer(),
    channel(),
    MODCAT,
    { reason: 'spam', banned_at: now, ends_at: null, is_permanent: true },
  ],
  'channel-unban': [viewer(), channel(), MODCAT],
  'channel-poll-begin': [
    { id: uuid },
    channel(),
    {
      title: POLL,
      choices: [
        { id: '1', title: 'Tabs' },
        { id: '2', title: 'Spaces' },
      ],
    },
    { started_at: now, ends_at: inMinutes(2) },
  ],
  'channel-poll-end': [
    { id: uuid },
    channel(),
    { title: POLL },
    {
      choices: [
        { id: '1', title: 'Tabs', votes: 12 },
        { id: '2', title: 'Spaces', votes: 31 },
      ],
    },
    { status: 'completed', started_at: now, ended_at: now },
  ],
  'channel-prediction-begin': [
    { id: uuid },
    channel(),
    { title: PREDICTION },
    {
      outcomes: [
        { id: 'a', title: 'Yes', color: 'blue' },
        { id: 'b', title: 'No', color: 'pink' },
      ],
    },
    { started_at: now, locks_at: inMinutes(2) },
  ],
  'channel-prediction-end': [
    { id: uuid },
    channel(),
    { title: PREDICTION, winning_outcome_id: 'b' },
    {
      outcomes: [
        { id: 'a', title: 'Yes' },
        { id: 'b', title: 'No' },
      ],
    },
    { status: 'resolved', started_at: now, ended_at: now },
  ],
  'channel-goal-begin': [
    { id: uuid },
    channel(),
    { type: 'follower', description: 'Road to 1k followers' },
    { current_amount: 930, target_amount: 1000, started_at: now },
  ],
  'channel-shoutout-create': [
    channel(),
    viewer('to_broadcaster_user'),
    channel('moderator_user'),
    { viewer_count: 120, started_at: now },
    { cooldown_ends_at: inMinutes(2), target_cooldown_ends_at: inMinutes(60) },
  ],
  'channel-update': [
    channel(),
    { title: 'Building a VS Code extension live', language: 'en' },
    { category_id: '1469308723', category_name: 'Software and Game Development' },
    { content_classification_labels: [] },
  ],
};

/** The event types offered by `Send TAU Test Event…`, most common first. */
export const TAU_TEST_EVENTS: readonly TauTestEventType[] = Object.entries(PICKER).map(
  ([type, [label, description]]) => ({
    type,
    label,
    description,
    sample: (b) =>
      Object.assign({}, ...BODIES[type as keyof typeof PICKER].map((part) => resolve(part, b))),
  }),
);
