import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, setSettings, waitFor } from './helpers';

const CONTRACT_COMMANDS = [
  'streamChat.openChat',
  'streamChat.openChatInEditor',
  'streamChat.toggleConnection',
  'streamChat.connect',
  'streamChat.disconnect',
  'streamChat.sendMessage',
  'streamChat.sendSelection',
  'streamChat.sendTauTestEvent',
  'streamChat.setToken',
  'streamChat.clearToken',
  'streamChat.showLog',
];

suite('foundation', () => {
  test('activates and reports its activation time', async () => {
    const api = await activateExtension();
    assert.ok(
      api.activationTimeMs > 0 && api.activationTimeMs < 5_000,
      `activation took ${api.activationTimeMs} ms`,
    );
    console.log(`activation time: ${api.activationTimeMs.toFixed(2)} ms`);
  });

  test('registers every command of the contract', async () => {
    await activateExtension();
    const commands = new Set(await vscode.commands.getCommands(true));
    const missing = CONTRACT_COMMANDS.filter((c) => !commands.has(c));
    assert.deepStrictEqual(missing, []);
  });

  test('a token set through the command is in SecretStorage and in no setting', async () => {
    const api = await activateExtension();
    const token = 'it-secret-token-4f9c2a7e';
    assert.strictEqual(
      await vscode.commands.executeCommand('streamChat.setToken', { platform: 'glimesh', token }),
      true,
    );
    assert.strictEqual(await api.hasStoredToken('glimesh'), true);
    const everySetting =
      JSON.stringify(vscode.workspace.getConfiguration().inspect('streamChat')) +
      JSON.stringify(vscode.workspace.getConfiguration('streamChat'));
    assert.ok(!everySetting.includes(token), 'the token leaked into settings');
    assert.strictEqual(
      await vscode.commands.executeCommand('streamChat.clearToken', { platform: 'glimesh' }),
      true,
    );
    assert.strictEqual(await api.hasStoredToken('glimesh'), false);
  });

  test('Set Token refuses an empty token and an unknown platform', async () => {
    await activateExtension();
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('streamChat.setToken', {
          platform: 'glimesh',
          token: '   ',
        }),
      ),
      /empty/,
    );
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('streamChat.setToken', { platform: 'youtube', token: 'x' }),
      ),
      /Unknown platform/,
    );
  });

  test('toggle with no platform enabled connects nothing and says so', async () => {
    await activateExtension();
    await setSettings({
      'streamChat.glimesh.enabled': false,
      'streamChat.mixer.enabled': false,
      'streamChat.tau.enabled': false,
    });
    assert.strictEqual(
      await vscode.commands.executeCommand('streamChat.toggleConnection'),
      'none-enabled',
    );
  });

  test('Open Chat in Editor opens one panel and reveals it again', async () => {
    await activateExtension();
    await vscode.commands.executeCommand('streamChat.openChatInEditor');
    await vscode.commands.executeCommand('streamChat.openChatInEditor');
    const tabs = await waitFor('the chat panel tab', () => {
      const found = vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((t) => t.label === 'Stream Chat');
      return found.length > 0 ? found : undefined;
    });
    assert.strictEqual(tabs.length, 1);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Open Chat reveals the chat view', async () => {
    await activateExtension();
    assert.strictEqual(await vscode.commands.executeCommand('streamChat.openChat'), true);
  });
});
