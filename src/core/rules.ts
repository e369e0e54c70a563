/** How each platform takes outgoing chat, and the character arithmetic those rules need (pure). */

/** What a platform counts as one character of a message. */
export type CharUnit = 'codePoints' | 'graphemes';

/** How a platform takes outgoing chat; each platform's `rules.ts` defines its own. */
export interface OutgoingRules {
  /** Longest message, in `countChars` units. */
  readonly maxLength: number;
  /** How the platform counts characters (Glimesh: graphemes; others: code points). */
  readonly countChars: CharUnit;
  /** Whether one message may contain a line break. */
  readonly allowsNewlines: boolean;
  /** Pacing for multi-part sends: at most `messages` per `windowMs`. */
  readonly pace: { readonly messages: number; readonly windowMs: number };
}

let segmenter: Intl.Segmenter | undefined;

/** The characters of `text` as the unit counts them (never half a surrogate pair). */
export function charsOf(text: string, unit: CharUnit): string[] {
  if (unit === 'codePoints') return [...text];
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** How many characters `text` has, as the unit counts them. */
export function charCount(text: string, unit: CharUnit): number {
  if (unit === 'codePoints') {
    let n = 0;
    for (const _ of text) n++;
    return n;
  }
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/**
 * Cuts one line into pieces of at most `max` characters, never inside a character. With
 * `atSpace`, a piece ends at the last space when one is in its last 40 %, and the pieces are
 * trimmed at the cut.
 */
export function cutLine(
  line: string,
  max: number,
  unit: CharUnit,
  options: { readonly atSpace?: boolean } = {},
): string[] {
  let chars = charsOf(line, unit);
  if (chars.length <= max) return [line];
  const out: string[] = [];
  while (chars.length > max) {
    let cut = max;
    if (options.atSpace) {
      const space = chars.lastIndexOf(' ', max);
      if (space >= max * 0.6) cut = space;
    }
    const piece = chars.slice(0, cut).join('');
    const rest = chars.slice(cut).join('');
    out.push(options.atSpace ? piece.trimEnd() : piece);
    chars = charsOf(options.atSpace ? rest.trimStart() : rest, unit);
  }
  out.push(chars.join(''));
  return out;
}
