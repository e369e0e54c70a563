import type { PlatformStatus } from '../src/core/chatHub';
import type { ChatMessage, PlatformId } from '../src/core/message';
import type {
  ModerationAction,
  ModerationCapability,
  ModerationRequest,
} from '../src/core/moderation';
import type { HostToWebview, RequestId, WebviewToHost } from '../src/protocol/messages';
import { element } from './dom';
import { t } from './strings';

/** How long Undo stays after a ban or timeout (the host refuses nothing later; the view just hides it). */
export const UNDO_MS = 10_000;
/** How long a refusal stays on screen. */
const ERROR_MS = 8_000;
/** Timeouts offered where the platform takes any length. */
const ANY_LENGTH_TIMEOUTS = [60, 600, 3600, 86_400];

export interface ModerationViewHost {
  post(message: WebviewToHost): void;
  /** A request id unique across page lifetimes (the page's id and a counter). */
  nextRequestId(): RequestId;
  /** The message a line shows, by the line's `data-key`. */
  message(key: string): ChatMessage | undefined;
  /** Timers, injectable for tests. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

function durationLabel(seconds: number): string {
  if (seconds % 86_400 === 0) {
    const n = seconds / 86_400;
    return n === 1 ? t('1 day') : t('{0} days', n);
  }
  if (seconds % 3600 === 0) {
    const n = seconds / 3600;
    return n === 1 ? t('1 hour') : t('{0} hours', n);
  }
  if (seconds % 60 === 0) {
    const n = seconds / 60;
    return n === 1 ? t('1 minute') : t('{0} minutes', n);
  }
  return seconds === 1 ? t('1 second') : t('{0} seconds', seconds);
}

/**
 * The line actions: ONE toolbar, moved into whichever chat line is hovered or focused (event
 * delegation on the timeline, no buttons on every line), with Delete message / Time out / Ban /
 * Unban where the connected account may moderate, and an Undo strip for 10 s after a ban or
 * timeout. Keyboard: with the timeline focused, ArrowUp/ArrowDown select a line (it takes focus),
 * Tab reaches its actions, Delete deletes it, Escape leaves.
 */
export class ModerationView {
  readonly toolbar: HTMLElement;
  readonly status: HTMLElement;
  /** The header's Clear chat, shown only where the account may clear a platform's chat. */
  readonly clearButton: HTMLButtonElement;
  private readonly _menu: HTMLElement;
  private readonly _buttons: Record<'delete' | 'timeout' | 'ban' | 'unban', HTMLButtonElement>;
  private _capabilities = new Map<PlatformId, ModerationCapability>();
  private _line: HTMLElement | undefined;
  private _shownDeleted = false;
  /** The line chosen from the keyboard (the pointer only hovers). */
  private _selected: HTMLElement | undefined;
  private readonly _pending = new Map<RequestId, ModerationRequest['action']>();
  private _clearPending: RequestId | undefined;
  private _statusTimer: unknown;

  constructor(
    private readonly _timeline: HTMLElement,
    statusParent: HTMLElement,
    private readonly _host: ModerationViewHost,
  ) {
    const doc = _timeline.ownerDocument;
    this.toolbar = element(doc, 'div', {
      className: 'mod-toolbar',
      role: 'toolbar',
      label: t('Moderation'),
      hidden: true,
    });
    const make = (label: string, icon: string) => {
      const b = doc.createElement('button');
      b.type = 'button';
      b.className = `mod-action codicon codicon-${icon}`;
      b.setAttribute('aria-label', label);
      b.title = label;
      return b;
    };
    this._buttons = {
      delete: make(t('Delete message'), 'trash'),
      timeout: make(t('Time out'), 'watch'),
      ban: make(t('Ban'), 'circle-slash'),
      unban: make(t('Unban'), 'pass'),
    };
    this._buttons.timeout.setAttribute('aria-haspopup', 'menu');
    this._buttons.timeout.setAttribute('aria-expanded', 'false');
    this._menu = element(doc, 'div', {
      className: 'mod-menu',
      role: 'menu',
      label: t('Time out for'),
      hidden: true,
    });
    this.toolbar.append(
      this._buttons.delete,
      this._buttons.timeout,
      this._buttons.ban,
      this._buttons.unban,
      this._menu,
    );

    this.clearButton = element(doc, 'button', {
      id: 'clear-chat',
      className: 'mod-clear codicon codicon-clear-all',
      label: t('Clear chat'),
      hidden: true,
    });
    this.clearButton.type = 'button';
    this.clearButton.title = t('Clear chat (for everyone in the channel; asks first)');
    this.clearButton.addEventListener('click', () => this._clearChat());

    this.status = element(doc, 'div', { className: 'mod-status', role: 'status', hidden: true });
    statusParent.append(this.status);

    this._buttons.delete.addEventListener('click', () => this._act('delete'));
    this._buttons.ban.addEventListener('click', () => this._act('ban'));
    this._buttons.unban.addEventListener('click', () => this._act('unban'));
    this._buttons.timeout.addEventListener('click', () => this._toggleMenu());
    this.toolbar.addEventListener('keydown', (e) => this._onToolbarKey(e));
    // Clicks inside the toolbar must not reach the line (user cards, selection).
    this.toolbar.addEventListener('click', (e) => e.stopPropagation());

    _timeline.addEventListener('mouseover', (e) => {
      const line = this._lineOf(e.target);
      // The same line again is re-checked only if it was deleted since (no Delete on a deleted line).
      const stale =
        line !== this._line || (line?.dataset.deleted === 'true') !== this._shownDeleted;
      // An open duration menu stays with its line until it is closed.
      if (line && stale && this._menu.hidden) this._showFor(line);
    });
    _timeline.addEventListener('focusin', (e) => {
      const line = this._lineOf(e.target);
      if (line && line !== this._line) this._showFor(line);
      if (line) this._select(line);
    });
    _timeline.addEventListener('click', (e) => {
      // A link or button inside the line does its own job; only a click on the line selects it.
      if (e.target instanceof Element && e.target.closest('a, button')) return;
      const line = this._lineOf(e.target);
      if (line) this._select(line);
    });
    _timeline.addEventListener('keydown', (e) => this._onTimelineKey(e));
  }

  /** Platform statuses changed: who may moderate where. */
  setPlatforms(platforms: readonly PlatformStatus[]): void {
    this._capabilities = new Map(
      platforms.filter((p) => p.moderation).map((p) => [p.platform, p.moderation!]),
    );
    this.clearButton.hidden = this._clearable().length === 0;
    if (this._line) this._showFor(this._line);
  }

  /** Platforms whose chat the account may clear. */
  private _clearable(): PlatformId[] {
    return [...this._capabilities]
      .filter(([, c]) => c.canModerate && c.actions.includes('clear'))
      .map(([p]) => p);
  }

  /** Asks the host to clear chat: it confirms (and picks the platform when several can). */
  private _clearChat(): void {
    if (this._clearPending !== undefined) return;
    const clearable = this._clearable();
    if (clearable.length === 0) return;
    const requestId = this._host.nextRequestId();
    this._pending.set(requestId, 'clear');
    this._clearPending = requestId;
    this.clearButton.disabled = true;
    this._host.post({
      type: 'clearChat',
      requestId,
      ...(clearable.length === 1 ? { platform: clearable[0] } : {}),
    });
  }

  /** The host answered a `moderate`. */
  onResult(result: Extract<HostToWebview, { type: 'moderationResult' }>): void {
    if (!this._pending.delete(result.requestId)) return;
    if (result.requestId === this._clearPending) {
      this._clearPending = undefined;
      this.clearButton.disabled = false;
    }
    if (result.cancelled) return;
    const doc = this.status.ownerDocument;
    this._host.clearTimeout(this._statusTimer);
    const text = doc.createElement('span');
    text.className = 'mod-status-text';
    text.textContent = result.text;
    this.status.replaceChildren(text);
    this.status.classList.toggle('error', !result.ok);
    this.status.setAttribute('role', result.ok ? 'status' : 'alert');
    if (result.ok && result.undo) {
      const undo = result.undo;
      const b = doc.createElement('button');
      b.type = 'button';
      b.className = 'mod-undo';
      b.textContent = t('Undo');
      b.setAttribute('aria-label', t('Undo'));
      b.addEventListener('click', () => {
        this._hideStatus();
        this._send(undo.platform, undo.request);
      });
      this.status.append(b);
    }
    this.status.hidden = false;
    this._statusTimer = this._host.setTimeout(
      () => this._hideStatus(),
      result.ok ? UNDO_MS : ERROR_MS,
    );
  }

  private _hideStatus(): void {
    this.status.hidden = true;
    this.status.replaceChildren();
  }

  private _lineOf(target: EventTarget | null): HTMLElement | undefined {
    const el = target instanceof Element ? target : undefined;
    if (!el || this.toolbar.contains(el)) return this._line;
    const line = el.closest<HTMLElement>('.line[data-kind="chat"]');
    return line && this._timeline.contains(line) ? line : undefined;
  }

  private _messageOf(line: HTMLElement | undefined): ChatMessage | undefined {
    const key = line?.dataset.key;
    return key ? this._host.message(key) : undefined;
  }

  /** Moves the toolbar into `line` and shows the actions its platform allows. */
  private _showFor(line: HTMLElement): void {
    this._line = line;
    this._shownDeleted = line.dataset.deleted === 'true';
    this._closeMenu();
    const message = this._messageOf(line);
    const capability = message ? this._capabilities.get(message.platform) : undefined;
    const allowed = (action: ModerationAction) =>
      capability?.canModerate === true && capability.actions.includes(action);
    const hasUser = !!message?.author && !message.flags.self;
    this._buttons.delete.hidden = !allowed('delete') || !!message?.flags.deleted;
    this._buttons.timeout.hidden = !allowed('timeout') || !hasUser;
    this._buttons.ban.hidden = !allowed('ban') || !hasUser;
    this._buttons.unban.hidden = !allowed('unban') || !hasUser;
    const any = Object.values(this._buttons).some((b) => !b.hidden);
    this.toolbar.hidden = !any;
    if (any && this.toolbar.parentElement !== line) line.append(this.toolbar);
    else if (!any) this.toolbar.remove();
  }

  private _select(line: HTMLElement): void {
    const message = this._messageOf(line);
    if (message)
      this._host.post({ type: 'selectLine', platform: message.platform, id: message.id });
  }

  private _chatLines(): HTMLElement[] {
    return [...this._timeline.querySelectorAll<HTMLElement>('.line[data-kind="chat"]')].filter(
      (l) => !l.hidden,
    );
  }

  private _onTimelineKey(e: KeyboardEvent): void {
    if (this.toolbar.contains(e.target as Node)) return;
    if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && e.defaultPrevented) {
      // The timeline moved the focus itself (it builds lines beyond its window): mark the line it chose.
      const line = this._lineOf(this._timeline.ownerDocument.activeElement);
      if (line) {
        if (this._selected && this._selected !== line)
          this._selected.classList.remove('mod-selected');
        this._selected = line;
        line.classList.add('mod-selected');
        this._selected = line;
      }
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const lines = this._chatLines();
      if (lines.length === 0) return;
      const current = this._selected ? lines.indexOf(this._selected) : -1;
      const next =
        current < 0
          ? e.key === 'ArrowUp'
            ? lines.length - 1
            : 0
          : Math.max(0, Math.min(lines.length - 1, current + (e.key === 'ArrowDown' ? 1 : -1)));
      const line = lines[next]!;
      const previous = this._selected;
      if (previous && previous !== line) {
        previous.removeAttribute('tabindex');
        previous.classList.remove('mod-selected');
      }
      this._selected = line;
      line.tabIndex = -1;
      line.classList.add('mod-selected');
      line.focus();
      line.scrollIntoView?.({ block: 'nearest' });
      e.preventDefault();
    } else if (e.key === 'Delete' && this._selected && this._selected === e.target) {
      // The pointer may rest on another line: act on the selected one.
      this._showFor(this._selected);
      if (!this._buttons.delete.hidden && !this.toolbar.hidden) this._act('delete');
      e.preventDefault();
    } else if (e.key === 'Escape' && this._selected) {
      this._selected.classList.remove('mod-selected');
      this._selected.removeAttribute('tabindex');
      this._selected = undefined;
      this._timeline.focus();
    }
  }

  private _onToolbarKey(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      if (!this._menu.hidden) {
        this._closeMenu();
        this._buttons.timeout.focus();
      } else this._line?.focus();
      e.preventDefault();
      e.stopPropagation();
    } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && !this._menu.hidden) {
      const items = [...this._menu.querySelectorAll<HTMLElement>('[role="menuitem"]')];
      const at = items.indexOf(this._menu.ownerDocument.activeElement as HTMLElement);
      items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
      e.preventDefault();
      e.stopPropagation();
    }
  }

  private _toggleMenu(): void {
    if (!this._menu.hidden) return this._closeMenu();
    const message = this._messageOf(this._line);
    const capability = message ? this._capabilities.get(message.platform) : undefined;
    if (!message || !capability) return;
    const doc = this._menu.ownerDocument;
    const lengths = capability.timeoutSeconds?.length
      ? capability.timeoutSeconds
      : ANY_LENGTH_TIMEOUTS;
    this._menu.replaceChildren(
      ...lengths.map((seconds) => {
        const item = doc.createElement('button');
        item.type = 'button';
        item.className = 'mod-menu-item';
        item.setAttribute('role', 'menuitem');
        item.textContent = durationLabel(seconds);
        item.addEventListener('click', () => {
          this._closeMenu();
          this._act('timeout', seconds);
        });
        return item;
      }),
    );
    this._menu.hidden = false;
    this._buttons.timeout.setAttribute('aria-expanded', 'true');
    this._menu.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }

  private _closeMenu(): void {
    this._menu.hidden = true;
    this._buttons.timeout.setAttribute('aria-expanded', 'false');
  }

  private _act(action: 'delete' | 'timeout' | 'ban' | 'unban', seconds?: number): void {
    const message = this._messageOf(this._line);
    if (!message) return;
    const author = message.author;
    const user = author
      ? { ...(author.id ? { id: author.id } : {}), name: author.name }
      : undefined;
    let request: ModerationRequest;
    if (action === 'delete') request = { action, messageId: message.id, ...(user ? { user } : {}) };
    else if (!user) return;
    else if (action === 'timeout') request = { action, user, seconds: seconds ?? 600 };
    else request = { action, user };
    this._send(message.platform, request);
  }

  /** What the account may do on a platform (the user card offers the same actions). */
  capability(platform: PlatformId): ModerationCapability | undefined {
    return this._capabilities.get(platform);
  }

  /** Sends a request; its result shows in the same status strip (with Undo). */
  moderate(platform: PlatformId, request: ModerationRequest): void {
    this._send(platform, request);
  }

  private _send(platform: PlatformId, request: ModerationRequest): void {
    const requestId = this._host.nextRequestId();
    this._pending.set(requestId, request.action);
    this._host.post({ type: 'moderate', requestId, platform, request });
  }
}
