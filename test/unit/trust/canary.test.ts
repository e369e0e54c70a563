// The canary test: each platform's client, wired as the composition root wires it (the log and
// every shown sentence behind the redactor that knows the token), runs every failure path with a
// unique token. Around it run the real status item, failure notifications, chat view connection
// and timeline persistence (VS Code's API replaced by a recorder). Then everything the streamer or
// a file could see is searched for the token: the log, the status item, notifications, the chat's
// notices, every message posted to the view, workspaceState and globalState, the states, and
// every error a send threw. Zero hits.
import type * as vscode from 'vscode';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatHub } from '../../../src/core/chatHub';
import { Emitter } from '../../../src/core/event';
import { Logger, SecretRegistry, scopedLogger } from '../../../src/core/log';
import { PlatformId } from '../../../src/core/message';
import { describeState } from '../../../src/core/state';
import { PLATFORM_FACTORIES } from '../../../src/platformFactories';
import { ChatViewConnection } from '../../../src/ui/chatViewConnection';
import { ConnectionStatusItem } from '../../../src/ui/connectionStatusItem';
import { FailureNotifier } from '../../../src/ui/failureNotifier';
import { offerWalkthroughOnce } from '../../../src/ui/firstRun';
import { TimelinePersistence } from '../../../src/ui/timelinePersistence';
import type { TokenStore } from '../../../src/ui/tokenStore';
import { FakeWebview } from '../support/fakeWebview';
import { until } from '../support/until';
import { HostileBehaviour, HostileServer, startHostileServer } from './hostileServer';

/** Everything VS Code was asked to show (notifications, the status item's text and tooltip). */
const shownByVscode = vi.hoisted(() => [] as string[]);

vi.mock('vscode', () => {
  const format = (message: string, ...args: unknown[]) =>
    message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
  const show = async (...args: unknown[]) => {
    shownByVscode.push(args.map(String).join(' | '));
    return undefined;
  };
  const statusItem = () => {
    const item: Record<string, unknown> = { show() {}, hide() {}, dispose() {} };
    for (const key of ['text', 'tooltip', 'accessibilityInformation'])
      Object.defineProperty(item, key, {
        set: (value: unknown) => shownByVscode.push(JSON.stringify(value) ?? ''),
        get: () => undefined,
      });
    return item;
  };
  return {
    l10n: { t: format },
    window: {
      showErrorMessage: show,
      showWarningMessage: show,
      showInformationMessage: show,
      createStatusBarItem: statusItem,
    },
    commands: { executeCommand: async () => undefined },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
  };
});

const PLATFORMS: PlatformId[] = ['glimesh', 'mixer', 'tau'];
const BEHAVIOURS: HostileBehaviour[] = [
  'unauthorized',
  'forbidden',
  'rateLimited',
  'serverError',
  'socketEcho',
  'upgradeRefused',
  'graphqlEcho',
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

/** Every platform URL setting, by platform. */
const URL_SETTINGS: Record<PlatformId, readonly string[]> = {
  glimesh: ['apiUrl', 'socketUrl'],
  mixer: ['apiUrl'],
  tau: ['url'],
};

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
  shownByVscode.length = 0;
});

/** A Memento over a map; what it holds is searched as JSON. */
class FakeMemento {
  readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : fallback;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
  setKeysForSync(): void {}
  dump(): string {
    return JSON.stringify([...this.values]);
  }
}

/** Runs one client against `origin` until it has failed (or retried) twice, or connected, and returns everything it made visible. */
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
  const workspaceState = new FakeMemento();
  const globalState = new FakeMemento();
  const persistence = new TimelinePersistence(
    hub,
    workspaceState as unknown as vscode.Memento,
    capture,
  );
  const tokens = {
    hasToken: () => true,
    onDidChange: new Emitter<PlatformId>().event,
  } as unknown as TokenStore;
  const statusItem = new ConnectionStatusItem(hub, tokens);
  const notifier = new FailureNotifier(hub);
  const webview = new FakeWebview(true);
  const view = new ChatViewConnection(webview as unknown as vscode.Webview, {
    hub,
    log: capture,
    viewSettings: () => ({
      showTimestamps: true,
      hideDeleted: false,
      fontSize: 13,
      scrollback: 1000,
      mentionNames: [],
    }),
    onDidChangeViewSettings: new Emitter<void>().event,
  });
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
  webview.fromPage({ type: 'ready', pageId: 'canaryPage000001' });
  const shown: string[] = [];
  let failures = 0;
  client.onDidChangeState((s) => {
    shown.push(describeState(s));
    if (s.kind === 'failed' || s.kind === 'reconnecting') failures++;
  });
  notifier.connectRequested();
  hub.connectAll();
  await offerWalkthroughOnce({ globalState, anyEnabled: () => false });
  await until(
    `${platform} failed or connected`,
    () => client.state.kind === 'failed' || client.state.kind === 'connected' || failures >= 2,
    15_000,
  );
  const errors: string[] = [];
  const record = (e: unknown) =>
    errors.push(e instanceof Error ? `${e.message}\n${e.stack}` : String(e));
  const state = client.state;
  // While reconnecting a send is held; the disconnect then refuses it. Connected: the server refuses it.
  const held = hub.send(platform, 'hello').catch(record);
  // The same through the view: its refusal is posted as a sendResult.
  webview.fromPage({
    type: 'send',
    requestId: 'canaryPage000001:1',
    platform,
    text: 'hello from the view',
  });
  if (state.kind === 'connected') await held;
  else await new Promise((r) => setTimeout(r, 10));
  hub.disconnectAll();
  await hub.send(platform, 'hello again').catch(record);
  await held;
  await until('the view got its send result', () =>
    webview.posted.some((m) => (m as { type?: string }).type === 'sendResult'),
  );
  statusItem.update();
  // Disposing saves the timeline to workspaceState, as on window close.
  persistence.dispose();
  view.dispose();
  notifier.dispose();
  statusItem.dispose();
  const stored = { workspaceState: workspaceState.dump(), globalState: globalState.dump() };
  const visible = [
    ...lines,
    ...shown,
    ...errors,
    ...shownByVscode,
    JSON.stringify(webview.posted),
    stored.workspaceState,
    stored.globalState,
    JSON.stringify(hub.messages),
    JSON.stringify(hub.statuses),
  ].join('\n');
  return { visible, lines, errors, state, stored, posted: webview.posted };
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
        const { visible, errors, stored } = await exercise(
          platform,
          settingsFor(platform, server.base),
          canary,
        );
        expect(server.hits).toBeGreaterThan(0);
        expect(errors.length).toBe(2);
        // The search is real: the timeline was persisted (with the notices the failures left).
        expect(stored.workspaceState).toContain('streamChat.timeline');
        expect(visible).not.toContain(canary);
      }, 30_000);
    }

    for (const key of URL_SETTINGS[platform]) {
      it(`${platform}: a user:password URL in ${platform}.${key}`, async () => {
        const server = await startHostileServer('unauthorized');
        cleanup.push(() => server.close());
        const canary = canaryFor(`${platform}${key}userinfo`);
        const settings = settingsFor(platform, server.base);
        settings[key] = String(settings[key]).replace('//', `//streamer:${canary}@`);
        const { visible } = await exercise(platform, settings, canaryFor('token'));
        expect(visible).not.toContain(canary);
        // Nothing was sent with the credentials in the URL.
        expect(server.seen.join('\n')).not.toContain(canary);
      }, 30_000);
    }

    it(`${platform}: a user:password URL in every URL setting`, async () => {
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
      expect(server.hits).toBe(0);
    }, 30_000);
  }

  for (const behaviour of ['mixerReplyEcho', 'mixerMsgEcho'] as const) {
    it(`mixer: a chat server whose method replies' errors echo the token (${behaviour})`, async () => {
      const server = await startHostileServer(behaviour);
      cleanup.push(() => server.close());
      const canary = canaryFor(`mixer${behaviour}`);
      const { visible, errors, state, posted } = await exercise(
        'mixer',
        settingsFor('mixer', server.base),
        canary,
      );
      // The socket was reached and answered (the echo had its chance to show).
      expect(server.seen.some((s) => s.includes('/mixer-chat'))).toBe(true);
      if (behaviour === 'mixerMsgEcho') {
        expect(state.kind).toBe('connected');
        // The server's sentence is shown, behind the redaction.
        expect(errors[0]).toContain('refused Bearer [redacted]');
        expect(JSON.stringify(posted)).toMatch(/"ok":false/);
      }
      expect(errors.length).toBe(2);
      expect(visible).not.toContain(canary);
    }, 30_000);
  }
});
