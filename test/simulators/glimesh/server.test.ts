// The simulator's fidelity, proven with the official Phoenix JS client (npm `phoenix`) and raw
// sockets for the frames Phoenix hides; never with the extension's own code.
import { Channel, Push, Socket } from 'phoenix';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  GLIMESH_SIM_CHANNEL_ID,
  GLIMESH_SIM_CLIENT_ID,
  GLIMESH_SIM_NO_CHAT_TOKEN,
  GLIMESH_SIM_TOKEN,
  GLIMESH_SIM_VIEWER_TOKEN,
  GlimeshSimulator,
  startGlimeshSimulator,
} from './server';

let sim: GlimeshSimulator | undefined;
const sockets: Socket[] = [];
const raws: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const r of raws.splice(0)) r.terminate();
  await sim?.close();
  sim = undefined;
});

const until = async <T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 3000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const SUBSCRIPTION =
  'subscription ($id: ID!) { chatMessage(channelId: $id) { id message user { username } } }';
const MUTATION =
  'mutation ($c: ID!, $m: String!) { createChatMessage(channelId: $c, message: { message: $m }) { id message } }';

type Message = {
  join_ref: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: Record<string, unknown>;
};

/** The official client, connected with `params`; records every message it receives. */
function phoenix(params: Record<string, string>, heartbeatIntervalMs = 30_000) {
  const socket = new Socket(sim!.socketUrl.replace(/\/websocket$/, ''), {
    transport: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    heartbeatIntervalMs,
    reconnectAfterMs: () => 1e9,
    rejoinAfterMs: () => 1e9,
  });
  const received: Message[] = [];
  socket.onMessage((m: object) => void received.push(m as Message));
  socket.connect();
  sockets.push(socket);
  return { socket, received, control: () => socket.channel('__absinthe__:control', {}) };
}

const reply = (push: Push) =>
  new Promise<{ status: string; response: Record<string, unknown> }>((resolve) => {
    push.receive('ok', (r: Record<string, unknown>) => resolve({ status: 'ok', response: r }));
    push.receive('error', (r: Record<string, unknown>) =>
      resolve({ status: 'error', response: r }),
    );
    push.receive('timeout', () => resolve({ status: 'timeout', response: {} }));
  });

async function joined(
  params: Record<string, string> = { token: GLIMESH_SIM_TOKEN },
  heartbeatIntervalMs?: number,
): Promise<{ socket: Socket; channel: Channel; received: Message[] }> {
  const p = phoenix(params, heartbeatIntervalMs);
  const channel = p.control();
  expect((await reply(channel.join())).status).toBe('ok');
  return { socket: p.socket, channel, received: p.received };
}

/** A raw socket: exact frames in and out. */
async function raw(query = `vsn=2.0.0&token=${GLIMESH_SIM_TOKEN}`) {
  const ws = new WebSocket(`${sim!.socketUrl}?${query}`);
  raws.push(ws);
  const frames: unknown[] = [];
  let closeCode: number | undefined;
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  ws.on('close', (code) => (closeCode = code));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    frames,
    send: (frame: unknown) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next: (match: (f: unknown) => boolean) => until('frame', () => frames.find(match)),
    closed: () => until('close', () => closeCode),
  };
}

async function graphql(
  body: unknown,
  authorization?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(sim!.httpUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(authorization ? { Authorization: authorization } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the Phoenix socket, driven by the official phoenix client', () => {
  it('joins the control topic, subscribes with variables, and pushes only the requested fields with the subscription id as topic and null refs', async () => {
    sim = await startGlimeshSimulator();
    const { channel, received } = await joined();
    const sub = await reply(
      channel.push('doc', { query: SUBSCRIPTION, variables: { id: GLIMESH_SIM_CHANNEL_ID } }),
    );
    expect(sub.status).toBe('ok');
    const subscriptionId = sub.response.subscriptionId as string;
    expect(subscriptionId).toMatch(/^__absinthe__:doc:-\d+:[0-9A-F]{64}$/);
    const id = sim.postChat({ user: 'Mytho', text: 'hello world!' });
    const push = await until('push', () => received.find((m) => m.event === 'subscription:data'));
    expect(push).toMatchObject({
      join_ref: null,
      ref: null,
      topic: subscriptionId,
      payload: { subscriptionId },
    });
    expect(push.payload.result).toEqual({
      data: { chatMessage: { id, message: 'hello world!', user: { username: 'mytho' } } },
    });
  });

  it('answers heartbeats with a null join_ref, so the client stays up; stalled heartbeats make the client time out', async () => {
    sim = await startGlimeshSimulator();
    const { socket, received } = await joined({ token: GLIMESH_SIM_TOKEN }, 80);
    await new Promise((r) => setTimeout(r, 300));
    expect(socket.isConnected()).toBe(true);
    const beat = received.find((m) => m.topic === 'phoenix');
    expect(beat).toMatchObject({
      join_ref: null,
      event: 'phx_reply',
      payload: { status: 'ok', response: {} },
    });
    const closed = new Promise<number>((resolve) => socket.onClose(() => resolve(Date.now())));
    const stalledAt = Date.now();
    sim.stallHeartbeats(true);
    expect((await closed) - stalledAt).toBeLessThan(2 * 80 + 150);
  });

  it('runs the mutation: data on success, the server’s sentences as GraphQL errors with status ok', async () => {
    sim = await startGlimeshSimulator();
    const { channel } = await joined();
    const send = (m: string) =>
      reply(channel.push('doc', { query: MUTATION, variables: { c: GLIMESH_SIM_CHANNEL_ID, m } }));
    expect(await send('hi')).toMatchObject({
      status: 'ok',
      response: { data: { createChatMessage: { message: 'hi' } } },
    });
    expect(sim.sent).toEqual([{ channelId: GLIMESH_SIM_CHANNEL_ID, text: 'hi', user: 'codercat' }]);
    expect(await send('😀'.repeat(255))).toMatchObject({
      status: 'ok',
      response: { data: { createChatMessage: { message: '😀'.repeat(255) } } },
    });
    const long = await send('x'.repeat(256));
    expect(long).toEqual({
      status: 'ok',
      response: {
        data: { createChatMessage: null },
        errors: [
          {
            message: 'message: should be at most 255 character(s)',
            path: ['createChatMessage'],
            locations: [expect.any(Object)],
          },
        ],
      },
    });
    const sentence = async (m = 'hi') =>
      ((await send(m)).response.errors as Array<{ message: string }>).map((e) => e.message);
    expect(await sentence('   ')).toEqual(["message: can't be blank"]);
    sim.configureChannel({ blockLinks: true });
    expect(await sentence('see https://example.com')).toEqual(['This channel has links disabled!']);
    sim.configureChannel({ blockLinks: false, minimumAccountAgeHours: 2 });
    sim.configureUser('codercat', { accountAgeMinutes: 30 });
    expect(await sentence()).toEqual(['You must wait 90 more minutes to chat.']);
    sim.configureChannel({ minimumAccountAgeHours: 0, requireConfirmedEmail: true });
    sim.configureUser('codercat', { emailConfirmed: false });
    expect(await sentence()).toEqual(['You must confirm your email address before chatting.']);
    sim.banFromGlimesh('codercat');
    expect(await sentence()).toEqual(['You are banned from Glimesh.']);
    sim.banUser('codercat');
    expect(await sentence()).toEqual(['You are permanently banned from this channel.']);
    sim.banUser('codercat', 5);
    expect(await sentence()).toEqual(['You are banned from this channel for 5 more minutes.']);
    expect(sim.sent).toHaveLength(2);
  });

  it('a client id is read-only ("unauthorized"), as is a token without the chat scope; client_id wins over a token', async () => {
    sim = await startGlimeshSimulator();
    const cases: Array<Record<string, string>> = [
      { client_id: GLIMESH_SIM_CLIENT_ID },
      { token: GLIMESH_SIM_NO_CHAT_TOKEN },
      { token: GLIMESH_SIM_TOKEN, client_id: GLIMESH_SIM_CLIENT_ID },
    ];
    for (const params of cases) {
      const { channel } = await joined(params);
      const r = await reply(
        channel.push('doc', { query: MUTATION, variables: { c: GLIMESH_SIM_CHANNEL_ID, m: 'hi' } }),
      );
      expect(r).toMatchObject({
        status: 'ok',
        response: { data: { createChatMessage: null }, errors: [{ message: 'unauthorized' }] },
      });
    }
    expect(sim.sent).toEqual([]);
    expect(sim.upgradeLog.map((u) => u.credential)).toEqual(['client_id', 'token', 'both']);
  });

  it('refuses a bad or revoked token and an unknown client id at the upgrade (HTTP 403), with no frames', async () => {
    sim = await startGlimeshSimulator();
    const refusal = (params: Record<string, string>) =>
      new Promise<string>((resolve) =>
        phoenix(params).socket.onError((e: unknown) =>
          resolve(String((e as { message?: string }).message)),
        ),
      );
    expect(await refusal({ token: 'bad' })).toMatch(/403/);
    expect(await refusal({ client_id: 'nope' })).toMatch(/403/);
    sim.revokeToken(GLIMESH_SIM_TOKEN);
    expect(await refusal({ token: GLIMESH_SIM_TOKEN })).toMatch(/403/);
    expect(sim.upgrades).toEqual({ accepted: 0, refused: 3 });
  });

  it('rejects documents the schema does not allow, as Absinthe does (status error)', async () => {
    sim = await startGlimeshSimulator();
    const { channel } = await joined();
    const doc = (query: string, variables: Record<string, unknown> = {}) =>
      reply(channel.push('doc', { query, variables }));
    // The docs' own example asks for `avatar`, which the schema no longer has.
    const avatar = await doc(
      'subscription { chatMessage(channelId: 6) { user { username avatar } message } }',
    );
    expect(avatar).toMatchObject({
      status: 'error',
      response: { errors: [{ message: 'Cannot query field "avatar" on type "User".' }] },
    });
    expect(await doc(SUBSCRIPTION)).toMatchObject({
      status: 'error',
      response: { errors: [{ message: 'Variable "id": Expected non-null, found null.' }] },
    });
    expect(
      await doc('subscription ($id: ID) { chatMessage(channelId: $other) { id } }', { id: '6' }),
    ).toMatchObject({ status: 'error' });
    expect(await doc('query { channel(id: 6) { id ')).toMatchObject({
      status: 'error',
      response: { errors: [{ message: 'syntax error at end of document' }] },
    });
    expect(await doc('query { channel(id: 6) { streamer } }')).toMatchObject({
      status: 'error',
      response: {
        errors: [{ message: expect.stringContaining('must have a selection of subfields') }],
      },
    });
    // The docs' literal style still works, and answers only what was asked.
    expect(
      await doc('query { channel(streamerUsername: "CoderCat") { id streamer { displayname } } }'),
    ).toEqual({
      status: 'ok',
      response: { data: { channel: { id: '6', streamer: { displayname: 'CoderCat' } } } },
    });
  });

  it('without channelId the subscription is the firehose of every channel', async () => {
    sim = await startGlimeshSimulator();
    const { channel, received } = await joined();
    const firehose = (
      await reply(channel.push('doc', { query: 'subscription { chatMessage { message } }' }))
    ).response.subscriptionId;
    const mine = (
      await reply(
        channel.push('doc', { query: SUBSCRIPTION, variables: { id: GLIMESH_SIM_CHANNEL_ID } }),
      )
    ).response.subscriptionId;
    sim.postChat({ user: 'a', text: 'in codercat' });
    sim.postChat({ user: 'b', text: 'elsewhere', channel: 'otherstreamer' });
    await until(
      'three pushes',
      () => received.filter((m) => m.event === 'subscription:data').length === 3,
    );
    await new Promise((r) => setTimeout(r, 50));
    const texts = (topic: unknown) =>
      received
        .filter((m) => m.topic === topic)
        .map(
          (m) =>
            (m.payload.result as { data: { chatMessage: { message: string } } }).data.chatMessage
              .message,
        );
    expect(texts(firehose)).toEqual(['in codercat', 'elsewhere']);
    expect(texts(mine)).toEqual(['in codercat']);
  });

  it('leaving answers ok and closes the channel; a crash errors it, as the phoenix client sees them', async () => {
    sim = await startGlimeshSimulator();
    const first = await joined();
    await reply(first.channel.push('doc', { query: SUBSCRIPTION, variables: { id: '6' } }));
    // phoenix resolves a leave at once; the server's side follows over the wire.
    expect((await reply(first.channel.leave())).status).toBe('ok');
    expect(
      await until('phx_close', () => first.received.find((m) => m.event === 'phx_close')),
    ).toMatchObject({ topic: '__absinthe__:control', event: 'phx_close', payload: {} });
    expect(sim.subscriptionCount).toBe(0);
    const second = await joined();
    await reply(second.channel.push('doc', { query: SUBSCRIPTION, variables: { id: '6' } }));
    const errored = new Promise<unknown>((resolve) =>
      second.channel.onError((reason: unknown) => resolve(reason)),
    );
    sim.crashChannels();
    expect(await errored).toEqual({ reason: 'channel_crash' });
    expect(sim.subscriptionCount).toBe(0);
  });

  it('closes an idle socket like Phoenix does', async () => {
    sim = await startGlimeshSimulator({ idleTimeoutMs: 150 });
    const { socket } = phoenix({ token: GLIMESH_SIM_TOKEN }, 60_000);
    await new Promise<void>((resolve) => socket.onClose(() => resolve()));
    await until('server side closed', () => sim!.openSockets === 0);
  });
});

describe('the Phoenix socket, frame by frame', () => {
  it('a duplicate join answers the new join, closes the old one, and drops its subscriptions', async () => {
    sim = await startGlimeshSimulator();
    const s = await raw();
    s.send(['1', '1', '__absinthe__:control', 'phx_join', {}]);
    await s.next(
      (f) =>
        JSON.stringify(f) ===
        '["1","1","__absinthe__:control","phx_reply",{"status":"ok","response":{}}]',
    );
    s.send([
      '1',
      '2',
      '__absinthe__:control',
      'doc',
      { query: SUBSCRIPTION, variables: { id: '6' } },
    ]);
    await s.next((f) => (f as unknown[])[1] === '2');
    expect(sim.subscriptionCount).toBe(1);
    s.send(['3', '3', '__absinthe__:control', 'phx_join', {}]);
    await s.next(
      (f) =>
        JSON.stringify(f) ===
        '["3","3","__absinthe__:control","phx_reply",{"status":"ok","response":{}}]',
    );
    await s.next((f) => JSON.stringify(f) === '["1","1","__absinthe__:control","phx_close",{}]');
    expect(sim.subscriptionCount).toBe(0);
    sim.postChat({ user: 'a', text: 'nobody hears this' });
    await new Promise((r) => setTimeout(r, 50));
    expect(s.frames.some((f) => (f as unknown[])[3] === 'subscription:data')).toBe(false);
  });

  it('answers an unmatched topic, a frame before joining, and ignores a stale join_ref', async () => {
    sim = await startGlimeshSimulator();
    const s = await raw();
    s.send(['1', '1', 'room:lobby', 'phx_join', {}]);
    await s.next(
      (f) =>
        JSON.stringify(f) ===
        '[null,"1","room:lobby","phx_reply",{"status":"error","response":{"reason":"unmatched topic"}}]',
    );
    s.send([
      '1',
      '2',
      '__absinthe__:control',
      'doc',
      { query: MUTATION, variables: { c: '6', m: 'too early' } },
    ]);
    await s.next(
      (f) =>
        JSON.stringify(f) ===
        '[null,"2","__absinthe__:control","phx_reply",{"status":"error","response":{"reason":"unmatched topic"}}]',
    );
    s.send(['4', '3', '__absinthe__:control', 'phx_join', {}]);
    await s.next((f) => (f as unknown[])[1] === '3');
    s.send([
      '1',
      '5',
      '__absinthe__:control',
      'doc',
      { query: MUTATION, variables: { c: '6', m: 'stale' } },
    ]);
    s.send([
      '4',
      '6',
      '__absinthe__:control',
      'doc',
      { query: MUTATION, variables: { c: '6', m: 'current' } },
    ]);
    await s.next((f) => (f as unknown[])[1] === '6');
    expect(s.frames.some((f) => (f as unknown[])[1] === '5')).toBe(false);
    expect(sim.sent.map((m) => m.text)).toEqual(['current']);
  });

  it('a mutation for an unknown channel crashes the channel: phx_error, no reply, subscriptions gone', async () => {
    sim = await startGlimeshSimulator();
    const s = await raw();
    s.send(['1', '1', '__absinthe__:control', 'phx_join', {}]);
    s.send([
      '1',
      '2',
      '__absinthe__:control',
      'doc',
      { query: SUBSCRIPTION, variables: { id: '6' } },
    ]);
    await s.next((f) => (f as unknown[])[1] === '2');
    s.send([
      '1',
      '3',
      '__absinthe__:control',
      'doc',
      { query: MUTATION, variables: { c: '999', m: 'hi' } },
    ]);
    await s.next(
      (f) =>
        JSON.stringify(f) ===
        '["1","1","__absinthe__:control","phx_error",{"reason":"channel_crash"}]',
    );
    expect(sim.subscriptionCount).toBe(0);
    expect(s.frames.some((f) => (f as unknown[])[1] === '3')).toBe(false);
  });

  it('negotiates the serializer: vsn 2.0.0 → arrays, none → V1 objects, anything else → 403; a frame it cannot decode closes the socket', async () => {
    sim = await startGlimeshSimulator();
    const v1 = await raw(`token=${GLIMESH_SIM_TOKEN}`);
    v1.send({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '7' });
    expect(await v1.next(() => true)).toEqual({
      topic: 'phoenix',
      event: 'phx_reply',
      payload: { status: 'ok', response: {} },
      ref: '7',
    });
    await expect(raw(`vsn=3.0.0&token=${GLIMESH_SIM_TOKEN}`)).rejects.toThrow(/403/);
    const v2 = await raw();
    v2.send('not json');
    expect(await v2.closed()).toBe(1011);
  });

  it('stallDocReplies leaves documents unanswered; injectRaw reaches every socket', async () => {
    sim = await startGlimeshSimulator();
    const a = await raw();
    const b = await raw();
    a.send(['1', '1', '__absinthe__:control', 'phx_join', {}]);
    await a.next(() => true);
    sim.stallDocReplies(true);
    a.send([
      '1',
      '2',
      '__absinthe__:control',
      'doc',
      { query: MUTATION, variables: { c: '6', m: 'hi' } },
    ]);
    await until('doc seen', () => sim!.docs.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(a.frames).toHaveLength(1);
    expect(sim.sent).toEqual([]);
    sim.injectRaw('["x"]');
    await a.next((f) => JSON.stringify(f) === '["x"]');
    await b.next((f) => JSON.stringify(f) === '["x"]');
  });
});

describe('GraphQL over HTTP', () => {
  it('answers 401 with Glimesh’s bodies for no, bad or unknown credentials', async () => {
    sim = await startGlimeshSimulator();
    const q = { query: 'query { myself { id } }' };
    expect(await graphql(q)).toEqual({
      status: 401,
      body: { errors: [{ message: 'You must be logged in to access the api' }] },
    });
    expect(await graphql(q, 'Bearer nope')).toEqual({
      status: 401,
      body: {
        errors: [
          { message: 'Given access token is invalid.', header_error: 'invalid_access_token' },
        ],
      },
    });
    expect(await graphql(q, 'Client-ID nope')).toEqual({
      status: 401,
      body: { errors: [{ message: 'You must be logged in to access the api' }] },
    });
    expect(await graphql(q, `Token ${GLIMESH_SIM_TOKEN}`)).toMatchObject({ status: 401 });
    expect((await graphql(q, `bearer ${GLIMESH_SIM_TOKEN}`)).status).toBe(200);
    expect(sim.requests.map((r) => r.authorization)).toEqual([
      'none',
      'Bearer',
      'Client-ID',
      'other',
      'Bearer',
    ]);
  });

  it('looks up a channel by username, says "Could not find resource" for none, and tells who the token is', async () => {
    sim = await startGlimeshSimulator();
    const lookup =
      'query ($u: String!) { channel(streamerUsername: $u) { id } myself { username } }';
    expect(
      await graphql({ query: lookup, variables: { u: 'codercat' } }, `Bearer ${GLIMESH_SIM_TOKEN}`),
    ).toEqual({
      status: 200,
      body: { data: { channel: { id: '6' }, myself: { username: 'codercat' } } },
    });
    const missing = await graphql(
      {
        query: 'query ($u: String!) { channel(streamerUsername: $u) { id } }',
        variables: { u: 'nobody' },
      },
      `Client-ID ${GLIMESH_SIM_CLIENT_ID}`,
    );
    expect(missing).toEqual({
      status: 200,
      body: {
        data: { channel: null },
        errors: [
          {
            message: 'Could not find resource',
            path: ['channel'],
            locations: [{ line: 1, column: 23 }],
          },
        ],
      },
    });
  });

  it('returns the last N messages oldest first, with tokens as Glimesh’s parser makes them', async () => {
    sim = await startGlimeshSimulator();
    for (let i = 1; i <= 5; i++) sim.postChat({ user: 'viewer', text: `line ${i}` });
    sim.postChat({
      user: 'Mytho',
      text: 'see https://glimesh.tv :glimheart: and :nope:',
      roles: { moderator: true },
    });
    const history =
      'query ($id: ID!) { channel(id: $id) { chatMessages(last: 3) { edges { node { message insertedAt metadata { moderator } tokens { type text ... on EmoteToken { src } ... on UrlToken { url } } } } } } }';
    const { body } = await graphql(
      { query: history, variables: { id: '6' } },
      `Client-ID ${GLIMESH_SIM_CLIENT_ID}`,
    );
    const nodes = (
      body as {
        data: { channel: { chatMessages: { edges: Array<{ node: Record<string, unknown> }> } } };
      }
    ).data.channel.chatMessages.edges.map((e) => e.node);
    expect(nodes.map((n) => n.message)).toEqual([
      'line 4',
      'line 5',
      'see https://glimesh.tv :glimheart: and :nope:',
    ]);
    expect(nodes[2]!.insertedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(nodes[2]!.metadata).toEqual({ moderator: true });
    expect(nodes[2]!.tokens).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'url', text: 'https://glimesh.tv', url: 'https://glimesh.tv' },
      { type: 'text', text: ' ' },
      { type: 'emote', text: ':glimheart:', src: expect.stringMatching(/^https:\/\//) },
      { type: 'text', text: ' and ' },
      { type: 'text', text: ':nope:' },
    ]);
  });

  it('sends over HTTP too, with the same rules', async () => {
    sim = await startGlimeshSimulator();
    expect(
      await graphql(
        { query: MUTATION, variables: { c: '6', m: 'over http' } },
        `Bearer ${GLIMESH_SIM_TOKEN}`,
      ),
    ).toMatchObject({
      status: 200,
      body: { data: { createChatMessage: { message: 'over http' } } },
    });
    expect(
      await graphql(
        { query: MUTATION, variables: { c: '6', m: 'hi' } },
        `Client-ID ${GLIMESH_SIM_CLIENT_ID}`,
      ),
    ).toMatchObject({
      body: { data: { createChatMessage: null }, errors: [{ message: 'unauthorized' }] },
    });
    expect(sim.sent.map((s) => s.text)).toEqual(['over http']);
  });
});

describe('scripted chatter', () => {
  it('posts plausible lines with emotes, links and badges', async () => {
    sim = await startGlimeshSimulator();
    sim.startChatter(5);
    await new Promise((r) => setTimeout(r, 150));
    sim.stopChatter();
    const { body } = await graphql(
      {
        query:
          'query { channel(id: 6) { chatMessages(last: 10) { edges { node { user { username } tokens { type } metadata { moderator } } } } } }',
      },
      `Client-ID ${GLIMESH_SIM_CLIENT_ID}`,
    );
    const nodes = (
      body as {
        data: {
          channel: {
            chatMessages: {
              edges: Array<{
                node: { tokens: Array<{ type: string }>; metadata: { moderator: boolean } };
              }>;
            };
          };
        };
      }
    ).data.channel.chatMessages.edges.map((e) => e.node);
    expect(nodes.length).toBe(10);
    const types = new Set(nodes.flatMap((n) => n.tokens.map((t) => t.type)));
    expect([...types].sort()).toEqual(['emote', 'text', 'url']);
    expect(nodes.some((n) => n.metadata.moderator)).toBe(true);
  });
});

describe('moderation mutations (chat_types.ex chat_mutations, ChatResolver, Chat.can_moderate?)', () => {
  const owner = `Bearer ${GLIMESH_SIM_TOKEN}`;
  const viewer = `Bearer ${GLIMESH_SIM_VIEWER_TOKEN}`;
  const userMutation = (field: string) =>
    `mutation ($c: ID!, $u: ID!) { ${field}(channelId: $c, userId: $u) { id action moderator { username } user { username } } }`;
  const DELETE =
    'mutation ($c: ID!, $m: ID!) { deleteChatMessage(channelId: $c, messageId: $m) { action user { username } } }';
  async function userId(name: string): Promise<string> {
    const { body } = await graphql(
      { query: 'query ($n: String!) { user(username: $n) { id } }', variables: { n: name } },
      owner,
    );
    return (body.data as { user: { id: string } }).user.id;
  }

  it('the streamer times out short (5 min) and long (15 min), bans and unbans: a ChannelModerationLog each', async () => {
    sim = await startGlimeshSimulator();
    sim.postChat({ user: 'Troll', text: 'hi' });
    const u = await userId('troll');
    const short = await graphql(
      { query: userMutation('shortTimeoutUser'), variables: { c: GLIMESH_SIM_CHANNEL_ID, u } },
      owner,
    );
    expect(short).toEqual({
      status: 200,
      body: {
        data: {
          shortTimeoutUser: {
            id: expect.any(String),
            action: 'short_timeout',
            moderator: { username: 'codercat' },
            user: { username: 'troll' },
          },
        },
      },
    });
    const until = sim.banOf('troll')!;
    expect(until - Date.now()).toBeGreaterThan(4.9 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    const long = await graphql(
      { query: userMutation('longTimeoutUser'), variables: { c: GLIMESH_SIM_CHANNEL_ID, u } },
      owner,
    );
    expect((long.body.data as { longTimeoutUser: { action: string } }).longTimeoutUser.action).toBe(
      'long_timeout',
    );
    expect(sim.banOf('troll')! - Date.now()).toBeGreaterThan(14.9 * 60_000);
    await graphql(
      { query: userMutation('banUser'), variables: { c: GLIMESH_SIM_CHANNEL_ID, u } },
      owner,
    );
    expect(sim.banOf('troll')).toBe(Infinity);
    const unban = await graphql(
      { query: userMutation('unbanUser'), variables: { c: GLIMESH_SIM_CHANNEL_ID, u } },
      owner,
    );
    expect((unban.body.data as { unbanUser: { action: string } }).unbanUser.action).toBe('unban');
    expect(sim.banOf('troll')).toBeUndefined();
    expect(sim.moderation.map((m) => [m.mutation, m.by, m.error])).toEqual([
      ['shortTimeoutUser', 'codercat', undefined],
      ['longTimeoutUser', 'codercat', undefined],
      ['banUser', 'codercat', undefined],
      ['unbanUser', 'codercat', undefined],
    ]);
  });

  it('deleteChatMessage removes the message from history; an unknown message id crashes the resolver (HTTP 500)', async () => {
    sim = await startGlimeshSimulator();
    const id = sim.postChat({ user: 'Spammer', text: 'spam' });
    const deleted = await graphql(
      { query: DELETE, variables: { c: GLIMESH_SIM_CHANNEL_ID, m: id } },
      owner,
    );
    expect(deleted.body).toEqual({
      data: { deleteChatMessage: { action: 'delete_message', user: { username: 'spammer' } } },
    });
    const history = await graphql(
      {
        query:
          'query ($id: ID!) { channel(id: $id) { chatMessages(last: 50) { edges { node { id } } } } }',
        variables: { id: GLIMESH_SIM_CHANNEL_ID },
      },
      owner,
    );
    expect(JSON.stringify(history.body)).not.toContain(`"${id}"`);
    const res = await fetch(sim.httpUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: owner },
      body: JSON.stringify({
        query: DELETE,
        variables: { c: GLIMESH_SIM_CHANNEL_ID, m: '999999' },
      }),
    });
    expect(res.status).toBe(500);
  });

  it('a viewer, a token without the chat scope and a client id are "unauthorized"; data is null and nothing changes', async () => {
    sim = await startGlimeshSimulator();
    sim.postChat({ user: 'Troll', text: 'hi' });
    const u = await userId('troll');
    for (const credential of [
      viewer,
      `Bearer ${GLIMESH_SIM_NO_CHAT_TOKEN}`,
      `Client-ID ${GLIMESH_SIM_CLIENT_ID}`,
    ]) {
      const { status, body } = await graphql(
        { query: userMutation('banUser'), variables: { c: GLIMESH_SIM_CHANNEL_ID, u } },
        credential,
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({
        data: { banUser: null },
        errors: [{ message: 'unauthorized', path: ['banUser'] }],
      });
    }
    expect(sim.banOf('troll')).toBeUndefined();
    expect(sim.moderation.map((m) => m.error)).toEqual([
      'unauthorized',
      'unauthorized',
      'unauthorized',
    ]);
  });

  it('a channel moderator may do what their can* flags allow, and the moderators connection lists them', async () => {
    sim = await startGlimeshSimulator();
    sim.postChat({ user: 'Troll', text: 'hi' });
    sim.addModerator('ViewerVal', { canBan: false, canLongTimeout: false });
    const u = await userId('troll');
    const ok = await graphql(
      { query: userMutation('shortTimeoutUser'), variables: { c: GLIMESH_SIM_CHANNEL_ID, u } },
      viewer,
    );
    expect(
      (ok.body.data as { shortTimeoutUser: { moderator: { username: string } } }).shortTimeoutUser
        .moderator.username,
    ).toBe('viewerval');
    for (const field of ['longTimeoutUser', 'banUser']) {
      const refused = await graphql(
        { query: userMutation(field), variables: { c: GLIMESH_SIM_CHANNEL_ID, u } },
        viewer,
      );
      expect(refused.body.errors).toEqual([expect.objectContaining({ message: 'unauthorized' })]);
    }
    const lookup = await graphql(
      {
        query:
          'query ($id: ID!) { myself { id } channel(id: $id) { streamer { id } moderators(first: 100) { edges { node { user { username } canShortTimeout canLongTimeout canBan canUnban canDelete } } } } }',
        variables: { id: GLIMESH_SIM_CHANNEL_ID },
      },
      viewer,
    );
    expect((lookup.body.data as { channel: { moderators: unknown } }).channel.moderators).toEqual({
      edges: [
        {
          node: {
            user: { username: 'viewerval' },
            canShortTimeout: true,
            canLongTimeout: false,
            canBan: false,
            canUnban: true,
            canDelete: true,
          },
        },
      ],
    });
  });

  it('validates the mutations like Absinthe: a missing userId is an error before anything runs', async () => {
    sim = await startGlimeshSimulator();
    const { body } = await graphql(
      {
        query: 'mutation ($c: ID!) { banUser(channelId: $c) { id } }',
        variables: { c: GLIMESH_SIM_CHANNEL_ID },
      },
      owner,
    );
    expect(JSON.stringify(body.errors)).toMatch(/userId/);
    expect(sim.moderation).toEqual([]);
  });
});
