import type { ChatMessage } from '../src/core/message';
import { ChatFilter, matchesFilter, parseFilter } from './filter';
import { LineContext, renderLine, setDeleted } from './render/line';
import { FollowState, isAtBottom, onNewLines, onUserScroll } from './scroll';
import { StoreChanges, TimelineStore, keyOf } from './store';

/** Schedules a DOM write for the next frame (requestAnimationFrame in the page; injectable for tests). */
export type FrameScheduler = (callback: () => void) => void;

/**
 * Owns the timeline's DOM. Store changes are queued and written once per animation frame: nodes
 * removed, updated and appended (one fragment), then one scroll-to-bottom when following. Layout
 * is never read in the middle of those writes; the follow state comes from scroll events. Trimming
 * old lines above the reader relies on the browser's scroll anchoring, so it never moves what the
 * user is reading. The DOM holds exactly the store's lines (at most `scrollback`).
 */
export class TimelineView {
  private readonly _nodes = new Map<string, HTMLElement>();
  private _pending: StoreChanges[] = [];
  private _scheduled = false;
  private _follow: FollowState = { following: true, unseen: 0 };
  private _filter: ChatFilter = parseFilter('');
  private _scrollingProgrammatically = false;

  constructor(
    private readonly _container: HTMLElement,
    private readonly _newMessages: HTMLElement,
    private readonly _store: TimelineStore,
    private readonly _ctx: () => LineContext,
    private readonly _schedule: FrameScheduler,
    private readonly _onRead: () => void,
  ) {
    _container.addEventListener('scroll', () => this._onScroll(), { passive: true });
    _newMessages.addEventListener('click', () => this.jumpToBottom());
    this._renderNewMessages();
  }

  get following(): boolean {
    return this._follow.following;
  }

  get unseen(): number {
    return this._follow.unseen;
  }

  get lineCount(): number {
    return this._nodes.size;
  }

  /** Re-renders everything from the store (snapshot, theme or mention change). */
  rebuild(): void {
    this._pending = [];
    this._container.replaceChildren();
    this._nodes.clear();
    const fragment = this._container.ownerDocument.createDocumentFragment();
    for (const message of this._store.messages()) {
      const node = this._make(message);
      this._nodes.set(keyOf(message), node);
      fragment.append(node);
    }
    this._container.append(fragment);
    this._follow = { following: true, unseen: 0 };
    this._scrollToBottom();
    this._renderNewMessages();
  }

  /** Queues the DOM changes of one store update for the next frame. */
  enqueue(changes: StoreChanges): void {
    if (changes.appended.length + changes.updated.length + changes.removed.length === 0) return;
    this._pending.push(changes);
    if (!this._scheduled) {
      this._scheduled = true;
      this._schedule(() => this.flush());
    }
  }

  /** Writes all queued changes now (the frame callback; tests call it directly). */
  flush(): void {
    this._scheduled = false;
    const batches = this._pending;
    this._pending = [];
    if (batches.length === 0) return;
    const fragment = this._container.ownerDocument.createDocumentFragment();
    const added = new Map<string, HTMLElement>();
    let visibleAdded = 0;
    for (const batch of batches) {
      for (const key of batch.removed) {
        const node = this._nodes.get(key) ?? added.get(key);
        node?.remove();
        this._nodes.delete(key);
        added.delete(key);
      }
      for (const key of batch.updated) {
        const node = this._nodes.get(key) ?? added.get(key);
        const message = this._store.get(key);
        if (node && message) setDeleted(node, !!message.flags.deleted);
      }
      for (const message of batch.appended) {
        const key = keyOf(message);
        if (!this._store.get(key) || this._nodes.has(key) || added.has(key)) continue;
        const node = this._make(message);
        added.set(key, node);
        if (!node.hidden) visibleAdded++;
      }
    }
    for (const [key, node] of added) {
      fragment.append(node);
      this._nodes.set(key, node);
    }
    this._container.append(fragment);
    if (this._follow.following) this._scrollToBottom();
    else if (visibleAdded > 0) {
      this._follow = onNewLines(this._follow, visibleAdded);
      this._renderNewMessages();
    }
  }

  setFilter(text: string): void {
    this._filter = parseFilter(text);
    for (const [key, node] of this._nodes) {
      const message = this._store.get(key);
      node.hidden = message ? !matchesFilter(message, this._filter) : true;
    }
    if (this._follow.following) this._scrollToBottom();
  }

  jumpToBottom(): void {
    this._follow = { following: true, unseen: 0 };
    this._scrollToBottom();
    this._renderNewMessages();
  }

  private _make(message: ChatMessage): HTMLElement {
    const node = renderLine(message, this._ctx());
    node.hidden = !matchesFilter(message, this._filter);
    return node;
  }

  private _scrollToBottom(): void {
    this._scrollingProgrammatically = true;
    this._container.scrollTop = this._container.scrollHeight;
    this._onRead();
  }

  private _onScroll(): void {
    const atBottom = isAtBottom(this._container);
    if (this._scrollingProgrammatically) {
      this._scrollingProgrammatically = false;
      if (atBottom) return;
    }
    const before = this._follow;
    this._follow = onUserScroll(this._follow, atBottom);
    if (before.following !== this._follow.following || before.unseen !== this._follow.unseen) {
      this._renderNewMessages();
      if (this._follow.following) this._onRead();
    }
  }

  private _renderNewMessages(): void {
    const { following, unseen } = this._follow;
    this._newMessages.hidden = following;
    this._newMessages.textContent = unseen > 0 ? `${unseen} new message${unseen === 1 ? '' : 's'} ↓` : 'Back to the latest ↓';
    this._newMessages.setAttribute('aria-label', unseen > 0 ? `${unseen} new messages: jump to the latest` : 'Jump to the latest message');
  }
}
