// The canary test: each platform's client, wired as the composition root wires it (the log and
// every shown sentence behind the redactor that knows the token), runs every failure path with a
// unique token. Then everything the streamer or a file could see is searched for it: the log, the
// states the status item and notifications show, the chat's notices (which are also what the view
// gets and what the timeline persists), and every error a send threw. Zero hits.
import { afterEach, describe, expect, it } from 'vitest';
import { ChatHub } from '../../../src/core/chatHub';
import { Logger, SecretRegistry, scopedLogger } from '../../../src/core/log';
import { PlatformId } from '../../../src/core/message';
import { describeState } from '../../../src/core/state';
import { PLATFORM_FACTORIES } from '../../../src/platformFactories';
import { until } from '../support/until';
import { HostileBehaviour, HostileServer, startHostileServer } from './hostileServer';

const PLATFORMS: PlatformId[] = ['glimesh', 'mixer', 'tau'];
const BEHAVIOURS: HostileBehaviour[] = [
  'unauthorized',
  'forbidden',
  'rateLimited',
  'serverError',
  'socketEcho',
  'upgradeRefused',
];

function settingsFor(platform: PlatformId, origin: string): Record<string, unknown> {
  switch (platform) {
    case 'glimesh':
      return {
        channel: 'codercat',
        apiUrl: `http://${origin}/api/graph`,
        socketUrl: `ws://${origin}/api/graph/websocket`,
      };
    case 'mixer':
      return { channel: 'codercat', apiUrl: `http://${origin}/api/v1` };
    case 'tau':
      return { url: `http://${origin}`, chatBot: 'codercatbot', channel: 'codercat' };
  }
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** Runs one client against `origin` until it has failed (or retried) twice, and returns everything it made visible. */
async function exercise(platform: PlatformId, settings: Record<string, unknown>, canary: string) {
  const registry = new SecretRegistry();
  const lines: string[] = [];
  const capture: Logger = {
    trace: (m) => lines.push(registry.redact(m)),
    debug: (m) => lines.push(registry.redact(m)),
    info: (m) => lines.push(registry.redact(m)),
    warn: (m) => lines.push(registry.redact(m)),
    error: (m) => lines.push(registry.redact(m)),
  };
  const hub = new ChatHub({ scrollback: 1000, log: capture });
  cleanup.push(() => hub.dispose());
  const client = PLATFORM_FACTORIES[platform]!({
    settings,
    // As TokenStore does: a token read is a token the redactor knows.
    getToken: async () => {
      registry.add(canary);
      return canary;
    },
    log: scopedLogger(capture, platform),
    redact: (text) => registry.redact(text),
  });
  // The hub does not own the client: whoever creates one disposes it.
  cleanup.push(() => client.dispose());
  hub.setClient(platform, client);
  const shown: string[] = [];
  let failures = 0;
  client.onDidChangeState((s) => {
    shown.push(describeState(s));
    if (s.kind === 'failed' || s.kind === 'reconnecting') failures++;
  });
  hub.connectAll();
  await until(`${platform} failed`, () => client.state.kind === 'failed' || failures >= 2, 15_000);
  const errors: string[] = [];
  const record = (e: unknown) =>
    errors.push(e instanceof Error ? `${e.message}\n${e.stack}` : String(e));
  const state = client.state;
  // While reconnecting a send is held; the disconnect then refuses it.
  const held = hub.send(platform, 'hello').catch(record);
  await new Promise((r) => setTimeout(r, 10));
  hub.disconnectAll();
  await hub.send(platform, 'hello again').catch(record);
  await held;
  const visible = [
    ...lines,
    ...shown,
    ...errors,
    JSON.stringify(hub.messages),
    JSON.stringify(hub.statuses),
  ].join('\n');
  return { visible, lines, errors, state };
}

const canaryFor = (what: string) =>
  `canary${what.replace(/\W/g, '')}${Math.random().toString(36).slice(2, 10)}X`;

describe('no credential is ever shown', () => {
  for (const platform of PLATFORMS) {
    for (const behaviour of BEHAVIOURS) {
      it(`${platform}: a server that answers ${behaviour} and echoes the token`, async () => {
        const server: HostileServer = await startHostileServer(behaviour);
        cleanup.push(() => server.close());
        const canary = canaryFor(`${platform}${behaviour}`);
        const { visible, errors } = await exercise(
          platform,
          settingsFor(platform, server.base),
          canary,
        );
        expect(server.hits).toBeGreaterThan(0);
        expect(errors.length).toBe(2);
        expect(visible).not.toContain(canary);
      }, 30_000);
    }

    it(`${platform}: a user:password URL in the settings`, async () => {
      const server = await startHostileServer('unauthorized');
      cleanup.push(() => server.close());
      const canary = canaryFor(`${platform}userinfo`);
      const { visible, state } = await exercise(
        platform,
        settingsFor(platform, `streamer:${canary}@${server.base}`),
        canaryFor('token'),
      );
      expect(state).toMatchObject({ kind: 'failed', category: 'config' });
      expect(visible).not.toContain(canary);
      // Nothing was sent with the credentials in the URL.
      expect(server.hits).toBe(0);
    }, 30_000);
  }
});
