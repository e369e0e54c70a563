import type { TimelineOp } from '../src/core/message';
import { ChatFilter, FilterContext, matchesFilter, parseFilter } from './filter';
import { LineContext, authorColorOf, renderLine, setDeleted, setRepeat } from './render/line';
import { Row, RowList } from './rows';
import {
  FOLLOWING,
  FollowState,
  isAtBottom,
  newMessagesLabel,
  onNewLines,
  onSelection,
  onUserScroll,
} from './scroll';
import { TimelineStore, keyOf } from './store';
import { Clock, monotonicNow } from '../src/core/clock';
import { BurstMeter } from '../src/core/burstMeter';
import { EMPTY, Range, planWindow, rowAtTop, size } from './window';
import { t } from './strings';

/** Schedules a DOM write for the next frame (requestAnimationFrame in the page; injectable for tests). */
export type FrameScheduler = (callback: () => void) => void;

/** What the timeline tells the app. */
export interface TimelineHooks {
  /** The user is at the bottom of a visible view and has seen the newest line, `key`. */
  onSeen(key: string | undefined): void;
  /** How many messages pass the filter, of how many the view holds. */
  onCounts?(matching: number, total: number): void;
}

/** What rendering needs from the app: how to build a line, and what filters match against. */
export interface TimelineContext {
  line(): LineContext;
  filter(): FilterContext;
}

/** The most rows and elements the DOM holds at any scrollback (the rest are spacer pixels). */
export const MAX_WINDOW_ROWS = 200;
export const MAX_WINDOW_ELEMENTS = 2000;
/**
 * While following, the window holds this many screens (the newest lines and some to scroll up
 * into; scrolling up grows it to `MAX_WINDOW_ROWS`). Every built line is painted as a contained
 * chunk of its own, and each new line makes Chromium re-layer the frame the editor shares with
 * every chunk in it: a trace at 100 msg/s spent 2.0 ms a frame there with 200 rows built, the
 * bare renderer 0.6 ms.
 */
export const FOLLOWING_WINDOW_SCREENS = 3;
/** Rows built per frame beyond those on screen, while not in a burst (scrolling up finds them built). */
export const PREFILL_ROWS_PER_FRAME = 25;
/** The shortest a line can be (px): how many lines fit on a screen, at most. */
const MIN_LINE_PX = 16;
/** The viewport assumed before the page has a layout (hidden, or tests without one). */
const DEFAULT_VIEWPORT_PX = 480;

/**
 * Owns the timeline's DOM: a virtual list over the rows that pass the filter. Only a window of
 * rows is built (`MAX_WINDOW_ROWS`, the ones on screen first); spacers stand for the others at an
 * estimated height. Ops go to the store at once; DOM work waits for the frame, which reads
 * layout first (scroll offset, the window's height: clean, since nothing writes between frames),
 * then writes (scroll, rows, spacers) and never reads again.
 *
 * Following the bottom needs no measuring: while following, the only scroll anchor is a sentinel
 * after the last line, so the browser keeps it in place as lines come and go. While paused, the
 * lines are the anchors, so rows built or dropped above the reader never move what they read; and
 * when the store would drop a line that is built (the reader may be on it), the rows stop taking
 * chat in (held) and catch up when the user is back at the bottom.
 */
export class TimelineView {
  /** The element holding the built lines (inside the scrolling `#timeline`). */
  readonly lines: HTMLElement;
  /** Lines built since the start (work done, for tests and the benchmark). */
  renderedCount = 0;
  private readonly _topSpacer: HTMLElement;
  private readonly _bottomSpacer: HTMLElement;
  private readonly _rows: RowList;
  /** Built rows in order, and the range of sequence numbers they cover. */
  private _shown: Row[] = [];
  private _window: Range = EMPTY;
  private readonly _nodes = new Map<Row, HTMLElement>();
  private readonly _elements = new Map<Row, number>();
  private _elementCount = 0;
  private readonly _dirty = new Set<Row>();
  private _estimate = 20;
  private _follow: FollowState = FOLLOWING;
  private _filter: ChatFilter = parseFilter('');
  /** Paused and the store let go of a built line: rows stop taking chat in until following again. */
  private _held = false;
  private _rebuild = false;
  private _toBottom = true;
  private _appended = 0;
  private _scheduled = false;
  private _extraBudget = 0;
  /** A row kept built because the keyboard is on it. */
  private _pinned: Row | undefined;
  private _visible = true;
  /** The first line the user had not seen when they looked away, and whether the next one takes its place. */
  private _dividerKey: string | undefined;
  private _dividerArmed = false;
  private readonly _burst = new BurstMeter();
  private _lastFlushAt = Number.NEGATIVE_INFINITY;
  /** A repaint waits for the burst pace (see src/core/burstMeter.ts). */
  private _paceWaiting = false;

  constructor(
    private readonly _container: HTMLElement,
    private readonly _newMessages: HTMLElement,
    private readonly _store: TimelineStore,
    private readonly _ctx: TimelineContext,
    private readonly _schedule: FrameScheduler,
    private readonly _hooks: TimelineHooks,
    /** Chat repaints are paced during bursts with this clock; without it every one takes the next frame. */
    private readonly _pace?: Clock,
  ) {
    const doc = _container.ownerDocument;
    this._rows = new RowList((key) => _store.get(key));
    this._topSpacer = doc.createElement('div');
    this._topSpacer.className = 'spacer';
    this._topSpacer.id = 'spacer-top';
    this._bottomSpacer = doc.createElement('div');
    this._bottomSpacer.className = 'spacer';
    this._bottomSpacer.id = 'spacer-bottom';
    this.lines = doc.createElement('div');
    this.lines.id = 'lines';
    const sentinel = doc.createElement('div');
    sentinel.id = 'follow-anchor';
    sentinel.setAttribute('aria-hidden', 'true');
    for (const node of [this._topSpacer, this._bottomSpacer])
      node.setAttribute('aria-hidden', 'true');
    _container.replaceChildren(this._topSpacer, this.lines, this._bottomSpacer, sentinel);
    _container.addEventListener('scroll', () => this._onScroll(), { passive: true });
    _container.addEventListener('keydown', (e) => this._onKeyDown(e));
    doc.addEventListener('selectionchange', () => this._onSelectionChange());
    _newMessages.addEventListener('click', () => this.jumpToBottom());
    this._renderFollow();
  }

  get following(): boolean {
    return this._follow.following;
  }

  get unseen(): number {
    return this._follow.unseen;
  }

  /** Lines in the DOM. */
  get lineCount(): number {
    return this._shown.length;
  }

  /** Rows passing the filter (built or not). */
  get rowCount(): number {
    return this._rows.length;
  }

  /** Elements the built lines are made of. */
  get elementCount(): number {
    return this._elementCount;
  }

  /** The newest line there is (built or not). */
  get lastKey(): string | undefined {
    const last = this._rows.at(this._rows.endSeq - 1);
    return last ? keyOf(last.message) : undefined;
  }

  /** Whether new chat is held back because the reader is on lines the store let go of. */
  get held(): boolean {
    return this._held;
  }

  /** Applies ops to the store now and queues their DOM work for the next frame. */
  apply(ops: readonly TimelineOp[]): void {
    const changes = this._store.apply(ops);
    const filter = this._ctx.filter();
    let arrived = 0;
    for (const m of changes.dropped) if (matchesFilter(m, this._filter, filter)) arrived++;
    if (this._held || this._rebuild || changes.cleared) {
      for (const m of changes.appended) if (matchesFilter(m, this._filter, filter)) arrived++;
      if (changes.cleared) this._rebuild = true;
      if (this._held) for (const key of changes.updated) this._updateRow(key);
    } else {
      for (const key of changes.removed) {
        const row = this._rows.rowOf(key);
        if (!row) continue;
        if (!this._follow.following && row.keys.length === 1 && this._nodes.has(row)) {
          // The reader may be on this line: keep what is built, take nothing in until they are back.
          this._held = true;
          break;
        }
        const result = this._rows.remove(key);
        if (result === 'rebuild') this._rebuild = true;
        else if (result?.effect === 'changed') this._dirty.add(result.row);
      }
      for (const m of changes.appended) {
        if (!matchesFilter(m, this._filter, filter)) continue;
        arrived++;
        if (this._held) continue;
        const { row, grouped } = this._rows.push(m);
        if (grouped) this._dirty.add(row);
        else {
          this._appended++;
          if (this._dividerArmed) this._moveDivider(keyOf(m));
        }
      }
      for (const key of changes.updated) this._updateRow(key);
    }
    if (arrived > 0 && !this._follow.following) {
      this._follow = onNewLines(this._follow, arrived);
      this._renderFollow();
    }
    if (this._pace) this._burst.note(changes.appended.length, monotonicNow(this._pace));
    this._request(true);
  }

  /** Re-reads everything from the store (snapshot, new names or settings) and follows the bottom. */
  rebuild(): void {
    this._follow = FOLLOWING;
    this._held = false;
    this._rebuild = true;
    this._toBottom = true;
    this._renderFollow();
    // Built now: a snapshot is what the user looks at first.
    this.flush();
  }

  /** Recomputes author colours for a new theme background (no rebuild, nothing moves). */
  recolor(): void {
    const ctx = this._ctx.line();
    for (const [row, node] of this._nodes) {
      const raw = authorColorOf(row.message);
      const color = raw ? ctx.readableColor(raw) : undefined;
      if (color) node.style.setProperty('--author-color', color);
      else node.style.removeProperty('--author-color');
    }
  }

  /** Builds the lines again (names or timestamps changed); the next frame builds them. */
  rerender(): void {
    for (const node of this._nodes.values()) node.remove();
    this._nodes.clear();
    this._elements.clear();
    this._elementCount = 0;
    this._shown = [];
    this._window = EMPTY;
    this._request();
  }

  /** Shows only the messages matching `text` (see `parseFilter`); built at once (it is the user's input). */
  setFilter(text: string): void {
    this._filter = parseFilter(text);
    this._rebuild = true;
    this._extraBudget = MAX_WINDOW_ROWS;
    if (this._follow.following) this._toBottom = true;
    this.flush();
  }

  /** Marks the line after `key` as the first the user has not seen (a previous visit). */
  markUnreadAfter(key: string | undefined): void {
    const row = key ? this._rows.rowOf(key) : undefined;
    const next = row ? this._rows.at(row.seq + 1) : undefined;
    this._moveDivider(next ? keyOf(next.message) : undefined);
    this._request();
  }

  /** The key of the first unseen line the divider is on, if any. */
  get dividerKey(): string | undefined {
    return this._dividerKey;
  }

  /** The page was shown or hidden: lines arriving while hidden are unseen. */
  setVisible(visible: boolean): void {
    if (this._visible === visible) return;
    this._visible = visible;
    if (!visible) this._armDivider();
    else if (this._follow.following) {
      this._toBottom = true;
      this._request();
    }
  }

  /** Follows the bottom again, bringing held lines in. */
  jumpToBottom(): void {
    this._setFollow(FOLLOWING);
    this._toBottom = true;
    this.flush();
  }

  /** Writes all queued changes now (the frame callback; tests call it directly). */
  flush(): void {
    this._scheduled = false;
    if (this._pace) this._lastFlushAt = monotonicNow(this._pace);
    const c = this._container;
    // Read: layout is clean here (nothing writes the DOM between frames).
    const scrollTop = c.scrollTop;
    const clientHeight = c.clientHeight;
    const scrollHeight = c.scrollHeight;
    const linesHeight = this.lines.offsetHeight;
    const following = this._follow.following;
    if (following && this._shown.length > 0 && linesHeight > 0) {
      // Only while following: the sentinel absorbs a change of the spacers' height.
      this._estimate = Math.max(MIN_LINE_PX, Math.min(400, linesHeight / this._shown.length));
    }
    const windowTop = this._topSpacer.offsetHeight;

    // Write: the scroll first (layout still clean), then the DOM.
    if (following && (this._toBottom || !isAtBottom({ scrollTop, scrollHeight, clientHeight })))
      c.scrollTop = scrollHeight;
    this._toBottom = false;
    if (this._rebuild || (following && this._held)) this._rebuildRows();

    const rows = { start: this._rows.firstSeq, end: this._rows.endSeq };
    const screen =
      Math.ceil((clientHeight > 0 ? clientHeight : DEFAULT_VIEWPORT_PX) / MIN_LINE_PX) + 1;
    let must: Range;
    let focus: 'end' | number;
    if (following) {
      must = { start: rows.end - screen, end: rows.end };
      focus = 'end';
    } else {
      const top = rowAtTop(
        {
          scrollTop,
          clientHeight,
          windowTop,
          windowBottom: windowTop + linesHeight,
          estimate: this._estimate,
        },
        this._window,
        rows,
      );
      must = { start: top - screen, end: top + 2 * screen };
      focus = top;
    }
    const pin =
      this._pinned && this._rows.at(this._pinned.seq) === this._pinned
        ? this._pinned.seq
        : undefined;
    if (pin !== undefined && Math.abs(pin - (must.start + must.end) / 2) < MAX_WINDOW_ROWS / 2) {
      must = { start: Math.min(must.start, pin), end: Math.max(must.end, pin + 1) };
    }
    // Rows built ahead for scrolling up would be pushed out by the burst before anyone reads them.
    const bursting = this._pace ? this._burst.bursting(monotonicNow(this._pace)) : false;
    const budget =
      this._extraBudget || (bursting || this._appended > screen / 2 ? 0 : PREFILL_ROWS_PER_FRAME);
    this._extraBudget = 0;
    this._appended = 0;
    const maxRows = following
      ? Math.min(MAX_WINDOW_ROWS, Math.max(FOLLOWING_WINDOW_SCREENS * screen, size(must)))
      : MAX_WINDOW_ROWS;
    let next = planWindow({ current: this._window, rows, must, focus, maxRows, budget });
    const builtBefore = this.renderedCount;
    const shownBefore = this._shown;
    this._render(next);
    // Emote walls: fewer rows, never fewer than the screen needs.
    let capped = false;
    if (this._elementCount > MAX_WINDOW_ELEMENTS) {
      capped = true;
      let excess = this._elementCount - MAX_WINDOW_ELEMENTS;
      let { start, end } = next;
      while (excess > 0 && end - start > size(must)) {
        const dropTop = focus === 'end' || focus - start > end - focus;
        const row = this._rows.at(dropTop ? start : end - 1);
        excess -= row ? (this._elements.get(row) ?? 0) : 0;
        if (dropTop) start++;
        else end--;
      }
      next = { start, end };
      this._render(next);
    }
    this._updateDirty();
    const top = `${(next.start - rows.start) * this._estimate}px`;
    const bottom = `${(rows.end - next.end) * this._estimate}px`;
    const changed =
      this.renderedCount !== builtBefore ||
      this._shown.length !== shownBefore.length ||
      this._topSpacer.style.height !== top ||
      this._bottomSpacer.style.height !== bottom;
    this._topSpacer.style.height = top;
    this._bottomSpacer.style.height = bottom;
    c.classList.toggle('following', following);
    c.setAttribute('aria-live', following ? 'polite' : 'off');
    if (following) this._seen();
    this._reportCounts();
    // Another frame: to grow the window toward its size, or (following) to check the bottom held.
    if ((!capped && size(next) < Math.min(maxRows, this._rows.length)) || (following && changed))
      this._request(following || bursting);
  }

  /** A repaint on the next frame; `chat` (new lines, following them) waits for the burst pace. */
  private _request(chat = false): void {
    if (this._scheduled) return;
    if (chat && this._pace) {
      if (this._paceWaiting) return;
      const wait = this._burst.wait(monotonicNow(this._pace), this._lastFlushAt);
      if (wait > 0) {
        this._paceWaiting = true;
        this._pace.setTimeout(() => {
          this._paceWaiting = false;
          this._request();
        }, wait);
        return;
      }
    }
    this._scheduled = true;
    this._schedule(() => this.flush());
  }

  /** Rows again from the store, reusing the built lines that are still wanted (no flicker, same anchors). */
  private _rebuildRows(): void {
    const wasHeld = this._held;
    this._rebuild = false;
    this._held = false;
    const filter = this._ctx.filter();
    const old = this._shown;
    const pinnedKey = this._pinned ? keyOf(this._pinned.message) : undefined;
    this._rows.reset(this._store.messages().filter((m) => matchesFilter(m, this._filter, filter)));
    const shown: Row[] = [];
    for (const row of old) {
      const node = this._nodes.get(row)!;
      const elements = this._elements.get(row) ?? 0;
      this._nodes.delete(row);
      this._elements.delete(row);
      const next = this._rows.rowOf(keyOf(row.message));
      const last = shown[shown.length - 1];
      if (
        next &&
        next.keys[0] === keyOf(row.message) &&
        (!last || next.seq > last.seq) &&
        !wasHeld
      ) {
        this._nodes.set(next, node);
        this._elements.set(next, elements);
        this._dirty.add(next);
        shown.push(next);
      } else {
        node.remove();
        this._elementCount -= elements;
      }
    }
    // Built lines that are no longer next to each other cannot stay one window.
    const contiguous = shown.every((row, i) => i === 0 || row.seq === shown[i - 1]!.seq + 1);
    if (!contiguous || shown.length === 0) {
      for (const row of shown) {
        this._nodes.get(row)!.remove();
        this._nodes.delete(row);
        this._elementCount -= this._elements.get(row) ?? 0;
        this._elements.delete(row);
      }
      this._shown = [];
      this._window = EMPTY;
    } else {
      this._shown = shown;
      this._window = { start: shown[0]!.seq, end: shown[shown.length - 1]!.seq + 1 };
    }
    this._pinned = pinnedKey ? this._rows.rowOf(pinnedKey) : undefined;
  }

  /** Makes the DOM hold exactly the rows of `next`, keeping the nodes of rows that stay. */
  private _render(next: Range): void {
    const wanted = this._rows.slice(next.start, next.end);
    const keep = new Set(wanted);
    for (const row of this._shown) {
      if (keep.has(row)) continue;
      this._nodes.get(row)?.remove();
      this._nodes.delete(row);
      this._elementCount -= this._elements.get(row) ?? 0;
      this._elements.delete(row);
    }
    let fragment: DocumentFragment | undefined;
    for (const row of wanted) {
      const existing = this._nodes.get(row);
      if (existing) {
        if (fragment) {
          existing.before(fragment);
          fragment = undefined;
        }
        continue;
      }
      (fragment ??= this.lines.ownerDocument.createDocumentFragment()).append(this._build(row));
    }
    if (fragment) this.lines.append(fragment);
    this._shown = wanted;
    this._window = next;
  }

  private _build(row: Row): HTMLElement {
    const node = renderLine(row.message, this._ctx.line());
    this.renderedCount++;
    if (row.keys.length > 1) {
      setRepeat(node, row.keys.length);
      setDeleted(node, this._rows.isDeleted(row));
    }
    if (this._dividerKey !== undefined && keyOf(row.message) === this._dividerKey)
      node.classList.add('unread');
    const elements = node.getElementsByTagName('*').length + 1;
    this._nodes.set(row, node);
    this._elements.set(row, elements);
    this._elementCount += elements;
    this._dirty.delete(row);
    return node;
  }

  private _updateRow(key: string): void {
    const message = this._store.get(key);
    const row = message ? this._rows.update(key, message) : undefined;
    if (row) this._dirty.add(row);
  }

  /** Repeat counts, deletions and the divider on rows already built. */
  private _updateDirty(): void {
    for (const row of this._dirty) {
      const node = this._nodes.get(row);
      if (!node) continue;
      setRepeat(node, row.keys.length);
      setDeleted(node, this._rows.isDeleted(row));
      const key = keyOf(row.message);
      if (node.dataset.key !== key) node.dataset.key = key;
      node.classList.toggle('unread', key === this._dividerKey);
    }
    this._dirty.clear();
  }

  private _armDivider(): void {
    this._dividerArmed = true;
  }

  private _moveDivider(key: string | undefined): void {
    this._dividerArmed = false;
    for (const k of [this._dividerKey, key]) {
      const row = k ? this._rows.rowOf(k) : undefined;
      if (row) this._dirty.add(row);
    }
    this._dividerKey = key;
  }

  private _seen(): void {
    if (this._visible) this._hooks.onSeen(this.lastKey);
  }

  private _onScroll(): void {
    const before = this._follow;
    this._setFollow(onUserScroll(before, isAtBottom(this._container)));
    // Following and still at the bottom (the frame's own scroll, or anchoring): nothing to build.
    if (!this._follow.following || this._follow !== before) this._request();
  }

  private _onSelectionChange(): void {
    const selection = this._container.ownerDocument.getSelection();
    const selecting =
      !!selection &&
      !selection.isCollapsed &&
      selection.rangeCount > 0 &&
      this._container.contains(selection.anchorNode);
    this._setFollow(onSelection(this._follow, selecting));
  }

  private _setFollow(next: FollowState): void {
    const before = this._follow;
    if (next === before) return;
    this._follow = next;
    if (before.following && !next.following) this._armDivider();
    if (!before.following && next.following) {
      this._toBottom = true;
      this._request();
    }
    this._renderFollow();
  }

  /** Up/Down move between lines (each focusable, one in the tab order), Home/End to the ends. */
  private _onKeyDown(e: KeyboardEvent): void {
    if (
      !['ArrowUp', 'ArrowDown', 'Home', 'End'].includes(e.key) ||
      e.altKey ||
      e.ctrlKey ||
      e.metaKey
    )
      return;
    const doc = this._container.ownerDocument;
    const current = (doc.activeElement as HTMLElement | null)?.closest?.<HTMLElement>('.line');
    const currentRow = current
      ? this._shown.find((r) => this._nodes.get(r) === current)
      : undefined;
    let seq: number;
    if (e.key === 'Home') seq = this._rows.firstSeq;
    else if (e.key === 'End') seq = this._rows.endSeq - 1;
    else if (!currentRow)
      seq =
        e.key === 'ArrowUp'
          ? this._rows.endSeq - 1
          : Math.max(this._window.start, this._rows.firstSeq);
    else seq = currentRow.seq + (e.key === 'ArrowUp' ? -1 : 1);
    const row = this._rows.at(seq);
    if (!row) return;
    e.preventDefault();
    if (e.key === 'End') this._setFollow(FOLLOWING);
    else if (e.key === 'Home') this._setFollow(onUserScroll(this._follow, false));
    this._pinned = row;
    if (!this._nodes.has(row)) this._buildAround(seq);
    const node = this._nodes.get(row);
    if (!node) return;
    if (current) current.tabIndex = -1;
    node.tabIndex = 0;
    node.focus();
    this._request();
  }

  /**
   * Shows the line of `key` and gives it the focus (a reply's parent, a mention): built first
   * when it is outside the window; the view stops following so that it stays there. Undefined
   * when no row stands for it (it left the scrollback, or the filter hides it).
   */
  reveal(key: string): HTMLElement | undefined {
    const row = this._rows.rowOf(key);
    if (!row) return undefined;
    this._setFollow(onUserScroll(this._follow, false));
    this._pinned = row;
    if (!this._nodes.has(row)) this._buildAround(row.seq);
    const node = this._nodes.get(row);
    if (!node) return undefined;
    for (const other of this.lines.querySelectorAll<HTMLElement>('.line[tabindex="0"]'))
      other.tabIndex = -1;
    node.tabIndex = 0;
    // The browser scrolls a focused line into view (as for the keyboard's jumps).
    node.focus();
    this._request();
    return node;
  }

  /** A jump to a row that is not built: the window moves to it (the caller scrolls it into view). */
  private _buildAround(seq: number): void {
    this._window = EMPTY;
    for (const r of this._shown) {
      this._nodes.get(r)?.remove();
      this._nodes.delete(r);
      this._elementCount -= this._elements.get(r) ?? 0;
      this._elements.delete(r);
    }
    this._shown = [];
    this._render({
      start: Math.max(this._rows.firstSeq, seq - 20),
      end: Math.min(this._rows.endSeq, seq + 20),
    });
    const above = Math.max(this._rows.firstSeq, seq - 20) - this._rows.firstSeq;
    this._topSpacer.style.height = `${above * this._estimate}px`;
    this._bottomSpacer.style.height = `${(this._rows.endSeq - this._window.end) * this._estimate}px`;
  }

  private _renderFollow(): void {
    const state = this._follow;
    this._newMessages.hidden = state.following;
    if (state.following) return;
    const label = newMessagesLabel(state);
    this._newMessages.textContent = `${label} ↓`;
    this._newMessages.setAttribute('aria-label', t('{0}: jump to the latest', label));
    this._newMessages.dataset.unseen = String(state.unseen);
  }

  private _reportCounts(): void {
    this._hooks.onCounts?.(this._rows.messageCount, this._store.size);
  }
}
