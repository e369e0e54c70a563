import type { Disposable } from '../core/lifecycle';
import type { HostToWebview, WebviewToHost } from './messages';

/**
 * A feature that talks to the page beside the timeline (code references): it posts its own
 * messages and answers its own requests, so the chat view's connection only dispatches.
 */
export interface ChatViewBridge {
  /** One connected page; `post` reaches it once it is ready. */
  connect(page: { post(message: HostToWebview): void }): ChatViewBridgeSession;
}

export interface ChatViewBridgeSession extends Disposable {
  /** The page said `ready` and has its snapshot: send what it needs on top. */
  ready?(): void;
  /** A message from the page; true when this bridge handled it. */
  handle?(message: WebviewToHost): boolean;
}
