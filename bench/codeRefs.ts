// Code references (issue 15): the cost of a chat line with 20 references, on both sides. Host:
// find the candidates and resolve them against a 10,000-file index. View: the real renderer
// (webview/render/line.ts, bundled) in Chromium, each line put on the page and laid out, with and without
// its annotation; the frame budget is 16 ms.
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { FileIndex, resolveReferences } from '../src/code/fileIndex';
import { findCodeReferences } from '../src/code/references';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rig = require('../scripts/rig/paths.cjs') as {
  root: string;
  chromium: string;
  chromiumArgs: string[];
};

export interface CodeRefBenchResult {
  readonly references: number;
  /** Per line, µs (median of rounds). */
  readonly hostUs: number;
  /** Per line in Chromium, µs: render + append + layout, with the annotation and without. */
  readonly renderUs?: number;
  readonly plainRenderUs?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const PAGE_SCRIPT = `
import { renderLine } from './webview/render/line';
import { MentionMatcher } from './webview/mentions';
(globalThis as any).benchLines = (text: string, refs: any[] | undefined, count: number): number => {
  const container = document.getElementById('timeline')!;
  const ctx = { document, mentions: new MentionMatcher([]), readableColor: () => undefined, codeRefs: refs ? () => refs : undefined, openCodeRef: () => {} };
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    container.replaceChildren(renderLine({ id: 'm' + i, platform: 'tau', channel: 'c', kind: 'chat', author: { name: 'viewer', displayName: 'Viewer', roles: [] }, parts: [{ type: 'text', text }], receivedAt: 0, flags: {} } as any, ctx as any));
    void container.offsetHeight;
  }
  const perLine = (performance.now() - started) / count;
  return perLine;
};
`;

export async function runCodeRefBench(options: {
  rounds: number;
  linesPerRound: number;
  log: (s: string) => void;
}): Promise<CodeRefBenchResult> {
  const index = new FileIndex();
  for (let i = 0; i < 10_000; i++)
    index.add({
      uri: `file:///ws/pkg${i % 100}/src/file${i}.ts`,
      path: `pkg${i % 100}/src/file${i}.ts`,
    });
  const text = Array.from(
    { length: 20 },
    (_, i) => `pkg${i}/src/file${i * 100 + i}.ts:${i + 1}`,
  ).join(' ');
  const resolved = resolveReferences(findCodeReferences(text), index, new Set());
  const refs = resolved.map((r, i) => ({
    start: r.candidate.start,
    end: r.candidate.end,
    id: `r${i}`,
    label: `${r.file.path}:${r.line}`,
    preview: '1  a\n2  b\n3  c',
  }));

  const host: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const t = performance.now();
    for (let i = 0; i < options.linesPerRound; i++)
      resolveReferences(findCodeReferences(text), index, new Set());
    host.push(((performance.now() - t) * 1000) / options.linesPerRound);
  }

  let renderUs: number | undefined;
  let plainRenderUs: number | undefined;
  try {
    const bundle = await esbuild.build({
      stdin: { contents: PAGE_SCRIPT, loader: 'ts', resolveDir: rig.root },
      bundle: true,
      format: 'iife',
      write: false,
      logLevel: 'error',
    });
    const browser = await chromium.launch({
      executablePath: rig.chromium,
      headless: true,
      args: rig.chromiumArgs,
    });
    try {
      const page = await browser.newPage();
      await page.setContent(
        '<!doctype html><div id="timeline" style="height:600px;overflow:auto;font:13px sans-serif"></div>',
      );
      await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
      const measure = async (withRefs: boolean) => {
        const rounds: number[] = [];
        for (let round = 0; round < options.rounds; round++) {
          rounds.push(
            await page.evaluate(
              ([t, r, n]) =>
                (
                  globalThis as unknown as { benchLines(t: string, r: unknown, n: number): number }
                ).benchLines(t, r, n),
              [text, withRefs ? refs : undefined, options.linesPerRound] as const,
            ),
          );
        }
        return median(rounds) * 1000;
      };
      plainRenderUs = await measure(false);
      renderUs = await measure(true);
    } finally {
      await browser.close();
    }
  } catch (error) {
    options.log(
      `  view render not measured: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const result = { references: refs.length, hostUs: median(host), renderUs, plainRenderUs };
  options.log(
    `  ${result.references} references per line: host find + resolve ${result.hostUs.toFixed(0)} µs; view render + layout ${renderUs?.toFixed(0) ?? 'n/a'} µs per line (${plainRenderUs?.toFixed(0) ?? 'n/a'} µs without the links)`,
  );
  return result;
}
