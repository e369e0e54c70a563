import * as vscode from 'vscode';
import { DisposableObject } from '../core/lifecycle';
import type { Logger } from '../core/log';
import { FileIndex } from './fileIndex';

/** Folders nobody means when they name a file in chat (dependencies, build output, VCS data). */
const SKIPPED_FOLDERS = [
  'node_modules',
  '.git',
  'dist',
  'out',
  'build',
  'target',
  '.next',
  '.venv',
  'venv',
  '__pycache__',
  '.rig',
  'coverage',
];
const EXCLUDE = `**/{${SKIPPED_FOLDERS.join(',')}}/**`;
/** A workspace this big is indexed up to here; names past it do not resolve. */
const MAX_FILES = 100_000;

/**
 * The workspace's files, indexed once with `findFiles` and kept current by a file watcher (files
 * created, deleted, folders removed, workspace folders changed). Resolution waits for `ready`.
 */
export class WorkspaceFileIndex extends DisposableObject {
  readonly index = new FileIndex();
  private _ready: Promise<void> | undefined;
  private _generation = 0;

  constructor(private readonly _log: Logger) {
    super();
    const watcher = this._register(
      vscode.workspace.createFileSystemWatcher('**/*', false, true, false),
    );
    this._register(watcher.onDidCreate((uri) => void this._created(uri)));
    this._register(
      watcher.onDidDelete((uri) => {
        this.index.remove(uri.toString());
        this.index.removeUnder(uri.toString());
      }),
    );
    this._register(
      vscode.workspace.onDidChangeWorkspaceFolders(
        () => this._ready && (this._ready = this._build()),
      ),
    );
  }

  /** Resolves once the first index is built (started on first use, so activation stays fast). */
  ready(): Promise<void> {
    this._ready ??= this._build();
    return this._ready;
  }

  private async _build(): Promise<void> {
    const generation = ++this._generation;
    const started = performance.now();
    let uris: vscode.Uri[] = [];
    try {
      uris = await vscode.workspace.findFiles('**/*', EXCLUDE, MAX_FILES);
    } catch (error) {
      this._log.warn(
        `code references: could not list the workspace files: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (generation !== this._generation) return;
    this.index.clear();
    for (const uri of uris) this._add(uri);
    this._log.info(
      `code references: indexed ${this.index.size} files in ${(performance.now() - started).toFixed(0)} ms`,
    );
  }

  private async _created(uri: vscode.Uri): Promise<void> {
    if (!this._ready) return;
    try {
      // The watcher reports folders too; only files are indexed.
      if ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) this._add(uri);
    } catch {
      // Gone again before we looked.
    }
  }

  private _add(uri: vscode.Uri): void {
    if (!vscode.workspace.getWorkspaceFolder(uri)) return;
    const path = vscode.workspace.asRelativePath(uri, false);
    if (path.split('/').some((segment) => SKIPPED_FOLDERS.includes(segment))) return;
    this.index.add({ uri: uri.toString(), path });
  }
}
