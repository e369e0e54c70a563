/**
 * Localisation for code that cannot import `vscode` (core, the webview). The host passes
 * `vscode.l10n.t` where a `Translate` is asked for; the view passes its string table's lookup;
 * tests and the defaults use `english`. Messages are the English text with `{0}`, `{1}`…
 * placeholders (the l10n convention), so scripts/l10n.mjs finds each literal `t('…')` call.
 */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

/** Fills `{0}`, `{1}`… with the arguments, as vscode.l10n.t does; unknown placeholders stay. */
export function formatMessage(
  template: string,
  args: ReadonlyArray<string | number | boolean>,
): string {
  if (args.length === 0) return template;
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}

/** The English source text, formatted: the translator when nothing is localised. */
export const english: Translate = (message, ...args) => formatMessage(message, args);
