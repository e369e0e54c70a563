// Twitch replies in a real VS Code: the TAU simulator sends the reply-parent-* tags (IRC-escaped,
// and cut at an "=" in TAU's own tag split, whole in raw); the chat view shows the parent's author
// and the start of its text above the reply and jumps to the parent, from the mouse and from the
// keyboard, even when the virtual timeline had not built it.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TAU_SIM_TOKEN, TauSimulator, startTauSimulator } from '../simulators/tau/server';
import { Workbench } from './workbench';

describe('Twitch replies in the chat view', () => {
  let sim: TauSimulator;
  let wb: Workbench;
  before(async () => {
    sim = await startTauSimulator({ keepAliveMs: 5000 });
    wb = await Workbench.launch({ settings: sim.settings() });
    await wb.connectAndOpenChat([['Twitch (TAU)', 'tau', TAU_SIM_TOKEN]]);
  });
  after(async () => {
    await wb?.close();
    await sim?.close();
  });
  let parentKey = '';
  /** Follows the bottom again if a jump paused the view. */
  const backToLatest = async () => {
    const chat = await wb.waitForChat();
    const button = chat.locator('#new-messages');
    if (await button.isVisible()) await button.click();
  };

  it('a reply shows the parent’s author and text; clicking it jumps to the parent, built first when it was far up', async () => {
    const chat = await wb.waitForChat();
    const parent = sim.postChat({ user: 'CoderCat', text: 'use a map; x = y is O(1)' });
    parentKey = `tau:${parent}`;
    const parentLine = chat.locator(`.line[data-key="${parentKey}"]`);
    await parentLine.waitFor({ timeout: 10_000 });
    // More lines than the virtual window holds, so the parent's line is no longer built.
    for (let i = 0; i < 260; i++) sim.postChat({ user: 'Filler', text: `filler line ${i}` });
    await chat.locator('.line', { hasText: 'filler line 259' }).waitFor({ timeout: 20_000 });
    sim.postChat({ user: 'Lintergirl', text: 'thanks, that fixed it', replyTo: parent });
    const reply = chat.locator('.line[data-platform="tau"]', { hasText: 'thanks, that fixed it' });
    await reply.waitFor({ timeout: 10_000 });
    await wb.page.waitForTimeout(500);
    assert.equal(await parentLine.count(), 0, 'the parent is outside the built window');
    const ref = reply.getByRole('button', {
      name: 'Replying to CoderCat: use a map; x = y is O(1)',
      exact: true,
    });
    await ref.waitFor({ timeout: 5_000 });
    assert.match(await ref.innerText(), /@CoderCat\s*use a map; x = y is O\(1\)/);
    // Above the reply: the reference's row is over the reply's text.
    const refBox = (await ref.boundingBox())!;
    const textBox = (await reply.locator(':scope > .text').boundingBox())!;
    assert.ok(refBox.y + refBox.height <= textBox.y + 1, 'the reference sits above the reply');
    await wb.screenshot('reply');
    await ref.click();
    await chat.locator(`.line[data-key="${parentKey}"]:focus`).waitFor({ timeout: 5_000 });
    assert.match(await parentLine.innerText(), /CoderCat[\s\S]*use a map; x = y is O\(1\)/);
    assert.deepEqual(wb.cspViolations(), []);
  });

  it('from the keyboard: the reply’s line, Tab to its reference, Enter jumps', async () => {
    const chat = await wb.waitForChat();
    await backToLatest();
    await chat.locator('#timeline').focus();
    await wb.page.keyboard.press('End');
    await chat
      .locator('.line:focus', { hasText: 'thanks, that fixed it' })
      .waitFor({ timeout: 5_000 });
    await wb.page.keyboard.press('Tab');
    const focused = chat.locator('button.reply-ref:focus');
    await focused.waitFor({ timeout: 5_000 });
    await wb.page.keyboard.press('Enter');
    await chat.locator(`.line[data-key="${parentKey}"]:focus`).waitFor({ timeout: 5_000 });
  });

  it('a parent that is not in the scrollback is plain text, not a link', async () => {
    const chat = await wb.waitForChat();
    await backToLatest();
    sim.postChat({
      user: 'LateViewer',
      text: 'still relevant?',
      replyTo: { id: 'sent-before-we-connected', user: 'OldTimer', text: 'a question from before' },
    });
    const reply = chat.locator('.line', { hasText: 'still relevant?' });
    await reply.waitFor({ timeout: 10_000 });
    const ref = reply.locator('.reply-ref');
    assert.equal(await ref.evaluate((el) => el.tagName), 'SPAN');
    assert.equal(
      await ref.getAttribute('aria-label'),
      'Replying to OldTimer: a question from before',
    );
    assert.equal(await reply.getByRole('button', { name: /^Replying to/ }).count(), 0);
  });
});
