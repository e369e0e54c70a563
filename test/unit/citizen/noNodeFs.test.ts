// Remote and virtual windows: the extension runs on the streamer's machine (extensionKind "ui"
// first) while the documents live elsewhere, so every document is read through the editor API.
// A Node `fs` import in src/ would read the wrong machine (or nothing, for vscode-vfs://).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../../../src');
/** Modules allowed to use Node's fs (paths relative to src/): none today. */
const ALLOWED: readonly string[] = [];

const FS_MODULE = /^(node:)?fs(\/promises)?$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|cts|js)$/.test(e.name) ? [full] : [];
  });
}

/** Every module specifier a file imports, requires or dynamically imports. */
export function importedModules(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+[\w*{}\s,]+\s+from\s+['"]([^'"]+)['"]/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns)
    for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

describe('no Node fs in the extension', () => {
  it('finds each way of importing fs (the check can fail)', () => {
    const sample = [
      "import * as fs from 'fs';",
      "import { readFile } from 'node:fs/promises';",
      "const f = require('node:fs');",
      "const g = await import('fs/promises');",
      "export { stat } from 'fs';",
      "import * as vscode from 'vscode';",
    ].join('\n');
    expect(importedModules(sample).filter((m) => FS_MODULE.test(m))).toEqual([
      'fs',
      'node:fs/promises',
      'fs',
      'node:fs',
      'fs/promises',
    ]);
  });

  it('src/ imports fs nowhere outside the allowed modules', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files
      .map((file) => path.relative(SRC, file).split(path.sep).join('/'))
      .filter((rel) => !ALLOWED.includes(rel))
      .filter((rel) =>
        importedModules(readFileSync(path.join(SRC, rel), 'utf8')).some((m) => FS_MODULE.test(m)),
      );
    expect(offenders).toEqual([]);
  });
});
