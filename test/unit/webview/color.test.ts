import { describe, expect, it } from 'vitest';
import { contrastRatio, parseColor, readableColor } from '../../../webview/render/color';

describe('readableColor', () => {
  const backgrounds = ['#1e1e1e', '#ffffff', '#000000', '#f3f3f3', '#252526'];
  const authors = ['#0000ff', '#ffff00', '#808080', '#ff0000', '#00ff7f', '#1e1e1e', '#ffffff', '#8a2be2'];

  it.each(backgrounds)('reaches 4.5:1 for every colour on %s', (bg) => {
    for (const color of authors) {
      const out = readableColor(color, bg)!;
      expect(contrastRatio(parseColor(out)!, parseColor(bg)!)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('keeps a colour that is already readable', () => {
    expect(readableColor('#ffff00', '#1e1e1e')).toBe('#ffff00');
  });

  it('refuses what is not a colour (CSS injection)', () => {
    expect(readableColor('red; background: url(https://evil.test)', '#1e1e1e')).toBeUndefined();
    expect(readableColor('expression(alert(1))', '#ffffff')).toBeUndefined();
  });
});
