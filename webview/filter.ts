import type { ChatMessage, PlatformId } from '../src/core/message';
import { plainText } from '../src/core/message';
import { MentionMatcher, NO_MENTIONS } from './mentions';

/** What matching needs besides the message: the streamer's names and who spoke for the first time. */
export interface FilterContext {
  readonly mentions: MentionMatcher;
  /** Whether this is the author's first line since the view started (see `TimelineStore.isFirst`). */
  isFirst(message: ChatMessage): boolean;
}

export const NO_CONTEXT: FilterContext = { mentions: NO_MENTIONS, isFirst: () => false };

/** `has:` values: what a message contains. */
export const HAS_VALUES = ['link', 'emote', 'image', 'mention'] as const;
export type HasValue = (typeof HAS_VALUES)[number];
/** `is:` values: what a line is. */
export const IS_VALUES = [
  'mention',
  'mod',
  'sub',
  'vip',
  'first',
  'chat',
  'event',
  'notice',
  'deleted',
  'action',
  'self',
  'whisper',
  'test',
] as const;
export type IsValue = (typeof IS_VALUES)[number];

/** One condition of the filter; `negated` for a leading `-`. */
export type FilterTerm =
  | { readonly kind: 'text'; readonly value: string; readonly negated: boolean }
  | { readonly kind: 'from'; readonly value: string; readonly negated: boolean }
  | { readonly kind: 'platform'; readonly value: PlatformId; readonly negated: boolean }
  | { readonly kind: 'has'; readonly value: HasValue; readonly negated: boolean }
  | { readonly kind: 'is'; readonly value: IsValue; readonly negated: boolean };

/** A parsed filter. Positive `from:` terms are alternatives, as are positive `platform:` terms; everything else must hold. */
export interface ChatFilter {
  readonly terms: readonly FilterTerm[];
  /** Positive plain words (lowercase). */
  readonly text: readonly string[];
  /** Positive `from:` names (lowercase, without `@`). */
  readonly from: readonly string[];
  /** Positive `platform:` ids (`twitch` means TAU). */
  readonly platforms: readonly PlatformId[];
  readonly isEmpty: boolean;
}

const PLATFORM_ALIASES: Readonly<Record<string, PlatformId>> = {
  twitch: 'tau',
  tau: 'tau',
  glimesh: 'glimesh',
  mixer: 'mixer',
};

/** Splits on spaces, keeping `"quoted phrases"` (and `-"negated phrases"`, `from:"a b"`) together. */
function tokens(input: string): string[] {
  const out: string[] = [];
  for (const m of input.matchAll(/(?:[^\s"]*"[^"]*"?)+[^\s"]*|\S+/g)) out.push(m[0]);
  return out;
}

/**
 * Parses the filter box: plain words or `"phrases"` match text or author; `from:name`,
 * `platform:glimesh` (mixer, tau, twitch), `has:link|emote|image|mention`,
 * `is:mention|mod|sub|vip|first|chat|event|notice|deleted|action|self|whisper|test`; a leading `-` negates any
 * term. Terms combine. Unknown `key:value` terms are plain text, so nothing typed is ignored.
 */
export function parseFilter(input: string): ChatFilter {
  const terms: FilterTerm[] = [];
  for (const raw of tokens(input.slice(0, 1000))) {
    let token = raw.toLowerCase();
    const negated = token.length > 1 && token.startsWith('-');
    if (negated) token = token.slice(1);
    const m = /^(from|platform|has|is):(.+)$/.exec(token);
    const value = (m?.[2] ?? '').replace(/"/g, '');
    let term: FilterTerm | undefined;
    if (m && value) {
      const platform = PLATFORM_ALIASES[value];
      if (m[1] === 'from') term = { kind: 'from', value: value.replace(/^@/, ''), negated };
      else if (m[1] === 'platform' && platform)
        term = { kind: 'platform', value: platform, negated };
      else if (m[1] === 'has' && (HAS_VALUES as readonly string[]).includes(value))
        term = { kind: 'has', value: value as HasValue, negated };
      else if (m[1] === 'is' && (IS_VALUES as readonly string[]).includes(value))
        term = { kind: 'is', value: value as IsValue, negated };
    }
    if (!term) {
      const text = token.replace(/"/g, '');
      if (text) term = { kind: 'text', value: text, negated };
    }
    if (term) terms.push(term);
  }
  const positive = <K extends FilterTerm['kind']>(kind: K) =>
    terms
      .filter((t): t is Extract<FilterTerm, { kind: K }> => t.kind === kind && !t.negated)
      .map((t) => t.value as Extract<FilterTerm, { kind: K }>['value']);
  return {
    terms,
    text: positive('text'),
    from: positive('from'),
    platforms: positive('platform'),
    isEmpty: terms.length === 0,
  };
}

/** Lowercase text and author per message, computed once (messages are immutable). */
const haystacks = new WeakMap<ChatMessage, { text: string; names: string }>();

function haystackOf(message: ChatMessage): { text: string; names: string } {
  let h = haystacks.get(message);
  if (!h) {
    const names =
      `${message.author?.displayName ?? ''}\u0000${message.author?.name ?? ''}`.toLowerCase();
    h = { text: plainText(message).toLowerCase(), names };
    haystacks.set(message, h);
  }
  return h;
}

function is(message: ChatMessage, value: IsValue, ctx: FilterContext): boolean {
  const roles = message.author?.roles ?? [];
  switch (value) {
    case 'mention':
      return ctx.mentions.mentions(message);
    case 'mod':
      // The broadcaster moderates their own channel.
      return roles.includes('moderator') || roles.includes('broadcaster');
    case 'sub':
      return roles.includes('subscriber') || roles.includes('founder');
    case 'vip':
      return roles.includes('vip');
    case 'first':
      return message.kind === 'chat' && ctx.isFirst(message);
    case 'chat':
      return message.kind === 'chat';
    case 'event':
      return message.kind === 'event';
    case 'notice':
      return message.kind === 'system';
    case 'deleted':
      return !!message.flags.deleted;
    case 'action':
      return !!message.flags.action;
    case 'self':
      return !!message.flags.self;
    case 'whisper':
      return !!message.flags.whisper;
    case 'test':
      return !!message.flags.test;
  }
}

function holds(message: ChatMessage, term: FilterTerm, ctx: FilterContext): boolean {
  const h = haystackOf(message);
  switch (term.kind) {
    case 'text':
      return h.text.includes(term.value) || h.names.includes(term.value);
    case 'from':
      return h.names.includes(term.value);
    case 'platform':
      return message.platform === term.value;
    case 'has':
      return message.parts.some((p) => p.type === term.value);
    case 'is':
      return is(message, term.value, ctx);
  }
}

/** Whether the message passes the filter. Filtering only hides lines; it never drops messages. */
export function matchesFilter(
  message: ChatMessage,
  filter: ChatFilter,
  ctx: FilterContext = NO_CONTEXT,
): boolean {
  if (filter.isEmpty) return true;
  let fromSeen = false;
  let fromMatched = false;
  let platformSeen = false;
  let platformMatched = false;
  for (const term of filter.terms) {
    const ok = holds(message, term, ctx);
    if (term.negated) {
      if (ok) return false;
    } else if (term.kind === 'from') {
      fromSeen = true;
      fromMatched ||= ok;
    } else if (term.kind === 'platform') {
      platformSeen = true;
      platformMatched ||= ok;
    } else if (!ok) return false;
  }
  return (!fromSeen || fromMatched) && (!platformSeen || platformMatched);
}
