import * as vscode from 'vscode';
import { ChatHub } from '../core/chatHub';
import { DisposableObject } from '../core/lifecycle';
import { PLATFORM_LABELS, PlatformId } from '../core/message';

/** A failure shortly after the user asked to connect deserves a notification; later ones do not. */
const WINDOW_MS = 60_000;

/**
 * Says once, as a notification with the fix at hand (Set Token…, Open Settings, Show Log), when
 * a platform fails right after the user asked to connect. Failures at other times show only in
 * the status item and the chat view, so a flaky night does not bury the streamer in toasts.
 */
export class FailureNotifier extends DisposableObject {
  private _requestedAt = 0;
  private readonly _notified = new Set<PlatformId>();

  constructor(
    private readonly _hub: ChatHub,
    /** A failure that already asks the streamer something (a token held back from a foreign server). */
    private readonly _hasOwnPrompt: (platform: PlatformId) => boolean = () => false,
  ) {
    super();
    this._register(_hub.onDidChangeStatus((platform) => this._check(platform)));
  }

  /** The user just asked to connect: failures in the next minute get a notification. */
  connectRequested(): void {
    this._requestedAt = Date.now();
    this._notified.clear();
  }

  private _check(platform: PlatformId): void {
    const { state } = this._hub.status(platform);
    if (
      state.kind !== 'failed' ||
      this._hasOwnPrompt(platform) ||
      Date.now() - this._requestedAt > WINDOW_MS ||
      this._notified.has(platform)
    )
      return;
    this._notified.add(platform);
    const setToken = vscode.l10n.t('Set Token…');
    const openSettings = vscode.l10n.t('Open Settings');
    const showLog = vscode.l10n.t('Show Log');
    const actions =
      state.category === 'auth'
        ? [setToken, showLog]
        : state.category === 'config'
          ? [openSettings, showLog]
          : [showLog];
    void vscode.window
      .showErrorMessage(
        vscode.l10n.t('Stream Chat: {0}: {1}', PLATFORM_LABELS[platform], state.message),
        ...actions,
      )
      .then((choice) => {
        if (choice === setToken)
          void vscode.commands.executeCommand('streamChat.setToken', { platform });
        else if (choice === openSettings)
          void vscode.commands.executeCommand(
            'workbench.action.openSettings',
            `streamChat.${platform}`,
          );
        else if (choice === showLog) void vscode.commands.executeCommand('streamChat.showLog');
      });
  }
}
