import * as vscode from 'vscode';
import { DisposableObject } from '../core/lifecycle';
import type { Logger } from '../core/log';
import { remoteKey } from './references';

// The few parts of the built-in git extension's API (`vscode.git`, API version 1) we read.
interface GitRemote {
  readonly fetchUrl?: string;
  readonly pushUrl?: string;
}
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: {
    readonly HEAD?: { readonly name?: string };
    readonly remotes: readonly GitRemote[];
  };
}
interface GitApi {
  readonly repositories: readonly GitRepository[];
}
interface GitExtension {
  getAPI(version: 1): GitApi;
}

/**
 * What git knows about the workspace: its remotes (so links into our own repository resolve) and
 * the current branch. Read through VS Code's git extension; when it is absent or disabled every
 * answer is empty and nothing fails.
 */
export class GitFacts extends DisposableObject {
  private _api: GitApi | undefined;
  private _tried = false;

  constructor(private readonly _log: Logger) {
    super();
  }

  /** The git API, activating the git extension on first use (never during our activation). */
  private async _gitApi(): Promise<GitApi | undefined> {
    if (this._api || this._tried) return this._api;
    this._tried = true;
    try {
      const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
      if (!extension) return undefined;
      const exports = extension.isActive ? extension.exports : await extension.activate();
      this._api = exports?.getAPI(1);
    } catch (error) {
      this._log.info(
        `git extension unavailable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return this._api;
  }

  /** The workspace repositories' remotes, as `remoteKey` spells them. */
  async remoteKeys(): Promise<Set<string>> {
    const keys = new Set<string>();
    const api = await this._gitApi();
    for (const repo of api?.repositories ?? []) {
      if (
        !vscode.workspace.getWorkspaceFolder(repo.rootUri) &&
        !this._containsWorkspace(repo.rootUri)
      )
        continue;
      for (const remote of repo.state.remotes) {
        for (const url of [remote.fetchUrl, remote.pushUrl]) {
          const key = url ? remoteKey(url) : undefined;
          if (key) keys.add(key);
        }
      }
    }
    return keys;
  }

  /** The branch checked out in the repository holding `uri` (or the first one), if any. */
  async branch(uri?: vscode.Uri): Promise<string | undefined> {
    const repos = (await this._gitApi())?.repositories ?? [];
    const holding = uri
      ? repos
          .filter((r) => uri.toString().startsWith(r.rootUri.toString()))
          .sort((a, b) => b.rootUri.toString().length - a.rootUri.toString().length)[0]
      : undefined;
    return (holding ?? repos[0])?.state.HEAD?.name;
  }

  /** A repository above the workspace folder (the folder is a subfolder of a repository). */
  private _containsWorkspace(root: vscode.Uri): boolean {
    const prefix = root.toString().replace(/\/?$/, '/');
    return (vscode.workspace.workspaceFolders ?? []).some((f) =>
      f.uri.toString().startsWith(prefix),
    );
  }
}
