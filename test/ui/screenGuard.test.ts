import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  GLIMESH_SIM_TOKEN,
  GlimeshSimulator,
  startGlimeshSimulator,
} from '../simulators/glimesh/server';
import { ROOT, Workbench } from './workbench';

/** Values in the fixtures (made up); none of them may be on screen while live. */
const ENV_VALUES = ['Qv7Zr2Lm9Xk4', 'Hb3Ny8Kw5Tq1Rd6Jf0Pz', 'postgres://', '3000'];
const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';

describe('screen guard in a real VS Code', () => {
  let sim: GlimeshSimulator;
  let wb: Workbench;

  /**
   * What the editor paints, line by line: the text of displayed nodes plus their ::before/::after
   * content (how injected decoration text is drawn), i.e. what a stream capture sees.
   */
  const editorText = () =>
    wb.page
      .locator('.editor-instance .monaco-editor .view-lines')
      .first()
      .evaluate((root) => {
        const pseudo = (el: Element, which: string) => {
          const content = getComputedStyle(el, which).content;
          return content && content !== 'none' && content !== 'normal'
            ? content.replace(/^"|"$/g, '')
            : '';
        };
        const paint = (node: Node): string => {
          if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
          if (!(node instanceof Element)) return '';
          const style = getComputedStyle(node);
          if (style.display === 'none' || style.visibility === 'hidden') return '';
          return (
            pseudo(node, '::before') +
            [...node.childNodes].map(paint).join('') +
            pseudo(node, '::after')
          );
        };
        return [...root.querySelectorAll('.view-line')]
          .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
          .map((line) => paint(line).replace(/\u00a0/g, ' '))
          .join('\n');
      });
  const waitFor = async (what: string, check: (text: string) => boolean) => {
    let text = '';
    for (let i = 0; i < 100; i++) {
      text = await editorText();
      if (check(text)) return text;
      await wb.page.waitForTimeout(100);
    }
    await wb.screenshot('screen-guard-failure');
    assert.fail(`${what}; the editor shows:\n${text}`);
  };
  const open = async (name: string) => {
    try {
      await wb.openFile(name);
    } catch (error) {
      await wb.screenshot('screen-guard-failure');
      throw error;
    }
  };
  const shield = () => wb.statusItem().locator('.codicon-shield');

  before(async () => {
    sim = await startGlimeshSimulator();
    wb = await Workbench.launch({ settings: sim.settings() });
    await wb.setToken('Glimesh', GLIMESH_SIM_TOKEN);
  });
  after(async () => {
    await wb?.close();
    await sim?.close();
  });

  it('nothing live: nothing masked; connecting masks the key in an ordinary file and puts a shield on the status item', async () => {
    await open('src/config.ts');
    await waitFor('the key is shown while nothing is live', (t) => t.includes(AWS_KEY));
    assert.equal(await shield().count(), 0);
    assert.match(await wb.statusTooltip(), /Screen guard: masks secrets in editors while live/);

    await wb.runCommand('Stream Chat: Connect');
    await shield().waitFor({ timeout: 30_000 });
    const text = await waitFor(
      'the key is masked while live',
      (t) => !t.includes(AWS_KEY) && t.includes('••••'),
    );
    assert.match(text, /eu-west-1/, 'the rest of the file stays readable');
    assert.doesNotMatch(text, /AKIA/);
    assert.match(await wb.statusTooltip(), /Screen guard: on, secrets in editors are masked/);
  });

  it('a .env opened while live is masked as a whole, with a one-click Reveal for 30 s in the status bar', async () => {
    await open('.env');
    const text = await waitFor(
      'every .env value is masked',
      (t) => ENV_VALUES.every((v) => !t.includes(v)) && t.includes('••••'),
    );
    for (const value of ENV_VALUES) assert.ok(!text.includes(value), `${value} is not on screen`);
    // Every non-blank line is a mask, nothing else: not even the names.
    assert.deepEqual(
      text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
      ['••••', '••••', '••••', '••••'],
    );
    const reveal = wb.page.locator('.statusbar-item', { hasText: 'Reveal for 30 s' });
    await reveal.waitFor({ timeout: 10_000 });
    const shot = await wb.screenshot('screen-guard-env');
    mkdirSync(path.join(ROOT, 'docs', 'screenshots'), { recursive: true });
    copyFileSync(shot, path.join(ROOT, 'docs', 'screenshots', 'screen-guard.png'));

    await reveal.click();
    await waitFor('Reveal shows the values', (t) => t.includes('Hb3Ny8Kw5Tq1Rd6Jf0Pz'));
    const maskNow = wb.page.locator('.statusbar-item', { hasText: 'Mask again' });
    await maskNow.waitFor({ timeout: 10_000 });
    await maskNow.click();
    await waitFor('Mask again hides them again', (t) => ENV_VALUES.every((v) => !t.includes(v)));
  });

  it('Toggle Screen Guard turns it off while live (the setting), and on again', async () => {
    await wb.runCommand('Stream Chat: Toggle Screen Guard');
    await waitFor(
      'off: the values are shown',
      (t) => ENV_VALUES.every((v) => t.includes(v)) && !t.includes('••••'),
    );
    await shield().waitFor({ state: 'detached', timeout: 10_000 });
    assert.match(await wb.statusTooltip(), /Screen guard: off/);
    await wb.runCommand('Stream Chat: Toggle Screen Guard');
    await waitFor(
      'on again: masked',
      (t) => ENV_VALUES.every((v) => !t.includes(v)) && t.includes('••••'),
    );
    await shield().waitFor({ timeout: 10_000 });
  });

  it('a secret typed while live is masked as it is typed; disconnect and everything is back', async () => {
    // An untitled file, so that no fixture is edited.
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('F1');
    await wb.page.locator('.quick-input-widget input').fill('>File: New Untitled Text File');
    await wb.page
      .locator('.quick-input-list .monaco-list-row', { hasText: /File: New Untitled Text File/ })
      .first()
      .click();
    await wb.page.locator('.tab.active', { hasText: 'Untitled' }).waitFor({ timeout: 15_000 });
    await wb.page.keyboard.type(`const leaked = '${AWS_KEY.replace('EXAMPLE', 'TYPEDIN')}';`, {
      delay: 5,
    });
    await waitFor(
      'the typed key is masked',
      (t) => !t.includes('AKIAIOSFODNN7TYPEDIN') && t.includes('••••'),
    );

    await wb.runCommand('Stream Chat: Disconnect');
    await shield().waitFor({ state: 'detached', timeout: 15_000 });
    await waitFor(
      'the typed key is back once nothing is live',
      (t) => t.includes('AKIAIOSFODNN7TYPEDIN') && !t.includes('••••'),
    );
    await wb.runCommand('View: Revert and Close Editor');
    await wb.page
      .locator('.tab', { hasText: 'Untitled' })
      .waitFor({ state: 'detached', timeout: 10_000 });
    // Both are open already: their tabs (Quick Open's first row may be another recent file).
    await wb.page.locator('.tab', { hasText: '.env' }).click();
    await waitFor('the .env values are back', (t) => ENV_VALUES.every((v) => t.includes(v)));
    await wb.page.locator('.tab', { hasText: 'config.ts' }).click();
    await waitFor('the key is back', (t) => t.includes(AWS_KEY));
  });
});
