import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compositeOver,
  contrastRatio,
  parseColor,
  readableColor,
  toHex,
  toHsl,
} from '../../../webview/render/color';

const ratio = (fg: string, bg: string) => contrastRatio(parseColor(fg)!, parseColor(bg)!);

describe('readableColor', () => {
  // VS Code's default dark, dark modern, light, light modern and high-contrast backgrounds.
  const backgrounds = [
    '#1e1e1e',
    '#1f1f1f',
    '#181818',
    '#ffffff',
    '#f8f8f8',
    '#000000',
    '#252526',
    '#f3f3f3',
  ];
  const authors = [
    '#0000ff',
    '#ffff00',
    '#808080',
    '#ff0000',
    '#00ff7f',
    '#1e1e1e',
    '#ffffff',
    '#8a2be2',
    '#9acd32',
    '#daa520',
  ];

  it.each(backgrounds)('reaches 4.5:1 for every colour on %s', (bg) => {
    for (const color of authors)
      expect(ratio(readableColor(color, bg)!, bg)).toBeGreaterThanOrEqual(4.5);
  });

  it('reaches the ratio against every background the view may sit on', () => {
    const sides = ['#1f1f1f', '#181818', '#252526'];
    for (const color of authors) {
      const out = readableColor(color, sides)!;
      for (const bg of sides) expect(ratio(out, bg)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('reaches 7:1 when asked (high-contrast themes)', () => {
    for (const color of authors) {
      expect(ratio(readableColor(color, '#000000', 7)!, '#000000')).toBeGreaterThanOrEqual(7);
      expect(ratio(readableColor(color, '#ffffff', 7)!, '#ffffff')).toBeGreaterThanOrEqual(7);
    }
  });

  it('keeps a colour that is already readable, and keeps the hue of one it adjusts', () => {
    expect(readableColor('#ffff00', '#1e1e1e')).toBe('#ffff00');
    const blue = readableColor('#0000ff', '#1e1e1e')!;
    expect(blue).not.toBe('#0000ff');
    expect(Math.abs(toHsl(parseColor(blue)!)[0] - 240)).toBeLessThan(3);
  });

  it('changes lightness only as much as needed (a darker result on a light theme, just past the ratio)', () => {
    const out = readableColor('#ffcc00', '#ffffff')!;
    expect(ratio(out, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(ratio(out, '#ffffff')).toBeLessThan(4.8);
  });

  it('always reaches 4.5:1 on any single background (property)', () => {
    const rgb = fc
      .tuple(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
      )
      .map((c) => toHex(c));
    fc.assert(
      fc.property(rgb, rgb, (fg, bg) => {
        expect(ratio(readableColor(fg, bg)!, bg)).toBeGreaterThanOrEqual(4.5);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses what is not a colour (CSS injection), and ignores backgrounds it cannot read', () => {
    expect(readableColor('red; background: url(https://evil.test)', '#1e1e1e')).toBeUndefined();
    expect(readableColor('expression(alert(1))', '#ffffff')).toBeUndefined();
    expect(readableColor('#abc', 'var(--nope)')).toBe('#aabbcc');
    expect(parseColor('rgba(10, 20, 30, 0.5)')).toEqual([10, 20, 30]);
    expect(parseColor('#11223344')).toEqual([0x11, 0x22, 0x33]);
  });
});

describe('every background the view can sit on', () => {
  // Default Light Modern: editor #ffffff, panel and side bar #f8f8f8, hover #f2f2f2 — the panel is where 4.32:1 used to come from.
  const lightModern = ['#ffffff', '#f8f8f8', '#f2f2f2', '#e4e6f1'];
  const darkModern = ['#1f1f1f', '#181818', '#2a2d2e', '#37373d'];
  const rgb = fc
    .tuple(
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 255 }),
    )
    .map((c) => toHex(c));

  it.each([
    ['light', lightModern],
    ['dark', darkModern],
  ] as const)('4.5:1 against all of them at once on %s themes (property)', (_name, backgrounds) => {
    fc.assert(
      fc.property(rgb, (fg) => {
        const out = readableColor(fg, backgrounds)!;
        for (const bg of backgrounds) expect(ratio(out, bg)).toBeGreaterThanOrEqual(4.5);
      }),
      { numRuns: 400 },
    );
  });

  it('7:1 on high-contrast backgrounds, dark and light (property)', () => {
    fc.assert(
      fc.property(
        rgb,
        fc.constantFrom(['#000000'], ['#ffffff'], ['#000000', '#0c141f']),
        (fg, backgrounds) => {
          const out = readableColor(fg, backgrounds, 7)!;
          for (const bg of backgrounds) expect(ratio(out, bg)).toBeGreaterThanOrEqual(7);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the stable colours given to names without one fail on a light panel before adjustment, and pass after', () => {
    // #d4a01d-like yellows are what stableColor gives some names.
    expect(ratio('#d9a521', '#f8f8f8')).toBeLessThan(4.5);
    expect(ratio(readableColor('#d9a521', lightModern)!, '#f8f8f8')).toBeGreaterThanOrEqual(4.5);
  });

  it('composites translucent hover and selection colours over the base', () => {
    expect(compositeOver('#00000080', '#ffffff')).toBe('#7f7f7f');
    expect(compositeOver('rgba(255, 255, 255, 0.1)', '#000000')).toBe('#1a1a1a');
    expect(compositeOver('#123456', '#ffffff')).toBe('#123456');
    expect(compositeOver('nope', '#ffffff')).toBeUndefined();
  });
});
