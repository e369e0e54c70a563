import type { ChatMessage, TimelineOp } from '../src/core/message';
import { ChatFilter, matchesFilter, parseFilter } from './filter';
import { LineContext, authorColorOf, renderLine, setDeleted } from './render/line';
import { FOLLOWING, FollowState, isAtBottom, newMessagesLabel, onNewLines, onSelection, onUserScroll } from './scroll';
import { TimelineStore, keyOf } from './store';

/** Schedules a DOM write for the next frame (requestAnimationFrame in the page; injectable for tests). */
export type FrameScheduler = (callback: () => void) => void;

/** What the timeline tells the app. */
export interface TimelineHooks {
  /** The user is at the bottom and has seen the newest line, `key`. */
  onSeen(key: string | undefined): void;
  /** How many lines pass the filter, of how many the view holds. */
  onCounts?(shown: number, total: number): void;
  /** Whether smooth scrolling is allowed now (reduced motion turns it off). */
  smoothScroll?(): boolean;
}

interface Entry {
  node: HTMLElement;
  message: ChatMessage;
  matched: boolean;
}

/** The line the user is reading, and where it sat in the viewport before a write. */
interface Anchor {
  readonly key: string;
  readonly node: HTMLElement;
  readonly offset: number;
}

/**
 * Owns the timeline's DOM. Ops go to the store at once; their DOM work is queued and written once
 * per animation frame: read (the line being read, when paused), write (moderation, one fragment
 * of new lines, trimming), then one scroll write (to the bottom when following, or back onto the
 * anchor line when paused). The DOM never holds more than `scrollback` lines, and neither does
 * the queue (frames stop while the page is hidden, chat does not).
 *
 * While paused, new lines are added below and old ones trimmed above only as long as the trimmed
 * lines are above the viewport; past that, new lines are held (counted on the "N new messages"
 * button) and the DOM catches up when the user is back at the bottom. So what the user reads
 * never moves, at any chat speed.
 */
export class TimelineView {
  /** The element holding the lines (inside the scrolling `#timeline`). */
  readonly lines: HTMLElement;
  /** Lines built since the start (work done, for tests and the benchmark). */
  renderedCount = 0;
  private _entries = new Map<string, Entry>();
  private readonly _pendingAppends = new Map<string, ChatMessage>();
  private readonly _pendingDeletes = new Set<string>();
  private readonly _pendingPurges = new Set<string>();
  private readonly _pendingClears = new Set<string>();
  /** Lines newer than the DOM's last are held in the store (paused, out of room). */
  private _behind = false;
  private _scheduled = false;
  private _follow: FollowState = FOLLOWING;
  private _filter: ChatFilter = parseFilter('');
  private _shown = 0;
  private _smoothScrolling = false;
  private _smoothTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly _container: HTMLElement,
    private readonly _newMessages: HTMLElement,
    private readonly _store: TimelineStore,
    private readonly _ctx: () => LineContext,
    private readonly _schedule: FrameScheduler,
    private readonly _hooks: TimelineHooks,
  ) {
    const doc = _container.ownerDocument;
    this.lines = doc.createElement('div');
    this.lines.id = 'lines';
    _container.replaceChildren(this.lines);
    _container.addEventListener('scroll', () => this._onScroll(), { passive: true });
    // Only the user's own input interrupts a smooth jump (the jump's own scroll events do not).
    for (const type of ['wheel', 'pointerdown', 'touchstart', 'keydown'] as const) {
      _container.addEventListener(type, () => this._endSmoothScroll(), { passive: true });
    }
    _container.addEventListener('scrollend', () => this._endSmoothScroll());
    doc.addEventListener('selectionchange', () => this._onSelectionChange());
    _newMessages.addEventListener('click', () => this.jumpToBottom());
    const view = doc.defaultView as (Window & { ResizeObserver?: typeof ResizeObserver }) | null;
    if (view?.ResizeObserver) {
      // Emotes loading, a resized panel or a new font size: stay at the bottom while following.
      const observer = new view.ResizeObserver(() => {
        if (this._follow.following) this._stickToBottom();
      });
      observer.observe(_container);
      observer.observe(this.lines);
    }
    this._renderNewMessages();
  }

  get following(): boolean {
    return this._follow.following;
  }

  get unseen(): number {
    return this._follow.unseen;
  }

  /** Lines in the DOM. */
  get lineCount(): number {
    return this._entries.size;
  }

  /** The newest line in the DOM. */
  get lastKey(): string | undefined {
    // The DOM is in entry order, so its last line is the newest one shown.
    return (this.lines.lastElementChild as HTMLElement | null)?.dataset.key;
  }

  /** Lines waiting for the next frame. */
  get pendingCount(): number {
    return this._pendingAppends.size;
  }

  /** Lines passing the filter. */
  get shownCount(): number {
    return this._shown;
  }

  /** Whether lines newer than the DOM's last are held (paused, out of room). */
  get behind(): boolean {
    return this._behind;
  }

  /** Applies ops to the store now and queues their DOM work for the next frame. */
  apply(ops: readonly TimelineOp[]): void {
    const changes = this._store.apply(ops);
    for (const message of changes.appended) this._pendingAppends.set(keyOf(message), message);
    for (const op of ops) {
      if (op.op === 'delete') for (const id of op.ids) this._pendingDeletes.add(`${op.platform}:${id}`);
      else if (op.op === 'purgeUser') this._pendingPurges.add(`${op.platform}\u0000${op.userId}`);
      else if (op.op === 'clear') this._pendingClears.add(op.platform);
    }
    // Without frames (hidden page) the queue would grow with chat: keep only what could be shown.
    for (const [key, message] of this._pendingAppends) {
      if (this._pendingAppends.size <= this._store.scrollback) break;
      this._pendingAppends.delete(key);
      if (!this._follow.following) {
        this._behind = true;
        if (matchesFilter(message, this._filter, this._ctx().mentions)) this._follow = onNewLines(this._follow, 1);
      }
    }
    this._request();
  }

  /** Re-renders everything from the store (snapshot) and follows the bottom. */
  rebuild(): void {
    this._clearPending();
    this._entries = new Map();
    this._shown = 0;
    this._behind = false;
    this.lines.replaceChildren();
    const fragment = this.lines.ownerDocument.createDocumentFragment();
    for (const message of this._store.messages()) fragment.append(this._add(message).node);
    this.lines.append(fragment);
    this._follow = FOLLOWING;
    this._stickToBottom();
    this._renderNewMessages();
    this._reportCounts();
  }

  /** Re-renders the lines in place (the streamer's names changed), keeping the reader's place. */
  rerender(): void {
    this._keepingAnchor(() => {
      for (const entry of this._entries.values()) {
        const node = this._build(entry.message, entry.matched);
        if (entry.node.classList.contains('first-unread')) node.classList.add('first-unread');
        entry.node.replaceWith(node);
        entry.node = node;
      }
    });
  }

  /** Recomputes author colours for a new theme background (no re-render). */
  recolor(): void {
    const ctx = this._ctx();
    for (const entry of this._entries.values()) {
      const raw = authorColorOf(entry.message);
      const color = raw ? ctx.readableColor(raw) : undefined;
      if (color) entry.node.style.setProperty('--author-color', color);
      else entry.node.style.removeProperty('--author-color');
    }
  }

  /** Shows only the lines matching `text` (see `parseFilter`); hidden lines stay in the DOM. */
  setFilter(text: string): void {
    this._filter = parseFilter(text);
    const mentions = this._ctx().mentions;
    this._keepingAnchor(() => {
      this._shown = 0;
      for (const entry of this._entries.values()) {
        entry.matched = matchesFilter(entry.message, this._filter, mentions);
        if (entry.node.hidden === entry.matched) entry.node.hidden = !entry.matched;
        if (entry.matched) this._shown++;
      }
    });
    this._reportCounts();
  }

  /** The scrollback setting changed: trim on the next frame if the DOM now holds too many lines. */
  scrollbackChanged(): void {
    this._request();
  }

  /** Marks the first line after `key` as the first one the user has not seen (from a previous visit). */
  markUnreadAfter(key: string | undefined): void {
    for (const node of this.lines.querySelectorAll('.first-unread')) node.classList.remove('first-unread');
    if (!key || !this._entries.has(key)) return;
    let found = false;
    for (const [k, entry] of this._entries) {
      if (found) {
        entry.node.classList.add('first-unread');
        return;
      }
      found = k === key;
    }
  }

  /** Follows the bottom again, bringing held lines in (smoothly unless motion is reduced). */
  jumpToBottom(): void {
    this._follow = FOLLOWING;
    this._renderNewMessages();
    if (this._behind) {
      // Catching up replaces what is shown: no animation through lines that are gone.
      this.flush();
      return;
    }
    if ((this._hooks.smoothScroll?.() ?? false) && typeof this._container.scrollTo === 'function') {
      this._smoothScrolling = true;
      clearTimeout(this._smoothTimer);
      this._smoothTimer = setTimeout(() => this._endSmoothScroll(), 1500);
      this._container.scrollTo({ top: this._container.scrollHeight, behavior: 'smooth' });
      this._seen();
    } else {
      this._stickToBottom();
    }
  }

  /** Writes all queued changes now (the frame callback; tests call it directly). */
  flush(): void {
    this._scheduled = false;
    const following = this._follow.following;
    if (following && this._behind) {
      this._reconcile();
      this._stickToBottom();
      this._renderNewMessages();
      this._reportCounts();
      return;
    }
    const hasModeration = this._pendingDeletes.size + this._pendingPurges.size + this._pendingClears.size > 0;
    const overflows = this._entries.size + this._pendingAppends.size > this._store.scrollback;
    if (!hasModeration && this._pendingAppends.size === 0 && !overflows) return;

    // Read: the line the user is reading (only when paused and something above may change).
    const anchor = !following && (hasModeration || overflows) ? this._findAnchor() : undefined;

    // Write.
    this._applyModeration();
    const mentions = this._ctx().mentions;
    let room = Number.POSITIVE_INFINITY;
    if (!following && anchor) {
      // Lines before the anchor are above the viewport and may go; the anchor and below stay.
      room = anchor.node.isConnected ? this._store.scrollback - this._entries.size + this._indexOf(anchor.key) : 0;
    }
    if (this._behind) room = 0;
    let arrived = 0;
    const fragment = this.lines.ownerDocument.createDocumentFragment();
    for (const [key, pending] of this._pendingAppends) {
      const message = this._store.get(key);
      if (!following && matchesFilter(message ?? pending, this._filter, mentions)) arrived++;
      if (!message || this._entries.has(key)) continue;
      if (!following && room <= 0) {
        this._behind = true;
        continue;
      }
      room--;
      fragment.append(this._add(message).node);
    }
    this._pendingAppends.clear();
    this.lines.append(fragment);
    for (const [key, entry] of this._entries) {
      if (this._entries.size <= this._store.scrollback) break;
      this._remove(key, entry);
    }

    // Scroll, after every write.
    if (following) this._stickToBottom();
    else {
      if (anchor?.node.isConnected) this._restoreAnchor(anchor);
      this._follow = onNewLines(this._follow, arrived);
      this._renderNewMessages();
    }
    this._reportCounts();
  }

  private _request(): void {
    if (this._scheduled) return;
    this._scheduled = true;
    this._schedule(() => this.flush());
  }

  private _clearPending(): void {
    this._pendingAppends.clear();
    this._pendingDeletes.clear();
    this._pendingPurges.clear();
    this._pendingClears.clear();
  }

  private _build(message: ChatMessage, matched: boolean): HTMLElement {
    const node = renderLine(message, this._ctx());
    this.renderedCount++;
    node.hidden = !matched;
    return node;
  }

  /** Creates the entry for a new last line (the caller puts its node in the DOM). */
  private _add(message: ChatMessage): Entry {
    const matched = matchesFilter(message, this._filter, this._ctx().mentions);
    const entry: Entry = { node: this._build(message, matched), message, matched };
    this._entries.set(keyOf(message), entry);
    if (matched) this._shown++;
    return entry;
  }

  private _remove(key: string, entry: Entry): void {
    entry.node.remove();
    this._entries.delete(key);
    if (entry.matched) this._shown--;
  }

  private _indexOf(key: string): number {
    let index = 0;
    for (const k of this._entries.keys()) {
      if (k === key) return index;
      index++;
    }
    return index;
  }

  /** Deletes, purges and clears on the lines already shown (new lines carry their flags from the store). */
  private _applyModeration(): void {
    for (const key of this._pendingDeletes) {
      const entry = this._entries.get(key);
      if (entry) this._markDeleted(entry);
    }
    if (this._pendingPurges.size + this._pendingClears.size > 0) {
      for (const [key, entry] of this._entries) {
        const m = entry.message;
        if (m.kind !== 'chat') continue;
        if (this._pendingClears.has(m.platform)) this._remove(key, entry);
        else if (m.author?.id !== undefined && this._pendingPurges.has(`${m.platform}\u0000${m.author.id}`)) this._markDeleted(entry);
      }
    }
    this._pendingDeletes.clear();
    this._pendingPurges.clear();
    this._pendingClears.clear();
  }

  private _markDeleted(entry: Entry): void {
    if (entry.message.flags.deleted) return;
    entry.message = { ...entry.message, flags: { ...entry.message.flags, deleted: true } };
    setDeleted(entry.node, true);
  }

  /**
   * Makes the DOM hold exactly the store's lines, reusing the nodes it has: both are in arrival
   * order, so the lines the DOM keeps are in the same order in the store.
   */
  private _reconcile(): void {
    this._clearPending();
    this._behind = false;
    const target = this._store.messages();
    const wanted = new Set(target.map(keyOf));
    for (const [key, entry] of this._entries) if (!wanted.has(key)) this._remove(key, entry);
    const previous = this._entries;
    this._entries = new Map();
    let fragment: DocumentFragment | undefined;
    for (const message of target) {
      const key = keyOf(message);
      const existing = previous.get(key);
      if (existing) {
        if (fragment) {
          existing.node.before(fragment);
          fragment = undefined;
        }
        if (existing.message !== message) {
          existing.message = message;
          setDeleted(existing.node, !!message.flags.deleted);
        }
        this._entries.set(key, existing);
      } else {
        (fragment ??= this.lines.ownerDocument.createDocumentFragment()).append(this._add(message).node);
      }
    }
    if (fragment) this.lines.append(fragment);
  }

  /** The first shown line (in order) whose bottom is below the top of the viewport. Reads layout. */
  private _findAnchor(): Anchor | undefined {
    const top = this._container.scrollTop;
    for (const [key, entry] of this._entries) {
      const height = entry.node.offsetHeight;
      if (height > 0) {
        const offsetTop = entry.node.offsetTop;
        if (offsetTop + height > top) return { key, node: entry.node, offset: offsetTop - top };
      }
    }
    return undefined;
  }

  private _restoreAnchor(anchor: Anchor): void {
    const target = anchor.node.offsetTop - anchor.offset;
    if (Math.abs(this._container.scrollTop - target) >= 1) this._container.scrollTop = target;
  }

  private _keepingAnchor(write: () => void): void {
    const anchor = this._follow.following ? undefined : this._findAnchor();
    write();
    if (this._follow.following) this._stickToBottom();
    else if (anchor?.node.isConnected && !anchor.node.hidden) this._restoreAnchor(anchor);
  }

  private _stickToBottom(): void {
    this._container.scrollTop = this._container.scrollHeight;
    this._seen();
  }

  private _seen(): void {
    this._hooks.onSeen(this.lastKey);
  }

  private _endSmoothScroll(): void {
    if (!this._smoothScrolling) return;
    this._smoothScrolling = false;
    clearTimeout(this._smoothTimer);
    this._onScroll();
  }

  private _onScroll(): void {
    const atBottom = isAtBottom(this._container);
    if (this._smoothScrolling) {
      if (atBottom) this._endSmoothScroll();
      return;
    }
    this._setFollow(onUserScroll(this._follow, atBottom));
  }

  private _onSelectionChange(): void {
    const selection = this._container.ownerDocument.getSelection();
    const selecting = !!selection && !selection.isCollapsed && selection.rangeCount > 0 && this._container.contains(selection.anchorNode);
    this._setFollow(onSelection(this._follow, selecting));
  }

  private _setFollow(next: FollowState): void {
    const before = this._follow;
    if (next === before) return;
    this._follow = next;
    if (!before.following && next.following) {
      // Back at the bottom: bring held lines in, then stick.
      if (this._behind) this._request();
      else this._stickToBottom();
    }
    this._renderNewMessages();
  }

  private _renderNewMessages(): void {
    const state = this._follow;
    this._newMessages.hidden = state.following;
    if (state.following) return;
    const doc = this._newMessages.ownerDocument;
    const arrow = doc.createElement('span');
    arrow.className = 'codicon codicon-arrow-down';
    arrow.setAttribute('slot', 'start');
    arrow.setAttribute('aria-hidden', 'true');
    const label = newMessagesLabel(state);
    this._newMessages.replaceChildren(arrow, doc.createTextNode(label));
    this._newMessages.setAttribute('aria-label', `${label}: jump to the latest`);
    this._newMessages.dataset.unseen = String(state.unseen);
  }

  private _reportCounts(): void {
    this._hooks.onCounts?.(this._shown, this._entries.size);
  }
}
