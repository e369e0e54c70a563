import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** SHA-256 of the empty string, as CSP spells it. */
const EMPTY_STYLE_HASH = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/** Folders a chat webview may load from: the bundles and the static media. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
}

/**
 * The chat page, shared by the panel view and the editor panel. Strict CSP: scripts only with
 * this page's nonce (from `crypto`, not Math.random), styles and fonts only from the extension,
 * images from the extension or https (emotes and avatars the platforms sent; the view checks the
 * scheme of each URL again).
 */
export function getWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (...path: string[]) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // The toolkit (FAST) creates one empty <style> element and fills it through the CSSOM, which
    // CSP does not restrict: allow exactly the empty stylesheet's hash, nothing inline beyond it.
    `style-src ${webview.cspSource} '${EMPTY_STYLE_HASH}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} https:`,
    // The highlight chime (media/highlight.wav), from the extension's own resources only.
    `media-src ${webview.cspSource}`,
  ].join('; ');
  // The page is in VS Code's display language (its strings come from the host's table).
  const lang = /^[A-Za-z0-9-]{1,35}$/.test(vscode.env.language) ? vscode.env.language : 'en';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${asset('dist', 'codicons', 'codicon.css')}" rel="stylesheet">
<link href="${asset('dist', 'webview-style.css')}" rel="stylesheet">
<link href="${asset('dist', 'webview-moderation.css')}" rel="stylesheet">
<title>Stream Chat</title>
</head>
<body>
<div id="app"></div>
<audio id="highlight-sound" src="${asset('media', 'highlight.wav')}" preload="auto"></audio>
<script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
}
