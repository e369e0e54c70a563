import type * as vscode from 'vscode';
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../../src/core/event';
import { EditorActivity, TYPING_QUIET_MS } from '../../../src/ui/editorActivity';
import { FakeClock } from '../core/fakeClock';

function setup() {
  const clock = new FakeClock();
  const edits = new Emitter<vscode.TextDocumentChangeEvent>();
  const caret = new Emitter<unknown>();
  const shown = { uri: 'file:///a.ts' } as unknown as vscode.TextDocument;
  const hidden = { uri: 'output:log' } as unknown as vscode.TextDocument;
  const activity = new EditorActivity(
    {
      onDidChangeTextDocument: edits.event,
      onDidMoveCaretByKeyboard: caret.event,
      visibleDocuments: () => [shown],
    },
    clock,
  );
  const edit = (document: vscode.TextDocument) =>
    edits.fire({ document, contentChanges: [{}], reason: undefined } as never);
  return { clock, activity, edit, caret, shown, hidden, edits };
}

describe('EditorActivity', () => {
  it('counts an edit of a shown document as typing, for TYPING_QUIET_MS', async () => {
    const t = setup();
    expect(t.activity.typing).toBe(false);
    t.edit(t.shown);
    expect(t.activity.typing).toBe(true);
    await t.clock.advance(TYPING_QUIET_MS - 1);
    expect(t.activity.typing).toBe(true);
    await t.clock.advance(1);
    expect(t.activity.typing).toBe(false);
  });

  it('ignores documents no editor shows (the log) and changes that change nothing', () => {
    const t = setup();
    t.edit(t.hidden);
    t.edits.fire({ document: t.shown, contentChanges: [], reason: undefined } as never);
    expect(t.activity.typing).toBe(false);
  });

  it('counts the caret moved by the keyboard', () => {
    const t = setup();
    t.caret.fire({});
    expect(t.activity.typing).toBe(true);
  });

  it('stops listening when disposed', () => {
    const t = setup();
    t.activity.dispose();
    t.edit(t.shown);
    expect(t.activity.typing).toBe(false);
  });
});
