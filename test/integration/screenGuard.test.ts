import * as assert from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { secretRanges } from '../../src/screen/maskIndex';
import {
  GLIMESH_SIM_TOKEN,
  GlimeshSimulator,
  startGlimeshSimulator,
} from '../simulators/glimesh/server';
import { TestApi, activateExtension, setSettings, waitFor } from './helpers';

type Mask = { line: number; start: number; end: number };
type GuardApi = TestApi & { screenGuard(): { status: string; masksOf(uri: string): Mask[] } };

suite('screen guard (Glimesh simulator)', () => {
  let sim: GlimeshSimulator;
  let api: GuardApi;
  const workspace = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const guard = () => api.screenGuard();
  const open = async (relative: string) => {
    const document = await vscode.workspace.openTextDocument(path.join(workspace(), relative));
    await vscode.window.showTextDocument(document);
    return document;
  };

  suiteSetup(async () => {
    sim = await startGlimeshSimulator();
    api = (await activateExtension()) as GuardApi;
    await setSettings({
      ...sim.settings(),
      'streamChat.mixer.enabled': false,
      'streamChat.tau.enabled': false,
    });
    await vscode.commands.executeCommand('streamChat.setToken', {
      platform: 'glimesh',
      token: GLIMESH_SIM_TOKEN,
    });
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('streamChat.disconnect');
    await setSettings({
      'streamChat.glimesh.enabled': false,
      'streamChat.screenGuard.enabled': undefined,
    });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await sim.close();
  });

  test('nothing live: armed and nothing masked; live: exactly the key in src/config.ts', async () => {
    const document = await open('src/config.ts');
    const uri = document.uri.toString();
    assert.strictEqual(guard().status, 'armed');
    assert.deepStrictEqual(guard().masksOf(uri), []);
    await vscode.commands.executeCommand('streamChat.connect');
    await waitFor('masking', () => guard().status === 'masking');
    const key = document.lineAt(1).text.indexOf('AKIAIOSFODNN7EXAMPLE');
    await waitFor('the key masked', () => guard().masksOf(uri).length > 0);
    assert.deepStrictEqual(guard().masksOf(uri), [{ line: 1, start: key, end: key + 20 }]);
  });

  test('several changes in one edit (as multi-cursor typing makes) leave the masks a full scan gives', async () => {
    const lines = [
      '// notes',
      'const a = 1;',
      '',
      'const b = 2;',
      'const c = 3;',
      '',
      'const d = 4;',
    ];
    const document = await vscode.workspace.openTextDocument({
      content: lines.join('\n'),
      language: 'typescript',
    });
    await vscode.window.showTextDocument(document);
    const uri = document.uri.toString();
    await waitFor('tracked', () => guard().status === 'masking');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(
      document.uri,
      new vscode.Position(1, 12),
      `\nconst token = "ghp_${'a1B2c3D4e5'.repeat(4)}";`,
    );
    edit.replace(
      document.uri,
      new vscode.Range(3, 0, 4, 12),
      'const password = "Qv7Zr2Lm9Xk4Hb3N";',
    );
    edit.insert(
      document.uri,
      new vscode.Position(6, 12),
      '\n\nconst aws = "AKIAIOSFODNN7EXAMPLE";',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    const expected = () => secretRanges(document.getText(), 0);
    await waitFor(
      'the masks follow the edit',
      () => JSON.stringify(guard().masksOf(uri)) === JSON.stringify(expected()),
      5000,
    );
    assert.strictEqual(expected().length, 3, JSON.stringify(expected()));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a .env is masked line by line; Reveal Masked File shows it and masks it again', async () => {
    const document = await open('.env');
    const uri = document.uri.toString();
    const whole = Array.from({ length: document.lineCount }, (_, line) => document.lineAt(line))
      .filter((l) => !l.isEmptyOrWhitespace)
      .map((l) => ({
        line: l.lineNumber,
        start: l.firstNonWhitespaceCharacterIndex,
        end: l.text.trimEnd().length,
      }));
    await waitFor('the .env masked', () => guard().masksOf(uri).length > 0);
    assert.deepStrictEqual(guard().masksOf(uri), whole);
    assert.strictEqual(
      await vscode.commands.executeCommand('streamChat.revealMaskedFile', { uri, reveal: true }),
      true,
    );
    assert.deepStrictEqual(guard().masksOf(uri), []);
    assert.strictEqual(
      await vscode.commands.executeCommand('streamChat.revealMaskedFile', { uri, reveal: false }),
      false,
    );
    assert.deepStrictEqual(guard().masksOf(uri), whole);
  });

  test('Toggle Screen Guard flips the setting; Disconnect ends the masking', async () => {
    const uri = (await open('.env')).uri.toString();
    assert.strictEqual(await vscode.commands.executeCommand('streamChat.toggleScreenGuard'), false);
    await waitFor('off', () => guard().status === 'off');
    assert.strictEqual(
      vscode.workspace.getConfiguration('streamChat.screenGuard').get('enabled'),
      false,
    );
    assert.deepStrictEqual(guard().masksOf(uri), []);
    assert.strictEqual(await vscode.commands.executeCommand('streamChat.toggleScreenGuard'), true);
    await waitFor(
      'masking again',
      () => guard().status === 'masking' && guard().masksOf(uri).length > 0,
    );
    await vscode.commands.executeCommand('streamChat.disconnect');
    await waitFor('armed once nothing is live', () => guard().status === 'armed');
    assert.deepStrictEqual(guard().masksOf(uri), []);
    assert.strictEqual(
      await vscode.commands.executeCommand('streamChat.revealMaskedFile', { uri }),
      false,
      'nothing to reveal when not live',
    );
  });
});
