import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Logger } from '../../../src/core/log';
import { ChatMessage, TimelineOp, plainText } from '../../../src/core/message';
import { ConnectionState } from '../../../src/core/state';
import {
  GlimeshClient,
  GlimeshClientOptions,
  glimeshPlatformFactory,
  glimeshSettingsFrom,
} from '../../../src/platforms/glimesh';
import {
  GLIMESH_SIM_CLIENT_ID,
  GLIMESH_SIM_NO_CHAT_TOKEN,
  GLIMESH_SIM_TOKEN,
  GlimeshSimulator,
  startGlimeshSimulator,
} from '../../simulators/glimesh/server';
import { until } from '../support/until';

let sim: GlimeshSimulator | undefined;
let client: GlimeshClient | undefined;
const servers: net.Server[] = [];
afterEach(async () => {
  client?.dispose();
  await sim?.close();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  client = sim = undefined;
});

const FAST: GlimeshClientOptions = {
  heartbeatIntervalMs: 200,
  pushTimeoutMs: 1000,
  requestTimeoutMs: 1000,
  backoff: { initialMs: 50, maxMs: 200, jitter: 0, random: () => 0.5 },
};

/** A logger that keeps every line, to check warnings and that no token is ever logged. */
function recordingLogger() {
  const lines: Array<{ level: string; message: string }> = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  const log: Logger = {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return {
    log,
    lines,
    warnings: () => lines.filter((l) => l.level === 'warn').map((l) => l.message),
  };
}

interface Setup {
  token?: string | undefined;
  clientId?: string;
  channel?: string;
  socketUrl?: string;
  options?: GlimeshClientOptions;
}

async function setup(opts: Setup = {}) {
  sim ??= await startGlimeshSimulator();
  const s = sim;
  const settings = glimeshSettingsFrom({
    channel: opts.channel ?? 'codercat',
    clientId: opts.clientId ?? '',
    apiUrl: s.httpUrl,
    socketUrl: opts.socketUrl ?? s.socketUrl,
  });
  const recorder = recordingLogger();
  const token = 'token' in opts ? opts.token : GLIMESH_SIM_TOKEN;
  const c = new GlimeshClient(
    { settings, getToken: async () => token, log: recorder.log },
    { ...FAST, ...opts.options },
  );
  client = c;
  const states: ConnectionState[] = [];
  const ops: TimelineOp[] = [];
  c.onDidChangeState((state) => states.push(state));
  c.onDidReceive((op) => ops.push(op));
  const messages = () => ops.flatMap((o) => (o.op === 'append' ? [o.message] : []));
  const texts = () => messages().map((m) => plainText(m));
  const connected = (n = 1) =>
    until(`connected ×${n}`, () => states.filter((st) => st.kind === 'connected').length >= n);
  return { sim: s, client: c, states, messages, texts, connected, ...recorder };
}

const subscriptionDocs = (s: GlimeshSimulator) =>
  s.docs.filter((d) => String(d.query).trimStart().startsWith('subscription'));
const mutationDocs = (s: GlimeshSimulator) =>
  s.docs.filter((d) => String(d.query).trimStart().startsWith('mutation'));
const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));

describe('GlimeshClient: receiving', () => {
  it('live messages arrive with author, badges, colour and parts, from a subscription with variables and a channel id', async () => {
    const { sim, client, messages, connected } = await setup();
    client.connect();
    await connected();
    sim.postChat({
      user: 'Mytho',
      text: 'hello :glimheart: https://glimesh.tv',
      roles: { moderator: true, subscriber: true },
    });
    const m = await until('live line', () => messages().find((x) => x.author?.name === 'mytho'));
    expect(m).toMatchObject({
      platform: 'glimesh',
      channel: 'codercat',
      kind: 'chat',
      author: { displayName: 'Mytho', roles: ['moderator', 'subscriber'] },
    });
    expect(m.author!.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(m.parts.map((p) => p.type)).toEqual(['text', 'emote', 'text', 'link']);
    expect(m.sentAt).toBeGreaterThan(Date.now() - 60_000);
    expect(subscriptionDocs(sim)).toEqual([
      { query: expect.stringContaining('chatMessage(channelId: $id)'), variables: { id: '6' } },
    ]);
    expect(sim.upgradeLog).toEqual([{ status: 101, credential: 'token', vsn: '2.0.0' }]);
  });

  it('history first (with a Bearer token), then live, in order and without duplicates', async () => {
    const { sim, client, texts, connected } = await setup();
    for (let i = 1; i <= 3; i++) sim.postChat({ user: 'early', text: `before ${i}` });
    client.connect();
    await connected();
    sim.postChat({ user: 'live', text: 'while connected' });
    await until('live', () => texts().includes('while connected'));
    await settle();
    expect(texts()).toEqual(['before 1', 'before 2', 'before 3', 'while connected']);
    // The moderation lookup (who may moderate) is a request of its own, after joining.
    const chatRequests = sim.requests.filter((r) => !r.query.includes('moderators('));
    expect(chatRequests.map((r) => [r.authorization, r.status])).toEqual([
      ['Bearer', 200],
      ['Bearer', 200],
    ]);
    expect(chatRequests[1]!.query).toContain('chatMessages(last: 50)');
    await until('moderation lookup', () =>
      sim.requests.some((r) => r.query.includes('moderators(')),
    );
  });

  it('the server drops the socket → reconnect and resubscribe with a new id; later messages arrive once, history is not repeated', async () => {
    const { sim, client, texts, connected } = await setup();
    sim.postChat({ user: 'early', text: 'from history' });
    client.connect();
    await connected();
    sim.postChat({ user: 'live', text: 'before the drop' });
    await until('before', () => texts().includes('before the drop'));
    sim.dropConnections();
    await connected(2);
    sim.postChat({ user: 'later', text: 'after the reconnect' });
    await until('after', () => texts().includes('after the reconnect'));
    await settle();
    expect(texts()).toEqual(['from history', 'before the drop', 'after the reconnect']);
    expect(subscriptionDocs(sim)).toHaveLength(2);
    expect(sim.subscriptionCount).toBe(1);
    expect(sim.openSockets).toBe(1);
    // The channel id is kept: the second session only fetched history.
    expect(sim.requests.filter((r) => r.query.includes('streamerUsername'))).toHaveLength(1);
  });

  it('the server crashes the channel → a new session subscribes again', async () => {
    const { sim, client, texts, connected } = await setup();
    client.connect();
    await connected();
    sim.crashChannels();
    await connected(2);
    sim.postChat({ user: 'x', text: 'after the crash' });
    await until('after crash', () => texts().includes('after the crash'));
    await settle();
    expect(texts().filter((t) => t === 'after the crash')).toHaveLength(1);
    expect(sim.subscriptionCount).toBe(1);
  });

  it('heartbeat replies stop → reconnect within two heartbeat intervals', async () => {
    const interval = 150;
    const { sim, client, states, connected } = await setup({
      options: { heartbeatIntervalMs: interval },
    });
    client.connect();
    await connected();
    sim.stallHeartbeats(true);
    const stalledAt = Date.now();
    const lost = await until('lost', () => states.find((s) => s.kind === 'reconnecting'), 2000);
    expect(Date.now() - stalledAt).toBeLessThanOrEqual(2 * interval + 100);
    expect(lost).toMatchObject({ reason: expect.stringContaining('heartbeat') });
    sim.stallHeartbeats(false);
    await connected(2);
  });

  it('logs and skips malformed frames (not JSON, wrong arity, bad payload, unknown topic, stale subscription) and stays connected', async () => {
    const { sim, client, texts, warnings, connected } = await setup();
    client.connect();
    await connected();
    sim.injectRaw('not json');
    sim.injectRaw('["1","2","x"]');
    sim.injectRaw('[null,"1","phoenix","phx_reply",null]');
    sim.injectRaw('[null,null,"room:lobby","new_msg",{"body":"hi"}]');
    sim.injectRaw(
      '[null,null,"__absinthe__:doc:-1:OLD","subscription:data",{"result":{"data":{"chatMessage":{"id":"1","message":"ghost","user":{"username":"g"}}}}}]',
    );
    sim.postChat({ user: 'ok', text: 'still flowing' });
    await until('after garbage', () => texts().includes('still flowing'));
    expect(client.state.kind).toBe('connected');
    expect(texts()).not.toContain('ghost');
    expect(warnings()).toEqual(
      expect.arrayContaining([
        'skipped a malformed Glimesh frame (not JSON)',
        'skipped a malformed Glimesh frame (not a five-element array)',
        'skipped a malformed Glimesh frame (payload is not an object)',
        'skipped a Glimesh frame for an unknown topic (new_msg)',
        'skipped a push for a subscription this session does not have',
      ]),
    );
  });

  it('marks the messages we send as our own when they come back', async () => {
    const { client, messages, connected } = await setup();
    client.connect();
    await connected();
    await client.send('hello from the editor');
    const echo = await until('echo', () =>
      messages().find((m) => plainText(m) === 'hello from the editor'),
    );
    expect(echo.flags).toEqual({ self: true });
    expect(echo.author?.roles).toEqual(['broadcaster']);
  });
});

describe('GlimeshClient: credentials and settings', () => {
  it('a bad token: exactly one auth failure, one refused upgrade, no HTTP request, no retries', async () => {
    const { sim, client, states } = await setup({ token: 'not-a-token' });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    await settle(500);
    expect(client.state).toMatchObject({
      kind: 'failed',
      category: 'auth',
      message: expect.stringContaining('403'),
    });
    expect(states.filter((s) => s.kind === 'failed')).toHaveLength(1);
    expect(states.map((s) => s.kind)).toEqual(['connecting', 'failed']);
    expect(sim.upgrades).toEqual({ accepted: 0, refused: 1 });
    expect(sim.requests).toEqual([]);
  });

  it('an unknown client id is refused at the upgrade too: one auth failure naming the setting', async () => {
    const { sim, client } = await setup({ token: undefined, clientId: 'not-registered' });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    await settle(300);
    expect(client.state).toMatchObject({
      kind: 'failed',
      category: 'auth',
      message: expect.stringContaining('streamChat.glimesh.clientId'),
    });
    expect(sim.upgradeLog).toEqual([{ status: 403, credential: 'client_id', vsn: '2.0.0' }]);
  });

  it('a token revoked while connected: the reconnect is refused once, and the client stops', async () => {
    const { sim, client, states, connected } = await setup();
    client.connect();
    await connected();
    sim.revokeToken(GLIMESH_SIM_TOKEN);
    sim.dropConnections();
    await until('failed', () => client.state.kind === 'failed');
    await settle(500);
    expect(client.state).toMatchObject({ kind: 'failed', category: 'auth' });
    expect(states.filter((s) => s.kind === 'failed')).toHaveLength(1);
    expect(sim.upgrades).toEqual({ accepted: 1, refused: 1 });
  });

  it('no token and no client id: a clear config failure and no connection attempt', async () => {
    const { sim, client } = await setup({ token: undefined });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    expect(client.state).toEqual({
      kind: 'failed',
      category: 'config',
      message:
        'Set a Glimesh token (Stream Chat: Set Token…) or a client id (streamChat.glimesh.clientId).',
    });
    await settle(200);
    expect(sim.upgradeLog).toEqual([]);
    expect(sim.requests).toEqual([]);
  });

  it('an unknown channel is a config error, not a retry loop', async () => {
    const { sim, client } = await setup({ channel: 'nobody-here' });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    expect(client.state).toMatchObject({
      kind: 'failed',
      category: 'config',
      message: expect.stringContaining('nobody-here'),
    });
    await settle(400);
    expect(sim.upgrades.accepted).toBe(1);
    expect(sim.openSockets).toBe(0);
  });

  it('a client id connects read-only (Client-ID header, client_id on the socket) and refuses to send, saying so', async () => {
    const { sim, client, connected } = await setup({
      token: undefined,
      clientId: GLIMESH_SIM_CLIENT_ID,
    });
    client.connect();
    await connected();
    expect(client.state).toMatchObject({ kind: 'connected', readOnly: true });
    expect(client.sendCapability).toEqual({
      canSend: false,
      reason: 'Read-only: connected with a client id. Set a Glimesh token to chat.',
      maxLength: 255,
    });
    await expect(client.send('hi')).rejects.toMatchObject({
      code: 'READ_ONLY',
      message: expect.stringContaining('client id'),
    });
    expect(sim.upgradeLog.map((u) => u.credential)).toEqual(['client_id']);
    expect(new Set(sim.requests.map((r) => r.authorization))).toEqual(new Set(['Client-ID']));
    expect(mutationDocs(sim)).toEqual([]);
  });

  it('with both a token and a client id, only the token goes on the socket (client_id would win and be read-only)', async () => {
    const { sim, client, connected } = await setup({ clientId: GLIMESH_SIM_CLIENT_ID });
    client.connect();
    await connected();
    expect(client.state).toMatchObject({ kind: 'connected', readOnly: false });
    expect(sim.upgradeLog.map((u) => u.credential)).toEqual(['token']);
  });

  it('never writes the token into a log line or a state, through connect, send, refusal and failure', async () => {
    const { sim, client, lines, states, connected } = await setup();
    client.connect();
    await connected();
    sim.banUser('codercat', 5);
    await client.send('x').catch(() => undefined);
    sim.revokeToken(GLIMESH_SIM_TOKEN);
    sim.dropConnections();
    await until('failed', () => client.state.kind === 'failed');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of [...lines.map((l) => l.message), ...states.map((s) => JSON.stringify(s))])
      expect(line).not.toContain(GLIMESH_SIM_TOKEN);
    expect(lines.map((l) => l.message)).toContainEqual(
      expect.stringMatching(
        /^connecting to ws:\/\/127\.0\.0\.1:\d+\/api\/graph\/websocket with a token$/,
      ),
    );
  });

  it('a socket that never answers the handshake is a timeout, retried', async () => {
    // Reads the upgrade request and never answers it (reading lets the client's close end the connection).
    const blackhole = net.createServer((socket) => socket.resume());
    servers.push(blackhole);
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
    const port = (blackhole.address() as net.AddressInfo).port;
    const { client, states } = await setup({
      socketUrl: `ws://127.0.0.1:${port}/api/graph/websocket`,
      options: { pushTimeoutMs: 300 },
    });
    client.connect();
    const retry = await until(
      'reconnecting',
      () => states.find((s) => s.kind === 'reconnecting'),
      2000,
    );
    expect(retry).toMatchObject({ reason: 'Glimesh did not answer the join in time.' });
  });

  it('a socket URL that is not ws(s) is a config error', async () => {
    const { client } = await setup({ socketUrl: 'ftp://example.com/socket' });
    client.connect();
    await until('failed', () => client.state.kind === 'failed');
    expect(client.state).toMatchObject({
      kind: 'failed',
      category: 'config',
      message: expect.stringContaining('streamChat.glimesh.socketUrl'),
    });
  });

  it('reads raw settings: trims, accepts @name and channel URLs, falls back to the defaults', () => {
    expect(glimeshSettingsFrom({})).toEqual({
      channel: '',
      clientId: '',
      apiUrl: 'https://glimesh.tv/api/graph',
      socketUrl: 'wss://glimesh.tv/api/graph/websocket',
    });
    expect(
      glimeshSettingsFrom({ channel: ' @CoderCat ', clientId: ' id ', apiUrl: 5 }).channel,
    ).toBe('CoderCat');
    expect(glimeshSettingsFrom({ channel: 'https://glimesh.tv/CoderCat?x=1' }).channel).toBe(
      'CoderCat',
    );
    expect(glimeshSettingsFrom({ clientId: ' id ' }).clientId).toBe('id');
  });

  it('the composition root’s factory takes raw settings', async () => {
    sim = await startGlimeshSimulator();
    const raw = {
      channel: 'codercat',
      clientId: '',
      apiUrl: sim.httpUrl,
      socketUrl: sim.socketUrl,
      enabled: true,
    };
    client = glimeshPlatformFactory({
      settings: raw,
      getToken: async () => GLIMESH_SIM_TOKEN,
      log: recordingLogger().log,
    });
    expect(client.platform).toBe('glimesh');
    expect(client.maxLength).toBe(255);
    client.connect();
    await until('connected', () => client!.state.kind === 'connected');
  });
});

describe('GlimeshClient: sending', () => {
  it('sends with createChatMessage and variables; refuses empty and 256 characters before sending; counts graphemes like Glimesh', async () => {
    const { sim, client, connected } = await setup();
    client.connect();
    await connected();
    await client.send('hello "quoted" } { text');
    expect(sim.sent.map((s) => s.text)).toEqual(['hello "quoted" } { text']);
    expect(mutationDocs(sim)).toEqual([
      {
        query: expect.stringContaining(
          'createChatMessage(channelId: $c, message: { message: $m })',
        ),
        variables: { c: '6', m: 'hello "quoted" } { text' },
      },
    ]);
    expect(String(mutationDocs(sim)[0]!.query)).not.toContain('quoted');
    await expect(client.send('x'.repeat(256))).rejects.toMatchObject({
      code: 'MESSAGE_TOO_LONG',
      message: 'Glimesh accepts at most 255 characters; this message has 256.',
    });
    await expect(client.send('  ')).rejects.toMatchObject({ code: 'EMPTY_MESSAGE' });
    const family = '👨‍👩‍👧';
    await client.send(family.repeat(255));
    expect(mutationDocs(sim)).toHaveLength(2);
    expect(sim.sent).toHaveLength(2);
  });

  it('each server sentence reaches the caller', async () => {
    const { sim, client, connected } = await setup();
    client.connect();
    await connected();
    const refusal = (text = 'hi') =>
      client.send(text).then(
        () => 'sent',
        (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
      );
    sim.configureChannel({ blockLinks: true });
    expect(await refusal('see https://example.com')).toBe(
      'GLIMESH_REFUSED: This channel has links disabled!',
    );
    sim.configureChannel({ blockLinks: false, minimumAccountAgeHours: 1 });
    sim.configureUser('codercat', { accountAgeMinutes: 20 });
    expect(await refusal()).toBe('GLIMESH_REFUSED: You must wait 40 more minutes to chat.');
    sim.configureChannel({ minimumAccountAgeHours: 0, requireConfirmedEmail: true });
    sim.configureUser('codercat', { emailConfirmed: false });
    expect(await refusal()).toBe(
      'GLIMESH_REFUSED: You must confirm your email address before chatting.',
    );
    sim.configureChannel({ requireConfirmedEmail: false });
    sim.banFromGlimesh('codercat');
    expect(await refusal()).toBe('GLIMESH_REFUSED: You are banned from Glimesh.');
    sim.banUser('codercat');
    expect(await refusal()).toBe('GLIMESH_REFUSED: You are permanently banned from this channel.');
    sim.banUser('codercat', 5);
    expect(await refusal()).toBe(
      'GLIMESH_REFUSED: You are banned from this channel for 5 more minutes.',
    );
    expect(sim.sent).toEqual([]);
    expect(client.state.kind).toBe('connected');
  });

  it('a token without the chat scope connects, and sending says "unauthorized" with a hint', async () => {
    const { client, connected } = await setup({ token: GLIMESH_SIM_NO_CHAT_TOKEN });
    client.connect();
    await connected();
    await expect(client.send('hi')).rejects.toMatchObject({
      code: 'GLIMESH_REFUSED',
      message: 'unauthorized (the Glimesh token needs the chat scope)',
    });
  });

  it('a send the server never answers fails after the push timeout', async () => {
    const { sim, client, connected } = await setup({ options: { pushTimeoutMs: 300 } });
    client.connect();
    await connected();
    sim.stallDocReplies(true);
    const started = Date.now();
    await expect(client.send('into the void')).rejects.toMatchObject({ code: 'SEND_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a send in flight when the connection drops fails at once instead of waiting out its timeout', async () => {
    const { sim, client, connected } = await setup({ options: { pushTimeoutMs: 5000 } });
    client.connect();
    await connected();
    sim.stallDocReplies(true);
    const pending = client.send('in flight');
    await until('doc seen', () => mutationDocs(sim).length === 1);
    const started = Date.now();
    sim.dropConnections();
    await expect(pending).rejects.toMatchObject({ code: 'CONNECTION_LOST' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a message typed while reconnecting is sent after the resubscribe, and its echo shows once', async () => {
    const { sim, client, states, messages, connected } = await setup();
    client.connect();
    await connected();
    sim.dropConnections();
    await until('reconnecting', () => client.state.kind !== 'connected');
    await client.send('typed during the outage');
    expect(states.filter((s) => s.kind === 'connected').length).toBeGreaterThanOrEqual(2);
    expect(sim.sent.map((s) => s.text)).toEqual(['typed during the outage']);
    await until('echo', () =>
      messages().some((m: ChatMessage) => plainText(m) === 'typed during the outage'),
    );
    await settle();
    expect(messages().filter((m) => plainText(m) === 'typed during the outage')).toHaveLength(1);
  });
});
