// Runs in test/fixtures/foreign-workspace, whose .vscode/settings.json points every platform at
// 127.0.0.1:47391–47393 and turns on connectOnStartup (see scripts/run-integration.mjs). Recording
// proxies sit on those ports in front of real simulators, so every byte a client sends there is
// seen: query strings, headers, first frames.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { FaultProxy, startFaultProxy } from '../../simulators/faultProxy';
import { GlimeshSimulator, startGlimeshSimulator } from '../../simulators/glimesh/server';
import { MixerSimulator, startMixerSimulator } from '../../simulators/mixer/server';
import { TauSimulator, startTauSimulator } from '../../simulators/tau/server';
import { activateExtension, waitFor } from '../helpers';

const PLATFORMS = ['glimesh', 'mixer', 'tau'] as const;
type Platform = (typeof PLATFORMS)[number];
const FOREIGN_PORTS: Record<Platform, number> = { glimesh: 47391, mixer: 47392, tau: 47393 };
const URL_KEYS: Record<Platform, string[]> = {
  glimesh: ['streamChat.glimesh.apiUrl', 'streamChat.glimesh.socketUrl'],
  mixer: ['streamChat.mixer.apiUrl'],
  tau: ['streamChat.tau.url'],
};
// One unique canary per platform: any hit anywhere is this test's token and nothing else.
const canary = (p: Platform) =>
  `canary-${p}-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;

suite('Token origins (foreign workspace)', () => {
  const proxies = {} as Record<Platform, FaultProxy>;
  const tokens = {} as Record<Platform, string>;
  let sims: [GlimeshSimulator, MixerSimulator, TauSimulator];

  suiteSetup(async () => {
    sims = [
      await startGlimeshSimulator(),
      await startMixerSimulator(),
      await startTauSimulator({ keepAliveMs: 1000 }),
    ];
    for (const [i, p] of PLATFORMS.entries()) {
      proxies[p] = await startFaultProxy({ targetPort: sims[i]!.port, port: FOREIGN_PORTS[p] });
      tokens[p] = canary(p);
    }
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('streamChat.disconnect');
    await Promise.all([
      ...Object.values(proxies).map((p) => p.close()),
      ...sims.map((s) => s.close()),
    ]);
  });

  test('the workspace settings are in force and connectOnStartup started every platform', async () => {
    const api = await activateExtension();
    const config = vscode.workspace.getConfiguration();
    assert.strictEqual(config.inspect('streamChat.connectOnStartup')?.workspaceValue, true);
    assert.strictEqual(config.get('streamChat.tau.url'), 'http://127.0.0.1:47393');
    for (const p of PLATFORMS) {
      await waitFor(`${p} left 'disconnected'`, () =>
        api
          .statuses()
          .find((s) => s.platform === p && s.enabled && s.state.kind !== 'disconnected'),
      );
    }
  });

  test('tokens entered for the user’s servers never reach the servers the workspace names, and the failure names the host and the file', async () => {
    const api = await activateExtension();
    for (const p of PLATFORMS)
      await vscode.commands.executeCommand('streamChat.setToken', {
        platform: p,
        token: tokens[p],
      });
    for (const p of PLATFORMS) {
      const status = await waitFor(`${p} held back`, () =>
        api
          .statuses()
          .find(
            (s) =>
              s.platform === p &&
              s.state.kind === 'failed' &&
              /Nothing was sent/.test(s.state.message ?? ''),
          ),
      );
      const message = status.state.message ?? '';
      assert.ok(
        message.includes(`127.0.0.1:${FOREIGN_PORTS[p]}`),
        `${p}: the message names the workspace's host: ${message}`,
      );
      assert.ok(
        message.includes('.vscode/settings.json'),
        `${p}: the message names the settings file: ${message}`,
      );
      assert.ok(!message.includes(tokens[p]), `${p}: the message does not show the token`);
    }
    // Asking again (a manual connect) is refused the same way.
    await vscode.commands.executeCommand('streamChat.connect');
    await new Promise((r) => setTimeout(r, 3000));
    for (const p of PLATFORMS) {
      const seen = proxies[p].received();
      for (const q of PLATFORMS)
        assert.ok(!seen.includes(tokens[q]), `the ${p} server saw the ${q} token`);
    }
    const notices = api
      .messages()
      .filter((m) => m.kind === 'system')
      .map((m) => m.parts.map((x) => x.text ?? '').join(''));
    for (const p of PLATFORMS)
      assert.ok(
        notices.some((n) => n.includes(`127.0.0.1:${FOREIGN_PORTS[p]}`)),
        `a chat notice names the ${p} host`,
      );
  });

  test('control: once the user’s own settings name that server and the token is set for it, the recorder sees the token', async () => {
    const api = await activateExtension();
    const config = vscode.workspace.getConfiguration();
    for (const p of PLATFORMS) {
      for (const key of URL_KEYS[p]) {
        const value = config.inspect<string>(key)?.workspaceValue;
        await config.update(key, value, vscode.ConfigurationTarget.Global);
        await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
      }
    }
    for (const p of PLATFORMS)
      await vscode.commands.executeCommand('streamChat.setToken', {
        platform: p,
        token: tokens[p],
      });
    await vscode.commands.executeCommand('streamChat.connect');
    for (const p of PLATFORMS) {
      await waitFor(`the ${p} token through the recorder`, () =>
        proxies[p].received().includes(tokens[p]),
      );
    }
    assert.ok(api.statuses().every((s) => !/Nothing was sent/.test(s.state.message ?? '')));
    for (const p of PLATFORMS)
      for (const key of URL_KEYS[p])
        await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  });
});
