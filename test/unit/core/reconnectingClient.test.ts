import { describe, expect, it } from 'vitest';
import { ChatError } from '../../../src/core/errors';
import { Emitter } from '../../../src/core/event';
import { nullLogger } from '../../../src/core/log';
import { ReconnectingClient, Session, SessionContext } from '../../../src/core/reconnectingClient';
import { ConnectionState } from '../../../src/core/state';
import { FakeClock, flushMicrotasks } from './fakeClock';

class FakeSession implements Session {
  readonly closer = new Emitter<ChatError>();
  readonly onDidClose = this.closer.event;
  readonly sent: string[] = [];
  disposed = false;
  constructor(readonly readOnlyReason?: string) {}
  async send(text: string): Promise<void> {
    this.sent.push(text);
  }
  dispose(): void {
    this.disposed = true;
  }
}

/** A client whose `openSession` outcomes are scripted by the test. */
class ScriptedClient extends ReconnectingClient {
  readonly attempts: SessionContext[] = [];
  readonly sessions: FakeSession[] = [];
  outcomes: Array<'ok' | 'readonly' | ChatError> = [];

  constructor(clock: FakeClock) {
    super('glimesh', {
      clock,
      log: nullLogger,
      maxLength: 10,
      stableAfterMs: 10_000,
      queueTimeoutMs: 5_000,
      maxQueued: 2,
      backoff: { initialMs: 500, maxMs: 30_000, jitter: 0, random: () => 0.5 },
    });
  }

  protected async openSession(context: SessionContext): Promise<Session> {
    this.attempts.push(context);
    const outcome = this.outcomes.shift() ?? 'ok';
    if (outcome instanceof ChatError) throw outcome;
    const session = new FakeSession(outcome === 'readonly' ? 'read-only' : undefined);
    this.sessions.push(session);
    return session;
  }
}

const network = () => new ChatError('REFUSED', 'connection refused', 'network');
const auth = () => new ChatError('BAD_TOKEN', 'the token was refused', 'auth');

function setup() {
  const clock = new FakeClock();
  const client = new ScriptedClient(clock);
  const states: ConnectionState[] = [];
  client.onDidChangeState((s) => states.push(s));
  return { clock, client, states, kinds: () => states.map((s) => s.kind) };
}

describe('ReconnectingClient', () => {
  it('connects and reports connecting then connected', async () => {
    const { client, kinds } = setup();
    client.connect();
    await flushMicrotasks();
    expect(kinds()).toEqual(['connecting', 'connected']);
    expect(client.sendCapability.canSend).toBe(true);
  });

  it('retries network failures with growing delays, forever', async () => {
    const { client, clock, states } = setup();
    client.outcomes = Array.from({ length: 8 }, network);
    client.connect();
    await clock.advance(200_000);
    const delays = states
      .filter((s) => s.kind === 'reconnecting')
      .map((s) => (s as { delayMs: number }).delayMs);
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(client.state.kind).toBe('connected');
    expect(client.attempts.length).toBe(9);
  });

  it('stops on an auth failure: one failed state and no further attempt', async () => {
    const { client, clock, kinds } = setup();
    client.outcomes = [auth()];
    client.connect();
    await clock.advance(120_000);
    expect(kinds()).toEqual(['connecting', 'failed']);
    expect(client.attempts.length).toBe(1);
    expect(client.state).toMatchObject({
      kind: 'failed',
      category: 'auth',
      message: 'the token was refused',
    });
  });

  it('reconnects after an unclean close and resets the backoff after a stable connection', async () => {
    const { client, clock, states } = setup();
    client.outcomes = ['ok', network(), 'ok', 'ok'];
    client.connect();
    await flushMicrotasks();
    client.sessions[0]!.closer.fire(new ChatError('DROPPED', 'dropped', 'network'));
    await clock.advance(500); // attempt 1 fails (network) → delay 1000
    await clock.advance(1000); // attempt 2 ok
    expect(client.state.kind).toBe('connected');
    await clock.advance(10_000); // stable
    client.sessions[1]!.closer.fire(new ChatError('DROPPED', 'dropped', 'network'));
    await flushMicrotasks();
    const last = states.at(-1);
    expect(last).toMatchObject({ kind: 'reconnecting', attempt: 1, delayMs: 500 });
  });

  it('disconnect closes the session cleanly and cancels a pending retry', async () => {
    const { client, clock } = setup();
    client.outcomes = [network()];
    client.connect();
    await flushMicrotasks();
    expect(client.state.kind).toBe('reconnecting');
    client.disconnect();
    await clock.advance(60_000);
    expect(client.attempts.length).toBe(1);
    expect(client.state.kind).toBe('disconnected');
  });

  it('ignores a session that finishes opening after disconnect', async () => {
    const { client } = setup();
    client.connect();
    client.disconnect();
    await flushMicrotasks();
    expect(client.state.kind).toBe('disconnected');
    expect(client.sessions[0]!.disposed).toBe(true);
  });

  it('refuses empty and over-long messages before sending', async () => {
    const { client } = setup();
    client.connect();
    await flushMicrotasks();
    await expect(client.send('   ')).rejects.toMatchObject({ code: 'EMPTY_MESSAGE' });
    await expect(client.send('12345678901')).rejects.toMatchObject({ code: 'MESSAGE_TOO_LONG' });
    await client.send('1234567890');
    expect(client.sessions[0]!.sent).toEqual(['1234567890']);
  });

  it('refuses sends on a read-only session with its reason', async () => {
    const { client } = setup();
    client.outcomes = ['readonly'];
    client.connect();
    await flushMicrotasks();
    expect(client.sendCapability).toMatchObject({ canSend: false, reason: 'read-only' });
    await expect(client.send('hi')).rejects.toMatchObject({
      code: 'READ_ONLY',
      message: 'read-only',
    });
  });

  it('queues a message typed while reconnecting and sends it after the connection is back', async () => {
    const { client, clock } = setup();
    client.outcomes = ['ok', 'ok'];
    client.connect();
    await flushMicrotasks();
    client.sessions[0]!.closer.fire(new ChatError('DROPPED', 'dropped', 'network'));
    const sent = client.send('queued');
    await clock.advance(500);
    await sent;
    expect(client.sessions[1]!.sent).toEqual(['queued']);
  });

  it('reports a queued message failed when the connection does not come back in time', async () => {
    const { client, clock } = setup();
    client.outcomes = ['ok', ...Array.from({ length: 10 }, network)];
    client.connect();
    await flushMicrotasks();
    client.sessions[0]!.closer.fire(new ChatError('DROPPED', 'dropped', 'network'));
    const sent = client.send('queued');
    const outcome = expect(sent).rejects.toMatchObject({ code: 'SEND_TIMEOUT' });
    await clock.advance(5_000);
    await outcome;
  });

  it('bounds the queue', async () => {
    const { client } = setup();
    client.outcomes = ['ok', network()];
    client.connect();
    await flushMicrotasks();
    client.sessions[0]!.closer.fire(new ChatError('DROPPED', 'dropped', 'network'));
    void client.send('a').catch(() => {});
    void client.send('b').catch(() => {});
    await expect(client.send('c')).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    client.disconnect();
  });

  it('fails queued messages on disconnect and refuses sends while disconnected', async () => {
    const { client } = setup();
    client.outcomes = ['ok', network()];
    client.connect();
    await flushMicrotasks();
    client.sessions[0]!.closer.fire(new ChatError('DROPPED', 'dropped', 'network'));
    const sent = client.send('queued');
    client.disconnect();
    await expect(sent).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(client.send('x')).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });

  it('drops ops a stale session emits after a reconnect', async () => {
    const { client, clock } = setup();
    const received: string[] = [];
    client.onDidReceive((op) => op.op === 'append' && received.push(op.message.id));
    client.outcomes = ['ok', 'ok'];
    client.connect();
    await flushMicrotasks();
    const firstContext = client.attempts[0]!;
    client.disconnect();
    client.connect();
    await clock.advance(0);
    const message = {
      id: 'm1',
      platform: 'glimesh' as const,
      channel: 'c',
      kind: 'chat' as const,
      parts: [],
      receivedAt: 0,
      flags: {},
    };
    firstContext.emit({ op: 'append', message });
    client.attempts[1]!.emit({ op: 'append', message: { ...message, id: 'm2' } });
    expect(received).toEqual(['m2']);
  });
});
