import * as vscode from 'vscode';
import { DisposableObject, MutableDisposable } from '../core/lifecycle';
import { ChatViewConnection, ChatViewDeps } from './chatViewConnection';
import { getWebviewHtml, webviewOptions } from './webviewHtml';

/** `Open Chat in Editor`: the same chat page as an editor-area panel; one at a time, revealed if open. */
export class ChatPanel extends DisposableObject {
  static readonly viewType = 'streamChat.chatPanel';

  private _panel: vscode.WebviewPanel | undefined;
  private readonly _connection = this._register(new MutableDisposable<ChatViewConnection>());
  private readonly _panelListeners = this._register(new MutableDisposable<vscode.Disposable>());

  constructor(
    private readonly _extensionUri: vscode.Uri,
    private readonly _deps: ChatViewDeps,
  ) {
    super();
  }

  show(): vscode.WebviewPanel {
    if (this._panel) {
      this._panel.reveal();
      return this._panel;
    }
    const panel = vscode.window.createWebviewPanel(
      ChatPanel.viewType,
      'Stream Chat',
      vscode.ViewColumn.Beside,
      webviewOptions(this._extensionUri),
    );
    panel.iconPath = vscode.Uri.joinPath(this._extensionUri, 'media', 'chat.svg');
    this._panel = panel;
    const connection = new ChatViewConnection(panel.webview, this._deps);
    this._connection.value = connection;
    panel.webview.html = getWebviewHtml(panel.webview, this._extensionUri);
    this._panelListeners.value = vscode.Disposable.from(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) connection.reset();
      }),
      panel.onDidDispose(() => {
        this._panel = undefined;
        this._connection.clear();
        this._panelListeners.clear();
      }),
    );
    return panel;
  }

  override dispose(): void {
    this._panel?.dispose();
    super.dispose();
  }
}
