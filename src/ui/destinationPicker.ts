import * as vscode from 'vscode';
import type { ChatHub } from '../core/chatHub';
import { PLATFORM_LABELS, PlatformId, isPlatformId } from '../core/message';
import { planDestination } from '../outgoing/destinations';

/** Where the last chosen destination is remembered (per workspace). */
export const LAST_DESTINATION_KEY = 'streamChat.lastDestination';

interface DestinationItem extends vscode.QuickPickItem {
  readonly platform: PlatformId;
}

/**
 * A platform that can send now: the only one, or the streamer's pick when several can (the last
 * choice first). When none can, an error names why for each enabled platform, and the answer is
 * undefined. Escape in the pick is undefined too.
 */
export async function pickDestination(hub: ChatHub, context: Pick<vscode.ExtensionContext, 'workspaceState'>): Promise<PlatformId | undefined> {
  const last = context.workspaceState.get<unknown>(LAST_DESTINATION_KEY);
  const plan = planDestination(hub.statuses, last);
  switch (plan.kind) {
    case 'none':
      void vscode.window.showErrorMessage(plan.message);
      return undefined;
    case 'one':
      return plan.platform;
    case 'pick': {
      const items: DestinationItem[] = plan.platforms.map((platform) => ({
        platform,
        label: PLATFORM_LABELS[platform],
        description: platform === last ? 'last used' : undefined,
        detail: `up to ${hub.status(platform).send.maxLength} characters a message`,
      }));
      const picked = await vscode.window.showQuickPick(items, { title: 'Stream Chat: send to', placeHolder: 'Choose where to send' });
      if (!picked) return undefined;
      await context.workspaceState.update(LAST_DESTINATION_KEY, picked.platform);
      return picked.platform;
    }
  }
}

/**
 * A `platform` argument from `executeCommand`: undefined when absent; an unknown id throws (a
 * keybinding with a typo should say so, not silently ask).
 */
export function platformArgument(value: unknown): PlatformId | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!isPlatformId(value)) throw new Error(`Stream Chat: unknown platform "${String(value)}"; use glimesh, mixer or tau.`);
  return value;
}
