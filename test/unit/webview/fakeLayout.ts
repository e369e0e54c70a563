/**
 * A fake layout for jsdom (which has none): every shown line is `lineHeight` px tall and stacked
 * in DOM order; the scroller clamps `scrollTop` like a browser. Enough to test anchoring and
 * follow logic as a browser would see them.
 */
export interface FakeLayout {
  readonly lineHeight: number;
  readonly clientHeight: number;
  restore(): void;
}

function shown(node: Element): boolean {
  const el = node as HTMLElement;
  if (el.hidden) return false;
  if (el.classList.contains('deleted') && el.closest('.hide-deleted')) return false;
  return true;
}

export function installFakeLayout(scroller: HTMLElement, { lineHeight = 20, clientHeight = 100 } = {}): FakeLayout {
  const proto = HTMLElement.prototype;
  const saved = {
    offsetTop: Object.getOwnPropertyDescriptor(proto, 'offsetTop'),
    offsetHeight: Object.getOwnPropertyDescriptor(proto, 'offsetHeight'),
  };
  const heightOf = (el: HTMLElement) => (el.classList.contains('line') && shown(el) ? lineHeight : 0);
  Object.defineProperty(proto, 'offsetHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return heightOf(this);
    },
  });
  Object.defineProperty(proto, 'offsetTop', {
    configurable: true,
    get(this: HTMLElement) {
      let top = 0;
      for (let n = this.previousElementSibling; n; n = n.previousElementSibling) top += heightOf(n as HTMLElement);
      return top;
    },
  });
  const contentHeight = () => [...scroller.querySelectorAll<HTMLElement>('.line')].reduce((h, l) => h + heightOf(l), 0);
  let scrollTop = 0;
  Object.defineProperty(scroller, 'clientHeight', { configurable: true, get: () => clientHeight });
  Object.defineProperty(scroller, 'scrollHeight', { configurable: true, get: () => Math.max(clientHeight, contentHeight()) });
  Object.defineProperty(scroller, 'scrollTop', {
    configurable: true,
    get: () => Math.min(scrollTop, Math.max(0, contentHeight() - clientHeight)),
    set: (v: number) => {
      scrollTop = Math.max(0, Math.min(v, Math.max(0, contentHeight() - clientHeight)));
    },
  });
  return {
    lineHeight,
    clientHeight,
    restore() {
      for (const [name, descriptor] of Object.entries(saved)) {
        if (descriptor) Object.defineProperty(proto, name, descriptor);
        else delete (proto as unknown as Record<string, unknown>)[name];
      }
    },
  };
}

/** Scrolls like a user: sets the position and fires the scroll event. */
export function userScroll(scroller: HTMLElement, top: number): void {
  scroller.scrollTop = top;
  scroller.dispatchEvent(new Event('scroll'));
}
