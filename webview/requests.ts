import { RequestId, newPageId, pageOfRequest, requestIdOf } from '../src/protocol/messages';

/**
 * This page's request ids: its page id and a counter. The page reloads on every hide/show and
 * counts from 1 again; the page id (new on every load) keeps the ids unique across page lifetimes,
 * so a late result for a request of an earlier page can never settle one of this page's.
 */
export class PageRequests {
  private _next = 1;

  constructor(readonly pageId: string = newPageId()) {}

  next(): RequestId {
    return requestIdOf(this.pageId, this._next++);
  }

  /** True for an id this page made; false for another page's (or a malformed one). */
  owns(id: unknown): boolean {
    return pageOfRequest(id) === this.pageId;
  }
}
