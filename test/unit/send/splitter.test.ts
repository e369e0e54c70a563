import { describe, expect, it } from 'vitest';
import { OUTGOING_RULES } from '../../../src/send/limits';
import { LINE_SEPARATOR, planMessages, selectionHeader } from '../../../src/send/splitter';

const len = (s: string) => [...s].length;

describe('selectionHeader', () => {
  it('names the file and the line or range', () => {
    expect(selectionHeader('src/app.ts', 12, 20)).toBe('src/app.ts:12-20');
    expect(selectionHeader('src/app.ts', 7, 7)).toBe('src/app.ts:7');
  });
});

describe('planMessages', () => {
  it('sends short code as one message with the header on its own line', () => {
    expect(
      planMessages('const a = 1;\nconst b = 2;', { platform: 'mixer', header: 'src/a.ts:1-2' }),
    ).toEqual(['src/a.ts:1-2\nconst a = 1;\nconst b = 2;']);
    // Glimesh's web chat collapses line breaks: they are shown as ⏎.
    expect(
      planMessages('const a = 1;\nconst b = 2;', { platform: 'glimesh', header: 'src/a.ts:1-2' }),
    ).toEqual([`src/a.ts:1-2${LINE_SEPARATOR}const a = 1;${LINE_SEPARATOR}const b = 2;`]);
  });

  it('never puts a newline in a Twitch (TAU) message: lines are joined with a visible separator', () => {
    const [message] = planMessages('if (x) {\n  go();\n}', { platform: 'tau' });
    expect(message).toBe(`if (x) {${LINE_SEPARATOR}  go();${LINE_SEPARATOR}}`);
    expect(message).not.toMatch(/[\r\n]/);
  });

  it.each(['glimesh', 'mixer', 'tau'] as const)(
    'splits long code at line boundaries, numbered, within the %s limit',
    (platform) => {
      const lines = Array.from(
        { length: 60 },
        (_, i) => `const value${i} = compute(${i}, "some argument text");`,
      );
      const parts = planMessages(lines.join('\n'), { platform, header: 'src/long.ts:1-60' });
      expect(parts.length).toBeGreaterThan(1);
      parts.forEach((p, i) => {
        expect(len(p)).toBeLessThanOrEqual(OUTGOING_RULES[platform].maxLength);
        expect(p.startsWith(`(${i + 1}/${parts.length}) `)).toBe(true);
      });
      expect(parts[0]).toContain('src/long.ts:1-60');
      // Every line arrives whole and in order.
      const joiner = OUTGOING_RULES[platform].allowsNewlines ? '\n' : LINE_SEPARATOR;
      const rebuilt = parts
        .map((p) => p.replace(/^\(\d+\/\d+\) /, ''))
        .join(joiner)
        .split(joiner);
      expect(rebuilt).toEqual(['src/long.ts:1-60', ...lines]);
    },
  );

  it('cuts a single over-long line without splitting a surrogate pair', () => {
    const line = '😀'.repeat(600);
    const parts = planMessages(line, { platform: 'glimesh' });
    for (const p of parts) {
      expect(len(p)).toBeLessThanOrEqual(255);
      expect(p).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
    expect(parts.map((p) => p.replace(/^\(\d+\/\d+\) /, '')).join('')).toBe(line);
  });

  it('drops empty trailing lines and sends nothing for blank text', () => {
    expect(planMessages('\n\n', { platform: 'glimesh' })).toEqual([]);
    expect(planMessages('x\n\n', { platform: 'glimesh' })).toEqual(['x']);
  });
});
