import { Emitter } from '../../../src/core/event';
import { HostPost, HostToWebview, decodeHostPost } from '../../../src/protocol/messages';

/**
 * The webview side of a `ChatViewConnection`: records what the host posts (decoded) and lets the
 * test speak for the page. Deliveries settle at once with `autoDeliver`, otherwise only when the
 * test says so (the pipe to a busy page).
 */
export class FakeWebview {
  readonly posted: HostToWebview[] = [];
  private readonly _deliveries: Array<() => void> = [];
  private readonly _onDidReceiveMessage = new Emitter<unknown>();
  readonly onDidReceiveMessage = this._onDidReceiveMessage.event;

  constructor(
    /** Deliver every post at once (an idle, fast page). */
    public autoDeliver = false,
  ) {}

  postMessage(post: HostPost): Promise<boolean> {
    this.posted.push(decodeHostPost(post)!);
    if (this.autoDeliver) return Promise.resolve(true);
    return new Promise((resolve) => this._deliveries.push(() => resolve(true)));
  }

  /** The page confirms every post so far. */
  deliverAll(): void {
    for (const deliver of this._deliveries.splice(0)) deliver();
  }

  /** The page confirms only its oldest outstanding post. */
  deliverOldest(): void {
    this._deliveries.shift()?.();
  }

  get undelivered(): number {
    return this._deliveries.length;
  }

  fromPage(message: unknown): void {
    this._onDidReceiveMessage.fire(message);
  }

  /** The posts of one type, in order. */
  of<T extends HostToWebview['type']>(type: T): Array<Extract<HostToWebview, { type: T }>> {
    return this.posted.filter((m): m is Extract<HostToWebview, { type: T }> => m.type === type);
  }
}
