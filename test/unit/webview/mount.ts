import type { WebviewToHost } from '../../../src/protocol/messages';
import { ChatApp } from '../../../webview/app';

/**
 * A fresh chat view in jsdom's body, recording what it posts. Frames run at once, or (`queued`)
 * wait in `frames` until the test runs them.
 */
export function mountChatApp(options: { frames?: 'immediate' | 'queued'; pageId?: string } = {}) {
  document.body.replaceChildren();
  const root = document.createElement('div');
  document.body.append(root);
  const posted: WebviewToHost[] = [];
  const frames: Array<() => void> = [];
  const app = new ChatApp(
    root,
    {
      post: (m) => posted.push(m),
      getState: () => undefined,
      setState: () => {},
      ...(options.pageId ? { pageId: options.pageId } : {}),
    },
    options.frames === 'queued' ? (cb) => frames.push(cb) : (cb) => cb(),
  );
  return { app, root, posted, frames };
}
