import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { MIXER_SIM_TOKEN, MixerSimulator, startMixerSimulator } from '../simulators/mixer/server';
import { activateExtension, setSettings, textOf, waitFor } from './helpers';

suite('mixer through the extension', () => {
  let sim: MixerSimulator;

  suiteSetup(async () => {
    sim = await startMixerSimulator();
    await activateExtension();
    await setSettings({
      ...sim.settings(),
      'streamChat.glimesh.enabled': false,
      'streamChat.tau.enabled': false,
    });
    await vscode.commands.executeCommand('streamChat.setToken', {
      platform: 'mixer',
      token: MIXER_SIM_TOKEN,
    });
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('streamChat.disconnect');
    await setSettings({ 'streamChat.mixer.enabled': false });
    await vscode.commands.executeCommand('streamChat.clearToken', { platform: 'mixer' });
    await sim.close();
  });

  test('connects, and a viewer’s message reaches the timeline with its author', async () => {
    const api = await activateExtension();
    assert.strictEqual(await vscode.commands.executeCommand('streamChat.connect'), 'connected');
    const mixer = await waitFor('mixer connected', () =>
      api.statuses().find((s) => s.platform === 'mixer' && s.state.kind === 'connected'),
    );
    assert.strictEqual(mixer.state.readOnly, false, 'with a token the connection can chat');
    sim.postChat({ user: 'rubberduck', text: 'is that a missing await on line 12?' });
    const line = await waitFor('the chat line', () =>
      api.messages().find((m) => m.platform === 'mixer' && textOf(m).includes('missing await')),
    );
    assert.strictEqual(line.author?.displayName, 'rubberduck');
  });

  test('a moderator’s DeleteMessage marks that line deleted', async () => {
    const api = await activateExtension();
    const id = sim.postChat({ user: 'spammer', text: 'buy followers at example.test' });
    await waitFor('the spam line', () =>
      api.messages().some((m) => textOf(m).includes('buy followers')),
    );
    sim.deleteMessage(id);
    await waitFor(
      'the spam line deleted',
      () => api.messages().find((m) => textOf(m).includes('buy followers'))?.flags.deleted,
    );
  });

  test('a refused token fails once, says so, and does not retry', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand('streamChat.disconnect');
    await vscode.commands.executeCommand('streamChat.setToken', {
      platform: 'mixer',
      token: 'not-a-valid-mixer-token',
    });
    const before = sim.requests.filter((r) => r.authorization === 'invalid').length;
    await vscode.commands.executeCommand('streamChat.connect');
    const failed = await waitFor('mixer failed', () =>
      api.statuses().find((s) => s.platform === 'mixer' && s.state.kind === 'failed'),
    );
    assert.match(failed.state.message ?? '', /token/i);
    await new Promise((r) => setTimeout(r, 3000));
    assert.strictEqual(
      sim.requests.filter((r) => r.authorization === 'invalid').length - before,
      1,
      'one attempt, no retry loop',
    );
    assert.strictEqual(api.statuses().find((s) => s.platform === 'mixer')?.state.kind, 'failed');
    // A new token is the way out: the failed client is replaced and reconnects by itself.
    await vscode.commands.executeCommand('streamChat.setToken', {
      platform: 'mixer',
      token: MIXER_SIM_TOKEN,
    });
    await waitFor('mixer connected again', () =>
      api.statuses().find((s) => s.platform === 'mixer' && s.state.kind === 'connected'),
    );
  });

  test('the status toggle disconnects everything', async () => {
    const api = await activateExtension();
    assert.strictEqual(
      await vscode.commands.executeCommand('streamChat.toggleConnection'),
      'disconnected',
    );
    assert.strictEqual(
      api.statuses().find((s) => s.platform === 'mixer')?.state.kind,
      'disconnected',
    );
  });
});
