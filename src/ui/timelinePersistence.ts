import type * as vscode from 'vscode';
import { ChatHub } from '../core/chatHub';
import { Disposable, DisposableObject, MutableDisposable, toDisposable } from '../core/lifecycle';
import { Logger, nullLogger } from '../core/log';
import { boundStoredTimeline, readStoredTimeline } from '../core/storedTimeline';

const KEY = 'streamChat.timeline';
/** At most this many lines are kept across window reloads (workspaceState is not a database). */
const MAX_PERSISTED = 1000;
const SAVE_DELAY_MS = 2000;

/**
 * Keeps the chat across window reloads: the last lines of the timeline go to workspaceState
 * (debounced, and once more on dispose) and come back into the hub on activation, so a reload
 * of the window, not only of the view, loses nothing.
 */
export class TimelinePersistence extends DisposableObject {
  private readonly _saveTimer = this._register(new MutableDisposable<Disposable>());

  constructor(
    private readonly _hub: ChatHub,
    private readonly _state: vscode.Memento,
    private readonly _log: Logger = nullLogger,
  ) {
    super();
    this._register(_hub.onDidApply(() => this._scheduleSave()));
    this._register(toDisposable(() => this._save()));
  }

  /** Puts the saved lines back into the hub (call once, before platforms connect). */
  restore(): number {
    // Checked entry by entry: one bad line is dropped and logged, the rest come back.
    const { messages, dropped } = readStoredTimeline(this._state.get<unknown>(KEY));
    if (dropped.length > 0)
      this._log.warn(
        `the saved chat had ${dropped.length} unreadable entr${dropped.length === 1 ? 'y' : 'ies'}, dropped: ${dropped.slice(0, 5).join('; ')}`,
      );
    for (const message of messages) this._hub.apply({ op: 'append', message });
    return messages.length;
  }

  private _scheduleSave(): void {
    if (this._saveTimer.value) return;
    const handle = setTimeout(() => {
      this._saveTimer.value = undefined;
      this._save();
    }, SAVE_DELAY_MS);
    this._saveTimer.value = toDisposable(() => clearTimeout(handle));
  }

  private _save(): void {
    void this._state.update(KEY, boundStoredTimeline(this._hub.messages.slice(-MAX_PERSISTED)));
  }
}
