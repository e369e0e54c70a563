/**
 * URL checks for hostile chat: only absolute http(s) links and https images, parsed (not
 * pattern-matched), so `javascript:`, `data:`, `vbscript:`, mixed case, embedded whitespace and
 * control characters are all refused.
 */
export function safeLinkUrl(raw: string): string | undefined {
  return safeUrl(raw, ['http:', 'https:']);
}

export function safeImageUrl(raw: string): string | undefined {
  return safeUrl(raw, ['https:']);
}

function safeUrl(raw: string, schemes: readonly string[]): string | undefined {
  if (typeof raw !== 'string' || raw.length > 2048) return undefined;
  // Browsers strip leading/trailing control characters and whitespace before parsing a scheme:
  // refuse them instead of guessing.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f]/.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (!schemes.includes(url.protocol) || !url.hostname) return undefined;
  return url.href;
}
