import * as vscode from 'vscode';
import { WEBVIEW_STRINGS, WebviewString, WebviewStringTable } from '../protocol/webviewStrings';

/**
 * The chat view's strings in VS Code's display language: each key of the shared list through
 * vscode.l10n.t (scripts/l10n.mjs puts them in l10n/bundle.l10n.json). Placeholders stay for the
 * view to fill.
 */
export function webviewStringTable(): WebviewStringTable {
  const table: Partial<Record<WebviewString, string>> = {};
  for (const key of WEBVIEW_STRINGS) table[key] = vscode.l10n.t(key);
  return table;
}
