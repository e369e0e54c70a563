import * as vscode from 'vscode';
import { ChatHub } from '../core/chatHub';
import { Disposable, DisposableObject, MutableDisposable, toDisposable } from '../core/lifecycle';
import { ChatMessage } from '../core/message';

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
  ) {
    super();
    this._register(_hub.onDidApply(() => this._scheduleSave()));
    this._register(toDisposable(() => this._save()));
  }

  /** Puts the saved lines back into the hub (call once, before platforms connect). */
  restore(): number {
    const saved = this._state.get<ChatMessage[]>(KEY);
    if (!Array.isArray(saved)) return 0;
    for (const message of saved) {
      if (message && typeof message.id === 'string' && Array.isArray(message.parts)) this._hub.apply({ op: 'append', message });
    }
    return saved.length;
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
    void this._state.update(KEY, this._hub.messages.slice(-MAX_PERSISTED));
  }
}
