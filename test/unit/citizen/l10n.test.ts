// Every user-facing host string goes through vscode.l10n.t, and l10n/bundle.l10n.json (what a
// translator starts from) lists each of them: a new string that skips either fails here.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractMessages, hostMessages, pseudo } from '../../../scripts/l10n.mjs';

const ROOT = path.resolve(__dirname, '../../..');
const UI = path.join(ROOT, 'src/ui');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

/** Calls that show text to the user, whose first argument is a bare string or template literal. */
const RAW_TEXT = [
  /\bshow(?:Information|Warning|Error)Message\(\s*['"`][A-Za-z]/,
  /\b(?:title|placeHolder|prompt|tooltip):\s*['"`][A-Za-z]/,
  /\.(?:text|tooltip|name)\s*=\s*['"`][A-Za-z]/,
];

describe('localisation', () => {
  it('finds the strings of l10n.t and of its t alias, and not other calls', () => {
    expect(
      extractMessages("vscode.l10n.t('Set {0}', x); t(\"Hi 'you'\"); list('nope'); it('no')"),
    ).toEqual(['Set {0}', "Hi 'you'"]);
  });

  it('keeps l10n/bundle.l10n.json in step with the sources (run node scripts/l10n.mjs)', () => {
    const committed = JSON.parse(
      readFileSync(path.join(ROOT, 'l10n/bundle.l10n.json'), 'utf8'),
    ) as Record<string, string>;
    const current = hostMessages();
    expect(Object.keys(current).length).toBeGreaterThan(50);
    expect(committed).toEqual(current);
  });

  it('shows no raw string literal in notifications, quick input titles or the status item (src/ui)', () => {
    const offenders = files(UI).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line: line.trim(), where: `${path.relative(ROOT, file)}:${i + 1}` }))
        .filter(({ line }) => RAW_TEXT.some((r) => r.test(line)))
        .map(({ where, line }) => `${where}: ${line}`),
    );
    expect(offenders).toEqual([]);
  });

  it('pseudo-localises the words and keeps placeholders, command links and code intact', () => {
    const out = pseudo('Set {0} with [Set Token…](command:streamChat.setToken) and `!line 3`');
    expect(out.startsWith('⟦') && out.endsWith('⟧')).toBe(true);
    expect(out).toContain('{0}');
    expect(out).toContain('](command:streamChat.setToken)');
    expect(out).toContain('`!line 3`');
    expect(out).not.toContain('Set ');
  });
});
