/** Colour maths for readable author names on any theme. */

export type Rgb = readonly [number, number, number];

/** Parses `#rgb`, `#rrggbb`, `#rrggbbaa` or `rgb()/rgba()`; undefined when it is not a colour we accept. */
export function parseColor(value: string): Rgb | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const v = value.trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(v);
  if (m) return [...m[1]!].map((c) => parseInt(c + c, 16)) as unknown as Rgb;
  m = /^#([0-9a-f]{6})(?:[0-9a-f]{2})?$/.exec(v);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1]!.slice(i, i + 2), 16)) as unknown as Rgb;
  m = /^rgba?\(\s*(\d{1,3})[\s,]+(\d{1,3})[\s,]+(\d{1,3})/.exec(v);
  if (m)
    return [Number(m[1]), Number(m[2]), Number(m[3])].map((n) =>
      Math.min(255, n),
    ) as unknown as Rgb;
  return undefined;
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio between two colours (1–21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

export function toHex(rgb: Rgb): string {
  return `#${rgb
    .map((c) =>
      Math.round(Math.max(0, Math.min(255, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

type Hsl = readonly [number, number, number];

/** RGB (0–255) to hue (degrees), saturation and lightness (0–1). */
export function toHsl([r, g, b]: Rgb): Hsl {
  const [rn, gn, bn] = [r / 255, g / 255, b / 255];
  const max = Math.max(rn, gn, bn);
  const min = Math.min(rn, gn, bn);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h =
    max === rn
      ? (gn - bn) / d + (gn < bn ? 6 : 0)
      : max === gn
        ? (bn - rn) / d + 2
        : (rn - gn) / d + 4;
  return [h * 60, s, l];
}

function fromHsl([h, s, l]: Hsl): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0) * 255, f(8) * 255, f(4) * 255].map((c) => Math.round(c)) as unknown as Rgb;
}

const worstContrast = (fg: Rgb, backgrounds: readonly Rgb[]) =>
  Math.min(...backgrounds.map((bg) => contrastRatio(fg, bg)));

/**
 * The colour with the same hue and saturation whose lightness is the closest to the original
 * that still reaches `minRatio` against every background (a view can sit on the panel, the side
 * bar or an editor, whose backgrounds differ slightly). Unparseable input gets undefined (the
 * caller then uses the theme's foreground, so a hostile "colour" never reaches a style).
 */
export function readableColor(
  color: string,
  background: string | readonly string[],
  minRatio = 4.5,
): string | undefined {
  const fg = parseColor(color);
  if (!fg) return undefined;
  const backgrounds = (typeof background === 'string' ? [background] : background)
    .map(parseColor)
    .filter((c): c is Rgb => c !== undefined);
  if (backgrounds.length === 0 || worstContrast(fg, backgrounds) >= minRatio) return toHex(fg);
  const [h, s, l] = toHsl(fg);
  const darkBackground = luminance(backgrounds[0]!) < 0.18;
  // Lighten on dark themes, darken on light ones; a mid-grey background may need the other way.
  let best: Rgb | undefined;
  let bestRatio = 0;
  for (const target of darkBackground ? [1, 0] : [0, 1]) {
    const end = fromHsl([h, s, target]);
    const endRatio = worstContrast(end, backgrounds);
    if (endRatio > bestRatio) [best, bestRatio] = [end, endRatio];
    if (endRatio < minRatio) continue;
    // Binary search for the smallest change of lightness that is readable.
    let [near, far] = [l, target];
    for (let i = 0; i < 16; i++) {
      const mid = (near + far) / 2;
      if (worstContrast(fromHsl([h, s, mid]), backgrounds) >= minRatio) far = mid;
      else near = mid;
    }
    return toHex(fromHsl([h, s, far]));
  }
  return toHex(best ?? fg);
}

/** The alpha of `#rrggbbaa` / `rgba(…, a)` (1 when opaque or unknown). */
export function alphaOf(value: string): number {
  const v = value.trim().toLowerCase();
  let m = /^#[0-9a-f]{6}([0-9a-f]{2})$/.exec(v);
  if (m) return parseInt(m[1]!, 16) / 255;
  m = /^rgba\([^)]*[\s,/]\s*([0-9.]+%?)\s*\)$/.exec(v);
  if (m) {
    const a = m[1]!.endsWith('%') ? parseFloat(m[1]!) / 100 : parseFloat(m[1]!);
    return Number.isFinite(a) ? Math.max(0, Math.min(1, a)) : 1;
  }
  return 1;
}

/**
 * What a possibly translucent colour looks like over an opaque one (hover and selection
 * backgrounds are often translucent), as `#rrggbb`; undefined when either is not a colour.
 */
export function compositeOver(top: string, base: string): string | undefined {
  const fg = parseColor(top);
  const bg = parseColor(base);
  if (!fg || !bg) return undefined;
  const a = alphaOf(top);
  return toHex([0, 1, 2].map((i) => fg[i]! * a + bg[i]! * (1 - a)) as unknown as Rgb);
}
