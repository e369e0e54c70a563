// Every user-facing host string goes through vscode.l10n.t, and l10n/bundle.l10n.json (what a
// translator starts from) lists each of them: a new string that skips either fails here.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractMessages, hostMessages, pseudo, webviewMessages } from '../../../scripts/l10n.mjs';
import { WEBVIEW_STRINGS } from '../../../src/protocol/webviewStrings';

const ROOT = path.resolve(__dirname, '../../..');
const UI = path.join(ROOT, 'src/ui');
const WEBVIEW = path.join(ROOT, 'webview');

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

/** Webview code that puts a bare literal with words where the user reads it. */
const RAW_VIEW_TEXT = [
  /\.(?:textContent|title|placeholder|alt)\s*=\s*['"`][A-Za-z]/,
  /setAttribute\(\s*['"](?:aria-label|title|placeholder|alt|aria-description)['"]\s*,\s*['"`][A-Za-z]/,
  /\b(?:label|title|placeholder):\s*['"`][A-Za-z]/,
  /createTextNode\(\s*['"`][A-Za-z]/,
];

function offendersIn(dir: string, patterns: readonly RegExp[]): string[] {
  return files(dir).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line: line.trim(), where: `${path.relative(ROOT, file)}:${i + 1}` }))
      .filter(({ line }) => patterns.some((r) => r.test(line)))
      .map(({ where, line }) => `${where}: ${line}`),
  );
}

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
    expect(offendersIn(UI, RAW_TEXT)).toEqual([]);
  });

  it('puts every string of the chat view in the bundle, from the one shared list', () => {
    expect(webviewMessages()).toEqual([...WEBVIEW_STRINGS]);
    expect(new Set(WEBVIEW_STRINGS).size).toBe(WEBVIEW_STRINGS.length);
    const bundle = hostMessages();
    expect(WEBVIEW_STRINGS.filter((s) => !(s in bundle))).toEqual([]);
    // The accessible names the tests find the moderation controls by stay the English keys.
    for (const name of ['Delete message', 'Time out', 'Ban', 'Unban', 'Undo'])
      expect(WEBVIEW_STRINGS).toContain(name);
  });

  it('lists every t() of the view (and of describeState) and nothing it does not use', () => {
    const sources = [...files(WEBVIEW), path.join(ROOT, 'src/core/state.ts')].map((f) =>
      readFileSync(f, 'utf8'),
    );
    const used = new Set(sources.flatMap((s) => extractMessages(s)));
    const listed = new Set<string>(WEBVIEW_STRINGS);
    expect([...used].filter((s) => !listed.has(s))).toEqual([]);
    // Role names are looked up through their tables (t(badge.name)): quoted there.
    const all = sources.join('\n');
    expect(WEBVIEW_STRINGS.filter((s) => !used.has(s) && !all.includes(`'${s}'`))).toEqual([]);
  });

  it('sets no raw string literal as text, label, title or placeholder in the webview', () => {
    expect(offendersIn(WEBVIEW, RAW_VIEW_TEXT)).toEqual([]);
  });

  it('the webview check can fail', () => {
    const sample = [
      "b.textContent = 'Undo';",
      "x.setAttribute('aria-label', `Mentions (${n})`);",
      "button(doc, { label: 'Send' })",
    ];
    for (const line of sample) expect(RAW_VIEW_TEXT.some((r) => r.test(line))).toBe(true);
    expect(RAW_VIEW_TEXT.some((r) => r.test("b.textContent = t('Undo');"))).toBe(false);
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
