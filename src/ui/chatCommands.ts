import * as vscode from 'vscode';
import type { ChatHub } from '../core/chatHub';
import { DisposableObject } from '../core/lifecycle';
import type { Logger } from '../core/log';
import { ChatMessage, plainText } from '../core/message';
import {
  ChatCommand,
  ChatCommandLimiter,
  EditorFacts,
  answerChatCommand,
  parseChatCommand,
} from '../code/chatCommands';
import type { GitFacts } from '../code/git';
import { isLiveRequest } from '../code/lineCommand';
import type { ChatOutbox } from '../send/outbox';
import { blockedBy } from '../send/secretScanner';
import { read } from './config';

/**
 * The editor answers questions (opt-in): `!file`, `!branch`, `!theme`, `!font` from live chat get
 * an `@viewer …` answer through the shared outbox (secret guard, pacing), each rate-limited per
 * viewer and overall. Reads only what the streamer's screen already shows.
 */
export class ChatCommandResponder extends DisposableObject {
  private readonly _limit: ChatCommandLimiter;

  constructor(
    hub: ChatHub,
    private readonly _outbox: ChatOutbox,
    private readonly _git: GitFacts,
    private readonly _log: Logger,
    now: () => number = () => Date.now(),
  ) {
    super();
    this._limit = new ChatCommandLimiter(now);
    this._register(hub.onDidApply((op) => op.op === 'append' && void this._onChat(op.message)));
  }

  private async _onChat(message: ChatMessage): Promise<void> {
    // The setting last: reading it costs more than the checks before it, and almost no line is a command.
    if (!isLiveRequest(message)) return;
    const command = parseChatCommand(plainText(message));
    if (!command || !read('chatCommands.enabled')) return;
    const author = message.author!;
    if (!this._limit.allow(command, `${message.platform}\u0000${author.id ?? author.name}`)) {
      this._log.info(`!${command} from ${author.name} on ${message.platform}: rate-limited`);
      return;
    }
    const answer = answerChatCommand(command, await this._facts(command), author);
    try {
      await this._outbox.send(message.platform, answer);
    } catch (error) {
      this._log.warn(
        `!${command} answer to ${author.name} on ${message.platform} not sent: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async _facts(command: ChatCommand): Promise<EditorFacts> {
    switch (command) {
      case 'file': {
        const editor = vscode.window.activeTextEditor;
        if (!editor || editor.document.uri.scheme === 'output') return {};
        // Outside the workspace asRelativePath gives an absolute path: never put a home folder on stream.
        if (!vscode.workspace.getWorkspaceFolder(editor.document.uri))
          return { file: { where: 'outside' } };
        const path = vscode.workspace.asRelativePath(editor.document.uri, false);
        const patterns = read('sendSelection.blockedFiles');
        return {
          file: {
            where: 'workspace',
            path,
            line: editor.selection.active.line + 1,
            blocked: blockedBy(path, patterns) !== undefined,
          },
        };
      }
      case 'branch':
        return { branch: await this._git.branch(vscode.window.activeTextEditor?.document.uri) };
      case 'theme':
        return { theme: vscode.workspace.getConfiguration('workbench').get<string>('colorTheme') };
      case 'font': {
        const editor = vscode.workspace.getConfiguration('editor');
        const family = editor.get<string>('fontFamily');
        return family ? { font: { family, size: editor.get<number>('fontSize', 14) } } : {};
      }
    }
  }
}
