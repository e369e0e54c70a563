import { afterEach, describe, expect, it } from 'vitest';
import { ChatError } from '../../../src/core/errors';
import {
  FetchLike,
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
