import * as assert from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TAU_SIM_TOKEN, TauSimulator, startTauSimulator } from '../simulators/tau/server';
import {
  activateExtension,
  setSettings,
  waitFor,
  connectTauOnly,
  disconnectTauOnly,
} from './helpers';

suite('!line highlights', () => {
  let sim: TauSimulator;

  suiteSetup(async () => {
    sim = await startTauSimulator({ keepAliveMs: 1000 });
    await connectTauOnly(await activateExtension(), sim, TAU_SIM_TOKEN, {
      'streamChat.highlights.enabled': true,
    });
  });

  suiteTeardown(async () => {
    await disconnectTauOnly([
      'streamChat.highlights.enabled',
      'streamChat.highlights.allowedUsers',
    ]);
    await sim.close();
  });

  test('a viewer’s !line highlights that line in the active editor without moving it', async () => {
    const api = await activateExtension();
    const doc = await vscode.workspace.openTextDocument(
      path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'src/app.ts'),
    );
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(6, 2, 6, 2);
    sim.postChat({ user: 'CuriousViewer', text: '!line 3 why a template string?' });
    const h = await waitFor('the highlight', () => api.highlights().find((x) => x.startLine === 3));
    assert.deepStrictEqual(
      { file: h.file, endLine: h.endLine, author: h.author, comment: h.comment },
      {
        file: 'src/app.ts',
        endLine: 3,
        author: 'CuriousViewer',
        comment: 'why a template string?',
      },
    );
    assert.strictEqual(
      vscode.window.activeTextEditor?.selection.active.line,
      6,
      'the streamer’s cursor did not move',
    );
  });

  test('only the allowed audience may highlight, and Clear Highlights removes them all', async () => {
    const api = await activateExtension();
    await setSettings({ 'streamChat.highlights.allowedUsers': 'moderators' });
    sim.postChat({ user: 'RandomViewer', text: '!line 5' });
    sim.postChat({ user: 'TheMod', text: '!line 7', badges: { moderator: '1' } });
    await waitFor('the moderator’s highlight', () =>
      api.highlights().find((x) => x.startLine === 7),
    );
    assert.strictEqual(
      api.highlights().some((x) => x.startLine === 5),
      false,
    );
    await vscode.commands.executeCommand('streamChat.clearHighlights');
    assert.deepStrictEqual(api.highlights(), []);
  });

  test('with highlights turned off a !line request highlights nothing; turned on again it does', async () => {
    const api = await activateExtension();
    await setSettings({
      'streamChat.highlights.enabled': false,
      'streamChat.highlights.allowedUsers': 'everyone',
    });
    sim.postChat({ user: 'EagerViewer', text: '!line 4 while off' });
    sim.postChat({ user: 'EagerViewer', text: 'marker after the request' });
    // Lines are handled in order: once the marker is in, the request before it was seen.
    await waitFor('the marker line', () =>
      api
        .messages()
        .find((m) => m.parts.some((p) => 'text' in p && p.text === 'marker after the request')),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepStrictEqual(api.highlights(), []);
    await setSettings({ 'streamChat.highlights.enabled': true });
    sim.postChat({ user: 'EagerViewer', text: '!line 4 while on' });
    const h = await waitFor('the highlight', () => api.highlights().find((x) => x.startLine === 4));
    assert.strictEqual(h.comment, 'while on');
    await vscode.commands.executeCommand('streamChat.clearHighlights');
  });
});
