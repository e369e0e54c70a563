import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TAU_SIM_TOKEN, startTauSimulator } from '../simulators/tau/server';
import { chatSession } from './session';

describe('!line highlights in a real VS Code', () => {
  const session = chatSession({
    start: () => startTauSimulator({ keepAliveMs: 5000 }),
    tokens: () => [['Twitch (TAU)', 'tau', TAU_SIM_TOKEN]],
    settings: { 'streamChat.highlights.enabled': true },
  });
  before(() => session.wb.openFile('src/app.ts'));

  it('`!line 3` from chat → line 3 is decorated, and the chat view lists it', async () => {
    session.sim.postChat({ user: 'CuriousViewer', text: '!line 3 why a template string?' });
    const chat = await session.wb.waitForChat();
    const item = chat.locator('#highlights .highlight', { hasText: 'src/app.ts:3' });
    await item.waitFor({ timeout: 10_000 });
    assert.match(await item.innerText(), /CuriousViewer/);
    // The decoration is a whole-line overlay at line 3's height in the editor.
    const editor = session.wb.page.locator('.editor-instance .monaco-editor').first();
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
    await session.wb.screenshot('highlight-line-3');
  });
});
