import * as vscode from 'vscode';
import { ChatHub } from '../core/chatHub';
import { DisposableObject, toDisposable } from '../core/lifecycle';
import { PLATFORM_LABELS } from '../core/message';
import { describeState } from '../core/state';
import type { ScreenGuardStatus } from './screenGuard';
import { TokenStore } from './tokenStore';

export const TOGGLE_COMMAND = 'streamChat.toggleConnection';

function screenGuardLine(status: ScreenGuardStatus): string {
  switch (status) {
    case 'masking':
      return vscode.l10n.t('Screen guard: on, secrets in editors are masked');
    case 'armed':
      return vscode.l10n.t('Screen guard: masks secrets in editors while live');
    case 'off':
      return vscode.l10n.t('Screen guard: off (streamChat.screenGuard.enabled)');
  }
}

/**
 * The status-bar item: the aggregate connection state as codicon + short text, a tooltip with
 * each platform's state and whether a token is set (never the token), click = toggle.
 */
export class ConnectionStatusItem extends DisposableObject {
  private readonly _item: vscode.StatusBarItem;
  private _screenGuard: ScreenGuardStatus = 'off';

  constructor(
    private readonly _hub: ChatHub,
    private readonly _tokens: TokenStore,
  ) {
    super();
    this._item = vscode.window.createStatusBarItem(
      'streamChat.status',
      vscode.StatusBarAlignment.Left,
      100,
    );
    this._item.name = vscode.l10n.t('Stream Chat');
    this._item.command = TOGGLE_COMMAND;
    this._register(toDisposable(() => this._item.dispose()));
    this._register(_hub.onDidChangeStatus(() => this.update()));
    this._register(_tokens.onDidChange(() => this.update()));
    this.update();
    this._item.show();
  }

  /** Shows the screen guard's status: a shield while it masks secrets (see screenGuard.ts). */
  setScreenGuard(status: ScreenGuardStatus): void {
    this._screenGuard = status;
    this.update();
  }

  update(): void {
    const a = this._hub.aggregate;
    let icon: string;
    let text: string;
    let background: vscode.ThemeColor | undefined;
    if (a.enabled === 0) {
      icon = 'comment-discussion';
      text = vscode.l10n.t('Chat');
    } else if (a.failed > 0) {
      icon = 'error';
      text =
        a.connected > 0
          ? vscode.l10n.t('Chat {0}/{1}', a.connected, a.enabled)
          : vscode.l10n.t('Chat failed');
      background = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (a.reconnecting > 0) {
      icon = 'sync~spin';
      text = vscode.l10n.t('Chat reconnecting');
      background = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else if (a.connecting > 0) {
      icon = 'sync~spin';
      text = vscode.l10n.t('Chat connecting');
    } else if (a.connected > 0) {
      icon = 'broadcast';
      text = vscode.l10n.t('Chat {0} live', a.connected);
    } else {
      icon = 'debug-disconnect';
      text = vscode.l10n.t('Chat off');
    }
    this._item.text = `$(${icon}) ${text}${this._screenGuard === 'masking' ? ' $(shield)' : ''}`;
    this._item.backgroundColor = background;
    this._item.tooltip = this.tooltip();
    this._item.accessibilityInformation = {
      label: vscode.l10n.t('Stream Chat: {0}. {1}', text, this.tooltip()),
      role: 'button',
    };
  }

  /** Plain text: one line per platform, then what a click does. */
  tooltip(): string {
    const lines = [vscode.l10n.t('Stream Chat')];
    for (const status of this._hub.statuses) {
      const token = this._tokens.hasToken(status.platform);
      const tokenText =
        token === undefined
          ? ''
          : token
            ? vscode.l10n.t(' · token set')
            : vscode.l10n.t(' · token not set');
      const state = status.enabled
        ? describeState(status.state, vscode.l10n.t)
        : vscode.l10n.t('not enabled');
      lines.push(`${PLATFORM_LABELS[status.platform]}: ${state}${tokenText}`);
    }
    lines.push(screenGuardLine(this._screenGuard));
    lines.push(
      this._hub.aggregate.enabled === 0
        ? vscode.l10n.t('Click to enable a platform in settings.')
        : this._hub.isAnyActive
          ? vscode.l10n.t('Click to disconnect.')
          : vscode.l10n.t('Click to connect.'),
    );
    return lines.join('\n');
  }
}
