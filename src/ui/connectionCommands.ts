import * as vscode from 'vscode';
import { ChatHub } from '../core/chatHub';
import { FailureNotifier } from './failureNotifier';

async function offerSettings(): Promise<void> {
  const open = vscode.l10n.t('Open Settings');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t(
      'Stream Chat: no platform is enabled. Enable Glimesh, Mixer or TAU in the settings first.',
    ),
    open,
  );
  if (choice === open)
    await vscode.commands.executeCommand('workbench.action.openSettings', 'streamChat');
}

/** Connect / Disconnect / the status item's toggle. Each returns what it did, for tests and keybindings. */
export function registerConnectionCommands(
  hub: ChatHub,
  failures: FailureNotifier,
): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('streamChat.toggleConnection', async () => {
      if (hub.aggregate.enabled === 0) {
        void offerSettings();
        return 'none-enabled';
      }
      if (!hub.isAnyActive) failures.connectRequested();
      return hub.toggle();
    }),
    vscode.commands.registerCommand('streamChat.connect', async () => {
      if (hub.aggregate.enabled === 0) {
        void offerSettings();
        return 'none-enabled';
      }
      failures.connectRequested();
      hub.connectAll();
      return 'connected';
    }),
    vscode.commands.registerCommand('streamChat.disconnect', () => {
      hub.disconnectAll();
      return 'disconnected';
    }),
  );
}
