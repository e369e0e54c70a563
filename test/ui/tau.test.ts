import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TAU_SIM_TOKEN, TauSimulator, startTauSimulator } from '../simulators/tau/server';
import { Workbench } from './workbench';

describe('TAU in a real VS Code', () => {
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

  it('Send TAU Test Event… from the palette → the event line appears in the chat view', async () => {
    const chat = await wb.waitForChat();
    await wb.runCommand('Stream Chat: Send TAU Test Event…');
    await wb.pick('Raid');
    await wb.pick('Send');
    const line = chat.locator(
      '.line[data-platform="tau"][data-kind="event"][data-event="channel-raid"]',
    );
    await line.waitFor({ timeout: 15_000 });
    assert.match(await line.innerText(), /is raiding with 42 viewers!/);
    assert.equal(await line.locator('.tag.test').count(), 1, 'marked as a test event');
  });

  it('Twitch chat shows with the author’s colour and emotes; the composer sends to the chat bot', async () => {
    const chat = await wb.waitForChat();
    sim.postChat({
      user: 'EmoteFan',
      text: 'Kappa nice',
      color: '#FF4500',
      emotes: [{ id: '25', positions: [[0, 4]] }],
    });
    const line = chat.locator('.line[data-platform="tau"][data-kind="chat"]', { hasText: 'nice' });
    await line.waitFor({ timeout: 10_000 });
    // An image, or its name when the CDN is out of reach (this machine is offline).
    assert.equal(await line.locator('[data-emote="Kappa"]').count(), 1);
    const input = chat.locator('#composer-input');
    await input.fill('thanks for the raid!');
    await input.press('Enter');
    for (let i = 0; i < 50 && !sim.sent.some((s) => s.message === 'thanks for the raid!'); i++)
      await wb.page.waitForTimeout(100);
    assert.ok(sim.sent.some((s) => s.message === 'thanks for the raid!'));
    await wb.screenshot('tau-chat');
  });
});
