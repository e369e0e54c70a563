import * as vscode from 'vscode';
import { DisposableObject, MutableDisposable, toDisposable } from '../core/lifecycle';
import { ChatViewConnection, ChatViewDeps } from './chatViewConnection';
import { getWebviewHtml, webviewOptions } from './webviewHtml';

/** The chat as a `WebviewView` in its own bottom-panel container (users may drag it elsewhere). */
export class ChatViewProvider extends DisposableObject implements vscode.WebviewViewProvider {
  static readonly viewType = 'streamChat.chat';

  private _view: vscode.WebviewView | undefined;
  private readonly _connection = this._register(new MutableDisposable<ChatViewConnection>());
  private readonly _viewListeners = this._register(new MutableDisposable<vscode.Disposable>());
  private _unread = 0;
  /** A composer focus asked for before VS Code resolved the view. */
  private _focusOnResolve = false;

  constructor(
    private readonly _extensionUri: vscode.Uri,
    private readonly _deps: ChatViewDeps,
  ) {
    super();
    this._register(vscode.window.registerWebviewViewProvider(ChatViewProvider.viewType, this));
    // Count what arrives while the view is hidden (its page is gone then), for the badge.
    this._register(
      _deps.hub.onDidApply((op) => {
        if (
          op.op === 'append' &&
          op.message.kind !== 'system' &&
          this._view &&
          !this._view.visible
        ) {
          this._setUnread(this._unread + 1);
        }
      }),
    );
    this._register(toDisposable(() => (this._view = undefined)));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this._view = view;
    view.webview.options = webviewOptions(this._extensionUri);
    const connection = new ChatViewConnection(view.webview, this._deps);
    this._connection.value = connection;
    if (this._focusOnResolve) {
      this._focusOnResolve = false;
      connection.focusComposer();
    }
    connection.onDidRead(() => this._setUnread(0));
    view.webview.html = getWebviewHtml(view.webview, this._extensionUri);
    const listeners = [
      view.onDidChangeVisibility(() => {
        // Without retainContextWhenHidden the page is destroyed when hidden and reloads
        // (posting `ready` again) when shown: drop what it can no longer receive.
        if (view.visible) this._setUnread(0);
        else connection.reset();
      }),
      view.onDidDispose(() => {
        if (this._view === view) {
          this._view = undefined;
          this._connection.clear();
          this._viewListeners.clear();
        }
      }),
    ];
    this._viewListeners.value = vscode.Disposable.from(...listeners);
  }

  /** Asks the page to focus its composer (once it is ready, if it is still loading). */
  focusComposer(): void {
    if (this._connection.value) this._connection.value.focusComposer();
    else this._focusOnResolve = true;
  }

  /** `streamChat.focusComposer`: reveals the view (resolving it if needed), then focuses its composer. */
  async revealComposer(): Promise<void> {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewType}.focus`);
    this.focusComposer();
  }

  private _setUnread(count: number): void {
    this._unread = count;
    if (this._view) {
      this._view.badge =
        count > 0
          ? {
              value: count,
              tooltip:
                count === 1
                  ? vscode.l10n.t('1 new chat message')
                  : vscode.l10n.t('{0} new chat messages', count),
            }
          : undefined;
    }
  }
}
