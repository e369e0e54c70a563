import type { ChatMessage, Role } from '../src/core/message';
import { PLATFORM_LABELS, plainText } from '../src/core/message';
import { element } from './dom';
import type { ModerationView } from './moderation';
import type { WebviewString } from '../src/protocol/webviewStrings';
import { t } from './strings';

/** How many of a user's lines the card lists. */
export const CARD_LINES = 20;

const ROLE_NAMES: Readonly<Record<Role, WebviewString>> = {
  broadcaster: 'Broadcaster',
  moderator: 'Moderator',
  vip: 'VIP',
  subscriber: 'Subscriber',
  founder: 'Founder',
  admin: 'Admin',
  staff: 'Staff',
  partner: 'Partner',
  supporter: 'Supporter',
  pro: 'Pro',
};

export const userKeyOf = (m: Pick<ChatMessage, 'platform' | 'author'>): string | undefined =>
  m.author ? `${m.platform}:${m.author.name.toLowerCase()}` : undefined;

export interface UserCardHost {
  /** Every message the view holds, oldest first. */
  messages(): readonly ChatMessage[];
  readonly moderation: ModerationView;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * The user card: click an author's name, or press Enter on a selected line, to see who they are
 * (platform, roles, when they were first seen since connecting, their last 20 lines), moderate
 * them, highlight them, or hide them in this view only. The highlight and hide are local: they
 * change this view's stylesheet, nothing is sent anywhere.
 */
export class UserCards {
  readonly element: HTMLElement;
  private readonly _highlighted = new Set<string>();
  private readonly _hidden = new Set<string>();
  private readonly _sheet: CSSStyleSheet | undefined;
  private _returnFocus: HTMLElement | undefined;

  constructor(
    timeline: HTMLElement,
    parent: HTMLElement,
    private readonly _host: UserCardHost,
  ) {
    const doc = timeline.ownerDocument;
    this.element = element(doc, 'section', {
      className: 'user-card',
      role: 'dialog',
      hidden: true,
    });
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        this.close();
      }
    });
    parent.append(this.element);
    // CSP allows no inline style attributes or elements; a constructed sheet is CSSOM, which it allows.
    const Sheet = doc.defaultView?.CSSStyleSheet;
    if (Sheet && 'adoptedStyleSheets' in doc) {
      this._sheet = new Sheet();
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, this._sheet];
    }

    timeline.addEventListener('click', (e) => {
      const author = e.target instanceof Element ? e.target.closest('.line .author') : null;
      const line = author?.closest<HTMLElement>('.line');
      if (line) this.openFor(line);
    });
    timeline.addEventListener('keydown', (e) => {
      const line =
        e.target instanceof HTMLElement && e.target.matches('.line[data-kind="chat"]')
          ? e.target
          : undefined;
      if (line && e.key === 'Enter') {
        e.preventDefault();
        this.openFor(line);
      }
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** Opens the card of the author of a line element. */
  openFor(line: HTMLElement): void {
    const key = line.dataset.key;
    const message = key
      ? this._host.messages().find((m) => `${m.platform}:${m.id}` === key)
      : undefined;
    if (!message?.author) return;
    this._returnFocus = line;
    this.open(message);
  }

  open(from: ChatMessage): void {
    const author = from.author;
    if (!author) return;
    const doc = this.element.ownerDocument;
    const key = userKeyOf(from)!;
    const theirs = this._host.messages().filter((m) => m.kind === 'chat' && userKeyOf(m) === key);
    const el = <K extends keyof HTMLElementTagNameMap>(
      tag: K,
      className: string,
      text?: string,
    ) => {
      const node = doc.createElement(tag);
      node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const name = author.displayName || author.name;
    this.element.setAttribute('aria-label', t('User card: {0}', name));

    const header = el('header', 'user-card-header');
    header.append(el('h2', 'user-card-name', name));
    const close = el('button', 'user-card-close codicon codicon-close');
    close.type = 'button';
    close.setAttribute('aria-label', t('Close'));
    close.title = t('Close');
    close.addEventListener('click', () => this.close());
    header.append(close);

    const facts = el('dl', 'user-card-facts');
    const fact = (label: string, value: string) =>
      facts.append(el('dt', '', label), el('dd', '', value));
    fact(t('Platform'), PLATFORM_LABELS[from.platform]);
    if (author.name.toLowerCase() !== name.toLowerCase()) fact(t('Login'), author.name);
    fact(
      t('Roles'),
      author.roles.length
        ? author.roles.map((r) => (ROLE_NAMES[r] ? t(ROLE_NAMES[r]) : r)).join(', ')
        : t('None'),
    );
    const first = theirs[0]?.receivedAt ?? from.receivedAt;
    fact(t('First seen'), t('{0} (since connecting)', timeFormat.format(new Date(first))));
    fact(t('Lines'), String(theirs.length));

    const list = el('ol', 'user-card-lines');
    list.setAttribute('aria-label', t('Last {0} lines', CARD_LINES));
    for (const m of theirs.slice(-CARD_LINES)) {
      const item = el('li', m.flags.deleted ? 'deleted' : '');
      item.append(
        el('time', 'time', timeFormat.format(new Date(m.sentAt ?? m.receivedAt))),
        doc.createTextNode(' '),
        doc.createTextNode(plainText(m)),
      );
      list.append(item);
    }

    const actions = el('div', 'user-card-actions');
    actions.setAttribute('role', 'toolbar');
    actions.setAttribute('aria-label', t('Actions'));
    const action = (label: string, run: () => void, pressed?: boolean) => {
      const b = el('button', 'user-card-action', label);
      b.type = 'button';
      if (pressed !== undefined) b.setAttribute('aria-pressed', String(pressed));
      b.addEventListener('click', run);
      actions.append(b);
      return b;
    };
    const capability = this._host.moderation.capability(from.platform);
    const user = { ...(author.id ? { id: author.id } : {}), name: author.name };
    if (capability?.canModerate && !from.flags.self) {
      if (capability.actions.includes('timeout')) {
        const seconds = capability.timeoutSeconds?.[0] ?? 600;
        action(t('Time out'), () =>
          this._host.moderation.moderate(from.platform, { action: 'timeout', user, seconds }),
        );
      }
      if (capability.actions.includes('ban'))
        action(t('Ban'), () =>
          this._host.moderation.moderate(from.platform, { action: 'ban', user }),
        );
      if (capability.actions.includes('unban'))
        action(t('Unban'), () =>
          this._host.moderation.moderate(from.platform, { action: 'unban', user }),
        );
    }
    const highlight = action(
      t('Highlight this user'),
      () => {
        this._toggle(this._highlighted, key);
        highlight.setAttribute('aria-pressed', String(this._highlighted.has(key)));
      },
      this._highlighted.has(key),
    );
    const hide = action(
      t('Hide in my view'),
      () => {
        this._toggle(this._hidden, key);
        hide.setAttribute('aria-pressed', String(this._hidden.has(key)));
      },
      this._hidden.has(key),
    );

    this.element.replaceChildren(header, facts, actions, list);
    this.element.hidden = false;
    close.focus();
  }

  close(): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    this.element.replaceChildren();
    const back = this._returnFocus;
    this._returnFocus = undefined;
    if (back?.isConnected) back.focus();
  }

  /** Users highlighted or hidden in this view (keys `platform:login`). */
  get highlighted(): ReadonlySet<string> {
    return this._highlighted;
  }

  get hidden(): ReadonlySet<string> {
    return this._hidden;
  }

  private _toggle(set: Set<string>, key: string): void {
    if (set.has(key)) set.delete(key);
    else set.add(key);
    this._writeRules();
  }

  /** Lines carry `data-author="platform:login"`; these rules style them, new lines included. */
  private _writeRules(): void {
    const sheet = this._sheet;
    if (!sheet) return;
    const css = (v: string) => CSS.escape(v);
    const rules = [
      ...[...this._highlighted].map(
        (k) =>
          `#timeline .line[data-author="${css(k)}"] { background: var(--vscode-editor-findMatchHighlightBackground); }`,
      ),
      ...[...this._hidden].map(
        (k) => `#timeline .line[data-author="${css(k)}"] { display: none; }`,
      ),
    ];
    sheet.replaceSync(rules.join('\n'));
  }
}
