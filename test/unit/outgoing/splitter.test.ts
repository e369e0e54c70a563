import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLATFORM_IDS, PlatformId } from '../../../src/core/message';
import { OUTGOING_RULES, lengthOf, messageProblem } from '../../../src/outgoing/limits';
import { CONFIRM_ABOVE_PARTS, LINE_SEPARATOR, hardSplit, planMessages, prepareLines, selectionHeader } from '../../../src/outgoing/splitter';

const NUMBER = /^\((\d+)\/(\d+)\) /;
const unnumbered = (parts: string[]) => parts.map((p) => p.replace(NUMBER, ''));
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('per-platform rules', () => {
  it('has the documented limits and line-break rules', () => {
    expect(OUTGOING_RULES.glimesh).toMatchObject({ maxLength: 255, lineBreaks: 'collapsed' });
    expect(OUTGOING_RULES.mixer).toMatchObject({ maxLength: 360, lineBreaks: 'kept' });
    expect(OUTGOING_RULES.tau).toMatchObject({ maxLength: 500, lineBreaks: 'forbidden' });
  });

  it('paces under each platform’s limit', () => {
    // Twitch: 20 per 30 s for a normal account; we stay below it.
    const tau = OUTGOING_RULES.tau.pace;
    expect((tau.messages / tau.windowMs) * 30_000).toBeLessThan(20);
    expect(OUTGOING_RULES.glimesh.pace).toEqual({ messages: 1, windowMs: 1000 });
    expect(OUTGOING_RULES.mixer.pace).toEqual({ messages: 1, windowMs: 1500 });
  });

  it('counts code points, not UTF-16 units', () => {
    expect(lengthOf('😀😀')).toBe(2);
    expect(lengthOf('abc')).toBe(3);
  });

  it('names the platform and the limit when a message is too long', () => {
    expect(messageProblem('glimesh', 'x'.repeat(255))).toBeUndefined();
    expect(messageProblem('glimesh', 'x'.repeat(256))).toBe('Glimesh accepts at most 255 characters (this message has 256).');
    expect(messageProblem('mixer', 'x'.repeat(361))).toMatch(/Mixer accepts at most 360/);
    expect(messageProblem('tau', '😀'.repeat(500))).toBeUndefined();
    expect(messageProblem('tau', 'x'.repeat(20), 10)).toMatch(/at most 10 characters/);
  });
});

describe('selectionHeader', () => {
  it('names the file and the line or range', () => {
    expect(selectionHeader('src/app.ts', 12, 20)).toBe('src/app.ts:12-20');
    expect(selectionHeader('src/app.ts', 7, 7)).toBe('src/app.ts:7');
  });

  it('uses forward slashes and puts a reversed range right', () => {
    expect(selectionHeader('src\\ui\\app.ts', 20, 12)).toBe('src/ui/app.ts:12-20');
  });
});

describe('prepareLines', () => {
  it('removes the common indentation where line breaks show, keeping the relative one', () => {
    expect(prepareLines('    if (x) {\n      go();\n    }', 'kept')).toEqual(['if (x) {', '  go();', '}']);
    expect(prepareLines('\tif (x) {\n\t\tgo();\n\t}', 'kept')).toEqual(['if (x) {', '\tgo();', '}']);
  });

  it('keeps one blank line inside code and drops them at the ends', () => {
    expect(prepareLines('\n\na();\n\n\n\nb();\n\n', 'kept')).toEqual(['a();', '', 'b();']);
  });

  it('drops indentation and blank lines where chat collapses them', () => {
    expect(prepareLines('  a();\n\n    b();  ', 'forbidden')).toEqual(['a();', 'b();']);
  });

  it('splits on every kind of line break and removes control characters', () => {
    expect(prepareLines('a\rb\r\nc\u2028d\u2029e\u000bf\u0085g', 'forbidden')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(prepareLines('a\u0000b\u001bc\u007fd\te', 'kept')).toEqual(['abcd\te']);
  });
});

describe('planMessages', () => {
  it('sends short code as one message, header first, without numbering', () => {
    expect(planMessages('const a = 1;\nconst b = 2;', { platform: 'mixer', header: 'src/a.ts:1-2' })).toEqual(['src/a.ts:1-2\nconst a = 1;\nconst b = 2;']);
  });

  it('joins lines with a visible ⏎ on Twitch (TAU) and Glimesh, never a line break', () => {
    for (const platform of ['tau', 'glimesh'] as const) {
      const [message, ...more] = planMessages('if (x) {\n  go();\n}', { platform, header: 'a.ts:1-3' });
      expect(more).toEqual([]);
      expect(message).toBe(['a.ts:1-3', 'if (x) {', 'go();', '}'].join(LINE_SEPARATOR));
      expect(message).not.toMatch(/[\r\n\u2028\u2029]/);
    }
  });

  it('keeps a newline in a file name out of a Twitch message (the header is one line too)', () => {
    const [message] = planMessages('x();', { platform: 'tau', header: 'evil\r\nPRIVMSG #x :hi.ts:1' });
    expect(message).not.toMatch(/[\r\n]/);
  });

  it.each(PLATFORM_IDS)('splits long code at line boundaries into numbered parts within the %s limit', (platform) => {
    const lines = Array.from({ length: 60 }, (_, i) => `const value${i} = compute(${i}, "some argument text");`);
    const parts = planMessages(lines.join('\n'), { platform, header: 'src/long.ts:1-60' });
    expect(parts.length).toBeGreaterThan(CONFIRM_ABOVE_PARTS);
    parts.forEach((p, i) => {
      expect(lengthOf(p)).toBeLessThanOrEqual(OUTGOING_RULES[platform].maxLength);
      expect(p.startsWith(`(${i + 1}/${parts.length}) `)).toBe(true);
    });
    expect(parts[0]).toMatch(/^\(1\/\d+\) src\/long\.ts:1-60/);
    // Every line arrives whole, once, in order.
    const joiner = OUTGOING_RULES[platform].lineBreaks === 'kept' ? '\n' : LINE_SEPARATOR;
    expect(unnumbered(parts).join(joiner).split(joiner)).toEqual(['src/long.ts:1-60', ...lines]);
  });

  it('fills each message: a part plus the next line would not have fitted', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i} ${'x'.repeat(i % 7 * 9)}`);
    const parts = planMessages(lines.join('\n'), { platform: 'mixer' });
    const bodies = unnumbered(parts);
    for (let i = 0; i < parts.length - 1; i++) {
      const nextLine = bodies[i + 1]!.split('\n')[0]!;
      expect(lengthOf(`${parts[i]}\n${nextLine}`)).toBeGreaterThan(360);
    }
  });

  it('reserves room for the widest number when the count reaches two digits', () => {
    // 100 lines of 28 characters on a 60-character limit: about 50 parts, "(10/50) " is 8 wide.
    const lines = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(3, '0')} ${'y'.repeat(19)}`);
    const parts = planMessages(lines.join('\n'), { platform: 'mixer', maxLength: 60 });
    expect(parts.length).toBeGreaterThanOrEqual(10);
    for (const p of parts) expect(lengthOf(p)).toBeLessThanOrEqual(60);
    expect(parts[parts.length - 1]).toMatch(new RegExp(`^\\(${parts.length}/${parts.length}\\) `));
  });

  it('cuts one over-long line at a space when one is near, else at the limit', () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
    const parts = planMessages(words, { platform: 'glimesh' });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of unnumbered(parts)) expect(p.endsWith(' ') || p.endsWith('word79')).toBe(true);
    expect(unnumbered(parts).join('')).toBe(words);

    const blob = 'z'.repeat(700);
    const blobParts = planMessages(blob, { platform: 'tau' });
    expect(blobParts.map(lengthOf).every((n) => n <= 500)).toBe(true);
    expect(unnumbered(blobParts).join('')).toBe(blob);
  });

  it('never cuts inside a surrogate pair or an emoji sequence', () => {
    const line = '😀'.repeat(300) + '👩‍💻'.repeat(100);
    const parts = planMessages(line, { platform: 'glimesh' });
    for (const p of parts) {
      expect(lengthOf(p)).toBeLessThanOrEqual(255);
      expect(p).not.toMatch(LONE_SURROGATE);
      expect(p.replace(NUMBER, '')).not.toMatch(/^\u200D|\u200D$/);
    }
    expect(unnumbered(parts).join('')).toBe(line);
  });

  it('cuts a single grapheme longer than a message by code points rather than failing', () => {
    const zalgo = 'e' + '\u0301'.repeat(600);
    expect(hardSplit(zalgo, 255).every((p) => lengthOf(p) <= 255)).toBe(true);
    expect(hardSplit(zalgo, 255).join('')).toBe(zalgo);
  });

  it('sends nothing for blank text, whatever the header', () => {
    expect(planMessages('\n \n\t\n', { platform: 'glimesh', header: 'a.ts:1-3' })).toEqual([]);
    expect(planMessages('', { platform: 'tau' })).toEqual([]);
    expect(planMessages('x\n\n', { platform: 'mixer' })).toEqual(['x']);
  });

  it('counts the parts for the >5 confirmation', () => {
    const line = 'a'.repeat(240);
    expect(planMessages(Array(5).fill(line).join('\n'), { platform: 'glimesh' })).toHaveLength(5);
    expect(planMessages(Array(6).fill(line).join('\n'), { platform: 'glimesh' })).toHaveLength(6);
    expect(CONFIRM_ABOVE_PARTS).toBe(5);
  });

  it('holds for any text (property): within the limit, no line break where forbidden, no broken characters, nothing lost', () => {
    const text = fc.array(fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 80 }), fc.constant('x'.repeat(600))), { maxLength: 25 }).map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(text, fc.constantFrom<PlatformId>(...PLATFORM_IDS), fc.option(fc.string({ maxLength: 40 }), { nil: undefined }), (input, platform, header) => {
        const rules = OUTGOING_RULES[platform];
        const parts = planMessages(input, { platform, header });
        for (const [i, p] of parts.entries()) {
          expect(lengthOf(p)).toBeLessThanOrEqual(rules.maxLength);
          expect(p).not.toMatch(LONE_SURROGATE);
          expect(p.trim().length).toBeGreaterThan(0);
          // eslint-disable-next-line no-control-regex
          if (rules.lineBreaks !== 'kept') expect(p).not.toMatch(/[\r\n\u2028\u2029\u000b\u000c\u0085]/);
          if (parts.length > 1) expect(p.startsWith(`(${i + 1}/${parts.length}) `)).toBe(true);
        }
        // Every non-space character of the prepared lines arrives, in order.
        const body = prepareLines(input, rules.lineBreaks);
        if (body.length === 0) {
          expect(parts).toEqual([]);
          return;
        }
        const squash = (s: string) => s.replace(/\s+/g, '');
        const expected = squash([...(header ? prepareLines(header, 'forbidden') : []), ...body].join(''));
        const bodies = parts.length > 1 ? unnumbered(parts) : parts;
        const got = squash(bodies.join('').split(LINE_SEPARATOR.trim()).join(''));
        if (!input.includes(LINE_SEPARATOR.trim()) && !(header ?? '').includes(LINE_SEPARATOR.trim())) expect(got).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
