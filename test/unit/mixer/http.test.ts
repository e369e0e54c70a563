import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatError } from '../../../src/core/errors';
import { apiBase, discoverChat, parseChannelSetting } from '../../../src/platforms/mixer';
import {
  MIXER_SIM_CHANNEL,
  MIXER_SIM_CHANNEL_ID,
  MIXER_SIM_CLIENT_ID,
  MIXER_SIM_TOKEN,
  MIXER_SIM_USER_ID,
  MixerSimulator,
  findDeadPort,
  startMixerSimulator,
} from '../../simulators/mixer/server';

let sim: MixerSimulator;

beforeEach(async () => {
  sim = await startMixerSimulator();
});

afterEach(async () => {
  await sim.close();
});

async function failure(promise: Promise<unknown>): Promise<ChatError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChatError);
  return error as ChatError;
}

describe('parseChannelSetting', () => {
  it.each([
    ['codercat', { username: 'codercat' }],
    ['  @codercat ', { username: 'codercat' }],
    ['#codercat', { username: 'codercat' }],
    ['160788', { id: 160788 }],
    ['', undefined],
    ['  ', undefined],
  ])('%j → %j', (input, expected) => {
    expect(parseChannelSetting(input)).toEqual(expected);
  });
});

describe('apiBase', () => {
  it('trims trailing slashes and queries; refuses non-http URLs as configuration errors', () => {
    expect(apiBase('https://mixer.com/api/v1/')).toBe('https://mixer.com/api/v1');
    expect(apiBase(' http://127.0.0.1:9/api/v1?x=1 ')).toBe('http://127.0.0.1:9/api/v1');
    expect(() => apiBase('mixer.com')).toThrow(
      expect.objectContaining({ code: 'MIXER_BAD_API_URL', category: 'config' }),
    );
    expect(() => apiBase('ftp://mixer.com')).toThrow(
      expect.objectContaining({ category: 'config' }),
    );
  });
});

describe('discoverChat', () => {
  it('with a token: looks up the channel, the user and a fresh authkey, sending Client-ID everywhere', async () => {
    const first = await discoverChat({
      apiUrl: sim.apiUrl,
      channel: MIXER_SIM_CHANNEL,
      clientId: MIXER_SIM_CLIENT_ID,
      token: MIXER_SIM_TOKEN,
    });
    const second = await discoverChat({
      apiUrl: sim.apiUrl,
      channel: MIXER_SIM_CHANNEL,
      clientId: MIXER_SIM_CLIENT_ID,
      token: MIXER_SIM_TOKEN,
    });
    expect(first).toEqual({
      channelId: MIXER_SIM_CHANNEL_ID,
      userId: MIXER_SIM_USER_ID,
      authkey: sim.issuedAuthkeys[0],
      endpoints: sim.chatUrls,
      permissions: expect.arrayContaining(['chat', 'connect']),
    });
    expect(second.authkey).toBe(sim.issuedAuthkeys[1]);
    expect(second.authkey).not.toBe(first.authkey);
    expect(sim.requests).toHaveLength(6);
    expect(sim.requests.every((r) => r.clientId === MIXER_SIM_CLIENT_ID && r.status === 200)).toBe(
      true,
    );
  });

  it('without a token: no user lookup, no Authorization, no authkey', async () => {
    const details = await discoverChat({
      apiUrl: sim.apiUrl,
      channel: String(MIXER_SIM_CHANNEL_ID),
    });
    expect(details).toEqual({
      channelId: MIXER_SIM_CHANNEL_ID,
      endpoints: sim.chatUrls,
      permissions: ['chat', 'connect', 'poll_vote'],
    });
    expect(sim.requests.map((r) => [r.path, r.authorization, r.clientId])).toEqual([
      [`/api/v1/chats/${MIXER_SIM_CHANNEL_ID}`, 'none', undefined],
    ]);
  });

  it('accepts the v2 chats path the official Node client moved to', async () => {
    const response = await fetch(
      `http://127.0.0.1:${sim.port}/api/v2/chats/${MIXER_SIM_CHANNEL_ID}`,
      { headers: { Authorization: `Bearer ${MIXER_SIM_TOKEN}` } },
    );
    expect(await response.json()).toMatchObject({
      authkey: expect.any(String),
      endpoints: sim.chatUrls,
    });
  });

  it('401 → auth', async () => {
    const error = await failure(
      discoverChat({ apiUrl: sim.apiUrl, channel: MIXER_SIM_CHANNEL, token: 'nope-nope-nope' }),
    );
    expect(error).toMatchObject({ code: 'MIXER_TOKEN_REJECTED', category: 'auth' });
    expect(error.message).not.toContain('nope-nope-nope');
  });

  it('403 → auth', async () => {
    sim.failRest(403);
    expect(
      await failure(discoverChat({ apiUrl: sim.apiUrl, channel: '1', token: MIXER_SIM_TOKEN })),
    ).toMatchObject({ code: 'MIXER_FORBIDDEN', category: 'auth' });
  });

  it('404 for the channel → config, naming the channel', async () => {
    const byName = await failure(discoverChat({ apiUrl: sim.apiUrl, channel: 'ghost' }));
    expect(byName).toMatchObject({ code: 'MIXER_CHANNEL_NOT_FOUND', category: 'config' });
    expect(byName.message).toContain('"ghost"');
    expect(await failure(discoverChat({ apiUrl: sim.apiUrl, channel: '999' }))).toMatchObject({
      code: 'MIXER_CHANNEL_NOT_FOUND',
      category: 'config',
    });
  });

  it('429 → network, with a sentence and the Retry-After', async () => {
    sim.failRest(429);
    const error = await failure(discoverChat({ apiUrl: sim.apiUrl, channel: MIXER_SIM_CHANNEL }));
    expect(error).toMatchObject({ code: 'MIXER_HTTP_RATE_LIMITED', category: 'network' });
    expect(error.message).toBe(
      'Mixer is rate limiting requests (HTTP 429) for about 1 s; trying again shortly.',
    );
  });

  it('5xx → network', async () => {
    sim.failRest(503);
    expect(
      await failure(discoverChat({ apiUrl: sim.apiUrl, channel: MIXER_SIM_CHANNEL })),
    ).toMatchObject({ code: 'MIXER_HTTP_SERVER_ERROR', category: 'network' });
  });

  it('a dead API → network, saying where', async () => {
    const apiUrl = `http://127.0.0.1:${await findDeadPort()}/api/v1`;
    const error = await failure(
      discoverChat({ apiUrl, channel: MIXER_SIM_CHANNEL, token: MIXER_SIM_TOKEN }),
    );
    expect(error).toMatchObject({ code: 'MIXER_API_UNREACHABLE', category: 'network' });
    expect(error.message).toContain('connection refused');
    expect(error.message).not.toContain(MIXER_SIM_TOKEN);
  });

  it('a silent API → network after the request timeout', async () => {
    const hang = (_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    const error = await failure(
      discoverChat({ apiUrl: sim.apiUrl, channel: '1', fetch: hang, timeoutMs: 50 }),
    );
    expect(error).toMatchObject({ code: 'MIXER_API_TIMEOUT', category: 'network' });
  });

  it('a cancelled discovery says so', async () => {
    const abort = new AbortController();
    const hang = (_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    const pending = discoverChat({
      apiUrl: sim.apiUrl,
      channel: '1',
      fetch: hang,
      signal: abort.signal,
    });
    abort.abort();
    expect(await failure(pending)).toMatchObject({ code: 'ABORTED' });
  });

  it.each([
    ['not JSON', () => new Response('<html>', { status: 200 }), 'MIXER_API_BAD_RESPONSE'],
    [
      'no endpoints',
      () => Response.json({ authkey: 'k', endpoints: [], permissions: [] }),
      'MIXER_NO_ENDPOINT',
    ],
    [
      'non-websocket endpoints only',
      () => Response.json({ endpoints: ['http://x', 5], permissions: [] }),
      'MIXER_NO_ENDPOINT',
    ],
  ])('refuses %s from /chats as a protocol problem', async (_name, makeResponse, code) => {
    const fake = async (url: string) =>
      url.endsWith('/users/current') ? Response.json({ id: 1 }) : makeResponse();
    const error = await failure(
      discoverChat({ apiUrl: sim.apiUrl, channel: '1', token: MIXER_SIM_TOKEN, fetch: fake }),
    );
    expect(error).toMatchObject({ code, category: 'protocol' });
  });

  it('refuses a current user without an id as a protocol problem', async () => {
    const error = await failure(
      discoverChat({
        apiUrl: sim.apiUrl,
        channel: '1',
        token: MIXER_SIM_TOKEN,
        fetch: async () => Response.json({ username: 'x' }),
      }),
    );
    expect(error).toMatchObject({ code: 'MIXER_API_BAD_RESPONSE', category: 'protocol' });
  });
});
