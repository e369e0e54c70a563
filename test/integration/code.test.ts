import * as assert from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TAU_SIM_TOKEN, TauSimulator, startTauSimulator } from '../simulators/tau/server';
import { TestApi, activateExtension, waitFor, connectTauOnly, disconnectTauOnly } from './helpers';

/** The parts of the extension's API this suite reads (issue 15). */
interface CodeApi extends TestApi {
  codeReferences(
    platform: string,
    messageId: string,
  ): Array<{
    start: number;
    end: number;
    id: string;
    label: string;
    preview?: string;
    file: string;
    line?: number;
    endLine?: number;
  }>;
  openCodeReference(id: string): Promise<boolean>;
  threads(): Array<{
    highlightId: string;
    uri: string;
    startLine: number;
    endLine: number;
    comments: Array<{ author: string; body: string }>;
  }>;
  replyInThread(
    highlightId: string,
    text: string,
  ): Promise<{ sent: boolean; text?: string; reason?: string }>;
}

suite('Chat that knows the code', () => {
  let sim: TauSimulator;
  let api: CodeApi;
  let lastFileQuestion = 0;
  const workspace = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const open = async (file: string) =>
    vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(path.join(workspace(), file)),
    );

  suiteSetup(async () => {
    sim = await startTauSimulator({ keepAliveMs: 1000 });
    api = (await activateExtension()) as CodeApi;
    await connectTauOnly(api, sim, TAU_SIM_TOKEN, {
      'streamChat.highlights.enabled': true,
      'streamChat.chatCommands.enabled': true,
    });
  });

  suiteTeardown(async () => {
    await disconnectTauOnly(['streamChat.highlights.enabled', 'streamChat.chatCommands.enabled']);
    await sim.close();
  });

  test('a blocked file is never previewed or named, in a reference or a !file answer', async () => {
    const id = sim.postChat({ user: 'NosyViewer', text: 'what is in secret-keys.ts:2 ?' });
    const [ref] = await waitFor('the annotation', () =>
      api.codeReferences('tau', id).length > 0 ? api.codeReferences('tau', id) : undefined,
    );
    assert.deepStrictEqual(
      { label: ref!.label, file: ref!.file, preview: ref!.preview },
      { label: 'a private file', file: 'a private file', preview: undefined },
    );

    const editor = await open('src/secret-keys.ts');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const before = sim.sent.length;
    sim.postChat({ user: 'NosyViewer', text: '!file' });
    lastFileQuestion = Date.now();
    const answer = await waitFor('the !file answer', () =>
      sim.sent.slice(before).find((s) => s.message.startsWith('@nosyviewer')),
    );
    assert.strictEqual(answer.message, '@nosyviewer a private file');
    assert.ok(
      !sim.sent.some((s) => /secret-keys/.test(s.message)),
      'the file name never went to chat',
    );
  });

  test('references in a chat line resolve to the right files and ranges, and open there only when asked', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const text =
      'app.ts:2 looks odd, see src/long.ts#L10-L12 and the Dockerfile; nope.ts:3 is not ours';
    const id = sim.postChat({ user: 'RefViewer', text });
    const refs = await waitFor('the annotation', () =>
      api.codeReferences('tau', id).length === 3 ? api.codeReferences('tau', id) : undefined,
    );
    assert.deepStrictEqual(
      refs.map((r) => ({
        text: text.slice(r.start, r.end),
        file: r.file,
        line: r.line,
        endLine: r.endLine,
        label: r.label,
      })),
      [
        {
          text: 'app.ts:2',
          file: 'src/app.ts',
          line: 2,
          endLine: undefined,
          label: 'src/app.ts:2',
        },
        {
          text: 'src/long.ts#L10-L12',
          file: 'src/long.ts',
          line: 10,
          endLine: 12,
          label: 'src/long.ts:10-12',
        },
        {
          text: 'Dockerfile',
          file: 'Dockerfile',
          line: undefined,
          endLine: undefined,
          label: 'Dockerfile',
        },
      ],
    );
    assert.match(refs[0]!.preview ?? '', /^1 {2}export function greet.*\n2 {2}.*Hello.*\n3 {2}/);
    assert.strictEqual(vscode.window.activeTextEditor, undefined, 'nothing opened by itself');

    assert.strictEqual(await api.openCodeReference(refs[1]!.id), true);
    const editor = vscode.window.activeTextEditor!;
    assert.strictEqual(vscode.workspace.asRelativePath(editor.document.uri, false), 'src/long.ts');
    assert.deepStrictEqual([editor.selection.start.line, editor.selection.end.line], [9, 11]);
    assert.strictEqual(await api.openCodeReference(refs[0]!.id), true);
    assert.strictEqual(
      vscode.workspace.asRelativePath(vscode.window.activeTextEditor!.document.uri, false),
      'src/app.ts',
    );
    assert.strictEqual(vscode.window.activeTextEditor!.selection.active.line, 1);
  });

  test('a !line question becomes a comment thread; one reply reaches the viewer’s platform exactly once', async () => {
    await open('src/app.ts');
    sim.postChat({ user: 'ThreadViewer', text: '!line app.ts 2-3 why a template string?' });
    const thread = await waitFor('the thread', () =>
      api.threads().find((t) => t.uri.endsWith('/src/app.ts') && t.startLine === 2),
    );
    assert.strictEqual(thread.endLine, 3);
    assert.deepStrictEqual(
      thread.comments.map((c) => c.body),
      ['why a template string?'],
    );
    assert.match(thread.comments[0]!.author, /ThreadViewer/);

    const before = sim.sent.length;
    // A double click: two replies at once, one goes out.
    const results = await Promise.all([
      api.replyInThread(thread.highlightId, 'it reads better'),
      api.replyInThread(thread.highlightId, 'it reads better'),
    ]);
    assert.deepStrictEqual(results.map((r) => r.sent).sort(), [false, true]);
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepStrictEqual(
      sim.sent.slice(before).map((s) => s.message),
      ['@threadviewer it reads better'],
    );
    const after = api.threads().find((t) => t.highlightId === thread.highlightId)!;
    assert.deepStrictEqual(
      after.comments.map((c) => c.body),
      ['why a template string?', '@threadviewer it reads better'],
    );
  });

  test('a reply that looks like a secret is not sent', async () => {
    await open('src/app.ts');
    sim.postChat({ user: 'KeyViewer', text: '!line 4 which key?' });
    const thread = await waitFor('the thread', () =>
      api.threads().find((t) => t.comments[0]?.body === 'which key?'),
    );
    const before = sim.sent.length;
    const result = await api.replyInThread(thread.highlightId, 'this one: AKIAIOSFODNN7EXAMPLE');
    assert.strictEqual(result.sent, false);
    await new Promise((r) => setTimeout(r, 500));
    assert.strictEqual(sim.sent.length, before);
  });

  test('threads follow edits, and go with the highlight when the viewer is purged', async () => {
    const editor = await open('src/app.ts');
    sim.postChat({ user: 'EditViewer', userId: '777001', text: '!line 6 add?' });
    const thread = await waitFor('the thread', () =>
      api.threads().find((t) => t.comments[0]?.body === 'add?'),
    );
    assert.strictEqual(thread.startLine, 6);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// one\n// two\n'));
    await waitFor('the thread moved down two lines', () =>
      api.threads().find((t) => t.highlightId === thread.highlightId && t.startLine === 8),
    );
    assert.ok(api.highlights().some((h) => h.id === thread.highlightId && h.startLine === 8));
    await vscode.commands.executeCommand('undo');

    sim.emitEvent('channel-ban', {
      user_id: '777001',
      user_login: 'editviewer',
      user_name: 'EditViewer',
      broadcaster_user_id: '424242',
      is_permanent: true,
      reason: 'test',
    });
    await waitFor(
      'the thread is gone',
      () => !api.threads().some((t) => t.highlightId === thread.highlightId),
    );
    assert.ok(!api.highlights().some((h) => h.id === thread.highlightId));
  });
  test('!file, !branch, !theme and !font are answered, each viewer rate-limited', async () => {
    const editor = await open('src/app.ts');
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    // Each question is answered at most every 15 s, whoever asks: the blocked-file test asked !file.
    await new Promise((r) => setTimeout(r, Math.max(0, lastFileQuestion + 15_500 - Date.now())));
    const before = sim.sent.length;
    sim.postChat({ user: 'AskingViewer', text: '!file' });
    sim.postChat({ user: 'AskingViewer', text: '!theme' });
    sim.postChat({ user: 'AskingViewer', text: '!font' });
    sim.postChat({ user: 'AskingViewer', text: '!branch' });
    sim.postChat({ user: 'AskingViewer', text: '!file' });
    const answers = await waitFor('four answers', () => {
      const mine = sim.sent.slice(before).filter((s) => s.message.startsWith('@askingviewer'));
      return mine.length >= 4 ? mine : undefined;
    });
    const texts = answers.map((a) => a.message);
    assert.ok(texts.includes('@askingviewer src/app.ts:3'), texts.join(' | '));
    assert.ok(
      texts.some((t) => t.startsWith('@askingviewer the theme is ')),
      texts.join(' | '),
    );
    assert.ok(
      texts.some((t) => /^@askingviewer .+, \d+px$/.test(t)),
      texts.join(' | '),
    );
    // The fixture may or may not sit in a git checkout: either answer, never a path.
    assert.ok(
      texts.some((t) => /^@askingviewer (on branch \S+|not on a git branch)$/.test(t)),
      texts.join(' | '),
    );
    await new Promise((r) => setTimeout(r, 2500));
    assert.strictEqual(
      sim.sent.slice(before).filter((s) => s.message === '@askingviewer src/app.ts:3').length,
      1,
      'the second !file was rate-limited',
    );
  });
});
