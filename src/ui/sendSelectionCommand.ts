import * as vscode from 'vscode';
import { systemClock } from '../core/clock';
import { PLATFORM_LABELS, PlatformId } from '../core/message';
import { RateLimiter } from '../core/rateLimiter';
import { DEFAULT_BLOCKED_FILES, blockedFilePattern } from '../outgoing/blockedFiles';
import { OUTGOING_RULES } from '../outgoing/limits';
import { describeFindings, scanForSecrets } from '../outgoing/secretScanner';
import { CONFIRM_ABOVE_PARTS, planMessages, selectionHeader } from '../outgoing/splitter';
import { pickDestination, platformArgument } from './destinationPicker';
import type { SendCommandDeps } from './sendMessageCommand';

/**
 * `executeCommand('streamChat.sendSelection', args)`, for tests and keybindings. Without args
 * every question is a modal dialog.
 */
export interface SendSelectionArgs {
  /** `glimesh`, `mixer` or `tau`; omitted: the destination picker. */
  readonly platform?: string;
  /**
   * `false`: every question is answered "don't send" without a dialog (the secret warning, the
   * part count). `true`: the part count is answered "send" without a dialog; a secret warning is
   * still shown unless `sendAnyway` is also true.
   */
  readonly confirm?: boolean;
  /** With `confirm: true`, sends despite a secret warning, without a dialog. For tests; never in a keybinding. */
  readonly sendAnyway?: boolean;
}

/** Why nothing (or not everything) was sent. */
export type SendSelectionRefusal = 'no editor' | 'empty' | 'secret' | 'no destination' | 'cancelled' | 'busy' | 'failed';

/** What Send Selection did; the command resolves to it. */
export interface SendSelectionResult {
  /** Messages the platform accepted, in order. */
  readonly sent: number;
  /** How many parts were planned (absent when it stopped before planning). */
  readonly total?: number;
  readonly platform?: PlatformId;
  readonly refused?: SendSelectionRefusal;
  /** With `refused: 'failed'`: the platform's sentence. */
  readonly error?: string;
}

/** The selection (or the cursor's line) and where it is. */
interface Selected {
  readonly text: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly relativePath: string;
}

function selected(editor: vscode.TextEditor): Selected {
  const { document, selection } = editor;
  // One selection: the primary one; with none, the cursor's line.
  const range = selection.isEmpty ? document.lineAt(selection.active.line).range : selection;
  // A selection ending at the start of a line does not include that line.
  const lastLine = range.end.line > range.start.line && range.end.character === 0 ? range.end.line - 1 : range.end.line;
  return {
    text: document.getText(range),
    startLine: range.start.line + 1,
    endLine: lastLine + 1,
    relativePath: vscode.workspace.asRelativePath(document.uri, false),
  };
}

/**
 * `Send Selection to Chat`: the selection or the current line, with a `path:lines` header
 * (`streamChat.sendSelection.includeHeader`), checked first against blocked files and the
 * secret scanner (a hit asks, naming kinds and lines, never values, with "Don't Send" as the
 * default button), split for the destination, more than 5 parts confirmed first, then sent in
 * order under a cancellable progress notification, paced per platform. Resolves a
 * `SendSelectionResult`; one send at a time.
 */
export function registerSendSelectionCommand(deps: SendCommandDeps): vscode.Disposable {
  const { hub, log, context } = deps;
  // Shared by every run, so two sends in a row are still paced.
  const limiters = new Map<PlatformId, RateLimiter>();
  const limiterFor = (platform: PlatformId) => {
    let limiter = limiters.get(platform);
    if (!limiter) {
      const { messages, windowMs } = OUTGOING_RULES[platform].pace;
      limiter = new RateLimiter(messages, windowMs, systemClock);
      limiters.set(platform, limiter);
    }
    return limiter;
  };
  let busy = false;

  /**
   * A modal whose first (default, Enter) button is the safe answer; Escape and the dialog's own
   * Cancel decline too. Not `isCloseAffordance` on "Don't Send": VS Code would move it last and
   * make "Send Anyway" the Enter button.
   */
  const ask = async (answer: boolean | undefined, message: string, detail: string, action: string): Promise<boolean> => {
    if (answer !== undefined) return answer;
    const no: vscode.MessageItem = { title: "Don't Send" };
    const yes: vscode.MessageItem = { title: action };
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, no, yes)) === yes;
  };

  return vscode.commands.registerCommand('streamChat.sendSelection', async (args?: SendSelectionArgs): Promise<SendSelectionResult> => {
    if (busy) {
      void vscode.window.showInformationMessage('Stream Chat: still sending the last selection; cancel it from its notification first.');
      return { sent: 0, refused: 'busy' };
    }
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Stream Chat: open a file and select the code to send.');
      return { sent: 0, refused: 'no editor' };
    }
    const source = selected(editor);
    if (source.text.trim() === '') return { sent: 0, refused: 'empty' };
    const config = vscode.workspace.getConfiguration('streamChat.sendSelection');

    // The guard comes first: nothing about a secret-looking selection reaches a platform unasked.
    const blockedBy = blockedFilePattern(source.relativePath, config.get<unknown[]>('blockedFiles', [...DEFAULT_BLOCKED_FILES]));
    const findings = scanForSecrets(source.text, { firstLine: source.startLine });
    if (blockedBy || findings.length > 0) {
      const what = [...(blockedBy ? [`the file matches the blocked pattern ${blockedBy}`] : []), ...(findings.length > 0 ? [describeFindings(findings)] : [])];
      const answer = args?.confirm === true ? (args.sendAnyway === true ? true : undefined) : args?.confirm;
      const go = await ask(answer, 'Stream Chat: this looks like a secret. Nothing has been sent.', `Found: ${what.join('; ')}.\n\nSend it to chat anyway?`, 'Send Anyway');
      // Kinds and line numbers only: the log never holds the value either.
      log.info(`send selection: ${go ? 'sent anyway' : 'refused'} (${what.join('; ')}) in ${source.relativePath}`);
      if (!go) return { sent: 0, refused: 'secret' };
    }

    const platform = platformArgument(args?.platform) ?? (await pickDestination(hub, context));
    if (!platform) return { sent: 0, refused: 'no destination' };
    const header = config.get<boolean>('includeHeader', true) ? selectionHeader(source.relativePath, source.startLine, source.endLine) : undefined;
    const clientMax = hub.status(platform).send.maxLength;
    const maxLength = clientMax > 0 ? Math.min(clientMax, OUTGOING_RULES[platform].maxLength) : OUTGOING_RULES[platform].maxLength;
    const parts = planMessages(source.text, { platform, header, maxLength });
    const total = parts.length;
    if (total === 0) return { sent: 0, total, platform, refused: 'empty' };
    if (total > CONFIRM_ABOVE_PARTS) {
      const { messages, windowMs } = OUTGOING_RULES[platform].pace;
      const seconds = Math.ceil(((total - 1) * windowMs) / messages / 1000);
      const go = await ask(
        args?.confirm,
        `Stream Chat: send ${total} messages to ${PLATFORM_LABELS[platform]}?`,
        `The selection is split into ${total} messages, sent in order over about ${seconds} s.`,
        `Send ${total} Messages`,
      );
      if (!go) return { sent: 0, total, platform, refused: 'cancelled' };
    }

    busy = true;
    let sent = 0;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Stream Chat: sending to ${PLATFORM_LABELS[platform]}`, cancellable: true },
        async (progress, token) => {
          for (const part of parts) {
            await limiterFor(platform).acquire();
            if (token.isCancellationRequested) break;
            await hub.send(platform, part);
            sent++;
            progress.report({ message: `${sent} of ${total}`, increment: 100 / total });
          }
        },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`Stream Chat: sent ${sent} of ${total} to ${PLATFORM_LABELS[platform]}; then: ${message}`);
      return { sent, total, platform, refused: 'failed', error: message };
    } finally {
      busy = false;
    }
    return sent < total ? { sent, total, platform, refused: 'cancelled' } : { sent, total, platform };
  });
}
