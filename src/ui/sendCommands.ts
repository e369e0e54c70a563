import * as vscode from 'vscode';
import { ChatHub } from '../core/chatHub';
import { ChatError } from '../core/errors';
import { Logger } from '../core/log';
import { PLATFORM_LABELS, PlatformId } from '../core/message';
import { platformArg } from './commandArgs';
import { charCount } from '../core/rules';
import { OUTGOING_RULES } from '../send/limits';
import { ChatOutbox } from '../send/outbox';
import { blockedBy, scanForSecrets } from '../send/secretScanner';
import { planMessages, selectionHeader } from '../send/splitter';
import { read } from './config';

const LAST_DESTINATION = 'streamChat.lastDestination';
/** More parts than this ask for confirmation first. */
const CONFIRM_ABOVE_PARTS = 5;

export interface SendCommandDeps {
  readonly hub: ChatHub;
  readonly log: Logger;
  readonly state: vscode.Memento;
  /** Called after Send Selection sent at least one part (the walkthrough ticks its last step). */
  readonly onDidSendSelection?: () => void;
  /** The shared send pacing (one per extension); a private one when absent. */
  readonly outbox?: ChatOutbox;
}

/**
 * The platform to send to: the only one that can send now, or a quick pick (last choice first)
 * when several can. When none can, says why for each enabled platform and returns undefined.
 */
export async function pickDestination(
  hub: ChatHub,
  state: vscode.Memento,
): Promise<PlatformId | undefined> {
  const statuses = hub.statuses.filter((s) => s.enabled);
  const sendable = statuses.filter((s) => s.send.canSend);
  if (sendable.length === 0) {
    const reasons = statuses.map(
      (s) => s.send.reason ?? `${PLATFORM_LABELS[s.platform]} cannot send.`,
    );
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'Stream Chat: nothing can send right now. {0}',
        reasons.length ? reasons.join(' ') : vscode.l10n.t('No platform is enabled.'),
      ),
    );
    return undefined;
  }
  if (sendable.length === 1) return sendable[0]!.platform;
  const last = state.get<PlatformId>(LAST_DESTINATION);
  const ordered = [...sendable].sort(
    (a, b) => Number(b.platform === last) - Number(a.platform === last),
  );
  const picked = await vscode.window.showQuickPick(
    ordered.map((s) => ({
      label: PLATFORM_LABELS[s.platform],
      description: `up to ${s.send.maxLength} characters`,
      platform: s.platform,
    })),
    { title: vscode.l10n.t('Stream Chat: send to'), placeHolder: vscode.l10n.t('Destination') },
  );
  if (picked) await state.update(LAST_DESTINATION, picked.platform);
  return picked?.platform;
}

/** `Send Message…`: `{ platform, text }` sends without prompts (throwing the platform's sentence on failure). */
export function registerSendMessageCommand(deps: SendCommandDeps): vscode.Disposable {
  return vscode.commands.registerCommand(
    'streamChat.sendMessage',
    async (args?: { platform?: string; text?: string }) => {
      if (args?.text !== undefined) {
        const platform =
          platformArg(args.platform) ?? (await pickDestination(deps.hub, deps.state));
        if (!platform) return false;
        await deps.hub.send(platform, args.text);
        return true;
      }
      const platform = platformArg(args?.platform) ?? (await pickDestination(deps.hub, deps.state));
      if (!platform) return false;
      const maxLength = deps.hub.status(platform).send.maxLength;
      const text = await vscode.window.showInputBox({
        title: vscode.l10n.t('Stream Chat: message to {0}', PLATFORM_LABELS[platform]),
        placeHolder: vscode.l10n.t('Type a message'),
        ignoreFocusOut: true,
        validateInput: (value) => {
          const count = charCount(value, OUTGOING_RULES[platform].countChars);
          if (count > maxLength)
            return `${PLATFORM_LABELS[platform]} accepts at most ${maxLength} characters (${count}).`;
          return undefined;
        },
      });
      if (!text?.trim()) return false;
      try {
        await deps.hub.send(platform, text);
        return true;
      } catch (error) {
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Stream Chat: {0}', error instanceof Error ? error.message : String(error)),
        );
        return false;
      }
    },
  );
}

/** What Send Selection did (returned for keybindings and tests). */
export interface SendSelectionResult {
  readonly sent: number;
  readonly refused?: string;
}

/**
 * `Send Selection to Chat`: the selection (or the current line), with a `path:lines` header,
 * split for the destination, checked for secrets and blocked files first, paced, cancellable.
 * Arguments for tests and keybindings: `{ platform?, confirm?, sendAnyway? }`: `confirm` answers the
 * part-count question (`false` also declines a detected secret); only `sendAnyway: true` sends past
 * the secret guard without asking.
 */
export function registerSendSelectionCommand(deps: SendCommandDeps): vscode.Disposable {
  // Shared with thread replies and chat-command answers, so together they keep to the platform's pace.
  const outbox = deps.outbox ?? new ChatOutbox(deps.hub);
  /** A modal whose safe answer is the default (Enter and Escape both decline). */
  const ask = async (
    confirm: boolean | undefined,
    message: string,
    detail: string,
    action: string,
    decline = "Don't Send",
  ): Promise<boolean> => {
    if (confirm !== undefined) return confirm;
    // The first item is the dialog's primary (Enter) button: make it the safe one. Escape and
    // the dialog's own Cancel decline too.
    const no: vscode.MessageItem = { title: decline };
    const yes: vscode.MessageItem = { title: action };
    return (
      (await vscode.window.showWarningMessage(message, { modal: true, detail }, no, yes)) === yes
    );
  };

  return vscode.commands.registerCommand(
    'streamChat.sendSelection',
    async (args?: {
      platform?: string;
      confirm?: boolean;
      sendAnyway?: boolean;
    }): Promise<SendSelectionResult> => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Stream Chat: open a file and select the code to send.'),
        );
        return { sent: 0, refused: 'no editor' };
      }
      const document = editor.document;
      const selection = editor.selection;
      const range = selection.isEmpty ? document.lineAt(selection.active.line).range : selection;
      const text = document.getText(range);
      if (!text.trim()) return { sent: 0, refused: 'empty' };
      // Outside the workspace asRelativePath gives the absolute path: never put a home folder on stream.
      const inWorkspace = vscode.workspace.getWorkspaceFolder(document.uri) !== undefined;
      const relativePath = inWorkspace
        ? vscode.workspace.asRelativePath(document.uri, false)
        : document.uri.path.split('/').pop() || 'untitled';
      const blocked = blockedBy(relativePath, read('sendSelection.blockedFiles'));
      const findings = scanForSecrets(text);
      if (blocked || findings.length > 0) {
        const what = [
          ...(blocked ? [`the file matches the blocked pattern ${blocked}`] : []),
          // One entry per kind and line: the guard reports each value (the screen guard masks each).
          ...new Set(findings.map((f) => `${f.kind} on line ${range.start.line + f.line}`)),
        ];
        // `confirm: true` answers only the part-count question; getting past a detected secret takes an
        // explicit `sendAnyway: true` (so a keybinding that skips the count cannot leak keys).
        const go = await ask(
          args?.sendAnyway === true ? true : args?.confirm === false ? false : undefined,
          'Stream Chat: this looks like a secret. Nothing was sent.',
          `Found: ${what.join('; ')}.\n\nSend it to chat anyway?`,
          'Send Anyway',
          "Don't Send",
        );
        if (!go) {
          deps.log.info(
            `send selection refused: ${findings.length} possible secret(s)${blocked ? ', blocked file' : ''} in ${relativePath}`,
          );
          return { sent: 0, refused: 'secret' };
        }
      }

      const platform = platformArg(args?.platform) ?? (await pickDestination(deps.hub, deps.state));
      if (!platform) return { sent: 0, refused: 'no destination' };
      const startLine = range.start.line + 1;
      const endLine =
        range.end.line +
        1 -
        (range.end.character === 0 && range.end.line > range.start.line ? 1 : 0);
      const header = read('sendSelection.includeHeader')
        ? selectionHeader(relativePath, startLine, endLine)
        : undefined;
      const parts = planMessages(text, { platform, header });
      if (parts.length > CONFIRM_ABOVE_PARTS) {
        const go = await ask(
          args?.confirm,
          `Stream Chat: send ${parts.length} messages to ${PLATFORM_LABELS[platform]}?`,
          `The selection is split into ${parts.length} messages, sent one after another.`,
          `Send ${parts.length} Messages`,
        );
        if (!go) return { sent: 0, refused: 'cancelled' };
      }

      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Sending to {0}', PLATFORM_LABELS[platform]),
          cancellable: true,
        },
        (progress, token) =>
          outbox.sendParts(platform, parts, {
            isCancelled: () => token.isCancellationRequested,
            onSent: (sent) =>
              progress.report({
                message: `${sent} of ${parts.length}`,
                increment: 100 / parts.length,
              }),
          }),
      );
      const sent = result.sent;
      if (sent > 0) deps.onDidSendSelection?.();
      if (result.error !== undefined) {
        const error = result.error;
        const message =
          error instanceof ChatError || error instanceof Error ? error.message : String(error);
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Stream Chat: sent {0} of {1}; then: {2}', sent, parts.length, message),
        );
        return { sent, refused: message };
      }
      return sent < parts.length ? { sent, refused: 'cancelled' } : { sent };
    },
  );
}
