// Screen guard cost in the extension host: what one keystroke costs in a 5,000-line file (mark
// the edited line, rescan its paragraph, collect every mask for setDecorations), beside the first
// whole-file scan and a naive full rescan per keystroke. Pure code, no VS Code: the decoration IPC
// itself is VS Code's and happens at most once per 50 ms (the guard's rescan delay).
import { MaskIndex, secretRanges } from '../src/screen/maskIndex';

export interface ScreenGuardResult {
  readonly lines: number;
  readonly firstScanMs: number;
  /** Per keystroke, typing in the middle of an ordinary file (paragraphs split by blank lines). */
  /** `linesScanned`: the most lines one keystroke rescanned. */
  readonly keystroke: {
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
    readonly linesScanned: number;
  };
  /** Same, in a file without blank lines (the rescan widens to its 100-line cap each way). */
  readonly keystrokeNoBlankLines: {
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
    readonly linesScanned: number;
  };
  readonly naiveFullRescanMs: number;
  readonly masks: number;
}

/** A 5,000-line TypeScript-like file: functions separated by blank lines, a few secrets among them. */
export function syntheticFile(lines: number, blankLines: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `export function step${i}(input: readonly number[], token: vscode.CancellationToken): number {`,
    );
    out.push(`  const total = input.reduce((sum, n) => sum + n * ${i}, 0);`);
    if (i % 50 === 7) out.push(`  const apiKey = "k${i}Zr3Lk9Xw2Vb7Nm4Pt6Yh1Jd5Fg0Sa8";`);
    if (i % 97 === 3)
      out.push(`  const aws = 'AKIAIOSFODNN7EXAMP${String(i % 100).padStart(2, '0')}';`);
    out.push(`  if (token.isCancellationRequested) return -1;`);
    out.push(
      `  return total > ${i * 3} ? total : step${Math.max(0, i - 1)}(input.slice(1), token);`,
    );
    out.push('}');
    if (blankLines) out.push('');
  }
  return out.slice(0, lines);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

function typeInto(
  lines: string[],
  keystrokes: number,
): { p50: number; p99: number; max: number; linesScanned: number } {
  const index = new MaskIndex(lines.length);
  index.refresh((l) => lines[l]!, secretRanges);
  let at = Math.floor(lines.length / 2);
  // Typed a character at a time, Enter at the end of each line, as a streamer writes code.
  const typed = '  const password = "Qv7Zr2Lm9Xk4Hb3N"; // typed live\n';
  const times: number[] = [];
  let scanned = 0;
  for (let k = 0; k < keystrokes; k++) {
    const ch = typed[k % typed.length]!;
    const started = performance.now();
    if (ch === '\n') {
      lines.splice(at + 1, 0, '');
      index.edit(at, at, 2);
      at++;
    } else {
      lines[at] = lines[at]! + ch;
      index.edit(at, at, 1);
    }
    scanned = Math.max(
      scanned,
      index.refresh((l) => lines[l]!, secretRanges),
    );
    // What the guard hands to setDecorations: one range object per mask.
    const ranges = index.ranges().map((r) => ({
      start: { line: r.line, character: r.start },
      end: { line: r.line, character: r.end },
    }));
    times.push(performance.now() - started);
    if (ranges.length < 0) throw new Error('unreachable');
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    max: times.at(-1)!,
    linesScanned: scanned,
  };
}

export function runScreenGuardBench(
  options: { lines?: number; keystrokes?: number } = {},
): ScreenGuardResult {
  const lineCount = options.lines ?? 5000;
  const keystrokes = options.keystrokes ?? 2000;
  // Warm the regexes up so the first figure is not the JIT's.
  typeInto(syntheticFile(500, true), 200);

  const file = syntheticFile(lineCount, true);
  const firstStarted = performance.now();
  const index = new MaskIndex(file.length);
  index.refresh((l) => file[l]!, secretRanges);
  const firstScanMs = performance.now() - firstStarted;
  const masks = index.ranges().length;

  const naive: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    secretRanges(file.join('\n'), 0);
    naive.push(performance.now() - started);
  }
  naive.sort((a, b) => a - b);

  return {
    lines: lineCount,
    firstScanMs,
    keystroke: typeInto(syntheticFile(lineCount, true), keystrokes),
    keystrokeNoBlankLines: typeInto(syntheticFile(lineCount, false), keystrokes),
    naiveFullRescanMs: percentile(naive, 0.5),
    masks,
  };
}
