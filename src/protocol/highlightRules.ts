import type { HighlightRule } from './messages';

/** Longest regex source accepted (a rule is a convenience, not a program). */
const MAX_REGEX = 500;

/**
 * Checks `streamChat.view.highlights`: keeps each rule's valid parts (strings, a regex that
 * compiles, a `#rgb`/`#rrggbb` colour) and names every part it dropped, by its key.
 */
export function parseHighlightRules(
  raw: unknown,
  key = 'streamChat.view.highlights',
): { rules: HighlightRule[]; problems: string[] } {
  const rules: HighlightRule[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { rules, problems };
  if (!Array.isArray(raw)) return { rules, problems: [`${key} must be a list of rules; ignored.`] };
  raw.slice(0, 100).forEach((item: unknown, i) => {
    const at = `${key}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${at} is not an object; ignored.`);
      return;
    }
    const r = item as Record<string, unknown>;
    const strings = (name: 'words' | 'users') => {
      const v = r[name];
      if (v === undefined) return undefined;
      if (!Array.isArray(v)) {
        problems.push(`${at}.${name} must be a list of strings; ignored.`);
        return undefined;
      }
      const kept = v
        .filter((s): s is string => typeof s === 'string' && s.trim().length > 0)
        .map((s) => s.trim().replace(name === 'users' ? /^@/ : /^$/, ''));
      return kept.length ? kept.slice(0, 200) : undefined;
    };
    const words = strings('words');
    const users = strings('users');
    let regex: string | undefined;
    if (r.regex !== undefined) {
      if (typeof r.regex !== 'string' || r.regex.length === 0 || r.regex.length > MAX_REGEX)
        problems.push(
          `${at}.regex must be a non-empty string of at most ${MAX_REGEX} characters; ignored.`,
        );
      else {
        try {
          new RegExp(r.regex, 'iu');
          regex = r.regex;
        } catch (error) {
          problems.push(
            `${at}.regex is not a valid regular expression (${error instanceof Error ? error.message : String(error)}); ignored.`,
          );
        }
      }
    }
    let color: string | undefined;
    if (r.color !== undefined) {
      if (typeof r.color === 'string' && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(r.color.trim()))
        color = r.color.trim();
      else
        problems.push(`${at}.color must be #rgb or #rrggbb; the theme's highlight colour is used.`);
    }
    if (!words && !users && !regex) {
      problems.push(`${at} has no words, users or regex; ignored.`);
      return;
    }
    rules.push({
      ...(words ? { words } : {}),
      ...(users ? { users } : {}),
      ...(regex ? { regex } : {}),
      ...(color ? { color } : {}),
    });
  });
  return { rules, problems };
}
