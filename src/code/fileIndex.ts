import { CodeRefCandidate, normalizePath } from './references';

/** One workspace file: its uri (opaque here) and its path inside its workspace folder. */
export interface IndexedFile {
  readonly uri: string;
  /** Forward slashes, no leading slash. */
  readonly path: string;
}

/** A candidate the resolver matched to one file. */
export interface ResolvedRef {
  readonly candidate: CodeRefCandidate;
  readonly file: IndexedFile;
  /** 1-based; absent: the top of the file. */
  readonly line?: number;
  readonly endLine?: number;
  readonly column?: number;
}

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1).toLowerCase();

/**
 * The workspace's files by name, for resolving what a viewer typed. Pure: the VS Code side fills
 * it once (`findFiles`) and keeps it current from a file watcher.
 */
export class FileIndex {
  private readonly _byName = new Map<string, IndexedFile[]>();
  private readonly _byUri = new Map<string, IndexedFile>();

  get size(): number {
    return this._byUri.size;
  }

  add(file: IndexedFile): void {
    if (this._byUri.has(file.uri)) return;
    const entry = { uri: file.uri, path: normalizePath(file.path).replace(/^\/+/, '') };
    this._byUri.set(entry.uri, entry);
    const name = basename(entry.path);
    const list = this._byName.get(name);
    if (list) list.push(entry);
    else this._byName.set(name, [entry]);
  }

  remove(uri: string): void {
    const entry = this._byUri.get(uri);
    if (!entry) return;
    this._byUri.delete(uri);
    const name = basename(entry.path);
    const list = this._byName.get(name)?.filter((f) => f.uri !== uri) ?? [];
    if (list.length > 0) this._byName.set(name, list);
    else this._byName.delete(name);
  }

  /** Removes every file whose uri starts with `prefix` (a deleted folder). */
  removeUnder(prefix: string): void {
    const folder = prefix.endsWith('/') ? prefix : `${prefix}/`;
    for (const uri of [...this._byUri.keys()]) if (uri.startsWith(folder)) this.remove(uri);
  }

  clear(): void {
    this._byName.clear();
    this._byUri.clear();
  }

  /**
   * The one file `written` names, or undefined when none or several do (we never guess). A path
   * matches at a folder boundary, ignoring case and slash direction: exactly; as the tail of a
   * longer path the viewer pasted (`/home/them/proj/src/app.ts` names `src/app.ts`, the longest such
   * file wins); or as the tail of exactly one workspace path (`app.ts`, `src/app.ts`).
   */
  find(written: string): IndexedFile | undefined {
    const wanted = normalizePath(written)
      .replace(/^[A-Za-z]:/, '')
      .toLowerCase();
    const trimmed = wanted.replace(/^\/+/, '');
    if (!trimmed) return undefined;
    const candidates = this._byName.get(basename(trimmed)) ?? [];
    if (candidates.length === 0) return undefined;
    const lower = (f: IndexedFile) => f.path.toLowerCase();
    const exact = candidates.filter((f) => lower(f) === trimmed);
    if (exact.length === 1) return exact[0];
    if (exact.length > 1) return exact.find((f) => f.path === normalizePath(written)) ?? undefined;
    // The viewer's path is longer (absolute, from their machine): the longest workspace tail wins.
    const tails = candidates
      .filter((f) => wanted.endsWith(`/${lower(f)}`))
      .sort((a, b) => b.path.length - a.path.length);
    if (tails.length === 1 || (tails.length > 1 && tails[0]!.path.length > tails[1]!.path.length))
      return tails[0];
    if (tails.length > 1) return undefined;
    // The viewer's path is shorter: only when exactly one file ends with it.
    const longer = candidates.filter((f) => lower(f).endsWith(`/${trimmed}`));
    return longer.length === 1 ? longer[0] : undefined;
  }

  /** The file at exactly this workspace path (case-insensitive when unique). */
  exact(path: string): IndexedFile | undefined {
    const wanted = normalizePath(path).replace(/^\/+/, '').toLowerCase();
    const hits = (this._byName.get(basename(wanted)) ?? []).filter(
      (f) => f.path.toLowerCase() === wanted,
    );
    return hits.length === 1 ? hits[0] : undefined;
  }
}

/**
 * Matches candidates to workspace files. A repository link counts only when its remote is one of
 * `remotes` (the workspace's own git remotes, as `remoteKey` spells them); its ref may contain
 * slashes, so the shortest ref whose remainder is a workspace file wins.
 */
export function resolveReferences(
  candidates: readonly CodeRefCandidate[],
  index: FileIndex,
  remotes: ReadonlySet<string>,
): ResolvedRef[] {
  const resolved: ResolvedRef[] = [];
  for (const candidate of candidates) {
    let file: IndexedFile | undefined;
    if (candidate.kind === 'repo') {
      if (!candidate.remote || !remotes.has(candidate.remote)) continue;
      const segments = candidate.path.split('/');
      for (let i = 1; i < segments.length && !file; i++)
        file = index.exact(segments.slice(i).join('/'));
    } else {
      file = index.find(candidate.path);
    }
    if (!file) continue;
    resolved.push({
      candidate,
      file,
      line: candidate.line,
      endLine: candidate.endLine,
      column: candidate.column,
    });
  }
  return resolved;
}
