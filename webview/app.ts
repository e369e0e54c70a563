import type { PlatformStatus } from '../src/core/chatHub';
import type { PlatformId } from '../src/core/message';
import {
  CodeRefAnnotation,
  HostToWebview,
  ViewSettings,
  WebviewToHost,
  assertNever,
} from '../src/protocol/messages';
import { button } from './components';
import { element } from './dom';
import { Composer } from './composer';
import { renderChips } from './header';
import { renderHighlights } from './highlights';
import { MentionMatcher } from './mentions';
import { CodeRefRegistry } from './render/codeRefs';
import { readableColor } from './render/color';
import { ModerationView } from './moderation';
import { UserCards } from './userCard';
import { HighlightRules } from './highlightRules';
import { ReplyRefs } from './replies';
import { LineContext, renderText } from './render/line';
import { PageRequests } from './requests';
import { TimelineStore } from './store';
import type { Clock } from '../src/core/clock';
import { FrameScheduler, TimelineView } from './timeline';
import { cssString, setStrings, t } from './strings';

/** What the view keeps across reloads in the webview's own state (the host has the chat). */
export interface ViewState {
  readonly filter?: string;
  readonly draft?: { text: string; platform?: PlatformId };
  /** The newest line the user saw at the bottom, for the divider where they left off. */
  readonly lastSeen?: string;
}

/** What the page's theme says, read by the entry point from VS Code's variables and body classes. */
export interface ThemeInfo {
  /** Every background a line can sit on (editor, panel, side bar, hover, highlights), opaque CSS colours. */
  readonly backgrounds: readonly string[];
  readonly highContrast: boolean;
}

/** Contrast for author names: WCAG AA, or AAA in high-contrast themes. */
export const MIN_CONTRAST = 4.5;
export const MIN_CONTRAST_HIGH = 7;
const DEFAULT_THEME: ThemeInfo = { backgrounds: ['#1e1e1e'], highContrast: false };

export interface AppHost {
  post(message: WebviewToHost): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
  /** This page's id (default: a fresh random one); tests pass their own to play a reload. */
  readonly pageId?: string;
}

const DEFAULT_SETTINGS: ViewSettings = {
  showTimestamps: true,
  hideDeleted: false,
  fontSize: 13,
  scrollback: 1000,
  mentionNames: [],
};

/**
 * The chat view: header (platform chips, filter), the timeline, the highlights list and the
 * composer, wired to the host protocol. Everything is built from DOM nodes; chat text only ever
 * reaches the page through `textContent`.
 */
export class ChatApp {
  readonly store = new TimelineStore(DEFAULT_SETTINGS.scrollback);
  readonly codeRefs = new CodeRefRegistry();
  readonly timeline: TimelineView;
  readonly composer: Composer;
  readonly moderation: ModerationView;
  readonly userCards: UserCards;
  readonly rules: HighlightRules;
  /** This page's request ids, unique across page lifetimes; results for other pages are ignored. */
  readonly requests: PageRequests;
  readonly replies: ReplyRefs;
  private _settings = DEFAULT_SETTINGS;
  private _platforms: readonly PlatformStatus[] = [];
  private _mentions = new MentionMatcher([]);
  private readonly _colorCache = new Map<string, string | undefined>();
  private _theme = DEFAULT_THEME;
  private readonly _chips: HTMLElement;
  private readonly _highlights: HTMLElement;
  private readonly _filter: HTMLInputElement;
  private readonly _filterCount: HTMLElement;
  private _state: ViewState;
  private _lastRead = 0;
  private _lastSaved = 0;
  private _seenKey: string | undefined;

  constructor(
    private readonly _root: HTMLElement,
    private readonly _host: AppHost,
    schedule: FrameScheduler,
    /** Paces chat repaints during bursts (src/core/burstMeter.ts); every repaint takes the next frame without. */
    pace?: Clock,
  ) {
    const doc = _root.ownerDocument;
    this._state = _host.getState() ?? {};
    this.requests = new PageRequests(_host.pageId);

    // Labels the stylesheet draws (the divider where the user left off).
    doc.body.style.setProperty('--label-unread', cssString(t('New')));
    doc.body.style.setProperty('--label-unread-alt', cssString(t('New since you looked')));

    this._chips = element(doc, 'div', { id: 'chips', role: 'toolbar', label: t('Platforms') });
    this._filter = element(doc, 'input', { id: 'filter', label: t('Filter messages') });
    this._filter.type = 'search';
    this._filter.placeholder = t('Filter: words, "a phrase", from:name, has:link, is:mod, -word');
    this._filter.title = t(
      'Filter the chat. Words and "quoted phrases" match text or author; from:name, platform:glimesh|mixer|twitch, has:link|emote|image|mention, is:mod|sub|vip|first|mention|chat|event|notice|deleted|action|self|whisper|test; a leading - excludes (-from:bot). Esc clears.',
    );
    this._filter.spellcheck = false;
    this._filter.value = this._state.filter ?? '';
    this._filterCount = element(doc, 'span', { id: 'filter-count', role: 'status', hidden: true });
    const filterBox = element(doc, 'div', {
      id: 'filter-box',
      children: [this._filter, this._filterCount],
    });
    const header = element(doc, 'header', { id: 'header', children: [this._chips, filterBox] });

    const timeline = element(doc, 'div', {
      id: 'timeline',
      role: 'log',
      label: t('Chat messages'),
    });
    timeline.setAttribute('aria-live', 'polite');
    timeline.tabIndex = 0;
    const newMessages = button(doc, {
      label: t('New messages'),
      appearance: 'primary',
      id: 'new-messages',
    });
    newMessages.hidden = true;

    this._highlights = element(doc, 'section', {
      id: 'highlights',
      label: t('Highlighted lines'),
      hidden: true,
    });

    this.composer = new Composer(
      doc,
      {
        nextRequestId: () => this.requests.next(),
        send: (requestId, platform, text) =>
          _host.post({ type: 'send', requestId, platform, text }),
        saveDraft: (draft) => this._saveState({ draft }),
      },
      this._state.draft,
    );

    const main = element(doc, 'main', { id: 'main', children: [timeline, newMessages] });
    _root.replaceChildren(header, main, this._highlights, this.composer.element);

    this.timeline = new TimelineView(
      timeline,
      newMessages,
      this.store,
      {
        line: () => this._lineContext(),
        filter: () => ({ mentions: this._mentions, isFirst: (m) => this.store.isFirst(m) }),
      },
      schedule,
      {
        onSeen: (key) => this._onSeen(key),
        onCounts: (matching, total) => this._renderFilterCount(matching, total),
      },
      pace,
    );
    this.moderation = new ModerationView(timeline, main, {
      post: (m) => _host.post(m),
      nextRequestId: () => this.requests.next(),
      message: (key) => this.store.get(key),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    });
    this.userCards = new UserCards(timeline, main, {
      messages: () => this.store.messages(),
      moderation: this.moderation,
    });
    this.rules = new HighlightRules(
      doc,
      doc.getElementById('highlight-sound') as HTMLAudioElement | null,
      // Through the timeline: it builds a line outside its window first.
      { jumpTo: (key) => this.timeline.reveal(key) !== undefined },
    );
    this.replies = new ReplyRefs(timeline, {
      reveal: (key) => this.timeline.reveal(key) !== undefined,
      has: (key) => this.store.get(key) !== undefined,
    });
    header.append(this.rules.toggle, this.moderation.clearButton);
    header.after(this.rules.list);
    this._filter.addEventListener('input', () => this._onFilterInput());
    this._filter.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this._filter.value) {
        e.preventDefault();
        this._filter.value = '';
        this._onFilterInput();
      }
    });
    if (this._filter.value) this.timeline.setFilter(this._filter.value);
    this._applySettings(DEFAULT_SETTINGS);
  }

  /** Handles one message from the host. */
  receive(message: HostToWebview): void {
    switch (message.type) {
      case 'snapshot': {
        // Read before the rebuild, which reports the newest line as seen.
        const lastSeen = this._state.lastSeen;
        this.rules.markHistory(message.messages.map((m) => `${m.platform}:${m.id}`));
        this._applySettings(message.settings);
        this.store.reset(message.messages, message.settings.scrollback);
        this.timeline.rebuild();
        this.timeline.markUnreadAfter(lastSeen);
        this._setPlatforms(message.platforms);
        this._setHighlights(message.highlights);
        break;
      }
      case 'ops':
        this.timeline.apply(message.ops);
        break;
      case 'platforms':
        this._setPlatforms(message.platforms);
        break;
      case 'settings': {
        const rebuild =
          message.settings.mentionNames.join() !== this._settings.mentionNames.join() ||
          message.settings.showTimestamps !== this._settings.showTimestamps ||
          JSON.stringify(message.settings.highlightRules ?? []) !==
            JSON.stringify(this._settings.highlightRules ?? []);
        this._applySettings(message.settings);
        if (message.settings.scrollback !== this.store.scrollback) {
          this.store.setScrollback(message.settings.scrollback);
          this.timeline.rebuild();
        } else if (rebuild) {
          this.timeline.rerender();
          this.timeline.setFilter(this._filter.value);
        }
        break;
      }
      case 'highlights':
        this._setHighlights(message.highlights);
        break;
      case 'codeRefs':
        this._applyCodeRefs(message.annotations);
        break;
      case 'sendResult':
        // A result for a request of an earlier page (before a reload) is not this page's.
        if (this.requests.owns(message.requestId))
          this.composer.onResult(message.requestId, message.ok, message.error);
        break;
      case 'focusComposer':
        this.composer.focus();
        break;
      case 'moderationResult':
        if (this.requests.owns(message.requestId)) this.moderation.onResult(message);
        break;
      case 'strings':
        // main.ts installs the table before it builds the app; later lookups use a new one.
        setStrings(message.strings);
        break;
      default:
        assertNever(message);
    }
  }

  /** The theme changed: author colours are recomputed against its backgrounds, in place. */
  setTheme(theme: ThemeInfo): void {
    if (
      theme.highContrast === this._theme.highContrast &&
      theme.backgrounds.join() === this._theme.backgrounds.join()
    )
      return;
    this._theme =
      theme.backgrounds.length > 0 ? theme : { ...theme, backgrounds: DEFAULT_THEME.backgrounds };
    this._colorCache.clear();
    this.timeline.recolor();
  }

  /** The page was shown or hidden (the user reads only a visible page). */
  setVisible(visible: boolean): void {
    this.timeline.setVisible(visible);
    // The page may be gone before the next throttled save.
    if (!visible && this._seenKey && this._seenKey !== this._state.lastSeen)
      this._saveState({ lastSeen: this._seenKey });
  }

  private _readable(color: string): string | undefined {
    let value = this._colorCache.get(color);
    if (value === undefined && !this._colorCache.has(color)) {
      // Hostile chat can send endless distinct colours: keep the cache bounded.
      if (this._colorCache.size >= 5000) this._colorCache.clear();
      value = readableColor(
        color,
        this._theme.backgrounds,
        this._theme.highContrast ? MIN_CONTRAST_HIGH : MIN_CONTRAST,
      );
      this._colorCache.set(color, value);
    }
    return value;
  }

  private _lineContext(): LineContext {
    return {
      document: this._root.ownerDocument,
      mentions: this._mentions,
      showTimestamps: this._settings.showTimestamps,
      codeRefs: (key) => this.codeRefs.get(key),
      openCodeRef: (id) => this._host.post({ type: 'openCodeRef', id }),
      decorate: (line, message) => this.rules.decorate(line, message),
      hasMessage: (key) => this.store.get(key) !== undefined,
      readableColor: (color) => this._readable(color),
    };
  }

  private _onFilterInput(): void {
    this.timeline.setFilter(this._filter.value);
    this._saveState({ filter: this._filter.value });
  }

  private _renderFilterCount(matching: number, total: number): void {
    const active = this._filter.value.trim().length > 0;
    if (this._filterCount.hidden === active) this._filterCount.hidden = !active;
    const text = active
      ? t('{0} of {1}', matching.toLocaleString('en-US'), total.toLocaleString('en-US'))
      : '';
    if (this._filterCount.textContent !== text) this._filterCount.textContent = text;
  }

  /** The user is at the bottom and saw `key`: clear the unread badge and remember where they were (throttled). */
  private _onSeen(key: string | undefined): void {
    this._read();
    this._seenKey = key;
    const now = Date.now();
    if (key && key !== this._state.lastSeen && now - this._lastSaved >= 1000) {
      this._lastSaved = now;
      this._saveState({ lastSeen: key });
    }
  }

  /** Links the references of lines already on screen; lines rendered later pick them up in renderLine. */
  private _applyCodeRefs(annotations: readonly CodeRefAnnotation[]): void {
    if (!Array.isArray(annotations)) return;
    const keys = new Set<string>();
    for (const annotation of annotations) {
      const key = this.codeRefs.set(annotation);
      if (key) keys.add(key);
    }
    if (keys.size === 0) return;
    const ctx = this._lineContext();
    for (const node of this._root.querySelectorAll<HTMLElement>('#timeline .line')) {
      const key = node.dataset.key;
      const message = key && keys.has(key) ? this.store.get(key) : undefined;
      const old = message ? node.querySelector(':scope > .text') : null;
      if (message && old) old.replaceWith(renderText(message, ctx, node));
    }
  }

  private _applySettings(settings: ViewSettings): void {
    this._settings = settings;
    this.rules.setRules(settings.highlightRules, settings.sound);
    this._mentions = new MentionMatcher(settings.mentionNames);
    const body = this._root.ownerDocument.body;
    body.classList.toggle('hide-timestamps', !settings.showTimestamps);
    body.classList.toggle('hide-deleted', settings.hideDeleted);
    body.style.setProperty('--chat-font-size', `${settings.fontSize}px`);
  }

  private _setPlatforms(platforms: readonly PlatformStatus[]): void {
    this._platforms = platforms;
    renderChips(this._chips, platforms, (platform) =>
      this._host.post({ type: 'togglePlatform', platform }),
    );
    this.composer.update(platforms);
    this.moderation.setPlatforms(platforms);
  }

  private _setHighlights(highlights: Parameters<typeof renderHighlights>[1]): void {
    renderHighlights(this._highlights, highlights, {
      jump: (id) => this._host.post({ type: 'jumpToHighlight', id }),
      dismiss: (id) => this._host.post({ type: 'dismissHighlight', id }),
    });
  }

  /** Tells the host the user has seen the latest lines (throttled to once a second). */
  private _read(): void {
    const now = Date.now();
    if (now - this._lastRead < 1000 || this._root.ownerDocument.visibilityState === 'hidden')
      return;
    this._lastRead = now;
    this._host.post({ type: 'read' });
  }

  private _saveState(patch: Partial<ViewState>): void {
    this._state = { ...this._state, ...patch };
    this._host.setState(this._state);
  }

  get platforms(): readonly PlatformStatus[] {
    return this._platforms;
  }
}
