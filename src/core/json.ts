/** JSON from servers, read defensively: nothing here throws. */

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What `parseJson` read, or why it could not. */
export type JsonParse =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

/** Text longer than this is not parsed by default (a hostile or broken server). */
export const DEFAULT_MAX_JSON_CHARS = 1_000_000;

/** Parses `text` as JSON when it is a string of at most `maxChars` characters; never throws. */
export function parseJson(text: unknown, maxChars = DEFAULT_MAX_JSON_CHARS): JsonParse {
  if (typeof text !== 'string') return { ok: false, reason: 'not a text frame' };
  if (text.length > maxChars)
    return { ok: false, reason: `frame of ${text.length} characters is too long` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
}

/** The JSON value of `text`, or undefined when it is not JSON (or too long). */
export function jsonOrUndefined(text: unknown, maxChars = DEFAULT_MAX_JSON_CHARS): unknown {
  const parsed = parseJson(text, maxChars);
  return parsed.ok ? parsed.value : undefined;
}
