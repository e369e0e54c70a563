import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { TAU_SIM_TOKEN, TauSimulator, startTauSimulator } from '../simulators/tau/server';
import { activateExtension, setSettings, textOf, waitFor } from './helpers';

suite('TAU through the extension', () => {
  let sim: TauSimulator;

  suiteSetup(async () => {
    sim = await startTauSimulator({ keepAliveMs: 1000 });
    const api = await activateExtension();
    await setSettings({
      ...sim.settings(),
      'streamChat.mixer.enabled': false,
      'streamChat.glimesh.enabled': false,
    });
    await vscode.commands.executeCommand('streamChat.setToken', {
      platform: 'tau',
      token: TAU_SIM_TOKEN,
    });
    await vscode.commands.executeCommand('streamChat.connect');
    await waitFor('tau connected', () =>
      api.statuses().find((s) => s.platform === 'tau' && s.state.kind === 'connected'),
    );
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('streamChat.disconnect');
    await setSettings({ 'streamChat.tau.enabled': false });
    await sim.close();
  });

  test('Send TAU Test Event with arguments: the event arrives marked as a test', async () => {
    const api = await activateExtension();
    assert.strictEqual(
      await vscode.commands.executeCommand('streamChat.sendTauTestEvent', {
        eventType: 'channel-raid',
        data: { from_broadcaster_user_name: 'FriendlyCoder', viewers: 42 },
      }),
      true,
    );
    const line = await waitFor('the raid line', () =>
      api
        .messages()
        .find(
          (m) => m.platform === 'tau' && textOf(m) === 'FriendlyCoder is raiding with 42 viewers!',
        ),
    );
    assert.strictEqual(line.flags.test, true);
  });

  test('Send TAU Test Event fills a sample body when no data is given', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand('streamChat.sendTauTestEvent', {
      eventType: 'channel-follow',
    });
    await waitFor('the follow line', () =>
      api.messages().find((m) => m.platform === 'tau' && / followed!$/.test(textOf(m))),
    );
    assert.strictEqual(sim.testEvents.at(-1)?.type, 'channel-follow');
  });

  test('chat both ways: a viewer’s message arrives; Send Message reaches the simulator without a newline', async () => {
    const api = await activateExtension();
    sim.postChat({ user: 'TwitchViewer', text: 'hello from twitch' });
    await waitFor('the chat line', () =>
      api.messages().find((m) => m.platform === 'tau' && textOf(m) === 'hello from twitch'),
    );
    await vscode.commands.executeCommand('streamChat.sendMessage', {
      platform: 'tau',
      text: 'line one\nline two',
    });
    await waitFor('both lines', () => sim.sent.length >= 2);
    assert.deepStrictEqual(
      sim.sent.slice(-2).map((s) => s.message),
      ['line one', 'line two'],
    );
    assert.strictEqual(sim.newlineViolations, 0);
  });
});
