import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_CONTEXT_LINES,
  MaskIndex,
  MaskRange,
  RangeScanner,
  findingsToRanges,
  mergeRanges,
  secretRanges,
  wholeLineRanges,
} from '../../../src/screen/maskIndex';

const text = ['const a = 1;', 'const key = "AKIAIOSFODNN7EXAMPLE";', '', '  indented  '].join('\n');

describe('findingsToRanges', () => {
  it('maps a value by its offsets to a span of its line', () => {
    const start = text.indexOf('AKIA');
    expect(findingsToRanges(text, [{ kind: 'k', line: 2, start, end: start + 20 }])).toEqual([
      { line: 1, start: 13, end: 33 },
    ]);
  });

  it('shifts lines by the first line of the scanned block', () => {
    const start = text.indexOf('AKIA');
    expect(findingsToRanges(text, [{ kind: 'k', line: 2, start, end: start + 20 }], 40)).toEqual([
      { line: 41, start: 13, end: 33 },
    ]);
  });

  it('splits a value over several lines into one span per line, leaving out the line breaks', () => {
    const block = 'x = `ab\r\ncdef\r\ngh` ;';
    const start = block.indexOf('ab');
    const end = block.indexOf('gh') + 2;
    expect(findingsToRanges(block, [{ kind: 'k', line: 1, start, end }])).toEqual([
      { line: 0, start: 5, end: 7 },
      { line: 1, start: 0, end: 4 },
      { line: 2, start: 0, end: 2 },
    ]);
  });

  it('masks the whole trimmed line when a finding has no (or impossible) offsets', () => {
    expect(findingsToRanges(text, [{ kind: 'k', line: 4 }])).toEqual([
      { line: 3, start: 2, end: 10 },
    ]);
    expect(findingsToRanges(text, [{ kind: 'k', line: 2, start: 5, end: 9999 }])).toEqual([
      { line: 1, start: 0, end: 35 },
    ]);
    expect(
      findingsToRanges(text, [
        { kind: 'k', line: 3 },
        { kind: 'k', line: 99 },
      ]),
    ).toEqual([]);
  });

  it('merges overlapping and touching spans', () => {
    expect(
      mergeRanges([
        { line: 0, start: 5, end: 9 },
        { line: 0, start: 0, end: 5 },
        { line: 1, start: 0, end: 2 },
        { line: 0, start: 7, end: 12 },
      ]),
    ).toEqual([
      { line: 0, start: 0, end: 12 },
      { line: 1, start: 0, end: 2 },
    ]);
  });
});

describe('the real scanner as a range scanner', () => {
  it('covers exactly the value it finds, and nothing on clean lines', () => {
    expect(secretRanges(text, 0)).toEqual([{ line: 1, start: 13, end: 33 }]);
    expect(secretRanges('SESSION_SECRET=Hb3Ny8Kw5Tq1Rd6Jf0Pz\nPORT=3000', 7)).toEqual([
      { line: 7, start: 15, end: 35 },
    ]);
  });

  const body = [
    'MIIEowIBAAKCAQEAq8Zr3Lk9Xw2Vb7Nm4Pt6Yh1Jd5Fg0Sa8Qe2Rcq8Zr3Lk9Xw2Vb7N',
    'm4Pt6Yh1Jd5Fg0Sa8Qe2RcMIIEowIBAAKCAQEAq8Zr3Lk9Xw2',
  ];
  const pem = [
    'const k = `',
    '-----BEGIN RSA PRIVATE KEY-----',
    ...body,
    '-----END RSA PRIVATE KEY-----',
    '`;',
  ];

  it('masks each line of a private key body', () => {
    expect(secretRanges(pem.join('\n'), 0)).toEqual(
      body.map((l, i) => ({ line: 2 + i, start: 0, end: l.length })),
    );
  });

  it('keeps a whole key body masked when one of its lines is edited (the index rescans the block)', () => {
    const lines = ['// config', '', ...pem, '', 'export {};'];
    const index = indexOf(lines, secretRanges);
    lines[5] = lines[5]!.slice(0, 10);
    index.edit(5, 5, 1);
    index.refresh((l) => lines[l]!, secretRanges);
    expect(index.ranges()).toEqual(secretRanges(lines.join('\n'), 0));
    expect(index.ranges().map((r) => r.line)).toEqual([4, 5]);
  });

  it('finds nothing in ordinary code', () => {
    expect(secretRanges('function add(a: number, b: number) {\n  return a + b;\n}', 0)).toEqual([]);
  });
});

describe('wholeLineRanges', () => {
  it('masks every non-blank line without its surrounding whitespace', () => {
    expect(wholeLineRanges('A=1\n\n  B=2 \r\n', 3)).toEqual([
      { line: 3, start: 0, end: 3 },
      { line: 5, start: 2, end: 5 },
    ]);
  });
});

/** A scanner that depends on its paragraph: `SECRET` words, and every line between BEGIN and END. */
const paragraphScanner: RangeScanner = (block, firstLine) => {
  const out: MaskRange[] = [];
  let inBlock = false;
  block.split('\n').forEach((line, i) => {
    if (line.trim() === '') inBlock = false;
    if (line.startsWith('BEGIN')) inBlock = true;
    if (inBlock && line.length > 0) out.push({ line: firstLine + i, start: 0, end: line.length });
    else
      for (let at = line.indexOf('SECRET'); at !== -1; at = line.indexOf('SECRET', at + 1))
        out.push({ line: firstLine + i, start: at, end: at + 6 });
    if (line.startsWith('END')) inBlock = false;
  });
  return mergeRanges(out);
};

function indexOf(lines: string[], scan: RangeScanner): MaskIndex {
  const index = new MaskIndex(lines.length);
  index.refresh((l) => lines[l]!, scan);
  return index;
}

describe('MaskIndex', () => {
  it('starts with everything dirty and, once refreshed, holds what a full scan finds', () => {
    const lines = ['a', 'x SECRET y', '', 'BEGIN', 'body', 'END', 'SECRET'];
    const index = new MaskIndex(lines.length);
    expect(index.isDirty).toBe(true);
    expect(index.refresh((l) => lines[l]!, paragraphScanner)).toBe(lines.length);
    expect(index.isDirty).toBe(false);
    expect(index.ranges()).toEqual(paragraphScanner(lines.join('\n'), 0));
  });

  it('rescans only the edited paragraph, and moves the masks below an inserted line', () => {
    const lines = ['p1', 'SECRET', '', 'p2 a', 'p2 b', 'p2 c', '', 'SECRET here'];
    const index = indexOf(lines, paragraphScanner);
    // Insert a line inside paragraph 2 (as typing Enter at the end of "p2 a" does).
    lines.splice(4, 0, 'new SECRET');
    index.edit(3, 3, 2);
    lines[3] = 'p2 a';
    expect(index.refresh((l) => lines[l]!, paragraphScanner)).toBe(4);
    expect(index.ranges()).toEqual([
      { line: 1, start: 0, end: 6 },
      { line: 4, start: 4, end: 10 },
      { line: 8, start: 0, end: 6 },
    ]);
  });

  it('drops the masks of deleted lines', () => {
    const lines = ['SECRET', 'SECRET', 'ok'];
    const index = indexOf(lines, paragraphScanner);
    lines.splice(0, 2, '');
    index.edit(0, 1, 1);
    index.refresh((l) => lines[l]!, paragraphScanner);
    expect(index.ranges()).toEqual([]);
    expect(index.lineCount).toBe(2);
  });

  it('scans a key block whole when its middle is edited', () => {
    const lines = [
      'BEGIN',
      ...Array.from({ length: 20 }, (_, i) => `body${i}`),
      'END',
      '',
      'after',
    ];
    const index = indexOf(lines, paragraphScanner);
    lines[10] = 'changed';
    index.edit(10, 10, 1);
    expect(index.refresh((l) => lines[l]!, paragraphScanner)).toBe(22);
    expect(index.ranges().map((r) => r.line)).toEqual(Array.from({ length: 22 }, (_, i) => i));
  });

  it('widens at most MAX_CONTEXT_LINES each way in a file without blank lines', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i}`);
    const index = indexOf(lines, paragraphScanner);
    lines[2500] = 'line SECRET';
    index.edit(2500, 2500, 1);
    expect(index.refresh((l) => lines[l]!, paragraphScanner)).toBe(2 * MAX_CONTEXT_LINES + 1);
    expect(index.ranges()).toEqual([{ line: 2500, start: 5, end: 11 }]);
    expect(index.refresh((l) => lines[l]!, paragraphScanner)).toBe(0);
  });

  it('after any sequence of edits, holds what a full scan of the new text finds (property)', () => {
    const lineArb = fc.constantFrom(
      '',
      'code',
      'x SECRET',
      'BEGIN',
      'END',
      'body',
      'SECRET SECRET',
    );
    const editArb = fc.record({
      at: fc.nat(),
      removed: fc.nat({ max: 3 }),
      inserted: fc.array(lineArb, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 30 }),
        fc.array(editArb, { maxLength: 8 }),
        fc.boolean(),
        (initial, edits, refreshEach) => {
          const lines: string[] = [...initial];
          const index = indexOf(lines, paragraphScanner);
          for (const e of edits) {
            // Replace lines [from, from+removed) — at least one line, as a VS Code edit range always covers one.
            const from = e.at % lines.length;
            const removed = Math.min(Math.max(1, e.removed), lines.length - from);
            const inserted = e.inserted.length > 0 ? e.inserted : [''];
            lines.splice(from, removed, ...inserted);
            index.edit(from, from + removed - 1, inserted.length);
            if (refreshEach) index.refresh((l) => lines[l]!, paragraphScanner);
          }
          index.refresh((l) => lines[l]!, paragraphScanner);
          expect(index.lineCount).toBe(lines.length);
          expect(index.ranges()).toEqual(paragraphScanner(lines.join('\n'), 0));
        },
      ),
      { numRuns: 300, seed: 12 },
    );
  });
});
