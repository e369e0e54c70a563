import type { ChatMessage, PlatformId } from '../src/core/message';
import { isPlatformId, plainText } from '../src/core/message';

/** A parsed filter: every term must match. */
export interface ChatFilter {
  readonly text: readonly string[];
  readonly from: readonly string[];
  readonly platforms: readonly PlatformId[];
  readonly isEmpty: boolean;
}

/**
 * Parses the filter box: plain words match text or author; `from:name` matches the author (any
 * of several); `platform:glimesh` (or mixer, tau, twitch) restricts platforms. Terms combine.
 */
export function parseFilter(input: string): ChatFilter {
  const text: string[] = [];
  const from: string[] = [];
  const platforms: PlatformId[] = [];
  for (const raw of input.trim().split(/\s+/).filter(Boolean)) {
    const term = raw.toLowerCase();
    const m = /^(from|platform):(.*)$/.exec(term);
    if (m && m[2]) {
      if (m[1] === 'from') from.push(m[2].replace(/^@/, ''));
      else {
        const p = m[2] === 'twitch' ? 'tau' : m[2];
        if (isPlatformId(p)) platforms.push(p);
        else text.push(term);
      }
    } else text.push(term);
  }
  return { text, from, platforms, isEmpty: text.length + from.length + platforms.length === 0 };
}

export function matchesFilter(message: ChatMessage, filter: ChatFilter): boolean {
  if (filter.isEmpty) return true;
  if (filter.platforms.length > 0 && !filter.platforms.includes(message.platform)) return false;
  const name = message.author?.name.toLowerCase() ?? '';
  const display = message.author?.displayName.toLowerCase() ?? '';
  if (filter.from.length > 0 && !filter.from.some((f) => name.includes(f) || display.includes(f))) return false;
  if (filter.text.length > 0) {
    const haystack = `${display} ${name} ${plainText(message).toLowerCase()}`;
    if (!filter.text.every((t) => haystack.includes(t))) return false;
  }
  return true;
}
