import type * as vscode from 'vscode';
import { Clock, monotonicNow, systemClock } from '../core/clock';
import { DisposableObject } from '../core/lifecycle';

/** How long after the last keystroke in an editor the streamer still counts as typing. */
export const TYPING_QUIET_MS = 750;

/** What the activity needs of VS Code (the `vscode` namespaces; fakes in tests). */
export interface EditorEvents {
  readonly onDidChangeTextDocument: vscode.Event<vscode.TextDocumentChangeEvent>;
  /** The caret moved by the keyboard (a selection change of kind Keyboard). */
  readonly onDidMoveCaretByKeyboard: vscode.Event<unknown>;
  visibleDocuments(): readonly vscode.TextDocument[];
}

/**
 * Whether the streamer is typing in an editor now: an edit of a document shown in an editor, or
 * the caret moved by the keyboard, within `TYPING_QUIET_MS`. In a browser-hosted VS Code the chat
 * view shares the editor's renderer, so the chat connection posts less often while this holds.
 */
export class EditorActivity extends DisposableObject {
  private _lastKeyAt = Number.NEGATIVE_INFINITY;

  constructor(
    events: EditorEvents,
    private readonly _clock: Clock = systemClock,
  ) {
    super();
    this._register(
      events.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && events.visibleDocuments().includes(e.document))
          this._key();
      }),
    );
    this._register(events.onDidMoveCaretByKeyboard(() => this._key()));
  }

  get typing(): boolean {
    return monotonicNow(this._clock) - this._lastKeyAt < TYPING_QUIET_MS;
  }

  private _key(): void {
    this._lastKeyAt = monotonicNow(this._clock);
  }
}
