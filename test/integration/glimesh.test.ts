import * as assert from 'node:assert';
import * as vscode from 'vscode';
import {
  GLIMESH_SIM_TOKEN,
  GlimeshSimulator,
  startGlimeshSimulator,
} from '../simulators/glimesh/server';
import { activateExtension, setSettings, textOf, waitFor } from './helpers';

suite('Glimesh through the extension', () => {
  let sim: GlimeshSimulator;

  suiteSetup(async () => {
    sim = await startGlimeshSimulator();
    const api = await activateExtension();
    await setSettings({
      ...sim.settings(),
      'streamChat.mixer.enabled': false,
      'streamChat.tau.enabled': false,
    });
    await vscode.commands.executeCommand('streamChat.setToken', {
      platform: 'glimesh',
      token: GLIMESH_SIM_TOKEN,
    });
    sim.postChat({ user: 'EarlyBird', text: 'history line from before' });
    await vscode.commands.executeCommand('streamChat.connect');
    await waitFor('glimesh connected', () =>
      api
        .statuses()
        .find((s) => s.platform === 'glimesh' && s.state.kind === 'connected' && !s.state.readOnly),
    );
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('streamChat.disconnect');
    await setSettings({ 'streamChat.glimesh.enabled': false });
    await vscode.commands.executeCommand('streamChat.clearToken', { platform: 'glimesh' });
    await sim.close();
  });

  test('history fills the view on connect, then live messages follow', async () => {
    const api = await activateExtension();
    await waitFor('history', () =>
      api
        .messages()
        .find((m) => m.platform === 'glimesh' && textOf(m) === 'history line from before'),
    );
    sim.postChat({ user: 'Mytho', text: 'live :glimheart:' });
    const line = await waitFor('live', () =>
      api.messages().find((m) => m.platform === 'glimesh' && textOf(m) === 'live :glimheart:'),
    );
    assert.strictEqual(line.author?.displayName, 'Mytho');
  });

  test('Send Message reaches the simulator; the server’s refusal reaches the caller', async () => {
    await vscode.commands.executeCommand('streamChat.sendMessage', {
      platform: 'glimesh',
      text: 'hello Glimesh',
    });
    assert.ok(sim.sent.some((s) => s.text === 'hello Glimesh'));
    sim.banUser('codercat', 5);
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('streamChat.sendMessage', {
          platform: 'glimesh',
          text: 'again',
        }),
      ),
      /banned from this channel for 5 more minutes/,
    );
  });
});
