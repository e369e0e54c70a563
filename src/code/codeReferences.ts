import * as vscode from 'vscode';
import type { ChatHub } from '../core/chatHub';
import { Emitter } from '../core/event';
import { DisposableObject } from '../core/lifecycle';
import type { Logger } from '../core/log';
import type { SettingsReader } from '../core/settings';
import { ChatMessage, TimelineOp, plainText } from '../core/message';
import type {
  CodeRefAnnotation,
  CodeRefView,
  HostToWebview,
  WebviewToHost,
} from '../protocol/messages';
import { blockedBy, scanForSecrets } from '../send/secretScanner';
import type { ChatViewBridge, ChatViewBridgeSession } from '../protocol/bridge';
import { ResolvedRef, resolveReferences } from './fileIndex';
import type { GitFacts } from './git';
import { findCodeReferences } from './references';
import type { WorkspaceFileIndex } from './workspaceIndex';

/** Lines annotated at most (older annotations are dropped with their lines' scrollback). */
const MAX_ANNOTATIONS = 2000;
/** Link targets remembered at most (a view holding an older link just gets "gone"). */
const MAX_TARGETS = 10_000;
/** Files larger than this are linked but not read for a preview. */
const MAX_PREVIEW_FILE_BYTES = 2_000_000;
const PREVIEW_LINE_CHARS = 160;
export const PRIVATE_LABEL = 'a private file';

interface Target {
  readonly uri: string;
  readonly line?: number;
  readonly endLine?: number;
  readonly column?: number;
}

/** What the integration tests and the API see of one annotation (the targets included). */
export interface CodeRefSummary extends CodeRefView {
  readonly file: string;
  readonly line?: number;
  readonly endLine?: number;
}

/**
 * "Chat that knows the code": after a chat line is posted to the view, finds its code
 * references, resolves them against the workspace index and our git remotes, and posts an
 * annotation the view turns into links. Nothing opens by itself: `open` runs only when the
 * streamer clicks. Files matching `streamChat.sendSelection.blockedFiles` are linked as "a private
 * file", never named by us or previewed.
 */
export class CodeReferences extends DisposableObject implements ChatViewBridge {
  private readonly _onDidAnnotate = this._register(new Emitter<CodeRefAnnotation>());
  readonly onDidAnnotate = this._onDidAnnotate.event;
  /** By `platform\0messageId`, oldest first. */
  private readonly _annotations = new Map<string, CodeRefAnnotation>();
  private readonly _summaries = new Map<string, CodeRefSummary[]>();
  private readonly _targets = new Map<string, Target>();
  private _nextId = 1;

  constructor(
    hub: ChatHub,
    private readonly _files: WorkspaceFileIndex,
    private readonly _git: GitFacts,
    private readonly _log: Logger,
    private readonly _read: SettingsReader,
  ) {
    super();
    this._register(hub.onDidApply((op) => this._onTimeline(op)));
  }

  /** Annotations of the lines still in the timeline, oldest first. */
  annotations(): CodeRefAnnotation[] {
    return [...this._annotations.values()];
  }

  /** The resolved references of one line (for tests), with their files. */
  referencesOf(platform: string, messageId: string): CodeRefSummary[] {
    return this._summaries.get(`${platform}\u0000${messageId}`) ?? [];
  }

  connect(page: { post(message: HostToWebview): void }): ChatViewBridgeSession {
    const listener = this.onDidAnnotate((annotation) =>
      page.post({ type: 'codeRefs', annotations: [annotation] }),
    );
    return {
      ready: () => {
        const annotations = this.annotations();
        if (annotations.length > 0) page.post({ type: 'codeRefs', annotations });
      },
      handle: (message: WebviewToHost) => {
        if (message.type !== 'openCodeRef') return false;
        void this.open(message.id);
        return true;
      },
      dispose: () => listener.dispose(),
    };
  }

  /** The streamer clicked a reference: open the file with the referenced lines selected. */
  async open(id: string): Promise<boolean> {
    const target = this._targets.get(id);
    if (!target) {
      this._log.info(`code references: ${id} is no longer known`);
      return false;
    }
    const uri = vscode.Uri.parse(target.uri);
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const last = Math.max(0, document.lineCount - 1);
      const start = Math.min(Math.max(0, (target.line ?? 1) - 1), last);
      const end = Math.min(Math.max(start, (target.endLine ?? target.line ?? 1) - 1), last);
      const column = Math.max(0, (target.column ?? 1) - 1);
      const selection =
        target.endLine !== undefined
          ? new vscode.Range(start, 0, end, document.lineAt(end).text.length)
          : new vscode.Range(start, column, start, column);
      await vscode.window.showTextDocument(document, { selection, preview: true });
      return true;
    } catch (error) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          'Stream Chat: could not open {0}: {1}',
          vscode.workspace.asRelativePath(uri, false),
          error instanceof Error ? error.message : String(error),
        ),
      );
      return false;
    }
  }

  private _onTimeline(op: TimelineOp): void {
    if (op.op === 'append') {
      if (op.message.kind !== 'system')
        void this._annotate(op.message).catch((error: unknown) =>
          this._log.warn(
            `code references: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
    } else if (op.op === 'clear') {
      for (const [key, annotation] of this._annotations) {
        if (annotation.platform === op.platform) {
          this._annotations.delete(key);
          this._summaries.delete(key);
        }
      }
    }
  }

  private async _annotate(message: ChatMessage): Promise<void> {
    const candidates = findCodeReferences(plainText(message));
    if (candidates.length === 0) return;
    await this._files.ready();
    const remotes = candidates.some((c) => c.kind === 'repo')
      ? await this._git.remoteKeys()
      : new Set<string>();
    const resolved = resolveReferences(candidates, this._files.index, remotes);
    if (resolved.length === 0) {
      this._log.info(
        `code references: none of ${candidates.length} candidates name a workspace file`,
      );
      return;
    }
    const patterns = this._read('sendSelection.blockedFiles');
    const texts = new Map<string, Promise<string[] | undefined>>();
    const refs: CodeRefView[] = [];
    const summaries: CodeRefSummary[] = [];
    for (const ref of resolved) {
      const view = await this._view(ref, patterns, texts);
      if (!view) continue;
      refs.push(view.view);
      summaries.push(view.summary);
    }
    if (refs.length === 0) return;
    const annotation: CodeRefAnnotation = {
      platform: message.platform,
      messageId: message.id,
      refs,
    };
    const key = `${message.platform}\u0000${message.id}`;
    this._annotations.set(key, annotation);
    this._summaries.set(key, summaries);
    while (this._annotations.size > MAX_ANNOTATIONS) {
      const oldest = this._annotations.keys().next().value as string;
      this._annotations.delete(oldest);
      this._summaries.delete(oldest);
    }
    this._onDidAnnotate.fire(annotation);
  }

  private async _view(
    ref: ResolvedRef,
    patterns: readonly string[],
    texts: Map<string, Promise<string[] | undefined>>,
  ): Promise<{ view: CodeRefView; summary: CodeRefSummary } | undefined> {
    const blocked = blockedBy(ref.file.path, patterns) !== undefined;
    let lines: string[] | undefined;
    if (!blocked) {
      let pending = texts.get(ref.file.uri);
      if (!pending) texts.set(ref.file.uri, (pending = readLines(ref.file.uri)));
      lines = await pending;
      // A line past the end is not what the viewer meant in this file.
      if (lines && ref.line !== undefined && ref.line > lines.length) {
        this._log.info(
          `code references: line ${ref.line} is past the end of ${ref.file.path} (${lines.length} lines)`,
        );
        return undefined;
      }
    }
    const endLine =
      ref.endLine !== undefined && lines ? Math.min(ref.endLine, lines.length) : ref.endLine;
    const id = `r${(this._nextId++).toString(36)}`;
    this._targets.set(id, { uri: ref.file.uri, line: ref.line, endLine, column: ref.column });
    if (this._targets.size > MAX_TARGETS)
      this._targets.delete(this._targets.keys().next().value as string);
    const where =
      ref.line === undefined
        ? ''
        : endLine !== undefined && endLine > ref.line
          ? `:${ref.line}-${endLine}`
          : `:${ref.line}`;
    const label = blocked ? PRIVATE_LABEL : `${ref.file.path}${where}`;
    const view: CodeRefView = {
      start: ref.candidate.start,
      end: ref.candidate.end,
      id,
      label,
      preview: blocked || !lines ? undefined : previewOf(lines, ref.line ?? 1),
    };
    return {
      view,
      summary: { ...view, file: blocked ? PRIVATE_LABEL : ref.file.path, line: ref.line, endLine },
    };
  }
}

/** The file's lines: the open document's (with unsaved edits) or what is on disk. */
async function readLines(uriString: string): Promise<string[] | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uriString);
  if (open) return open.getText().split(/\r\n|\r|\n/);
  const uri = vscode.Uri.parse(uriString);
  try {
    if ((await vscode.workspace.fs.stat(uri)).size > MAX_PREVIEW_FILE_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)).split(/\r\n|\r|\n/);
  } catch {
    return undefined;
  }
}

/**
 * Three numbered lines around `line` (the line itself in the middle when it can be). A preview
 * that looks like it holds a secret is not shown: the hover is on screen, and the screen is live.
 */
export function previewOf(lines: readonly string[], line: number): string | undefined {
  const first = Math.max(1, Math.min(line - 1, lines.length - 2));
  const shown = lines.slice(first - 1, first + 2);
  const width = String(first + shown.length - 1).length;
  const text = shown
    .map(
      (l, i) =>
        `${String(first + i).padStart(width)}  ${l.length > PREVIEW_LINE_CHARS ? `${l.slice(0, PREVIEW_LINE_CHARS)}…` : l}`,
    )
    .join('\n');
  return scanForSecrets(shown.join('\n')).length > 0 ? undefined : text;
}
