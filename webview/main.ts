// Entry point of the chat webview (bundled by esbuild as an IIFE; loaded with the page's nonce).
import type { HostToWebview, WebviewToHost } from '../src/protocol/messages';
import { ChatApp, ViewState } from './app';
import { registerComponents } from './components/register';

declare function acquireVsCodeApi(): {
  postMessage(message: WebviewToHost): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
};

const vscode = acquireVsCodeApi();
registerComponents();

const root = document.getElementById('app')!;
const app = new ChatApp(root, { post: (m) => vscode.postMessage(m), getState: () => vscode.getState(), setState: (s) => vscode.setState(s) }, (cb) => requestAnimationFrame(cb));

/** The theme's background, for contrast: VS Code sets these variables on the page. */
function themeBackground(): string {
  const style = getComputedStyle(document.body);
  return (style.getPropertyValue('--vscode-editor-background') || style.getPropertyValue('--vscode-panel-background')).trim();
}
app.themeChanged(themeBackground());
// VS Code swaps body classes (vscode-light / vscode-dark / vscode-high-contrast) on theme change.
new MutationObserver(() => app.themeChanged(themeBackground())).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  try {
    app.receive(event.data);
  } catch (error) {
    vscode.postMessage({ type: 'log', level: 'error', message: `view failed to handle ${String(event.data?.type)}: ${error instanceof Error ? error.message : String(error)}` });
  }
});
window.addEventListener('error', (e) => vscode.postMessage({ type: 'log', level: 'error', message: String(e.message).slice(0, 2000) }));
vscode.postMessage({ type: 'ready' });
