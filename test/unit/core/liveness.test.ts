import { describe, expect, it } from 'vitest';
import { ChatError } from '../../../src/core/errors';
import { PingableSocket, SocketLiveness } from '../../../src/core/liveness';
import { FakeClock } from './fakeClock';

/** A socket whose pongs the test sends by hand. */
class FakeSocket implements PingableSocket {
  pings = 0;
  private _listeners: Array<() => void> = [];
  ping(): void {
    this.pings++;
  }
  on(_event: 'pong', listener: () => void): void {
    this._listeners.push(listener);
  }
  off(_event: 'pong', listener: () => void): void {
    this._listeners = this._listeners.filter((l) => l !== listener);
  }
  pong(): void {
    for (const l of [...this._listeners]) l();
  }
  get listening(): number {
    return this._listeners.length;
  }
}

function setup() {
  const clock = new FakeClock();
  const socket = new FakeSocket();
  const deaths: ChatError[] = [];
  const liveness = new SocketLiveness(
    socket,
    clock,
    { intervalMs: 1000, timeoutMs: 500 },
    (e) => deaths.push(e),
    'the test server',
  );
  return { clock, socket, deaths, liveness };
}

describe('SocketLiveness', () => {
  it('pings every interval and keeps a connection that answers, however quiet', async () => {
    const { clock, socket, deaths, liveness } = setup();
    liveness.start();
    for (let i = 1; i <= 5; i++) {
      await clock.advance(1000);
      expect(socket.pings).toBe(i);
      socket.pong();
    }
    expect(deaths).toEqual([]);
  });

  it('a ping unanswered within the timeout ends the connection once, naming it', async () => {
    const { clock, deaths, liveness, socket } = setup();
    liveness.start();
    await clock.advance(1000);
    await clock.advance(499);
    expect(deaths).toEqual([]);
    await clock.advance(1);
    expect(deaths).toHaveLength(1);
    expect(deaths[0]).toMatchObject({
      code: 'PING_TIMEOUT',
      category: 'network',
      message: expect.stringContaining('the test server'),
    });
    await clock.advance(5000);
    expect(deaths).toHaveLength(1);
    expect(socket.listening).toBe(0);
  });

  it('confirm resolves only on the pong of its own ping, not an earlier one', async () => {
    const { clock, socket, liveness } = setup();
    liveness.start();
    await clock.advance(1000); // periodic ping #1 outstanding
    let confirmed = false;
    void liveness.confirm().then(() => (confirmed = true));
    expect(socket.pings).toBe(2);
    socket.pong(); // answers #1
    await clock.advance(0);
    expect(confirmed).toBe(false);
    socket.pong(); // answers #2
    await clock.advance(0);
    expect(confirmed).toBe(true);
  });

  it('confirm rejects when the connection dies or is disposed first', async () => {
    const { clock, liveness } = setup();
    const dying = liveness.confirm().catch((e: unknown) => e);
    await clock.advance(500);
    expect(await dying).toMatchObject({ code: 'PING_TIMEOUT' });
    await expect(liveness.confirm()).rejects.toMatchObject({ code: 'PING_TIMEOUT' });
    const other = setup();
    const pending = other.liveness.confirm().catch((e: unknown) => e);
    other.liveness.dispose();
    expect(await pending).toMatchObject({ code: 'DISPOSED' });
    expect(other.clock.pending).toBe(0);
  });
});
