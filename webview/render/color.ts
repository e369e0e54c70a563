/** Colour maths for readable author names on any theme. */

type Rgb = readonly [number, number, number];

/** Parses `#rgb`, `#rrggbb`, `#rrggbbaa` or `rgb()/rgba()`; undefined when it is not a colour we accept. */
export function parseColor(value: string): Rgb | undefined {
  const v = value.trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(v);
  if (m) return [...m[1]!].map((c) => parseInt(c + c, 16)) as unknown as Rgb;
  m = /^#([0-9a-f]{6})(?:[0-9a-f]{2})?$/.exec(v);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1]!.slice(i, i + 2), 16)) as unknown as Rgb;
  m = /^rgba?\(\s*(\d{1,3})[\s,]+(\d{1,3})[\s,]+(\d{1,3})/.exec(v);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])].map((n) => Math.min(255, n)) as unknown as Rgb;
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

function toHex(rgb: Rgb): string {
  return `#${rgb.map((c) => Math.round(Math.max(0, Math.min(255, c))).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Moves a colour toward white (dark themes) or black (light themes) until it reaches `minRatio`
 * against the background, keeping its hue as long as possible. Unparseable input gets undefined
 * (the caller then uses the theme's foreground).
 */
export function readableColor(color: string, background: string, minRatio = 4.5): string | undefined {
  const fg = parseColor(color);
  const bg = parseColor(background);
  if (!fg) return undefined;
  if (!bg) return toHex(fg);
  if (contrastRatio(fg, bg) >= minRatio) return toHex(fg);
  const target: Rgb = luminance(bg) < 0.5 ? [255, 255, 255] : [0, 0, 0];
  for (let step = 1; step <= 20; step++) {
    const t = step / 20;
    const mixed: Rgb = [0, 1, 2].map((i) => fg[i]! + (target[i]! - fg[i]!) * t) as unknown as Rgb;
    if (contrastRatio(mixed, bg) >= minRatio) return toHex(mixed);
  }
  return toHex(target);
}
