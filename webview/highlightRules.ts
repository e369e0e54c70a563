import type { ChatMessage } from '../src/core/message';
import { plainText } from '../src/core/message';
import type { HighlightRule } from '../src/protocol/messages';
import { t } from './strings';

/** How many entries the Mentions list keeps (newest last). */
export const MENTIONS_KEPT = 100;

interface CompiledRule {
  readonly words: ReadonlySet<string>;
  readonly users: ReadonlySet<string>;
  readonly regex?: RegExp;
  readonly color?: string;
}

/** Compiles the rules once per settings change (the host already dropped invalid parts). */
export function compileRules(rules: readonly HighlightRule[]): CompiledRule[] {
  const compiled: CompiledRule[] = [];
  for (const r of rules) {
    let regex: RegExp | undefined;
    try {
      regex = r.regex ? new RegExp(r.regex, 'iu') : undefined;
    } catch {
      regex = undefined;
    }
    compiled.push({
      words: new Set((r.words ?? []).map((w) => w.toLowerCase())),
      users: new Set((r.users ?? []).map((u) => u.toLowerCase().replace(/^@/, ''))),
      ...(regex ? { regex } : {}),
      ...(r.color ? { color: r.color } : {}),
    });
  }
  return compiled;
}

/** The first rule a chat line matches: its author, one of its whole words, or the regex. */
export function matchRule(
  message: ChatMessage,
  rules: readonly CompiledRule[],
): CompiledRule | undefined {
  if (message.kind !== 'chat' || rules.length === 0) return undefined;
  const text = plainText(message);
  const words = new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}_'-]+/u)
      .filter(Boolean),
  );
  const author = message.author;
  for (const rule of rules) {
    if (
      author &&
      (rule.users.has(author.name.toLowerCase()) ||
        rule.users.has(author.displayName.toLowerCase()))
    )
      return rule;
    for (const w of rule.words) if (words.has(w)) return rule;
    if (rule.regex?.test(text)) return rule;
  }
  return undefined;
}

export interface HighlightRulesHost {
  /** Scrolls to and focuses a line by key; false when it is no longer in the view. */
  jumpTo(key: string): boolean;
}

/**
 * Highlight rules (`streamChat.view.highlights`), the optional sound (`streamChat.view.sound`)
 * and the Mentions list: every line that mentions the streamer or matches a rule, newest last,
 * each a button that jumps to its line while it is still in the scrollback.
 */
export class HighlightRules {
  readonly toggle: HTMLButtonElement;
  readonly list: HTMLElement;
  private _rules: CompiledRule[] = [];
  private _sound = false;
  private readonly _mentions: Array<{ key: string; who: string; text: string }> = [];
  private readonly _known = new Set<string>();
  /** Lines the last snapshot brought (history after a reload): listed, but they never sound. */
  private _history = new Set<string>();

  constructor(
    doc: Document,
    private readonly _audio: HTMLAudioElement | null,
    private readonly _host: HighlightRulesHost,
  ) {
    this.toggle = doc.createElement('button');
    this.toggle.type = 'button';
    this.toggle.id = 'mentions-toggle';
    this.toggle.className = 'mentions-toggle codicon codicon-mention';
    this.toggle.setAttribute('aria-expanded', 'false');
    this.toggle.setAttribute('aria-controls', 'mentions');
    this.list = doc.createElement('section');
    this.list.id = 'mentions';
    this.list.setAttribute('aria-label', t('Mentions'));
    this.list.hidden = true;
    this.toggle.addEventListener('click', () => {
      this.list.hidden = !this.list.hidden;
      this.toggle.setAttribute('aria-expanded', String(!this.list.hidden));
      if (!this.list.hidden) this._renderList();
    });
    this._updateToggle();
  }

  setRules(rules: readonly HighlightRule[] | undefined, sound: boolean | undefined): void {
    this._rules = compileRules(rules ?? []);
    this._sound = sound === true;
    // Whether the setting reached the view (UI tests wait for it before they expect a sound).
    if (this._audio) this._audio.dataset.enabled = String(this._sound);
  }

  /** A snapshot replaced the timeline: what it holds is history, not news. */
  markHistory(keys: Iterable<string>): void {
    this._history = new Set(keys);
  }

  /** Called for each rendered line (the timeline's decorate hook). */
  decorate(line: HTMLElement, message: ChatMessage): void {
    const rule = matchRule(message, this._rules);
    line.classList.toggle('rule-highlight', rule !== undefined);
    if (rule?.color) line.style.setProperty('--rule-color', rule.color);
    else line.style.removeProperty('--rule-color');
    const mentionsMe = line.classList.contains('mentions-me');
    if (!rule && !mentionsMe) return;
    const key = line.dataset.key ?? '';
    if (this._known.has(key)) return;
    this._known.add(key);
    this._mentions.push({
      key,
      who: message.author?.displayName ?? '',
      text: plainText(message).slice(0, 120),
    });
    if (this._mentions.length > MENTIONS_KEPT) this._known.delete(this._mentions.shift()!.key);
    this._updateToggle();
    if (!this.list.hidden) this._renderList();
    if (!this._history.has(key) && this._sound && this._audio) this._play(this._audio);
  }

  private _play(audio: HTMLAudioElement): void {
    // Counted for tests: `plays` each time the view asks for the sound, `played` each time the
    // browser started it; the browser's autoplay rules may still refuse (`soundRefused` says why).
    audio.dataset.plays = String(Number(audio.dataset.plays ?? '0') + 1);
    audio.currentTime = 0;
    void audio.play()?.then(
      () => {
        audio.dataset.played = String(Number(audio.dataset.played ?? '0') + 1);
        delete audio.dataset.soundRefused;
      },
      (error: unknown) => {
        // A DOMException (NotAllowedError: no user gesture yet) is not always an Error.
        const name = (error as { name?: unknown } | null)?.name;
        audio.dataset.soundRefused = typeof name === 'string' ? name.slice(0, 50) : 'refused';
      },
    );
  }

  private _updateToggle(): void {
    const n = this._mentions.length;
    const label = n ? t('Mentions ({0})', n) : t('Mentions');
    this.toggle.setAttribute('aria-label', label);
    this.toggle.title = label;
  }

  private _renderList(): void {
    const doc = this.list.ownerDocument;
    if (this._mentions.length === 0) {
      const empty = doc.createElement('p');
      empty.className = 'mentions-empty';
      empty.textContent = t('No mentions or highlighted lines yet.');
      this.list.replaceChildren(empty);
      return;
    }
    const ol = doc.createElement('ol');
    for (const m of this._mentions) {
      const li = doc.createElement('li');
      const b = doc.createElement('button');
      b.type = 'button';
      b.className = 'mention-jump';
      const who = doc.createElement('span');
      who.className = 'mention-who';
      who.textContent = m.who;
      b.append(who, doc.createTextNode(` ${m.text}`));
      b.addEventListener('click', () => {
        if (!this._host.jumpTo(m.key)) {
          b.disabled = true;
          b.title = t('No longer in the scrollback');
        }
      });
      li.append(b);
      ol.append(li);
    }
    this.list.replaceChildren(ol);
  }
}
