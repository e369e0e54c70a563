import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TAU_SIM_TOKEN, startTauSimulator } from '../simulators/tau/server';
import { chatSession } from './session';

describe('TAU in a real VS Code', () => {
  const session = chatSession({
    start: () => startTauSimulator({ keepAliveMs: 5000 }),
    tokens: () => [['Twitch (TAU)', 'tau', TAU_SIM_TOKEN]],
  });

  it('Send TAU Test Event… from the palette → the event line appears in the chat view', async () => {
    const chat = await session.wb.waitForChat();
    await session.wb.runCommand('Stream Chat: Send TAU Test Event…');
    await session.wb.pick('Raid');
    await session.wb.pick('Send');
    const line = chat.locator(
      '.line[data-platform="tau"][data-kind="event"][data-event="channel-raid"]',
    );
    await line.waitFor({ timeout: 15_000 });
    assert.match(await line.innerText(), /is raiding with 42 viewers!/);
    assert.equal(await line.locator('.tag.test').count(), 1, 'marked as a test event');
  });

  it('Twitch chat shows with the author’s colour and emotes; the composer sends to the chat bot', async () => {
    const chat = await session.wb.waitForChat();
    session.sim.postChat({
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
    for (
      let i = 0;
      i < 50 && !session.sim.sent.some((s) => s.message === 'thanks for the raid!');
      i++
    )
      await session.wb.page.waitForTimeout(100);
    assert.ok(session.sim.sent.some((s) => s.message === 'thanks for the raid!'));
    await session.wb.screenshot('tau-chat');
  });
});
