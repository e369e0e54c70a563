import { unlinkReplyRef } from './render/line';
import { t } from './strings';

export interface ReplyRefsHost {
  /** Shows and focuses the line of a key; false when no row stands for it. */
  reveal(key: string): boolean;
  /** Whether the view still holds the message (it may only be filtered out). */
  has(key: string): boolean;
}

/**
 * Reply references (rendered by render/line.ts): a click, or Enter or Space on a focused one,
 * jumps to the parent line through the virtual timeline, which builds it first when it is
 * outside the window. One delegated listener for the whole timeline, none per line. A parent
 * that has left the scrollback turns its reference into plain text; one hidden by the filter
 * keeps the link and says so.
 *
 * Keyboard: a reference is reachable with Tab only from its own line (selected with ↑/↓), so Tab
 * does not walk through every reply on screen.
 */
export class ReplyRefs {
  constructor(
    private readonly _timeline: HTMLElement,
    private readonly _host: ReplyRefsHost,
  ) {
    _timeline.addEventListener('click', (e) => {
      const ref =
        e.target instanceof Element ? e.target.closest<HTMLElement>('button.reply-ref') : null;
      if (!ref || !_timeline.contains(ref)) return;
      e.preventDefault();
      this.jump(ref);
    });
    _timeline.addEventListener('focusin', (e) => {
      const line = this._lineOf(e.target);
      const ref = line?.querySelector<HTMLElement>(':scope > button.reply-ref');
      if (ref) ref.tabIndex = 0;
    });
    _timeline.addEventListener('focusout', (e) => {
      const line = this._lineOf(e.target);
      if (!line || (e.relatedTarget instanceof Node && line.contains(e.relatedTarget))) return;
      const ref = line.querySelector<HTMLElement>(':scope > button.reply-ref');
      if (ref) ref.tabIndex = -1;
    });
  }

  /** Follows one reference: true when the parent line is now shown and focused. */
  jump(ref: HTMLElement): boolean {
    const key = ref.dataset.replyTo;
    if (!key) return false;
    if (this._host.reveal(key)) return true;
    if (!this._host.has(key)) unlinkReplyRef(ref);
    else ref.title = t('The message this replies to is hidden by the filter');
    return false;
  }

  private _lineOf(target: EventTarget | null): HTMLElement | undefined {
    const line = target instanceof Element ? target.closest<HTMLElement>('.line') : null;
    return line && this._timeline.contains(line) ? line : undefined;
  }
}
