import * as vscode from 'vscode';
import { systemClock } from '../core/clock';
import { PLATFORM_LABELS, PlatformId } from '../core/message';
import { RateLimiter } from '../core/rateLimiter';
import { DEFAULT_BLOCKED_FILES, blockedFilePattern } from '../outgoing/blockedFiles';
import { OUTGOING_RULES } from '../outgoing/limits';
import { describeFindings, scanForSecrets } from '../outgoing/secretScanner';
import { CONFIRM_ABOVE_PARTS, planMessages, selectionHeader } from '../outgoing/splitter';
import { pickDestination, platformArgument } from './destinationPicker';
import { SendCommandDeps, currentMaxLength } from './sendMessageCommand';

/**
 * `executeCommand('streamChat.sendSelection', args)`: `platform` skips the pick; `confirm: true`
 * answers every modal "send", `confirm: false` answers "cancel" (tests never wait on a dialog).
 */
export interface SendSelectionArgs {
  readonly platform?: string;
  readonly confirm?: boolean;
}

/**
 * What Send Selection did. `refused`: `no editor`, `empty`, `secret` (a finding or a blocked file,
 * declined), `no destination`, `cancelled` (the part count declined, or cancelled while sending),
 * or the platform's sentence when a send failed part-way.
 */
export interface SendSelectionResult {
  readonly sent: number;
  readonly refused?: string;
}

/** What the selection is, in editor terms. */
interface Selected {
  readonly text: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
}

function selected(editor: vscode.TextEditor): Selected {
  const { document, selection } = editor;
  if (selection.isEmpty) {
    const line = document.lineAt(selection.active.line);
    return { text: line.text, startLine: line.lineNumber + 1, endLine: line.lineNumber + 1 };
  }
  // A selection ending at column 0 of the next line (triple-click, Shift+Down) does not include that line.
  const endsAtLineStart = selection.end.character === 0 && selection.end.line > selection.start.line;
  return { text: document.getText(selection), startLine: selection.start.line + 1, endLine: selection.end.line + (endsAtLineStart ? 0 : 1) };
}

/**
 * The path shown in the header: workspace-relative. A file outside the workspace shows only its
 * name (an absolute path would put the streamer's home folder on stream).
 */
function displayPath(uri: vscode.Uri): string {
  if (vscode.workspace.getWorkspaceFolder(uri)) return vscode.workspace.asRelativePath(uri, vscode.workspace.workspaceFolders!.length > 1);
  return uri.path.split('/').pop() || uri.path;
}

/**
 * A modal whose safe answer is the default: the first button is the primary one (Enter), so it is
 * the one that sends nothing; Escape and the dialog's Cancel decline too.
 */
async function ask(confirm: boolean | undefined, message: string, detail: string, action: string): Promise<boolean> {
  if (confirm !== undefined) return confirm;
  const decline: vscode.MessageItem = { title: "Don't Send" };
  const accept: vscode.MessageItem = { title: action };
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, decline, accept)) === accept;
}

/**
 * `Send Selection to Chat`: the selection (or the current line) with a `path:lines` header, after
 * the secret guard (blocked files and the scan; a hit sends nothing unless "Send Anyway"), split
 * for the destination, confirmed past 5 parts, then sent in order under a cancellable progress
 * notification, paced per platform. Resolves a `SendSelectionResult`; never rejects.
 */
export function registerSendSelectionCommand(deps: SendCommandDeps): vscode.Disposable {
  const { hub, log, context } = deps;
  // One pacer per platform, shared by every send of this session (two quick sends share the budget).
  const pacers = new Map<PlatformId, RateLimiter>();
  const pacer = (platform: PlatformId): RateLimiter => {
    let limiter = pacers.get(platform);
    if (!limiter) {
      const { messages, windowMs } = OUTGOING_RULES[platform].pace;
      limiter = new RateLimiter(messages, windowMs, systemClock);
      pacers.set(platform, limiter);
    }
    return limiter;
  };

  return vscode.commands.registerCommand('streamChat.sendSelection', async (args?: SendSelectionArgs): Promise<SendSelectionResult> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Stream Chat: open a file and select the code to send.');
      return { sent: 0, refused: 'no editor' };
    }
    const { text, startLine, endLine } = selected(editor);
    if (text.trim() === '') {
      void vscode.window.showInformationMessage('Stream Chat: the selection is empty; nothing to send.');
      return { sent: 0, refused: 'empty' };
    }
    const uri = editor.document.uri;
    const shownPath = displayPath(uri);
    const config = vscode.workspace.getConfiguration('streamChat.sendSelection');

    // The guard comes before anything else is asked: a secret never waits behind a destination pick.
    const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
    const guardedPath = inWorkspace ? vscode.workspace.asRelativePath(uri, false) : uri.scheme === 'file' ? uri.fsPath : uri.path;
    const blocked = blockedFilePattern(guardedPath, config.get<unknown[]>('blockedFiles', [...DEFAULT_BLOCKED_FILES]));
    const findings = scanForSecrets(text, { firstLine: startLine });
    if (blocked !== undefined || findings.length > 0) {
      const found = [
        ...(blocked !== undefined ? [`${shownPath} matches the blocked pattern ${blocked} (streamChat.sendSelection.blockedFiles)`] : []),
        ...(findings.length > 0 ? [describeFindings(findings)] : []),
      ];
      const go = await ask(
        args?.confirm,
        'Stream Chat: this looks like a secret. Nothing was sent.',
        `Found: ${found.join('; ')}.\n\nSend it to chat anyway?`,
        'Send Anyway',
      );
      // Kinds and counts only: the log can be shared, and values never go anywhere.
      const summary = `${findings.length} possible secret(s)${blocked !== undefined ? ', blocked file' : ''} in ${shownPath}`;
      if (!go) {
        log.info(`send selection refused: ${summary}`);
        return { sent: 0, refused: 'secret' };
      }
      log.warn(`send selection: sending anyway despite ${summary}`);
    }

    const platform = platformArgument(args?.platform) ?? (await pickDestination(hub, context));
    if (!platform) return { sent: 0, refused: 'no destination' };
    const header = config.get<boolean>('includeHeader', true) ? selectionHeader(shownPath, startLine, endLine) : undefined;
    const parts = planMessages(text, { platform, header, maxLength: Math.min(currentMaxLength(hub, platform), OUTGOING_RULES[platform].maxLength) });
    if (parts.length === 0) return { sent: 0, refused: 'empty' };
    const label = PLATFORM_LABELS[platform];
    if (parts.length > CONFIRM_ABOVE_PARTS) {
      const go = await ask(
        args?.confirm,
        `Stream Chat: send ${parts.length} messages to ${label}?`,
        `The selection does not fit in one message, so it goes as ${parts.length} numbered messages, one after another.`,
        `Send ${parts.length} Messages`,
      );
      if (!go) return { sent: 0, refused: 'cancelled' };
    }

    let sent = 0;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Stream Chat: sending to ${label}`, cancellable: true },
        async (progress, token) => {
          const cancelled = new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
          for (const part of parts) {
            // Waiting for the pacer ends early on Cancel (the slot it took stays used: the safe side).
            await Promise.race([pacer(platform).acquire(), cancelled]);
            if (token.isCancellationRequested) return;
            await hub.send(platform, part);
            sent++;
            progress.report({ message: `${sent} of ${parts.length}`, increment: 100 / parts.length });
          }
        },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn(`send selection to ${platform}: ${sent} of ${parts.length} sent, then: ${message}`);
      void vscode.window.showErrorMessage(`Stream Chat: sent ${sent} of ${parts.length} messages to ${label}; then: ${message}`);
      return { sent, refused: message };
    }
    if (sent < parts.length) {
      log.info(`send selection to ${platform}: cancelled after ${sent} of ${parts.length}`);
      return { sent, refused: 'cancelled' };
    }
    return { sent };
  });
}
