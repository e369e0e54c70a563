import type { PlatformStatus } from '../src/core/chatHub';
import { HighlightSummary, HostToWebview, ViewSettings, WebviewToHost, assertNever } from '../src/protocol/messages';
import { button } from './components';
import { Composer, ComposerState } from './composer';
import { renderChips } from './header';
import { renderHighlights } from './highlights';
import { MentionMatcher } from './mentions';
import { readableColor } from './render/color';
import { LineContext } from './render/line';
import { TimelineStore } from './store';
import { FrameScheduler, TimelineView } from './timeline';

/** What the view keeps in the webview's own state across hide, show and reload (the host has the chat). */
export interface ViewState {
  readonly filter?: string;
  readonly composer?: ComposerState;
  /** The newest line the user saw at the bottom, for the "new since you looked" divider. */
  readonly lastSeen?: string;
}

/** The webview API as the app uses it (`acquireVsCodeApi()` in the page, a fake in tests). */
export interface AppHost {
  post(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: ViewState): void;
}

/** What the page's theme says, read by the entry point from VS Code's variables and body classes. */
export interface ThemeInfo {
  /** Backgrounds the view may sit on (editor, panel, side bar), as CSS colours. */
  readonly backgrounds: readonly string[];
  readonly highContrast: boolean;
  /** VS Code's own reduce-motion setting (body class), on top of the OS preference. */
  readonly reducedMotion: boolean;
}

export const DEFAULT_SETTINGS: ViewSettings = { showTimestamps: true, hideDeleted: false, fontSize: 13, scrollback: 1000, mentionNames: [] };
const DEFAULT_THEME: ThemeInfo = { backgrounds: ['#1e1e1e'], highContrast: false, reducedMotion: false };
/** Contrast for author names: WCAG AA, or AAA in high-contrast themes. */
const MIN_CONTRAST = 4.5;
const MIN_CONTRAST_HIGH = 7;
/** At most one `read` post and one state save per this many ms (the last one always goes out). */
const THROTTLE_MS = 1000;

/** Reads a state saved by this or an earlier version, keeping only well-formed fields. */
export function sanitizeState(raw: unknown): ViewState {
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const composer = (typeof r.composer === 'object' && r.composer !== null ? r.composer : r.draft) as Record<string, unknown> | undefined;
  return {
    filter: typeof r.filter === 'string' ? r.filter.slice(0, 1000) : undefined,
    lastSeen: typeof r.lastSeen === 'string' ? r.lastSeen.slice(0, 300) : undefined,
    composer:
      composer && typeof composer.text === 'string'
        ? {
            text: composer.text.slice(0, 10_000),
            platform: typeof composer.platform === 'string' ? (composer.platform as ComposerState['platform']) : undefined,
            history: Array.isArray(composer.history) ? composer.history.filter((h): h is string => typeof h === 'string').map((h) => h.slice(0, 10_000)) : undefined,
          }
        : undefined,
  };
}

/** Calls `fn` at most once per `ms`, and always once more after the last request. */
class Throttle {
  private _last = Number.NEGATIVE_INFINITY;
  private _timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly _fn: () => void,
    private readonly _ms: number,
  ) {}

  request(): void {
    if (this._timer !== undefined) return;
    const wait = this._last + this._ms - Date.now();
    if (wait <= 0) this._run();
    else this._timer = setTimeout(() => this._run(), wait);
  }

  private _run(): void {
    this._timer = undefined;
    this._last = Date.now();
    this._fn();
  }
}

/**
 * The chat view: header (platform chips, filter), the timeline, the highlights list and the
 * composer, wired to the host protocol. Everything is built from DOM nodes; chat text only ever
 * reaches the page through `textContent`.
 */
export class ChatApp {
  readonly store = new TimelineStore(DEFAULT_SETTINGS.scrollback);
  readonly timeline: TimelineView;
  readonly composer: Composer;
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
  private _visible = true;
  private _lastSeen: string | undefined;
  private readonly _readThrottle = new Throttle(() => this._host.post({ type: 'read' }), THROTTLE_MS);
  private readonly _seenThrottle = new Throttle(() => this._saveState({ lastSeen: this._lastSeen }), THROTTLE_MS);

  constructor(
    private readonly _root: HTMLElement,
    private readonly _host: AppHost,
    schedule: FrameScheduler,
  ) {
    const doc = _root.ownerDocument;
    this._state = sanitizeState(_host.getState());

    const header = doc.createElement('header');
    header.id = 'header';
    this._chips = doc.createElement('div');
    this._chips.id = 'chips';
    this._chips.setAttribute('role', 'toolbar');
    this._chips.setAttribute('aria-label', 'Platforms');
    const filterBox = doc.createElement('div');
    filterBox.id = 'filter-box';
    this._filter = doc.createElement('input');
    this._filter.id = 'filter';
    this._filter.type = 'search';
    this._filter.placeholder = 'Filter: words, from:name, platform:glimesh, has:link, is:mention, -word';
    this._filter.title = 'Filter the chat. Words match text or author; from:name, platform:glimesh|mixer|twitch, has:link|emote|image|mention, is:mention|chat|event|notice|deleted|action|self|whisper|test; "a phrase"; a leading - excludes. Esc clears.';
    this._filter.setAttribute('aria-label', 'Filter messages');
    this._filter.spellcheck = false;
    this._filter.value = this._state.filter ?? '';
    this._filterCount = doc.createElement('span');
    this._filterCount.id = 'filter-count';
    this._filterCount.setAttribute('role', 'status');
    this._filterCount.hidden = true;
    filterBox.append(this._filter, this._filterCount);
    header.append(this._chips, filterBox);

    const timeline = doc.createElement('div');
    timeline.id = 'timeline';
    timeline.setAttribute('role', 'log');
    timeline.setAttribute('aria-live', 'polite');
    timeline.setAttribute('aria-label', 'Chat messages');
    timeline.tabIndex = 0;
    const newMessages = button(doc, { label: 'New messages', appearance: 'primary', id: 'new-messages' });
    newMessages.hidden = true;

    this._highlights = doc.createElement('section');
    this._highlights.id = 'highlights';
    this._highlights.setAttribute('aria-label', 'Highlighted lines');
    this._highlights.hidden = true;

    this.composer = new Composer(
      doc,
      {
        send: (requestId, platform, text) => _host.post({ type: 'send', requestId, platform, text }),
        save: (composer) => this._saveState({ composer }),
      },
      this._state.composer,
    );

    const main = doc.createElement('main');
    main.id = 'main';
    main.append(timeline, newMessages);
    _root.replaceChildren(header, main, this._highlights, this.composer.element);

    this.timeline = new TimelineView(timeline, newMessages, this.store, () => this._lineContext(), schedule, {
      onSeen: (key) => this._onSeen(key),
      onCounts: (shown, total) => this._renderFilterCount(shown, total),
      smoothScroll: () => !this._theme.reducedMotion && !doc.defaultView?.matchMedia?.('(prefers-reduced-motion: reduce)').matches,
    });
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

  get platforms(): readonly PlatformStatus[] {
    return this._platforms;
  }

  get settings(): ViewSettings {
    return this._settings;
  }

  /** Handles one message from the host. */
  receive(message: HostToWebview): void {
    switch (message.type) {
      case 'snapshot': {
        // Read before the rebuild, which reports the newest line as seen.
        const lastSeen = this._state.lastSeen;
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
        const before = this._settings;
        this._applySettings(message.settings);
        if (message.settings.scrollback !== this.store.scrollback) {
          this.store.setScrollback(message.settings.scrollback);
          this.timeline.scrollbackChanged();
        }
        if (message.settings.mentionNames.join('\u0000') !== before.mentionNames.join('\u0000')) {
          this.timeline.rerender();
          this.timeline.setFilter(this._filter.value);
        }
        break;
      }
      case 'highlights':
        this._setHighlights(message.highlights);
        break;
      case 'sendResult':
        this.composer.onResult(message.requestId, message.ok, message.error);
        break;
      case 'focusComposer':
        this.composer.focus();
        break;
      default:
        assertNever(message);
    }
  }

  /** The theme changed: author colours are recomputed against the new backgrounds. */
  setTheme(theme: ThemeInfo): void {
    const same =
      theme.highContrast === this._theme.highContrast &&
      theme.reducedMotion === this._theme.reducedMotion &&
      theme.backgrounds.join() === this._theme.backgrounds.join();
    if (same) return;
    this._theme = theme;
    this._colorCache.clear();
    this.timeline.recolor();
  }

  /** The page was shown or hidden (the user reads only a visible page). */
  setVisible(visible: boolean): void {
    this._visible = visible;
    if (visible && this.timeline.following) this._onSeen(this.timeline.lastKey);
  }

  private _readable(color: string): string | undefined {
    let value = this._colorCache.get(color);
    if (value === undefined && !this._colorCache.has(color)) {
      // Hostile chat can send endless distinct colours: keep the cache bounded.
      if (this._colorCache.size >= 5000) this._colorCache.clear();
      value = readableColor(color, this._theme.backgrounds, this._theme.highContrast ? MIN_CONTRAST_HIGH : MIN_CONTRAST);
      this._colorCache.set(color, value);
    }
    return value;
  }

  private _lineContext(): LineContext {
    return { document: this._root.ownerDocument, mentions: this._mentions, readableColor: (color) => this._readable(color) };
  }

  private _applySettings(settings: ViewSettings): void {
    this._settings = settings;
    this._mentions = new MentionMatcher(settings.mentionNames);
    // Classes and the font size go on the app root, not <body>, whose classes VS Code owns (theme).
    this._root.classList.toggle('hide-timestamps', !settings.showTimestamps);
    this._root.classList.toggle('hide-deleted', settings.hideDeleted);
    const fontSize = Number.isFinite(settings.fontSize) ? Math.min(64, Math.max(6, settings.fontSize)) : DEFAULT_SETTINGS.fontSize;
    this._root.style.setProperty('--chat-font-size', `${fontSize}px`);
  }

  private _setPlatforms(platforms: readonly PlatformStatus[]): void {
    this._platforms = platforms;
    renderChips(this._chips, platforms, (platform) => this._host.post({ type: 'togglePlatform', platform }));
    this.composer.update(platforms);
  }

  private _setHighlights(highlights: readonly HighlightSummary[]): void {
    renderHighlights(this._highlights, highlights, {
      jump: (id) => this._host.post({ type: 'jumpToHighlight', id }),
      dismiss: (id) => this._host.post({ type: 'dismissHighlight', id }),
    });
  }

  private _onFilterInput(): void {
    this.timeline.setFilter(this._filter.value);
    this._saveState({ filter: this._filter.value });
  }

  private _renderFilterCount(shown: number, total: number): void {
    const active = this._filter.value.trim().length > 0;
    this._filterCount.hidden = !active;
    this._filterCount.textContent = active ? `${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}` : '';
  }

  /** The user is at the bottom and saw `key`: clear the unread badge and remember where they were. */
  private _onSeen(key: string | undefined): void {
    if (!this._visible) return;
    this._readThrottle.request();
    if (key && key !== this._lastSeen) {
      this._lastSeen = key;
      this._seenThrottle.request();
    }
  }

  private _saveState(patch: Partial<ViewState>): void {
    this._state = { ...this._state, ...patch };
    this._host.setState(this._state);
  }
}
