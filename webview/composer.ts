import type { PlatformStatus } from '../src/core/chatHub';
import { PLATFORM_LABELS, PlatformId, isPlatformId } from '../src/core/message';
import { button, dropdown, dropdownValue, setDisabled, setDropdownOptions } from './components';

/** What the composer keeps across reloads (in the webview's state). */
export interface ComposerState {
  readonly text: string;
  readonly platform?: PlatformId;
  /** Sent messages, oldest first, for Up/Down recall. */
  readonly history?: readonly string[];
}

/** How the composer talks to the host. */
export interface ComposerHost {
  send(requestId: number, platform: PlatformId, text: string): void;
  save(state: ComposerState): void;
}

/** Characters as the platforms count them (code points, not UTF-16 units), like the host does. */
export const charCount = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/** From this share of the limit on, the count warns. */
export const NEAR_LIMIT = 0.9;
/** Sent messages kept for recall. */
export const HISTORY_SIZE = 50;
/** A send the host never answers is given up after this long, so the composer never sticks. */
export const SEND_TIMEOUT_MS = 30_000;

/**
 * The message box: a destination picker (only platforms that can send now), a text field with the
 * destination's limit and a live count, Enter to send (Shift+Enter for a new line), Up on an
 * empty field to recall earlier messages (Down to come back); disabled with the reason when
 * nothing can send. The text stays when sending fails, with the platform's sentence under it.
 */
export class Composer {
  readonly element: HTMLElement;
  private readonly _destination: HTMLElement;
  private readonly _input: HTMLTextAreaElement;
  private readonly _count: HTMLElement;
  private readonly _error: HTMLElement;
  private readonly _reason: HTMLElement;
  private readonly _send: HTMLElement;
  private _platforms: readonly PlatformStatus[] = [];
  private _history: string[];
  private _historyIndex = -1;
  private _nextRequestId = 1;
  private _pending: { id: number; text: string; timer: ReturnType<typeof setTimeout> } | undefined;
  private _preferred: PlatformId | undefined;

  constructor(
    doc: Document,
    private readonly _host: ComposerHost,
    saved?: ComposerState,
  ) {
    this.element = doc.createElement('form');
    this.element.id = 'composer';
    this.element.setAttribute('aria-label', 'Send a chat message');
    this._destination = dropdown(doc, 'composer-destination', 'Destination');
    this._input = doc.createElement('textarea');
    this._input.id = 'composer-input';
    this._input.rows = 1;
    this._input.setAttribute('aria-label', 'Message');
    this._input.setAttribute('aria-describedby', 'composer-count composer-reason composer-error');
    this._input.spellcheck = true;
    this._count = doc.createElement('span');
    this._count.id = 'composer-count';
    this._send = button(doc, { label: 'Send', appearance: 'primary', icon: 'send', id: 'composer-send', title: 'Send (Enter)' });
    this._error = doc.createElement('div');
    this._error.id = 'composer-error';
    this._error.setAttribute('role', 'alert');
    this._error.hidden = true;
    this._reason = doc.createElement('div');
    this._reason.id = 'composer-reason';
    this._reason.hidden = true;
    const row = doc.createElement('div');
    row.className = 'composer-row';
    row.append(this._destination, this._input, this._count, this._send);
    this.element.append(row, this._reason, this._error);

    this._history = (saved?.history ?? []).filter((h) => typeof h === 'string').slice(-HISTORY_SIZE);
    if (typeof saved?.text === 'string') this._input.value = saved.text;
    this._preferred = isPlatformId(saved?.platform) ? saved.platform : undefined;
    this._input.addEventListener('input', () => {
      this._historyIndex = -1;
      this._onInput();
    });
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

  get input(): HTMLTextAreaElement {
    return this._input;
  }

  /** The selected destination, if it can send. */
  get destination(): PlatformId | undefined {
    const value = dropdownValue(this._destination);
    return isPlatformId(value) && this._sendable().some((p) => p.platform === value) ? value : undefined;
  }

  focus(): void {
    this._input.focus();
  }

  /** Platforms or their send capabilities changed. */
  update(platforms: readonly PlatformStatus[]): void {
    this._platforms = platforms;
    const sendable = this._sendable();
    const current = dropdownValue(this._destination);
    const keep: PlatformId | undefined = [this._preferred, current].filter(isPlatformId).find((p) => sendable.some((s) => s.platform === p)) ?? sendable[0]?.platform;
    setDropdownOptions(
      this._destination,
      sendable.map((s) => ({ value: s.platform, label: PLATFORM_LABELS[s.platform] })),
      keep,
    );
    const disabled = sendable.length === 0;
    setDisabled(this._destination, disabled || sendable.length === 1);
    this._destination.hidden = disabled;
    // A disabled field keeps its text, so nothing typed is lost while a platform reconnects.
    this._input.disabled = disabled;
    const reason = disabled ? this._disabledReason() : '';
    this._input.placeholder = disabled ? reason : `Message ${keep ? PLATFORM_LABELS[keep] : ''} (Enter to send, Shift+Enter for a new line)`;
    this._reason.textContent = reason;
    this._reason.hidden = !disabled;
    this.element.classList.toggle('disabled', disabled);
    this._onInput();
  }

  /** Sends the current text, if it fits and a destination can send. */
  submit(): void {
    const platform = this.destination;
    const text = this._input.value;
    if (!platform || this._pending || text.trim().length === 0) return;
    const limit = this._limit();
    const count = charCount(text);
    if (count > limit) {
      this._showError(`${PLATFORM_LABELS[platform]} accepts at most ${limit} characters (this message has ${count}).`);
      return;
    }
    const id = this._nextRequestId++;
    const timer = setTimeout(() => this.onResult(id, false, 'No answer from the extension; the message may not have been sent.'), SEND_TIMEOUT_MS);
    this._pending = { id, text, timer };
    this.element.classList.add('sending');
    this._showError(undefined);
    this._onInput();
    this._host.send(id, platform, text);
  }

  /** The host's answer to a send. */
  onResult(requestId: number, ok: boolean, error?: string): void {
    if (!this._pending || this._pending.id !== requestId) return;
    const { text, timer } = this._pending;
    clearTimeout(timer);
    this._pending = undefined;
    this.element.classList.remove('sending');
    if (ok) {
      if (this._history[this._history.length - 1] !== text) this._history.push(text);
      if (this._history.length > HISTORY_SIZE) this._history.shift();
      this._historyIndex = -1;
      if (this._input.value === text) this._input.value = '';
      this._showError(undefined);
    } else {
      this._showError(error || 'The message was not sent.');
    }
    this._onInput();
  }

  private _sendable(): PlatformStatus[] {
    return this._platforms.filter((p) => p.enabled && p.send.canSend);
  }

  private _limit(): number {
    return this._platforms.find((p) => p.platform === this.destination)?.send.maxLength ?? 0;
  }

  private _disabledReason(): string {
    const enabled = this._platforms.filter((p) => p.enabled);
    if (enabled.length === 0) return 'Nothing can send: no platform is enabled.';
    return `Nothing can send: ${enabled.map((p) => p.send.reason ?? `${PLATFORM_LABELS[p.platform]} cannot send right now.`).join(' ')}`;
  }

  private _onInput(): void {
    const limit = this._limit();
    const count = charCount(this._input.value);
    const over = limit > 0 && count > limit;
    this._count.textContent = limit > 0 ? `${count}/${limit}` : '';
    this._count.title = limit > 0 ? (over ? `${count - limit} characters over the limit` : `${limit - count} characters left`) : '';
    this._count.classList.toggle('near', limit > 0 && count >= limit * NEAR_LIMIT && !over);
    this._count.classList.toggle('over', over);
    setDisabled(this._send, !this.destination || this._input.value.trim().length === 0 || over || !!this._pending);
    this._input.setAttribute('aria-invalid', String(over));
    this._host.save({ text: this._input.value, platform: this.destination ?? this._preferred, history: this._history });
  }

  private _recall(index: number): void {
    this._historyIndex = index;
    this._input.value = index >= 0 ? this._history[index]! : '';
    const end = this._input.value.length;
    this._input.setSelectionRange(end, end);
    this._onInput();
  }

  private _onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    } else if (e.key === 'ArrowUp' && !e.shiftKey && this._history.length > 0 && (this._input.value === '' || this._historyIndex >= 0)) {
      // Only on an empty field (or while already recalling), so Up still moves within a multi-line draft.
      e.preventDefault();
      this._recall(this._historyIndex < 0 ? this._history.length - 1 : Math.max(0, this._historyIndex - 1));
    } else if (e.key === 'ArrowDown' && !e.shiftKey && this._historyIndex >= 0) {
      e.preventDefault();
      this._recall(this._historyIndex + 1 < this._history.length ? this._historyIndex + 1 : -1);
    } else if (e.key === 'Escape' && !this._error.hidden) {
      this._showError(undefined);
    }
  }

  private _showError(message: string | undefined): void {
    this._error.hidden = !message;
    this._error.textContent = message ?? '';
  }
}
