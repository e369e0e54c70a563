import * as vscode from 'vscode';
import type { ChatHub } from '../core/chatHub';
import type { Logger } from '../core/log';
import { PLATFORM_LABELS, PlatformId } from '../core/message';
import { OUTGOING_RULES, lengthOf } from '../outgoing/limits';
import { pickDestination, platformArgument } from './destinationPicker';

/** What the send commands need from the composition root. */
export interface SendCommandDeps {
  readonly hub: ChatHub;
  readonly log: Logger;
  readonly context: Pick<vscode.ExtensionContext, 'workspaceState'>;
}

/** `executeCommand('streamChat.sendMessage', args)`: both given, nothing is asked. */
export interface SendMessageArgs {
  readonly platform?: string;
  readonly text?: string;
}

/** The longest message a platform takes now: the connected client's figure, else the documented rule. */
export function currentMaxLength(hub: ChatHub, platform: PlatformId): number {
  const stated = hub.status(platform).send.maxLength;
  return stated > 0 ? stated : OUTGOING_RULES[platform].maxLength;
}

/** The input box's check as the streamer types: undefined when the text fits. */
export function lengthProblem(platform: PlatformId, text: string, maxLength: number): string | undefined {
  const length = lengthOf(text);
  return length > maxLength ? `${PLATFORM_LABELS[platform]} takes at most ${maxLength} characters (${length}).` : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * `Send Message…`. With `{ platform, text }` it sends without prompts, resolves `true`, and
 * rejects with the platform's own error (a `ChatError` whose message is fit to show) when the
 * send fails; with `{ text }` only, the destination is picked first. Without arguments: pick a
 * destination, type in an input box that checks the length as you type, send; failures are shown
 * as an error notification and the command resolves `false`.
 */
export function registerSendMessageCommand(deps: SendCommandDeps): vscode.Disposable {
  const { hub, log, context } = deps;
  return vscode.commands.registerCommand('streamChat.sendMessage', async (args?: SendMessageArgs): Promise<boolean> => {
    const requested = platformArgument(args?.platform);
    if (typeof args?.text === 'string') {
      const platform = requested ?? (await pickDestination(hub, context));
      if (!platform) return false;
      await hub.send(platform, args.text); // the platform's ChatError reaches the caller as is
      return true;
    }

    const platform = requested ?? (await pickDestination(hub, context));
    if (!platform) return false;
    const text = await vscode.window.showInputBox({
      title: `Stream Chat: message to ${PLATFORM_LABELS[platform]}`,
      placeHolder: 'Type a message and press Enter',
      ignoreFocusOut: true,
      validateInput: (value) => lengthProblem(platform, value, currentMaxLength(hub, platform)),
    });
    if (text === undefined || text.trim() === '') return false;
    try {
      await hub.send(platform, text);
      return true;
    } catch (error) {
      log.warn(`send message to ${platform} failed: ${messageOf(error)}`);
      void vscode.window.showErrorMessage(`Stream Chat: ${messageOf(error)}`);
      return false;
    }
  });
}
