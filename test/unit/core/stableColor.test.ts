import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stableColor } from '../../../src/core/message';

/** The colour as first defined: FNV-1a over `name.toLowerCase()` (indexed by the name's length), HSL(hue, 65%, 55%). */
function reference(name: string): string {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.toLowerCase().charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  const h = (hash >>> 0) % 360;
  const k = (n: number) => (n + h / 30) % 12;
  const a = 0.65 * Math.min(0.55, 1 - 0.55);
  const f = (n: number) => 0.55 - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  const hex = (x: number) =>
    Math.round(x * 255)
      .toString(16)
      .padStart(2, '0');
  return `#${hex(f(0))}${hex(f(8))}${hex(f(4))}`;
}

describe('stableColor', () => {
  it('is the same colour as the reference definition for any name (ASCII fast path, Unicode case rules)', () => {
    for (const name of [
      '',
      'Username',
      'rustacean42',
      'MiXeD_Case-99',
      'İstanbul',
      'ẞtraße',
      'ǅ',
      'Σίσυφος',
      '日本語',
    ]) {
      expect(stableColor(name)).toBe(reference(name));
    }
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        (name) => stableColor(name) === reference(name),
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (name) => stableColor(name) === reference(name)),
      { numRuns: 2000 },
    );
  });

  it('ignores ASCII case', () => {
    expect(stableColor('CoderCat')).toBe(stableColor('codercat'));
  });
});
