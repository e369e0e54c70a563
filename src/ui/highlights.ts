import * as vscode from 'vscode';
import { ChatHub } from '../core/chatHub';
import { Emitter } from '../core/event';
import { DisposableObject, toDisposable } from '../core/lifecycle';
import { Logger } from '../core/log';
import { ChatMessage, PLATFORM_LABELS, plainText } from '../core/message';
import type { HighlightSummary } from '../protocol/messages';
import { HighlightAudience, LineCommand, ViewerRateLimit, mayHighlight, parseLineCommand } from '../send/lineCommand';
import type { HighlightSource } from './chatViewConnection';

/** Active highlights at most; the oldest goes first. */
const MAX_ACTIVE = 20;
const RATE_WINDOW_MS = 10_000;
/** A `!line` older than this (history fetched on connect) is not acted on. */
const LIVE_WINDOW_MS = 60_000;

interface Highlight extends HighlightSummary {
  readonly uri?: string;
  readonly requested: LineCommand;
}

/**
 * "Chat points at code" (opt-in, `streamChat.highlights.enabled`): a viewer's `!line 12` (or
 * `!line src/app.ts 40-45 why?`) decorates that range in the matching visible editor, with a hover
 * saying who asked and why. It never scrolls, focuses or selects anything by itself; the list in
 * the chat view (and `jumpTo`) is how the streamer chooses to look.
 */
export class HighlightController extends DisposableObject implements HighlightSource {
  private readonly _onDidChange = this._register(new Emitter<void>());
  readonly onDidChange = this._onDidChange.event;
  private readonly _decoration: vscode.TextEditorDecorationType;
  private _highlights: Highlight[] = [];
  private readonly _limit = new ViewerRateLimit(RATE_WINDOW_MS, () => Date.now());
  private _nextId = 1;

  constructor(
    hub: ChatHub,
    private readonly _log: Logger,
  ) {
    super();
    this._decoration = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
      border: '1px solid',
      borderColor: new vscode.ThemeColor('editor.findMatchHighlightBorder'),
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.findMatchForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Center,
    });
    this._register(toDisposable(() => this._decoration.dispose()));
    this._register(hub.onDidApply((op) => op.op === 'append' && op.message.kind === 'chat' && this._onChat(op.message)));
    this._register(vscode.window.onDidChangeVisibleTextEditors(() => this._render()));
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this._render()));
    this._register(vscode.commands.registerCommand('streamChat.clearHighlights', () => this.clear()));
  }

  summaries(): HighlightSummary[] {
    return this._highlights.map(({ id, file, startLine, endLine, author, comment, platform }) => ({ id, file, startLine, endLine, author, comment, platform }));
  }

  /** The streamer asked to look: reveal the range (the only time this moves the editor). */
  async jumpTo(id: string): Promise<void> {
    const h = this._highlights.find((x) => x.id === id);
    if (!h?.uri) return;
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(h.uri), { preserveFocus: false });
    const range = new vscode.Range(h.startLine - 1, 0, h.endLine - 1, 0);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dismiss(id: string): void {
    this._highlights = this._highlights.filter((h) => h.id !== id);
    this._changed();
  }

  clear(): void {
    this._highlights = [];
    this._changed();
  }

  private _onChat(message: ChatMessage): void {
    const config = vscode.workspace.getConfiguration('streamChat.highlights');
    if (!config.get<boolean>('enabled', false)) return;
    // Only live requests from viewers: not the history fetched on connect, our own lines, tests or deleted ones.
    const sentAt = message.sentAt ?? message.receivedAt;
    if (message.flags.self || message.flags.test || message.flags.deleted || Date.now() - sentAt > LIVE_WINDOW_MS) return;
    const command = parseLineCommand(plainText(message));
    if (!command) return;
    if (!mayHighlight(message.author, config.get<HighlightAudience>('allowedUsers', 'everyone'))) return;
    if (!this._limit.allow(message.author!)) return;
    const editor = this._editorFor(command.file);
    if (!editor) {
      this._log.info(`!line from ${message.author!.name}: no open editor matches ${command.file ?? 'the active file'}`);
      return;
    }
    const lastLine = editor.document.lineCount;
    if (command.startLine > lastLine) return;
    const highlight: Highlight = {
      id: String(this._nextId++),
      file: vscode.workspace.asRelativePath(editor.document.uri, false),
      uri: editor.document.uri.toString(),
      startLine: command.startLine,
      endLine: Math.min(command.endLine, lastLine),
      author: message.author!.displayName,
      comment: command.comment,
      platform: message.platform,
      requested: command,
    };
    this._highlights = [...this._highlights, highlight].slice(-MAX_ACTIVE);
    this._changed();
  }

  /** The visible editor whose workspace-relative path ends with `file`, or the active one. */
  private _editorFor(file: string | undefined): vscode.TextEditor | undefined {
    if (!file) return vscode.window.activeTextEditor;
    const wanted = file.replace(/\\/g, '/').replace(/^\.?\//, '').toLowerCase();
    return vscode.window.visibleTextEditors.find((e) => {
      const path = vscode.workspace.asRelativePath(e.document.uri, false).toLowerCase();
      return path === wanted || path.endsWith(`/${wanted}`);
    });
  }

  private _changed(): void {
    this._render();
    this._onDidChange.fire();
  }

  private _render(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const uri = editor.document.uri.toString();
      const options = this._highlights
        .filter((h) => h.uri === uri)
        .map((h) => {
          const hover = new vscode.MarkdownString();
          hover.isTrusted = false;
          hover.supportHtml = false;
          // Chat text is hostile: appendText escapes Markdown.
          hover.appendText(`${h.author} (${PLATFORM_LABELS[h.platform]}) asked about ${h.startLine === h.endLine ? `line ${h.startLine}` : `lines ${h.startLine}-${h.endLine}`}`);
          if (h.comment) hover.appendText(`: “${h.comment}”`);
          return { range: new vscode.Range(h.startLine - 1, 0, h.endLine - 1, 0), hoverMessage: hover };
        });
      editor.setDecorations(this._decoration, options);
    }
  }
}
