import type { ChatMessage } from '../src/core/message';

/** Finds the streamer's names in chat text as whole words (`codercat`, `@CoderCat`), case-insensitively. */
export class MentionMatcher {
  readonly names: ReadonlySet<string>;
  private readonly _pattern: RegExp | undefined;

  constructor(names: Iterable<string>) {
    const clean = [
      ...new Set(
        [...names]
          .map((n) => n.trim().toLowerCase().replace(/^@/, ''))
          .filter((n) => n.length > 0 && n.length <= 100),
      ),
    ];
    this.names = new Set(clean);
    const escaped = clean
      .sort((a, b) => b.length - a.length)
      .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this._pattern =
      escaped.length > 0
        ? new RegExp(`(?<![\\p{L}\\p{N}_])@?(?:${escaped.join('|')})(?![\\p{L}\\p{N}_])`, 'giu')
        : undefined;
  }

  /** Whether `text` names the streamer. */
  test(text: string): boolean {
    if (!this._pattern) return false;
    this._pattern.lastIndex = 0;
    return this._pattern.test(text);
  }

  /** `text` cut into runs, each marked when it is a mention. */
  split(text: string): Array<{ text: string; mention: boolean }> {
    if (!this._pattern) return [{ text, mention: false }];
    const runs: Array<{ text: string; mention: boolean }> = [];
    let last = 0;
    for (const m of text.matchAll(this._pattern)) {
      if (m.index > last) runs.push({ text: text.slice(last, m.index), mention: false });
      runs.push({ text: m[0], mention: true });
      last = m.index + m[0].length;
    }
    if (last < text.length) runs.push({ text: text.slice(last), mention: false });
    return runs.length > 0 ? runs : [{ text, mention: false }];
  }

  /** Whether a mention part's user is the streamer. */
  isName(username: string): boolean {
    return this.names.has(username.toLowerCase().replace(/^@/, ''));
  }

  /** Whether the message mentions the streamer (chat and events only: our own notices name the channel). */
  mentions(message: Pick<ChatMessage, 'kind' | 'parts'>): boolean {
    if (message.kind === 'system' || this.names.size === 0) return false;
    return message.parts.some(
      (p) =>
        (p.type === 'text' && this.test(p.text)) ||
        (p.type === 'mention' && this.isName(p.username)),
    );
  }
}

export const NO_MENTIONS = new MentionMatcher([]);
