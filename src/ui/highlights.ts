import * as vscode from 'vscode';
import type { ChatHub } from '../core/chatHub';
import { Emitter } from '../core/event';
import { DisposableObject, toDisposable } from '../core/lifecycle';
import type { Logger } from '../core/log';
import { ChatMessage, PLATFORM_LABELS, PlatformId, TimelineOp, plainText } from '../core/message';
import type { HighlightSummary } from '../protocol/messages';
import {
  HighlightAudience,
  ViewerRateLimit,
  isLiveRequest,
  matchRequestedFile,
  mayHighlight,
  parseLineCommand,
  shiftForEdit,
} from '../code/lineCommand';
import type { FileIndex } from '../code/fileIndex';
import type { HighlightSource } from './chatViewConnection';
import { read } from './config';

/** Active highlights at most; the oldest goes first. */
const MAX_ACTIVE = 20;
const RATE_WINDOW_MS = 10_000;
const SETTINGS = 'streamChat.highlights';
const AUDIENCES: readonly HighlightAudience[] = ['everyone', 'subscribers', 'moderators'];
// Documents that are not code a viewer can point at.
const IGNORED_SCHEMES = new Set(['output', 'debug', 'vscode-settings', 'comment']);

/** One active highlight: what the list shows, plus where it is and which chat line asked. */
export interface ActiveHighlight extends HighlightSummary {
  readonly uri: string;
  readonly messageId: string;
  /** The viewer's login on their platform (what an `@reply` names). */
  readonly login: string;
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

export interface HighlightControllerOptions {
  /** The clock the per-viewer rate limit reads (tests). */
  readonly now?: () => number;
  /** The workspace files, for `!line` naming a file that is not open. */
  readonly files?: { ready(): Promise<void>; readonly index: FileIndex };
}

/**
 * "Chat points at code" (opt-in, `streamChat.highlights.enabled`): a viewer's `!line 12` (or
 * `!line src/app.ts 40-45 why?`, `!line Dockerfile 3`) decorates that range, with a hover naming who
 * asked and their comment. It never scrolls, focuses or selects anything by itself; the list in
 * the chat view (and `jumpTo`) is how the streamer chooses to look. Highlights follow edits, and go
 * away with the chat line that asked (deleted, purged, cleared) and with the setting.
 */
export class HighlightController extends DisposableObject implements HighlightSource {
  private readonly _onDidChange = this._register(new Emitter<void>());
  /** The list of highlights, or a highlight's range, changed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _decoration: vscode.TextEditorDecorationType;
  private _active: ActiveHighlight[] = [];
  private readonly _limit: ViewerRateLimit;
  /** What each document shows now, by uri string: set where decorations are set. */
  private readonly _decorated = new Map<string, DecoratedRange[]>();
  private _nextId = 1;
  /** `!line` requests waiting for their file to open; moderation that arrives meanwhile cancels them. */
  private readonly _pending = new Set<{
    readonly platform: PlatformId;
    readonly messageId: string;
    readonly authorKey: string;
    cancelled: boolean;
  }>();

  constructor(
    hub: ChatHub,
    private readonly _log: Logger,
    private readonly _options: HighlightControllerOptions = {},
  ) {
    super();
    this._limit = new ViewerRateLimit(RATE_WINDOW_MS, _options.now ?? (() => Date.now()));
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
        if (e.affectsConfiguration(SETTINGS) && !this._enabled()) this.clear();
      }),
    );
    this._register(
      vscode.commands.registerCommand('streamChat.clearHighlights', () => this.clear()),
    );
  }

  /** The active highlights, oldest first, as the chat view lists them. */
  summaries(): HighlightSummary[] {
    return this._active.map(({ id, file, startLine, endLine, author, comment, platform }) => ({
      id,
      file,
      startLine,
      endLine,
      author,
      comment,
      platform,
    }));
  }

  /** The active highlights with where they are and who asked. */
  get active(): readonly ActiveHighlight[] {
    return this._active;
  }

  get(id: string): ActiveHighlight | undefined {
    return this._active.find((h) => h.id === id);
  }

  /** The ranges decorated in a document now (visible editors only), 1-based. */
  decorationsFor(uri: vscode.Uri | string): DecoratedRange[] {
    return this._decorated.get(typeof uri === 'string' ? uri : uri.toString()) ?? [];
  }

  /** The streamer asked to look: open and reveal the range (the only time this moves the editor). */
  async jumpTo(id: string): Promise<void> {
    const h = this.get(id);
    if (!h) return;
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(h.uri), {
      preserveFocus: false,
      preview: false,
    });
    editor.revealRange(
      new vscode.Range(h.startLine - 1, 0, h.endLine - 1, 0),
      vscode.TextEditorRevealType.InCenterIfOutsideViewport,
    );
  }

  dismiss(id: string): void {
    this._removeWhere((h) => h.id === id);
  }

  clear(): void {
    this._removeWhere(() => true);
  }

  private _enabled(): boolean {
    return read('highlights.enabled');
  }

  private _audience(): HighlightAudience {
    // The reader warns (naming the key and its settings file) and reads a typo as `moderators`:
    // a typo must not open it to everyone.
    const value = read('highlights.allowedUsers');
    return AUDIENCES.includes(value as HighlightAudience)
      ? (value as HighlightAudience)
      : 'moderators';
  }

  private _removeWhere(
    predicate: (h: Pick<ActiveHighlight, 'platform' | 'messageId' | 'authorKey' | 'id'>) => boolean,
  ): void {
    for (const request of this._pending)
      if (predicate({ ...request, id: '' })) request.cancelled = true;
    const before = this._active.length;
    this._active = this._active.filter((h) => !predicate(h));
    if (this._active.length !== before) this._changed();
  }

  private _onTimeline(op: TimelineOp): void {
    switch (op.op) {
      case 'append':
        void this._onChat(op.message).catch((error: unknown) =>
          this._log.warn(`!line: ${error instanceof Error ? error.message : String(error)}`),
        );
        break;
      case 'delete': {
        const ids = new Set(op.ids);
        this._removeWhere((h) => h.platform === op.platform && ids.has(h.messageId));
        break;
      }
      case 'purgeUser': {
        const key = authorKey(op.platform, op.userId);
        this._removeWhere((h) => h.authorKey === key);
        break;
      }
      case 'clear':
        this._removeWhere((h) => h.platform === op.platform);
        break;
    }
  }

  private async _onChat(message: ChatMessage): Promise<void> {
    // The setting last: reading it costs more than the checks before it, and almost no line is a request.
    if (!isLiveRequest(message)) return;
    const command = parseLineCommand(plainText(message));
    if (!command || !this._enabled()) return;
    const author = message.author!;
    if (!mayHighlight(author, this._audience())) return;
    const request = {
      platform: message.platform,
      messageId: message.id,
      authorKey: authorKey(message.platform, author.id ?? author.name),
      cancelled: false,
    };
    this._pending.add(request);
    let document: vscode.TextDocument | undefined;
    try {
      document = await this._documentFor(command.file);
    } finally {
      this._pending.delete(request);
    }
    // Deleted, purged or cleared while the file was opened.
    if (request.cancelled) return;
    if (!document) {
      this._log.info(
        `!line from ${author.name} on ${message.platform}: no single workspace file matches ${command.file ?? 'the active file'}`,
      );
      return;
    }
    const lineCount = document.lineCount;
    if (command.startLine > lineCount) {
      this._log.info(
        `!line from ${author.name}: line ${command.startLine} is past the end of the file (${lineCount} lines)`,
      );
      return;
    }
    if (!this._limit.allow(author)) {
      this._log.info(`!line from ${author.name} on ${message.platform}: rate-limited`);
      return;
    }
    this._active = [
      ...this._active,
      {
        id: String(this._nextId++),
        file: vscode.workspace.asRelativePath(document.uri, false),
        uri: document.uri.toString(),
        startLine: command.startLine,
        endLine: Math.min(command.endLine, lineCount),
        author: author.displayName || author.name,
        login: author.name,
        comment: command.comment,
        platform: message.platform,
        messageId: message.id,
        authorKey: request.authorKey,
      },
    ].slice(-MAX_ACTIVE);
    this._changed();
  }

  /**
   * The document a viewer meant: a visible editor whose path ends with `file` (the active one when
   * none is named), else the one workspace file the index matches. Never guesses among several.
   */
  private async _documentFor(file: string | undefined): Promise<vscode.TextDocument | undefined> {
    const editors = vscode.window.visibleTextEditors.filter(
      (e) => !IGNORED_SCHEMES.has(e.document.uri.scheme),
    );
    const active = vscode.window.activeTextEditor;
    if (file === undefined) {
      if (active && !IGNORED_SCHEMES.has(active.document.uri.scheme)) return active.document;
      // The chat in an editor tab leaves no active text editor; one visible editor is unambiguous.
      return editors.length === 1 ? editors[0]!.document : undefined;
    }
    const pathOf = (e: vscode.TextEditor) => vscode.workspace.asRelativePath(e.document.uri, false);
    const match = matchRequestedFile(
      file,
      editors.map(pathOf),
      active ? pathOf(active) : undefined,
    );
    if (match.kind === 'match') return editors.find((e) => pathOf(e) === match.path)?.document;
    if (match.kind === 'ambiguous' || !this._options.files) return undefined;
    await this._options.files.ready();
    const found = this._options.files.index.find(file);
    return found ? vscode.workspace.openTextDocument(vscode.Uri.parse(found.uri)) : undefined;
  }

  /** Highlights follow the code as the streamer edits; one whose lines are all replaced goes away. */
  private _onEdit(e: vscode.TextDocumentChangeEvent): void {
    const uri = e.document.uri.toString();
    if (e.contentChanges.length === 0 || !this._active.some((h) => h.uri === uri)) return;
    const lineCount = e.document.lineCount;
    let changed = false;
    const next: ActiveHighlight[] = [];
    for (const h of this._active) {
      if (h.uri !== uri) {
        next.push(h);
        continue;
      }
      let range: { startLine: number; endLine: number } | undefined = h;
      // Changes arrive so that each applies to the document after the ones before it.
      for (const change of e.contentChanges) {
        if (!range) break;
        const insertedLineBreaks = change.text.split(/\r\n|\r|\n/).length - 1;
        range = shiftForEdit(range, {
          startLine: change.range.start.line + 1,
          endLine: change.range.end.line + 1,
          insertedLineBreaks,
        });
      }
      if (!range || range.startLine > lineCount) {
        changed = true;
        continue;
      }
      const endLine = Math.min(range.endLine, lineCount);
      if (range.startLine === h.startLine && endLine === h.endLine) next.push(h);
      else {
        changed = true;
        next.push({ ...h, startLine: range.startLine, endLine });
      }
    }
    if (!changed) return;
    this._active = next;
    this._changed();
  }

  private _changed(): void {
    this._render();
    this._onDidChange.fire();
  }

  private _render(): void {
    this._decorated.clear();
    for (const editor of vscode.window.visibleTextEditors) {
      const uri = editor.document.uri.toString();
      const mine = this._active.filter((h) => h.uri === uri);
      const options = mine.map((h) => ({
        range: new vscode.Range(h.startLine - 1, 0, h.endLine - 1, 0),
        hoverMessage: hoverFor(h),
      }));
      editor.setDecorations(this._decoration, options);
      if (mine.length > 0) {
        this._decorated.set(
          uri,
          mine.map((h, i) => ({
            id: h.id,
            startLine: h.startLine,
            endLine: h.endLine,
            hover: options[i]!.hoverMessage.value,
          })),
        );
      }
    }
  }
}

function authorKey(platform: PlatformId, id: string): string {
  return `${platform}\u0000${id}`;
}

/** Who asked, about what, and why; chat text is hostile, so it is escaped and nothing is trusted. */
function hoverFor(h: ActiveHighlight): vscode.MarkdownString {
  const hover = new vscode.MarkdownString(undefined, false);
  hover.isTrusted = false;
  hover.supportHtml = false;
  const lines =
    h.startLine === h.endLine ? `line ${h.startLine}` : `lines ${h.startLine}-${h.endLine}`;
  hover.appendText(
    vscode.l10n.t('{0} ({1} chat) asked about {2}', h.author, PLATFORM_LABELS[h.platform], lines),
  );
  if (h.comment) hover.appendText(`: “${h.comment}”`);
  return hover;
}
