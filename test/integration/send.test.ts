import * as assert from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MIXER_SIM_TOKEN, MixerSimulator, startMixerSimulator } from '../simulators/mixer/server';
import { activateExtension, setSettings, waitFor } from './helpers';

suite('sending from the editor (Mixer simulator)', () => {
  let sim: MixerSimulator;
  const workspace = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

  suiteSetup(async () => {
    sim = await startMixerSimulator({ rateLimit: { messages: 1000, windowMs: 1000 } });
    const api = await activateExtension();
    await setSettings({
      ...sim.settings(),
      'streamChat.glimesh.enabled': false,
      'streamChat.tau.enabled': false,
    });
    await vscode.commands.executeCommand('streamChat.setToken', {
      platform: 'mixer',
      token: MIXER_SIM_TOKEN,
    });
    await vscode.commands.executeCommand('streamChat.connect');
    await waitFor('mixer connected', () =>
      api
        .statuses()
        .find((s) => s.platform === 'mixer' && s.state.kind === 'connected' && !s.state.readOnly),
    );
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('streamChat.disconnect');
    await setSettings({ 'streamChat.mixer.enabled': false });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await sim.close();
  });

  test('Send Message with arguments sends without prompts', async () => {
    assert.strictEqual(
      await vscode.commands.executeCommand('streamChat.sendMessage', {
        platform: 'mixer',
        text: 'hello from the palette',
      }),
      true,
    );
    await waitFor('the simulator received it', () =>
      sim.sent.some((s) => s.text === 'hello from the palette'),
    );
  });

  test('Send Message refuses an over-long message with the platform’s reason', async () => {
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('streamChat.sendMessage', {
          platform: 'mixer',
          text: 'x'.repeat(361),
        }),
      ),
      /at most 360/,
    );
  });

  test('Send Selection sends the selected lines with a header', async () => {
    const doc = await vscode.workspace.openTextDocument(path.join(workspace(), 'src/app.ts'));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 3, 1);
    const before = sim.sent.length;
    const result = await vscode.commands.executeCommand<{ sent: number }>(
      'streamChat.sendSelection',
      { platform: 'mixer' },
    );
    assert.strictEqual(result.sent, 1);
    const message = await waitFor('the selection', () =>
      sim.sent
        .slice(before)
        .map((s) => s.text)
        .find((t) => t.includes('greet')),
    );
    assert.ok(message.startsWith('src/app.ts:1-4\n'), message);
    assert.ok(message.includes('return greeting;'));
  });

  test('Send Selection splits long code into numbered parts that arrive in order', async () => {
    const lines = Array.from(
      { length: 40 },
      (_, i) => `export const item${i} = { id: ${i}, label: "a label long enough to fill lines" };`,
    );
    const doc = await vscode.workspace.openTextDocument({
      language: 'typescript',
      content: lines.join('\n'),
    });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 39, lines[39]!.length);
    const before = sim.sent.length;
    const result = await vscode.commands.executeCommand<{ sent: number }>(
      'streamChat.sendSelection',
      { platform: 'mixer', confirm: true },
    );
    assert.ok(result.sent > 5, `sent ${result.sent}`);
    const parts = await waitFor(
      'all parts',
      () => {
        const got = sim.sent.slice(before).map((s) => s.text);
        return got.length === result.sent ? got : undefined;
      },
      30_000,
    );
    parts.forEach((p, i) => assert.ok(p.startsWith(`(${i + 1}/${parts.length}) `), p.slice(0, 20)));
  });

  test('Send Selection refuses a file with an AWS key and sends nothing when the user declines', async () => {
    const doc = await vscode.workspace.openTextDocument(path.join(workspace(), 'src/config.ts'));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    const before = sim.sent.length;
    const result = await vscode.commands.executeCommand<{ sent: number; refused?: string }>(
      'streamChat.sendSelection',
      { platform: 'mixer', confirm: false },
    );
    assert.deepStrictEqual(result, { sent: 0, refused: 'secret' });
    await new Promise((r) => setTimeout(r, 500));
    assert.strictEqual(sim.sent.length, before);
  });
});
