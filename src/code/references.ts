/**
 * Finds what in a chat line points at code: `path:line[:col]`, `path#L12-L20`, `path(12,5)`,
 * stack-trace frames (Node/V8, Python, Java, Go, Rust, .NET), bare file names and links into a
 * repository (`…/blob/<ref>/path#L12`). Pure: it only reads the text; whether a candidate names a
 * workspace file is the resolver's question. Never throws; candidates are sorted, inside the text
 * and never overlap.
 */

export type CodeRefKind = 'pathLine' | 'anchor' | 'paren' | 'python' | 'dotnet' | 'bare' | 'repo';

export interface CodeRefCandidate {
  readonly kind: CodeRefKind;
  /** Offsets into the text (UTF-16), `end` exclusive: the characters that become the link. */
  readonly start: number;
  readonly end: number;
  /** The path as written, slashes made forward (for `repo`: the URL's path after `blob/`). */
  readonly path: string;
  /** 1-based; absent for a bare file name. */
  readonly line?: number;
  readonly endLine?: number;
  readonly column?: number;
  /** For `repo`: `host/owner/name`, lowercase, as `remoteKey` makes it from a git remote. */
  readonly remote?: string;
}

const MAX_LINE = 10_000_000;
const MAX_COLUMN = 100_000;
/** A chat line longer than this is not scanned past it (chat lines are short; pastes can be huge). */
const MAX_SCAN = 5_000;
/** At most this many candidates per line. */
export const MAX_CANDIDATES = 50;

/** Extensions a file name without a folder must have to count (so `Math.max(1, 2)` is not a file). */
const KNOWN_EXTENSIONS = new Set(
  (
    'ts tsx mts cts js jsx mjs cjs json jsonc md mdx py pyi rb go rs java kt kts scala groovy gradle cs fs vb ' +
    'c h cc cpp cxx hpp hh hxx m mm swift dart php lua pl pm r jl ex exs erl hrl hs elm clj cljs edn ' +
    'sh bash zsh fish ps1 psm1 bat cmd sql graphql gql proto html htm css scss sass less vue svelte astro ' +
    'xml yaml yml toml ini cfg conf env lock txt csv tsv tf hcl nix zig v sol asm s ipynb mk cmake csproj sln'
  ).split(' '),
);

/** File names without an extension that are still clearly files. */
const EXTENSIONLESS = new Set([
  'dockerfile',
  'makefile',
  'gnumakefile',
  'rakefile',
  'gemfile',
  'procfile',
  'jenkinsfile',
  'vagrantfile',
  'brewfile',
  'justfile',
  'containerfile',
  'license',
  'readme',
  'codeowners',
]);

// A path: optional drive, optional leading slashes, folders, a last segment that does not end in a dot.
const SEGMENT = String.raw`[\w@~+-](?:[\w.@~+-]*[\w@~+-])?`;
const PATH = String.raw`(?:[A-Za-z]:)?[\\/]*(?:[\w.@~+-]+[\\/]+)*${SEGMENT}`;
// Not in the middle of a longer token.
const BEFORE = String.raw`(?<![\w.@~+\\/-])`;
const AFTER = String.raw`(?![\w@~+-])`;

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const PYTHON = new RegExp(String.raw`File "(${PATH})", line (\d{1,8})`, 'g');
const DOTNET = new RegExp(String.raw`${BEFORE}(${PATH}):line (\d{1,8})${AFTER}`, 'g');
const ANCHOR = new RegExp(String.raw`${BEFORE}(${PATH})#L(\d{1,8})(?:-L?(\d{1,8}))?${AFTER}`, 'g');
const PAREN = new RegExp(String.raw`${BEFORE}(${PATH})\((\d{1,8})(?:,\s?(\d{1,6}))?\)`, 'g');
const PATH_LINE = new RegExp(
  String.raw`${BEFORE}(${PATH}):(\d{1,8})(?:(?::(\d{1,6}))|(?:-(\d{1,8})))?(?![\w@~+-]|:\d)`,
  'g',
);
const BARE = new RegExp(String.raw`${BEFORE}(${PATH})${AFTER}(?![\\/:(#])`, 'g');

/**
 * What every name `looksLikeFile` accepts contains: an extension (a dot and a letter or digit) or
 * one of the extension-less names. A line without it names no file, so the shapes that need one are
 * not run on it: each path pattern backtracks through every word, which made this scan the
 * extension host's costliest step per chat line (`npm run bench`, host profile).
 */
const FILE_HINT = new RegExp(String.raw`\.[a-z0-9]|${[...EXTENSIONLESS].join('|')}`, 'i');

/**
 * The shapes that carry a line number, in the order they claim text (group 1 is the path, group 2
 * the line; `column` and `endLine` name their groups). A Python frame names its file in quotes, so
 * any path counts; the others must look like a file. `hint` is text every match contains: a line
 * without it skips the pattern.
 */
const NUMBERED: ReadonlyArray<{
  readonly kind: CodeRefKind;
  readonly pattern: RegExp;
  readonly hint: RegExp;
  readonly mustLookLikeFile: boolean;
  readonly column?: number;
  readonly endLine?: number;
}> = [
  { kind: 'python', pattern: PYTHON, hint: /File "/, mustLookLikeFile: false },
  { kind: 'dotnet', pattern: DOTNET, hint: /:line \d/, mustLookLikeFile: true },
  { kind: 'anchor', pattern: ANCHOR, hint: /#L\d/, mustLookLikeFile: true, endLine: 3 },
  { kind: 'paren', pattern: PAREN, hint: /\(\d/, mustLookLikeFile: true, column: 3 },
  {
    kind: 'pathLine',
    pattern: PATH_LINE,
    hint: /:\d/,
    mustLookLikeFile: true,
    column: 3,
    endLine: 4,
  },
];

/** Whether `path` looks like a file: a known extension, a known extension-less name, or any extension under a folder. */
export function looksLikeFile(path: string): boolean {
  const normal = path.replace(/\\/g, '/');
  const name = normal.slice(normal.lastIndexOf('/') + 1);
  if (!name || name === '.' || name === '..') return false;
  if (EXTENSIONLESS.has(name.toLowerCase())) return true;
  const dot = name.lastIndexOf('.');
  if (dot <= 0 && !(dot === 0 && name.length > 1)) return false;
  const ext = name.slice(dot + 1).toLowerCase();
  if (KNOWN_EXTENSIONS.has(ext)) return true;
  // `src/foo.xyz` names a file even with an unusual extension; a lone `a.b` does not.
  return normal.includes('/') && /^[a-z0-9]{1,10}$/i.test(ext) && !/^\d+$/.test(ext);
}

/** Forward slashes, no repeated ones, no leading `./`. */
export function normalizePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/\/{2,}/g, '/')
    .replace(/^(?:\.\/)+/, '');
}

function num(value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 1 && n <= max ? n : undefined;
}

/** `host/owner/name` (lowercase, no `.git`) from a git remote URL in any of git's spellings. */
export function remoteKey(remote: string): string | undefined {
  const text = remote.trim();
  // scp-like: git@github.com:owner/name.git
  const scp = /^(?:[\w.-]+@)?([\w.-]+):(?!\/\/)([^\s]+)$/.exec(text);
  let host: string;
  let path: string;
  if (scp && !text.includes('://')) {
    host = scp[1]!;
    path = scp[2]!;
  } else {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    if (!['http:', 'https:', 'ssh:', 'git:', 'git+ssh:'].includes(url.protocol)) return undefined;
    host = url.hostname;
    path = url.pathname;
  }
  const parts = path
    .replace(/\.git\/?$/, '')
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .filter(Boolean);
  if (!host || parts.length < 2) return undefined;
  return [host, ...parts].join('/').toLowerCase();
}

/** A repository file link (GitHub `blob`, GitLab `-/blob`, Bitbucket `src`), else undefined. */
function repoLink(url: string): Omit<CodeRefCandidate, 'start' | 'end'> | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const segments = parsed.pathname.split('/').filter(Boolean).map(safeDecode);
  const at = segments.findIndex((s, i) => i >= 2 && (s === 'blob' || (s === 'src' && i === 2)));
  // At least a ref and one path segment after `blob`.
  if (at < 2 || segments.length - at < 3) return undefined;
  const repo = segments.slice(0, at).filter((s) => s !== '-');
  if (repo.length < 2) return undefined;
  const hash = parsed.hash;
  const lines =
    /^#L(\d{1,8})(?:C\d+)?(?:-L?(\d{1,8}))?/.exec(hash) ??
    /^#lines-(\d{1,8})(?::(\d{1,8}))?/.exec(hash);
  const line = num(lines?.[1], MAX_LINE);
  const endLine = num(lines?.[2], MAX_LINE);
  return {
    kind: 'repo',
    path: segments.slice(at + 1).join('/'),
    remote: [parsed.hostname, ...repo].join('/').toLowerCase(),
    line,
    endLine: line !== undefined && endLine !== undefined && endLine >= line ? endLine : undefined,
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Every code reference candidate in `text`, in order. */
export function findCodeReferences(text: string): CodeRefCandidate[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const scanned = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text;
  const taken: Array<readonly [number, number]> = [];
  const found: CodeRefCandidate[] = [];
  const free = (start: number, end: number) => taken.every(([s, e]) => end <= s || start >= e);
  const claim = (start: number, end: number) => taken.push([start, end]);
  const add = (candidate: CodeRefCandidate) => {
    if (
      found.length >= MAX_CANDIDATES ||
      candidate.start < 0 ||
      candidate.end > scanned.length ||
      candidate.start >= candidate.end ||
      !free(candidate.start, candidate.end)
    )
      return;
    claim(candidate.start, candidate.end);
    found.push(candidate);
  };

  // URLs first: a path inside someone's URL is not a workspace path unless it is a link into our repository.
  for (const m of scanned.matchAll(URL_PATTERN)) {
    const url = m[0].replace(/[.,;:!?)\]}]+$/, '');
    const start = m.index;
    const repo = repoLink(url);
    if (repo && repo.path && free(start, start + url.length))
      found.push({ ...repo, start, end: start + url.length });
    claim(start, start + url.length);
  }

  const mayNameFile = FILE_HINT.test(scanned);
  for (const shape of NUMBERED) {
    if ((shape.mustLookLikeFile && !mayNameFile) || !shape.hint.test(scanned)) continue;
    for (const m of scanned.matchAll(shape.pattern)) {
      const line = num(m[2], MAX_LINE);
      if (line === undefined || (shape.mustLookLikeFile && !looksLikeFile(m[1]!))) continue;
      const endLine = shape.endLine ? num(m[shape.endLine], MAX_LINE) : undefined;
      add({
        kind: shape.kind,
        start: m.index,
        end: m.index + m[0].length,
        path: normalizePath(m[1]!),
        line,
        ...(shape.column ? { column: num(m[shape.column], MAX_COLUMN) } : {}),
        ...(shape.endLine
          ? { endLine: endLine !== undefined && endLine >= line ? endLine : undefined }
          : {}),
      });
    }
  }
  if (mayNameFile)
    for (const m of scanned.matchAll(BARE)) {
      if (looksLikeFile(m[1]!) && /[A-Za-z]/.test(m[1]!))
        add({
          kind: 'bare',
          start: m.index,
          end: m.index + m[0].length,
          path: normalizePath(m[1]!),
        });
    }
  return found
    .filter((c) => c.path.length > 0)
    .sort((a, b) => a.start - b.start)
    .slice(0, MAX_CANDIDATES);
}
