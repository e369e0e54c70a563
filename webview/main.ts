// Entry point of the chat webview (bundled by esbuild as an IIFE; loaded with the page's nonce).
import type { WebviewToHost } from '../src/protocol/messages';
import { ChatApp, ThemeInfo, ViewState } from './app';
import { registerComponents } from './components/register';
import { compositeOver, parseColor } from './render/color';
import { decodeHostPost, newPageId } from '../src/protocol/messages';
import { systemClock } from '../src/core/clock';
import { setStrings } from './strings';

declare function acquireVsCodeApi(): {
  postMessage(message: WebviewToHost): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
};

const vscode = acquireVsCodeApi();
registerComponents();

/** Where the view can sit (a panel, the side bar, an editor tab), as VS Code's theme variables. */
const BASES = [
  '--vscode-editor-background',
  '--vscode-panel-background',
  '--vscode-sideBar-background',
  '--vscode-sideBarSectionHeader-background',
];
/** What can be drawn behind a line on top of those: hover, a mention, an event. Often translucent. */
const OVERLAYS = [
  '--vscode-list-hoverBackground',
  '--vscode-list-inactiveSelectionBackground',
  '--vscode-textBlockQuote-background',
  '--vscode-editorWidget-background',
];

/** The theme as the page sees it: VS Code sets these variables and body classes on theme change. */
function themeInfo(): ThemeInfo {
  const style = getComputedStyle(document.body);
  const value = (name: string) => style.getPropertyValue(name).trim();
  const bases = BASES.map(value).filter((v) => parseColor(v));
  const backgrounds = new Set(bases);
  for (const overlay of OVERLAYS.map(value).filter((v) => parseColor(v))) {
    for (const base of bases) {
      const over = compositeOver(overlay, base);
      if (over) backgrounds.add(over);
    }
  }
  const classes = document.body.classList;
  return {
    backgrounds: [...backgrounds],
    highContrast:
      classes.contains('vscode-high-contrast') || classes.contains('vscode-high-contrast-light'),
  };
}
let app: ChatApp | undefined;
// Named in `ready` before the app exists (it is built once the strings arrive).
const pageId = newPageId();

/** Builds the view, in the language of the strings installed before. */
function start(): ChatApp {
  const root = document.getElementById('app')!;
  const chat = new ChatApp(
    root,
    {
      pageId,
      post: (m) => vscode.postMessage(m),
      getState: () => vscode.getState(),
      setState: (s) => vscode.setState(s),
    },
    (cb) => requestAnimationFrame(cb),
    systemClock,
  );
  chat.setTheme(themeInfo());
  new MutationObserver(() => chat.setTheme(themeInfo())).observe(document.body, {
    attributes: true,
    attributeFilter: ['class', 'style'],
  });
  document.addEventListener('visibilitychange', () =>
    chat.setVisible(document.visibilityState === 'visible'),
  );
  chat.setVisible(document.visibilityState !== 'hidden');
  return chat;
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = decodeHostPost(event.data);
  if (!message) {
    vscode.postMessage({
      type: 'log',
      level: 'warn',
      message: 'view ignored a message that is not a host post',
    });
    return;
  }
  try {
    // The host answers `ready` with the strings first: every label is built in the user's language.
    if (!app && message.type === 'strings') {
      setStrings(message.strings);
      app = start();
      return;
    }
    app ??= start();
    app.receive(message);
  } catch (error) {
    vscode.postMessage({
      type: 'log',
      level: 'error',
      message: `view failed to handle ${String(message.type)}: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
});
window.addEventListener('error', (e) =>
  vscode.postMessage({ type: 'log', level: 'error', message: String(e.message).slice(0, 2000) }),
);
vscode.postMessage({ type: 'ready', pageId });
