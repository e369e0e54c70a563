// Retry-After on a refused websocket upgrade (429/503): every platform waits at least that long
// before its next attempt, however short its backoff.
import { afterEach, describe, expect, it } from 'vitest';
import { PlatformClient } from '../../../src/core/client';
import { nullLogger } from '../../../src/core/log';
import { ConnectionState } from '../../../src/core/state';
import { GlimeshClient, glimeshSettingsFrom } from '../../../src/platforms/glimesh';
import { MixerClient, mixerSettingsFrom } from '../../../src/platforms/mixer';
import { TauClient, tauSettingsFrom } from '../../../src/platforms/tau';
import { BusyUpgradeServer, startBusyUpgradeServer } from '../../simulators/busyUpgrades';
import { until } from '../support/until';

const backoff = { initialMs: 50, maxMs: 200, jitter: 0, random: () => 0.5 };
let server: BusyUpgradeServer | undefined;
let client: PlatformClient | undefined;
afterEach(async () => {
  client?.dispose();
  await server?.close();
  client = server = undefined;
});

const clients: Record<string, (url: string) => PlatformClient> = {
  glimesh: (url) =>
    new GlimeshClient(
      {
        settings: glimeshSettingsFrom({
          channel: 'codercat',
          apiUrl: `${url}/api/graph`,
          socketUrl: `${url.replace('http', 'ws')}/api/graph/websocket`,
        }),
        getToken: async () => 'a-token',
        log: nullLogger,
      },
      { backoff },
    ),
  mixer: (url) =>
    new MixerClient(
      {
        settings: mixerSettingsFrom({ channel: '1', apiUrl: `${url}/api/v1` }),
        getToken: async () => undefined,
        log: nullLogger,
      },
      {
        backoff,
        // Discovery points at the busy server's socket.
        fetch: async () =>
          Response.json({ endpoints: [`${url.replace('http', 'ws')}/chat`], permissions: [] }),
      },
    ),
  tau: (url) =>
    new TauClient(
      {
        settings: tauSettingsFrom({ url, chatBot: '', channel: 'codercat' }),
        getToken: async () => 'a-token',
        log: nullLogger,
      },
      { backoff },
    ),
};

describe('Retry-After on a refused websocket upgrade', () => {
  it.each(Object.keys(clients).flatMap((p) => [[p, 429] as const, [p, 503] as const]))(
    '%s, HTTP %i: the next attempt waits at least the Retry-After',
    async (platform, status) => {
      server = await startBusyUpgradeServer({ status, retryAfter: '7' });
      const c = clients[platform]!(server.url);
      client = c;
      const states: ConnectionState[] = [];
      c.onDidChangeState((s) => states.push(s));
      c.connect();
      const retry = await until('reconnecting', () =>
        states.find((s) => s.kind === 'reconnecting'),
      );
      expect(server.upgrades).toBe(1);
      expect(retry).toMatchObject({ kind: 'reconnecting' });
      if (retry.kind === 'reconnecting') {
        expect(retry.delayMs).toBeGreaterThanOrEqual(7000);
        expect(retry.delayMs).toBeLessThanOrEqual(3_600_000);
      }
    },
  );

  it('without Retry-After the backoff alone decides', async () => {
    server = await startBusyUpgradeServer({ status: 503, retryAfter: '' });
    const c = clients.tau!(server.url);
    client = c;
    const states: ConnectionState[] = [];
    c.onDidChangeState((s) => states.push(s));
    c.connect();
    const retry = await until('reconnecting', () => states.find((s) => s.kind === 'reconnecting'));
    expect(retry).toMatchObject({ kind: 'reconnecting', delayMs: 50 });
  });
});
