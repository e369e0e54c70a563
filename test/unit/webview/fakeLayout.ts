/**
 * A layout for jsdom (which has none): every line is `lineHeight` px, spacers are their style height, the sentinel 1 px. Scroll anchoring is emulated the way
 * Chromium does it, so tests see what the user would: `settle()` after a frame keeps the anchor
 * node at the same place in the viewport (the sentinel while following, else the first line
 * visible at the top), and refuses to anchor on a node that left the DOM.
 */
export interface FakeLayout {
  readonly viewport: number;
  /** Scrolls as the user would (fires `scroll`). */
  scrollTo(top: number): void;
  /** Runs one frame the way the browser would: remember the anchor, run `frame`, adjust. */
  frame(run: () => void): void;
  /** The line at the top of the viewport and its offset from the viewport's top. */
  topLine(): { node: HTMLElement; offset: number } | undefined;
  maxScroll(): number;
  restore(): void;
}

export function fakeLayout(
  container: HTMLElement,
  options: { viewport?: number; lineHeight?: number } = {},
): FakeLayout {
  const viewport = options.viewport ?? 400;
  const lineHeight = options.lineHeight ?? 20;
  let scrollTop = 0;
  /** The page set scrollTop during the current frame (then the browser does not anchor). */
  let written = false;

  // Lines are all `lineHeight` px; positions are arithmetic (jsdom attribute access is slow).
  const linesEl = () => container.querySelector<HTMLElement>('#lines')!;
  const heightOf = (el: Element): number => {
    const h = el as HTMLElement;
    if (h.parentElement?.id === 'lines') return lineHeight;
    if (h.id === 'lines') return h.childElementCount * lineHeight;
    if (h.id === 'spacer-top' || h.id === 'spacer-bottom') return parseFloat(h.style.height) || 0;
    if (h.id === 'follow-anchor') return 1;
    return 0;
  };
  const spacerTop = () => heightOf(container.querySelector('#spacer-top')!);
  const topOf = (el: Element): number =>
    spacerTop() + Array.prototype.indexOf.call(linesEl().children, el) * lineHeight;
  const scrollHeight = () => [...container.children].reduce((sum, c) => sum + heightOf(c), 0);
  const maxScroll = () => Math.max(0, scrollHeight() - viewport);
  const clamp = () => {
    scrollTop = Math.max(0, Math.min(scrollTop, maxScroll()));
  };

  const saved = {
    offsetHeight: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight'),
  };
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
    configurable: true,
    get: function (this: HTMLElement) {
      return heightOf(this);
    },
  });
  Object.defineProperty(container, 'clientHeight', { configurable: true, get: () => viewport });
  Object.defineProperty(container, 'scrollHeight', {
    configurable: true,
    get: () => scrollHeight(),
  });
  Object.defineProperty(container, 'scrollTop', {
    configurable: true,
    get: () => {
      clamp();
      return scrollTop;
    },
    set: (v: number) => {
      scrollTop = v;
      written = true;
      clamp();
    },
  });

  const topLine = () => {
    clamp();
    const children = linesEl().children;
    if (children.length === 0) return undefined;
    const top = spacerTop();
    const i = Math.max(
      0,
      Math.min(children.length - 1, Math.floor((scrollTop - top) / lineHeight)),
    );
    const node = children[i] as HTMLElement;
    return { node, offset: top + i * lineHeight - scrollTop };
  };
  // The browser scrolls a focused element into view.
  const savedFocus = HTMLElement.prototype.focus;
  HTMLElement.prototype.focus = function (this: HTMLElement, options?: FocusOptions) {
    savedFocus.call(this, options);
    if (this.parentElement?.id === 'lines' && container.contains(this)) {
      const top = topOf(this);
      if (top < scrollTop || top + lineHeight > scrollTop + viewport) {
        scrollTop = top;
        clamp();
        container.dispatchEvent(new Event('scroll'));
      }
    }
  };

  return {
    viewport,
    scrollTo(top: number) {
      scrollTop = top;
      clamp();
      container.dispatchEvent(new Event('scroll'));
    },
    frame(run: () => void) {
      clamp();
      const following = container.classList.contains('following');
      // Chromium: no anchoring at offset 0; following anchors on the sentinel (kept at the bottom).
      const anchor =
        scrollTop === 0
          ? undefined
          : following
            ? scrollTop >= maxScroll() - 1
              ? 'bottom'
              : undefined
            : topLine();
      written = false;
      run();
      // As Chromium: the anchor's move is undone first, then the offset is clamped to the new
      // content (clamping first would lose the adjustment when content above shrank).
      if (anchor === 'bottom') {
        if (container.classList.contains('following')) scrollTop = maxScroll();
      } else if (anchor && anchor.node.isConnected && !written) {
        scrollTop = topOf(anchor.node) - anchor.offset;
      }
      clamp();
    },
    topLine,
    maxScroll,
    restore() {
      if (saved.offsetHeight)
        Object.defineProperty(HTMLElement.prototype, 'offsetHeight', saved.offsetHeight);
      HTMLElement.prototype.focus = savedFocus;
    },
  };
}
