import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { TAU_SIM_TOKEN, TauSimulator, startTauSimulator } from '../simulators/tau/server';
import {
  EXTENSION_ID,
  activateExtension,
  waitFor,
  connectTauOnly,
  disconnectTauOnly,
} from './helpers';

/**
 * A read-only in-memory file system under a scheme no Node API can open: a stand-in for a
 * remote (vscode-remote://) or virtual (vscode-vfs://) document. Anything that reads such a file
 * through `fs` instead of the editor API fails here.
 */
class MemoryFileSystem implements vscode.FileSystemProvider {
  private readonly _onDidChangeFile = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this._onDidChangeFile.event;
  readonly reads: string[] = [];

  constructor(private readonly _files: ReadonlyMap<string, string>) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const isFile = this._files.has(uri.path);
    const isDir = [...this._files.keys()].some((p) =>
      p.startsWith(uri.path.endsWith('/') ? uri.path : `${uri.path}/`),
    );
    if (!isFile && !isDir) throw vscode.FileSystemError.FileNotFound(uri);
    return {
      type: isFile ? vscode.FileType.File : vscode.FileType.Directory,
      ctime: 0,
      mtime: 0,
      size: isFile ? this._files.get(uri.path)!.length : 0,
    };
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const text = this._files.get(uri.path);
    if (text === undefined) throw vscode.FileSystemError.FileNotFound(uri);
    this.reads.push(uri.path);
    return new TextEncoder().encode(text);
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}

interface Keybinding {
  readonly key: string;
  readonly command: string;
  readonly when?: string;
}

/** VS Code's own keybindings JSON (with `//` comment lines) → entries. */
function parseKeybindings(text: string): Keybinding[] {
  const json = text
    .split('\n')
    .filter((line) => !/^\s*\/\//.test(line))
    .join('\n');
  return JSON.parse(json) as Keybinding[];
}

suite('citizen: keybindings, remote and virtual documents', () => {
  let sim: TauSimulator;
  const scheme = 'streamchat-remote';
  const fsProvider = new MemoryFileSystem(
    new Map([
      [
        '/home/streamer/project/src/remote.ts',
        'export const answer = 42;\nexport function ask(): number {\n  return answer;\n}\n',
      ],
    ]),
  );
  const remoteUri = vscode.Uri.from({
    scheme,
    authority: 'devbox',
    path: '/home/streamer/project/src/remote.ts',
  });
  let registration: vscode.Disposable;

  suiteSetup(async () => {
    registration = vscode.workspace.registerFileSystemProvider(scheme, fsProvider, {
      isReadonly: true,
    });
    sim = await startTauSimulator({ keepAliveMs: 1000 });
    await connectTauOnly(await activateExtension(), sim, TAU_SIM_TOKEN, {
      'streamChat.highlights.enabled': true,
    });
  });

  suiteTeardown(async () => {
    await disconnectTauOnly(['streamChat.highlights.enabled']);
    await sim.close();
    registration.dispose();
  });

  test('each contributed keybinding is on a key that no default VS Code keybinding uses', async () => {
    const ours = (
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
        contributes: { keybindings: Keybinding[] };
      }
    ).contributes.keybindings;
    assert.deepStrictEqual(ours.map((k) => k.command).sort(), [
      'streamChat.focusComposer',
      'streamChat.sendSelection',
      'streamChat.toggleConnection',
    ]);
    const doc = await vscode.workspace.openTextDocument(
      vscode.Uri.parse('vscode://defaultsettings/keybindings.json'),
    );
    const all = parseKeybindings(doc.getText());
    // The list is the real one: it holds VS Code's palette key and our own contributions.
    assert.ok(
      all.some((k) => k.command === 'workbench.action.showCommands'),
      'the default keybindings were read',
    );
    for (const mine of ours) {
      assert.ok(
        all.some((k) => k.command === mine.command && k.key === mine.key),
        `${mine.command} is bound to ${mine.key}`,
      );
      const taken = all.filter((k) => k.key === mine.key && !k.command.startsWith('streamChat.'));
      assert.deepStrictEqual(taken, [], `${mine.key} is free`);
      // No chord of ours starts with a key VS Code uses on its own.
      const first = mine.key.split(' ')[0];
      assert.deepStrictEqual(
        all.filter((k) => k.key.split(' ')[0] === first && !k.command.startsWith('streamChat.')),
        [],
      );
    }
  });

  test('Focus Chat Composer reveals the chat view', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('streamChat.focusComposer'), true);
  });

  test('Send Selection reads a remote document through the editor API and sends it', async () => {
    const doc = await vscode.workspace.openTextDocument(remoteUri);
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 3, 1);
    const before = sim.sent.length;
    const result = await vscode.commands.executeCommand<{ sent: number; refused?: string }>(
      'streamChat.sendSelection',
      { platform: 'tau' },
    );
    assert.deepStrictEqual(result, { sent: 1 });
    const message = await waitFor('the selection at the simulator', () =>
      sim.sent.slice(before).find((s) => s.message.includes('ask')),
    );
    // Outside the workspace only the file name goes on stream, never the remote machine's path.
    assert.ok(message.message.startsWith('remote.ts:2-4'), message.message);
    assert.ok(message.message.includes('return answer;'), message.message);
    assert.ok(!message.message.includes('/home/streamer'), message.message);
    assert.ok(
      fsProvider.reads.includes('/home/streamer/project/src/remote.ts'),
      'VS Code read the file through the provider',
    );
  });

  test('!line highlights a line of a remote document', async () => {
    const api = await activateExtension();
    const doc = await vscode.workspace.openTextDocument(remoteUri);
    await vscode.window.showTextDocument(doc);
    sim.postChat({ user: 'RemoteViewer', text: '!line src/remote.ts 3 why return?' });
    const h = await waitFor('the highlight', () =>
      api.highlights().find((x) => x.author === 'RemoteViewer'),
    );
    assert.deepStrictEqual(
      { startLine: h.startLine, endLine: h.endLine, comment: h.comment },
      { startLine: 3, endLine: 3, comment: 'why return?' },
    );
  });
});
