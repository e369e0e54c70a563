import * as vscode from 'vscode';
import type { ChatHub } from '../core/chatHub';
import { Emitter } from '../core/event';
import { DisposableObject, toDisposable } from '../core/lifecycle';
import type { Logger } from '../core/log';
import { ChatMessage, PLATFORM_LABELS, PlatformId, TimelineOp, plainText } from '../core/message';
import { ActiveHighlights, HighlightAudience, HighlightPolicy, isHighlightAudience, parseLineCommand } from '../outgoing/lineCommand';
import { isLiveRequest, matchRequestedFile, shiftForEdit } from '../outgoing/highlightTracking';
import type { HighlightSummary } from '../protocol/messages';

/** One active highlight: what the list shows, plus where it is and which chat line asked. */
interface Highlight extends HighlightSummary {
  readonly uri: string;
  readonly messageId: string;
  readonly authorKey: string;
}

/** A range as it is decorated now (1-based, inclusive), for tests and the API. */
export interface DecoratedRange {
  readonly id: string;
  readonly startLine: number;
  readonly endLine: number;
  /** The hover's text (Markdown-escaped). */
  readonly hover: string;
}

/** Options for tests: the clock the per-viewer rate limit reads. */
export interface HighlightControllerOptions {
  readonly now?: () => number;
}

const SETTINGS = 'streamChat.highlights';
// Documents that are not code a viewer can point at.
const IGNORED_SCHEMES = new Set(['output', 'debug', 'vscode-settings', 'comment']);

/**
 * "Chat points at code" (opt-in, `streamChat.highlights.enabled`): a viewer's `!line 12` (or
 * `!line src/app.ts 40-45 why?`) decorates that range in the matching visible editor, with a hover
 * naming who asked and their comment. It never scrolls, focuses or selects anything by itself;
 * the list in the chat view (and `jumpTo`) is how the streamer chooses to look. Highlights follow
 * edits, go away with the chat line that asked (deleted, purged, cleared), and with the setting.
 */
export class HighlightController extends DisposableObject {
  private readonly _onDidChange = this._register(new Emitter<void>());
  /** The list of highlights changed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _decoration: vscode.TextEditorDecorationType;
  private readonly _active = new ActiveHighlights<Highlight>();
  private readonly _policy: HighlightPolicy;
  /** What each document shows now, by uri string: set where decorations are set. */
  private readonly _decorated = new Map<string, DecoratedRange[]>();
  private _nextId = 1;

  constructor(
    hub: ChatHub,
    private readonly _log: Logger,
    options: HighlightControllerOptions = {},
  ) {
    super();
    this._policy = new HighlightPolicy({ audience: this._audience(), now: options.now });
    this._decoration = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
      border: '1px solid',
      borderColor: new vscode.ThemeColor('editor.findMatchHighlightBorder'),
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.findMatchForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Center,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this._register(toDisposable(() => this._decoration.dispose()));
    this._register(hub.onDidApply((op) => this._onTimeline(op)));
    this._register(vscode.window.onDidChangeVisibleTextEditors(() => this._render()));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this._onEdit(e)));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SETTINGS)) return;
        this._policy.audience = this._audience();
        if (!this._enabled()) this.clear();
      }),
    );
    this._register(vscode.commands.registerCommand('streamChat.clearHighlights', () => this.clear()));
  }

  /** The active highlights, oldest first, as the chat view lists them. */
  summaries(): HighlightSummary[] {
    return this._active.items.map(({ id, file, startLine, endLine, author, comment, platform }) => ({ id, file, startLine, endLine, author, comment, platform }));
  }

  /** The ranges decorated in a document now (visible editors only), 1-based. */
  decorationsFor(uri: vscode.Uri | string): DecoratedRange[] {
    return this._decorated.get(typeof uri === 'string' ? uri : uri.toString()) ?? [];
  }

  /** The streamer asked to look: open and reveal the range (the only time this moves the editor). */
  async jumpTo(id: string): Promise<void> {
    const h = this._active.get(id);
    if (!h) return;
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(h.uri), { preserveFocus: false, preview: false });
    editor.revealRange(new vscode.Range(h.startLine - 1, 0, h.endLine - 1, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dismiss(id: string): void {
    if (this._active.remove(id)) this._changed();
  }

  clear(): void {
    if (this._active.clear().length > 0) this._changed();
  }

  private _enabled(): boolean {
    return vscode.workspace.getConfiguration(SETTINGS).get<boolean>('enabled', false) === true;
  }

  private _audience(): HighlightAudience {
    const value = vscode.workspace.getConfiguration(SETTINGS).get<unknown>('allowedUsers', 'everyone');
    // An unknown value is read as the strictest audience: a typo must not open it to everyone.
    return isHighlightAudience(value) ? value : 'moderators';
  }

  private _onTimeline(op: TimelineOp): void {
    switch (op.op) {
      case 'append':
        this._onChat(op.message);
        break;
      case 'delete': {
        const ids = new Set(op.ids);
        if (this._active.removeWhere((h) => h.platform === op.platform && ids.has(h.messageId)).length > 0) this._changed();
        break;
      }
      case 'purgeUser': {
        const key = `${op.platform}\u0000${op.userId}`;
        if (this._active.removeWhere((h) => h.authorKey === key).length > 0) this._changed();
        break;
      }
      case 'clear':
        if (this._active.removeWhere((h) => h.platform === op.platform).length > 0) this._changed();
        break;
    }
  }

  private _onChat(message: ChatMessage): void {
    if (!this._enabled() || !isLiveRequest(message)) return;
    const command = parseLineCommand(plainText(message));
    if (!command) return;
    const author = message.author!;
    const editor = this._editorFor(command.file);
    if (!editor) {
      this._log.info(`!line from ${author.name} on ${message.platform}: no visible editor matches ${command.file ?? 'the active file'}`);
      return;
    }
    const lineCount = editor.document.lineCount;
    if (command.startLine > lineCount) {
      this._log.info(`!line from ${author.name}: line ${command.startLine} is past the end of the file (${lineCount} lines)`);
      return;
    }
    const verdict = this._policy.admit(author, message.platform);
    if (verdict !== 'ok') {
      this._log.info(`!line from ${author.name} on ${message.platform}: ${verdict}`);
      return;
    }
    this._active.add({
      id: String(this._nextId++),
      file: vscode.workspace.asRelativePath(editor.document.uri, false),
      uri: editor.document.uri.toString(),
      startLine: command.startLine,
      endLine: Math.min(command.endLine, lineCount),
      author: author.displayName || author.name,
      comment: command.comment,
      platform: message.platform,
      messageId: message.id,
      authorKey: authorKey(message.platform, author.id ?? author.name),
    });
    this._changed();
  }

  /** The visible editor a viewer meant: the one whose path ends with `file`, else the active one. */
  private _editorFor(file: string | undefined): vscode.TextEditor | undefined {
    const editors = vscode.window.visibleTextEditors.filter((e) => !IGNORED_SCHEMES.has(e.document.uri.scheme));
    const active = vscode.window.activeTextEditor;
    if (file === undefined) {
      if (active && !IGNORED_SCHEMES.has(active.document.uri.scheme)) return active;
      // The chat in an editor tab leaves no active text editor; one visible editor is unambiguous.
      return editors.length === 1 ? editors[0] : undefined;
    }
    const pathOf = (e: vscode.TextEditor) => vscode.workspace.asRelativePath(e.document.uri, false);
    const match = matchRequestedFile(file, editors.map(pathOf), active ? pathOf(active) : undefined);
    return match.kind === 'match' ? editors.find((e) => pathOf(e) === match.path) : undefined;
  }

  /** Highlights follow the code as the streamer edits; one whose lines are all replaced goes away. */
  private _onEdit(e: vscode.TextDocumentChangeEvent): void {
    const uri = e.document.uri.toString();
    if (e.contentChanges.length === 0 || !this._active.items.some((h) => h.uri === uri)) return;
    const lineCount = e.document.lineCount;
    const changed = this._active.update((h) => {
      if (h.uri !== uri) return h;
      let range: { startLine: number; endLine: number } | undefined = h;
      // Changes arrive so that each applies to the document after the ones before it.
      for (const change of e.contentChanges) {
        if (!range) break;
        const insertedLineBreaks = change.text.split(/\r\n|\r|\n/).length - 1;
        range = shiftForEdit(range, { startLine: change.range.start.line + 1, endLine: change.range.end.line + 1, insertedLineBreaks });
      }
      if (!range || range.startLine > lineCount) return undefined;
      const endLine = Math.min(range.endLine, lineCount);
      return range.startLine === h.startLine && endLine === h.endLine ? h : { ...h, startLine: range.startLine, endLine };
    });
    if (changed) this._changed();
  }

  private _changed(): void {
    this._render();
    this._onDidChange.fire();
  }

  private _render(): void {
    this._decorated.clear();
    for (const editor of vscode.window.visibleTextEditors) {
      const uri = editor.document.uri.toString();
      const mine = this._active.items.filter((h) => h.uri === uri);
      const options = mine.map((h) => ({ range: new vscode.Range(h.startLine - 1, 0, h.endLine - 1, 0), hoverMessage: hoverFor(h) }));
      editor.setDecorations(this._decoration, options);
      if (mine.length > 0) {
        this._decorated.set(
          uri,
          mine.map((h, i) => ({ id: h.id, startLine: h.startLine, endLine: h.endLine, hover: options[i]!.hoverMessage.value })),
        );
      }
    }
  }
}

function authorKey(platform: PlatformId, id: string): string {
  return `${platform}\u0000${id}`;
}

/** Who asked, about what, and why; chat text is hostile, so it is escaped and nothing is trusted. */
function hoverFor(h: Highlight): vscode.MarkdownString {
  const hover = new vscode.MarkdownString(undefined, false);
  hover.isTrusted = false;
  hover.supportHtml = false;
  const lines = h.startLine === h.endLine ? `line ${h.startLine}` : `lines ${h.startLine}-${h.endLine}`;
  hover.appendText(`${h.author} (${PLATFORM_LABELS[h.platform]} chat) asked about ${lines}`);
  if (h.comment) hover.appendText(`: “${h.comment}”`);
  return hover;
}

/** What `registerHighlights` needs from the composition root. */
export interface HighlightDeps {
  readonly hub: ChatHub;
  readonly log: Logger;
  readonly context?: vscode.ExtensionContext;
}

/**
 * Builds the highlight controller (which registers `streamChat.clearHighlights`). The caller owns
 * it: push it to `context.subscriptions` and hand it to the chat view as its highlight source.
 */
export function registerHighlights(deps: HighlightDeps, options?: HighlightControllerOptions): HighlightController {
  return new HighlightController(deps.hub, deps.log, options);
}
