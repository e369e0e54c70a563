import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GLIMESH_SIM_TOKEN,
  GlimeshSimulator,
  startGlimeshSimulator,
} from '../simulators/glimesh/server';
import { Workbench } from './workbench';

describe('Send Selection in a real VS Code', () => {
  let sim: GlimeshSimulator;
  let wb: Workbench;
  before(async () => {
    sim = await startGlimeshSimulator();
    wb = await Workbench.launch({ settings: sim.settings() });
    await wb.setToken('Glimesh', GLIMESH_SIM_TOKEN);
    await wb.runCommand('Stream Chat: Connect');
    await wb.page.waitForTimeout(1500);
  });
  after(async () => {
    await wb?.close();
    await sim?.close();
  });

  it('select code → Send Selection → confirm the part count → the simulator receives the parts in order', async () => {
    await wb.openFile('src/long.ts');
    await wb.page.keyboard.press('Control+A');
    await wb.runCommand('Stream Chat: Send Selection to Chat');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    const label = (
      await dialog.locator('.monaco-button', { hasText: /^Send \d+ Messages$/ }).innerText()
    ).trim();
    await wb.screenshot('send-selection-confirm');
    const count = Number(/Send (\d+) Messages/.exec(label)![1]);
    assert.ok(count > 5, label);
    await dialog.locator('.monaco-button', { hasText: label }).click();
    for (let i = 0; i < 200 && sim.sent.length < count; i++) await wb.page.waitForTimeout(100);
    const texts = sim.sent.map((s) => s.text);
    assert.equal(texts.length, count);
    texts.forEach((t, i) => assert.ok(t.startsWith(`(${i + 1}/${count}) `), t.slice(0, 12)));
    assert.match(texts[0]!, /^\(1\/\d+\) src\/long\.ts:1-2[45] ⏎ /);
    assert.ok(
      texts.every((t) => !t.includes('\n')),
      'Glimesh shows no line breaks: none are sent',
    );
    assert.ok(texts.at(-1)!.includes('step24'));
  });

  it('a file with an AWS-style key → the modal names it and nothing is sent', async () => {
    const before = sim.sent.length;
    await wb.openFile('src/config.ts');
    await wb.page.keyboard.press('Control+A');
    await wb.runCommand('Stream Chat: Send Selection to Chat');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    assert.match(await dialog.innerText(), /AWS access key id on line 2/);
    assert.doesNotMatch(await dialog.innerText(), /AKIAIOSFODNN7EXAMPLE/);
    await wb.screenshot('secret-guard');
    // The safe answer is the default: Enter declines.
    await wb.page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
    await wb.page.waitForTimeout(500);
    assert.equal(sim.sent.length, before);
  });
});
