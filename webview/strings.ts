/**
 * The view's only way to text a user reads: `t(key, ...args)` with a key of the one shared list
 * (src/protocol/webviewStrings.ts), looked up in the table the host posted (`strings`, built with
 * vscode.l10n.t), falling back to the English key. A unit test fails on a visible literal that
 * skips it.
 */
import { formatMessage, type Translate } from '../src/core/l10n';
import {
  checkStringTable,
  type WebviewString,
  type WebviewStringTable,
} from '../src/protocol/webviewStrings';

let table: WebviewStringTable = {};

/** Installs the host's table (main.ts does, before the app builds its DOM). */
export function setStrings(strings: unknown): void {
  table = checkStringTable(strings);
}

/** The text of `key` in the display language, `{0}`, `{1}`… filled with `args`. */
export function t(key: WebviewString, ...args: Array<string | number>): string {
  return formatMessage(table[key] ?? key, args);
}

/** `t` for core code that takes a translator (describeState); its sentences are in the list. */
export const translate: Translate = (message, ...args) =>
  formatMessage(table[message as WebviewString] ?? message, args);

/** A CSS string literal of `text`, for labels the stylesheet draws (`content: var(--…)`). */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/[\n\r\f]/g, ' ')}"`;
}
