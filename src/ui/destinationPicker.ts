import * as vscode from 'vscode';
import type { ChatHub } from '../core/chatHub';
import { PLATFORM_LABELS, PlatformId, isPlatformId } from '../core/message';
import { planDestination } from '../outgoing/destinations';

/** Where the last chosen destination is remembered (per workspace: a project is usually streamed to one place). */
export const LAST_DESTINATION_KEY = 'streamChat.lastDestination';

/** Options for `pickDestination`. */
export interface PickDestinationOptions {
  /** Remember a choice made in the quick pick and offer it first next time (default true). */
  readonly remember?: boolean;
  /** The quick pick's title (default "Stream Chat: send to"). */
  readonly title?: string;
}

/**
 * A platform that can send now: the only one that can, or the streamer's pick when several can
 * (the last choice first). When none can, shows an error naming why for each enabled platform
 * and returns undefined; undefined too when the pick is dismissed.
 */
export async function pickDestination(
  hub: ChatHub,
  context: Pick<vscode.ExtensionContext, 'workspaceState'>,
  options: PickDestinationOptions = { remember: true },
): Promise<PlatformId | undefined> {
  const last = context.workspaceState.get<string>(LAST_DESTINATION_KEY);
  const plan = planDestination(hub.statuses, last);
  switch (plan.kind) {
    case 'none':
      void vscode.window.showErrorMessage(plan.message);
      return undefined;
    case 'one':
      return plan.platform;
    case 'pick': {
      const items = plan.platforms.map((platform) => ({
        label: PLATFORM_LABELS[platform],
        description: `up to ${hub.status(platform).send.maxLength} characters${platform === last ? ' · last used' : ''}`,
        platform,
      }));
      const picked = await vscode.window.showQuickPick(items, { title: options.title ?? 'Stream Chat: send to', placeHolder: 'Where to send' });
      if (picked && (options.remember ?? true)) await context.workspaceState.update(LAST_DESTINATION_KEY, picked.platform);
      return picked?.platform;
    }
  }
}

/** A command argument's platform: undefined when absent; an error naming the valid ids when wrong. */
export function platformArgument(value: unknown): PlatformId | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!isPlatformId(value)) throw new Error(`Stream Chat: unknown platform "${String(value)}"; use glimesh, mixer or tau.`);
  return value;
}
