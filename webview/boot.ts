import type { HostToWebview, WebviewToHost } from '../src/protocol/messages';
import { ChatApp, ThemeInfo } from './app';
import type { FrameScheduler } from './timeline';

/** The part of `acquireVsCodeApi()` the view uses. */
export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

const HOST_MESSAGE_TYPES: ReadonlySet<string> = new Set<HostToWebview['type']>(['snapshot', 'ops', 'platforms', 'settings', 'highlights', 'sendResult', 'focusComposer']);

/** Whether a `message` event carries one of the host's messages (anything else is ignored). */
export function isHostMessage(data: unknown): data is HostToWebview {
  return typeof data === 'object' && data !== null && HOST_MESSAGE_TYPES.has((data as { type?: unknown }).type as string);
}

/** Theme variables for the backgrounds the view can sit on: an editor, the panel, the side bar. */
const BACKGROUND_VARIABLES = ['--vscode-editor-background', '--vscode-panel-background', '--vscode-sideBar-background'];

/** Reads the theme from VS Code's CSS variables and body classes (`vscode-light`, `vscode-dark`, `vscode-high-contrast`…). */
export function readTheme(doc: Document): ThemeInfo {
  const style = doc.defaultView?.getComputedStyle(doc.body);
  const backgrounds = BACKGROUND_VARIABLES.map((name) => style?.getPropertyValue(name).trim() ?? '').filter((v) => v.length > 0);
  const classes = doc.body.classList;
  const light = classes.contains('vscode-light') || classes.contains('vscode-high-contrast-light');
  return {
    backgrounds: backgrounds.length > 0 ? backgrounds : [light ? '#ffffff' : '#1e1e1e'],
    highContrast: classes.contains('vscode-high-contrast') || classes.contains('vscode-high-contrast-light'),
    reducedMotion: classes.contains('vscode-reduce-motion'),
  };
}

/**
 * Starts the view in `win`: builds the app in `#app`, follows theme and visibility changes,
 * dispatches the host's messages, reports errors to the host's log, and posts `ready` once the
 * message listener is installed (the host then sends the snapshot).
 */
export function boot(win: Window & typeof globalThis, api: VsCodeApi, schedule?: FrameScheduler): ChatApp {
  const doc = win.document;
  let root = doc.getElementById('app');
  if (!root) {
    root = doc.createElement('div');
    root.id = 'app';
    doc.body.append(root);
  }
  const log = (level: 'info' | 'warn' | 'error', message: string) => api.postMessage({ type: 'log', level, message: message.slice(0, 2000) });
  const app = new ChatApp(
    root,
    { post: (m) => api.postMessage(m), getState: () => api.getState(), setState: (s) => api.setState(s) },
    schedule ?? ((callback) => win.requestAnimationFrame(() => callback())),
  );

  const onTheme = () => app.setTheme(readTheme(doc));
  onTheme();
  // VS Code swaps the body's theme classes and rewrites the variables on <html> on a theme change.
  const observer = new win.MutationObserver(onTheme);
  observer.observe(doc.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(doc.documentElement, { attributes: true, attributeFilter: ['style'] });

  win.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (!isHostMessage(data)) return;
    try {
      app.receive(data);
    } catch (error) {
      log('error', `the view failed to handle '${data.type}': ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  win.addEventListener('error', (e) => log('error', String(e.message)));
  win.addEventListener('unhandledrejection', (e) => log('error', `unhandled rejection: ${e.reason instanceof Error ? e.reason.message : String(e.reason)}`));
  const visible = () => doc.visibilityState !== 'hidden';
  doc.addEventListener('visibilitychange', () => app.setVisible(visible()));
  app.setVisible(visible());

  api.postMessage({ type: 'ready' });
  return app;
}
