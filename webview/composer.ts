import type { PlatformStatus } from '../src/core/chatHub';
import { PLATFORM_LABELS, PlatformId, isPlatformId } from '../src/core/message';
import type { RequestId } from '../src/protocol/messages';
import { button, dropdown, dropdownValue, setDisabled, setDropdownOptions } from './components';
import { element } from './dom';
import { t } from './strings';

/** How the composer talks to the host. */
export interface ComposerHost {
  /** A request id unique across page lifetimes (the page's id and a counter). */
  nextRequestId(): RequestId;
  send(requestId: RequestId, platform: PlatformId, text: string): void;
  saveDraft(draft: { text: string; platform?: PlatformId }): void;
}

/** Characters as the platforms count them (code points, not UTF-16 units). */
export const charCount = (text: string): number => [...text].length;

/**
 * The message box: a destination picker (only platforms that can send now), a text field with the
 * destination's limit and a live count, Enter to send (Shift+Enter for a new line), Up on an
 * empty field to recall the last message; disabled with the reason when nothing can send. The
 * text stays when sending fails, with the platform's sentence under it.
 */
export class Composer {
  readonly element: HTMLElement;
  private readonly _destination: HTMLElement;
  private readonly _input: HTMLTextAreaElement;
  private readonly _count: HTMLElement;
  private readonly _error: HTMLElement;
  private readonly _send: HTMLElement;
  private _platforms: readonly PlatformStatus[] = [];
  private _history: string[] = [];
  private _historyIndex = -1;
  private _pending: { id: RequestId; text: string } | undefined;

  constructor(
    doc: Document,
    private readonly _host: ComposerHost,
    draft?: { text: string; platform?: PlatformId },
  ) {
    this.element = element(doc, 'form', { id: 'composer', label: t('Send a chat message') });
    this._destination = dropdown(doc, 'composer-destination', t('Destination'));
    this._input = element(doc, 'textarea', { id: 'composer-input', label: t('Message') });
    this._input.rows = 1;
    this._input.placeholder = t('Send a message');
    this._input.spellcheck = true;
    this._count = element(doc, 'span', { id: 'composer-count' });
    this._count.setAttribute('aria-live', 'off');
    this._send = button(doc, {
      label: t('Send'),
      appearance: 'primary',
      icon: 'send',
      id: 'composer-send',
      title: t('Send (Enter)'),
    });
    this._error = element(doc, 'div', { id: 'composer-error', role: 'alert', hidden: true });
    const row = element(doc, 'div', {
      className: 'composer-row',
      children: [this._destination, this._input, this._count, this._send],
    });
    this.element.append(row, this._error);

    if (draft?.text) this._input.value = draft.text;
    this._preferred = draft?.platform;
    this._input.addEventListener('input', () => this._onInput());
    this._input.addEventListener('keydown', (e) => this._onKeyDown(e));
    this._destination.addEventListener('change', () => {
      this._preferred = this.destination;
      this._onInput();
    });
    this._send.addEventListener('click', () => this.submit());
    this.element.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.update([]);
  }

  private _preferred: PlatformId | undefined;

  get input(): HTMLTextAreaElement {
    return this._input;
  }

  /** The selected destination, if it can send. */
  get destination(): PlatformId | undefined {
    const value = dropdownValue(this._destination);
    return isPlatformId(value) && this._sendable().some((p) => p.platform === value)
      ? value
      : undefined;
  }

  focus(): void {
    this._input.focus();
  }

  update(platforms: readonly PlatformStatus[]): void {
    this._platforms = platforms;
    const sendable = this._sendable();
    const current = dropdownValue(this._destination);
    const keep =
      [this._preferred, current].find((p) => sendable.some((s) => s.platform === p)) ??
      sendable[0]?.platform;
    setDropdownOptions(
      this._destination,
      sendable.map((s) => ({ value: s.platform, label: PLATFORM_LABELS[s.platform] })),
      keep,
    );
    const disabled = sendable.length === 0;
    setDisabled(this._destination, disabled || sendable.length === 1);
    this._input.disabled = disabled;
    this._input.placeholder = disabled
      ? this._reason()
      : t('Message {0} (Enter to send)', PLATFORM_LABELS[keep as PlatformId] ?? '');
    this.element.classList.toggle('disabled', disabled);
    this._onInput();
  }

  /** Sends the current text, if it fits and a destination can send. */
  submit(): void {
    const platform = this.destination;
    const text = this._input.value;
    if (!platform || this._pending || text.trim().length === 0) return;
    const limit = this._limit();
    if (charCount(text) > limit) {
      this._showError(t('{0} accepts at most {1} characters.', PLATFORM_LABELS[platform], limit));
      return;
    }
    const id = this._host.nextRequestId();
    this._pending = { id, text };
    this.element.classList.add('sending');
    this._host.send(id, platform, text);
  }

  /** The host's answer to a send. */
  onResult(requestId: RequestId, ok: boolean, error?: string): void {
    if (!this._pending || this._pending.id !== requestId) return;
    const { text } = this._pending;
    this._pending = undefined;
    this.element.classList.remove('sending');
    if (ok) {
      this._history.push(text);
      if (this._history.length > 50) this._history.shift();
      this._historyIndex = -1;
      if (this._input.value === text) this._input.value = '';
      this._showError(undefined);
    } else {
      this._showError(error ?? t('The message was not sent.'));
    }
    this._onInput();
  }

  private _sendable(): PlatformStatus[] {
    return this._platforms.filter((p) => p.enabled && p.send.canSend);
  }

  private _limit(): number {
    return this._platforms.find((p) => p.platform === this.destination)?.send.maxLength ?? 0;
  }

  private _reason(): string {
    const enabled = this._platforms.filter((p) => p.enabled);
    if (enabled.length === 0) return t('Nothing can send: no platform is enabled.');
    return t(
      'Nothing can send: {0}',
      enabled
        .map((p) => p.send.reason ?? t('{0} cannot send', PLATFORM_LABELS[p.platform]))
        .join(' '),
    );
  }

  private _onInput(): void {
    const limit = this._limit();
    const count = charCount(this._input.value);
    this._count.textContent = limit > 0 ? `${count}/${limit}` : '';
    this._count.classList.toggle('near', limit > 0 && count > limit * 0.9 && count <= limit);
    this._count.classList.toggle('over', limit > 0 && count > limit);
    setDisabled(this._send, !this.destination || count === 0 || count > limit || !!this._pending);
    this._input.setAttribute('aria-invalid', String(limit > 0 && count > limit));
    this._host.saveDraft({ text: this._input.value, platform: this.destination });
  }

  private _onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    } else if (
      e.key === 'ArrowUp' &&
      (this._input.value === '' || this._historyIndex >= 0) &&
      this._history.length > 0
    ) {
      e.preventDefault();
      this._historyIndex =
        this._historyIndex < 0 ? this._history.length - 1 : Math.max(0, this._historyIndex - 1);
      this._input.value = this._history[this._historyIndex]!;
      this._onInput();
    } else if (e.key === 'ArrowDown' && this._historyIndex >= 0) {
      e.preventDefault();
      this._historyIndex++;
      this._input.value =
        this._historyIndex < this._history.length ? this._history[this._historyIndex]! : '';
      if (this._historyIndex >= this._history.length) this._historyIndex = -1;
      this._onInput();
    }
  }

  private _showError(message: string | undefined): void {
    this._error.hidden = !message;
    this._error.textContent = message ?? '';
  }
}
