import * as vscode from 'vscode';
import { WALKTHROUGH_ID } from './walkthroughContext';

/** globalState key: the walkthrough was offered (synced, so a second machine does not ask again). */
export const WALKTHROUGH_OFFERED_KEY = 'streamChat.walkthroughOffered';

export interface FirstRunDeps {
  readonly globalState: vscode.Memento & { setKeysForSync(keys: readonly string[]): void };
  /** Whether any platform is enabled now. */
  readonly anyEnabled: () => boolean;
}

/**
 * On the first activation with no platform enabled, offers the walkthrough once. The flag is set
 * before asking, so a dismissed or ignored notification is not shown again.
 */
export async function offerWalkthroughOnce(
  deps: FirstRunDeps,
): Promise<'offered' | 'opened' | 'skipped'> {
  deps.globalState.setKeysForSync([WALKTHROUGH_OFFERED_KEY]);
  if (deps.anyEnabled() || deps.globalState.get<boolean>(WALKTHROUGH_OFFERED_KEY, false))
    return 'skipped';
  await deps.globalState.update(WALKTHROUGH_OFFERED_KEY, true);
  const open = vscode.l10n.t('Open Walkthrough');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t(
      'Stream Chat: set up your first platform (channel, token, connect) with a short walkthrough.',
    ),
    open,
  );
  if (choice !== open) return 'offered';
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  return 'opened';
}
