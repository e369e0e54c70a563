import * as vscode from 'vscode';
import type { ChatHub } from '../core/chatHub';
import type { Logger } from '../core/log';
import { PLATFORM_LABELS } from '../core/message';
import { messageProblem } from '../outgoing/limits';
import { pickDestination, platformArgument } from './destinationPicker';

/** What the send commands need from the composition root. */
export interface SendCommandDeps {
  readonly hub: ChatHub;
  readonly log: Logger;
  readonly context: vscode.ExtensionContext;
}

/** `executeCommand('streamChat.sendMessage', args)`: with `text` it sends without an input box. */
export interface SendMessageArgs {
  /** `glimesh`, `mixer` or `tau`; omitted: the destination picker (no prompt when one platform can send). */
  readonly platform?: string;
  readonly text?: string;
}

/**
 * `Send Message…`. Interactive: destination, then an input box that checks the destination's
 * length as the streamer types; a refusal is shown as the platform's own sentence. With
 * `{ platform, text }`: sends without prompts and resolves `true`, or rejects with the platform's
 * sentence (too long, not connected, the server's refusal) so callers and tests can assert it.
 * Resolves `false` when the streamer dismissed a prompt.
 */
export function registerSendMessageCommand(deps: SendCommandDeps): vscode.Disposable {
  const { hub, context } = deps;
  return vscode.commands.registerCommand('streamChat.sendMessage', async (args?: SendMessageArgs): Promise<boolean> => {
    if (args?.text !== undefined) {
      if (typeof args.text !== 'string' || args.text.trim() === '') throw new Error('Stream Chat: nothing to send (the text is empty).');
      const platform = platformArgument(args.platform) ?? (await pickDestination(hub, context));
      if (!platform) return false;
      await hub.send(platform, args.text);
      return true;
    }

    const platform = platformArgument(args?.platform) ?? (await pickDestination(hub, context));
    if (!platform) return false;
    const { send } = hub.status(platform);
    if (!send.canSend) {
      void vscode.window.showErrorMessage(`Stream Chat: ${send.reason ?? `${PLATFORM_LABELS[platform]} cannot send right now.`}`);
      return false;
    }
    const maxLength = send.maxLength;
    const text = await vscode.window.showInputBox({
      title: `Stream Chat: message to ${PLATFORM_LABELS[platform]}`,
      prompt: `Up to ${maxLength} characters`,
      placeHolder: 'Type a message',
      ignoreFocusOut: true,
      validateInput: (value) => messageProblem(platform, value, maxLength),
    });
    if (text === undefined || text.trim() === '') return false;
    try {
      await hub.send(platform, text);
      return true;
    } catch (error) {
      void vscode.window.showErrorMessage(`Stream Chat: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  });
}
