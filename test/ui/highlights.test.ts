import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TAU_SIM_TOKEN, TauSimulator, startTauSimulator } from '../simulators/tau/server';
import { Workbench } from './workbench';

describe('!line highlights in a real VS Code', () => {
  let sim: TauSimulator;
  let wb: Workbench;
  before(async () => {
    sim = await startTauSimulator({ keepAliveMs: 5000 });
    wb = await Workbench.launch({
      settings: { ...sim.settings(), 'streamChat.highlights.enabled': true },
    });
    await wb.connectAndOpenChat([['Twitch (TAU)', 'tau', TAU_SIM_TOKEN]]);
    await wb.openFile('src/app.ts');
  });
  after(async () => {
    await wb?.close();
    await sim?.close();
  });

  it('`!line 3` from chat → line 3 is decorated, and the chat view lists it', async () => {
    sim.postChat({ user: 'CuriousViewer', text: '!line 3 why a template string?' });
    const chat = await wb.waitForChat();
    const item = chat.locator('#highlights .highlight', { hasText: 'src/app.ts:3' });
    await item.waitFor({ timeout: 10_000 });
    assert.match(await item.innerText(), /CuriousViewer/);
    // The decoration is a whole-line overlay at line 3's height in the editor.
    const editor = wb.page.locator('.editor-instance .monaco-editor').first();
    const lineNumber = editor.locator('.line-numbers', { hasText: /^3$/ });
    const lineBox = await lineNumber.boundingBox();
    const overlays = await editor
      .locator('.view-overlays > div > div[class*="ced-"]')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    assert.ok(lineBox, 'line 3 is on screen');
    assert.ok(
      overlays.some((top) => Math.abs(top - lineBox!.y) < 3),
      `a decoration at line 3 (line y ${lineBox!.y}; decorations ${overlays.join(', ')})`,
    );
    await wb.screenshot('highlight-line-3');
  });
});
