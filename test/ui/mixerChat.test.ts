import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIXER_SIM_TOKEN, startMixerSimulator } from '../simulators/mixer/server';
import { chatSession } from './session';

describe('Mixer chat in the view', () => {
  const session = chatSession({
    start: startMixerSimulator,
    tokens: () => [['Mixer', 'mixer', MIXER_SIM_TOKEN]],
  });

  it('shows a viewer’s message with its author and text', async () => {
    const chat = await session.wb.waitForChat();
    assert.equal(
      await chat.locator('#composer-input').isDisabled(),
      false,
      'with a token, Mixer can send',
    );
    session.sim.postChat({ user: 'pairprogrammer', text: 'try a Map instead of an object :)' });
    const line = chat.locator('.line[data-platform="mixer"][data-kind="chat"]', {
      hasText: 'try a Map instead',
    });
    await line.waitFor({ timeout: 10_000 });
    assert.equal((await line.locator('.author').innerText()).trim(), 'pairprogrammer');
    assert.equal(
      await line.locator('.emote').count(),
      1,
      'the :) emoticon renders as a sprite image',
    );
  });

  it('shows a message deleted by a moderator as deleted', async () => {
    const chat = await session.wb.waitForChat();
    const id = session.sim.postChat({ user: 'spambot', text: 'free followers at example.test' });
    const line = chat.locator('.line[data-platform="mixer"]', { hasText: 'free followers' });
    await line.waitFor({ timeout: 10_000 });
    session.sim.deleteMessage(id);
    await chat
      .locator('.line[data-platform="mixer"][data-deleted="true"]', { hasText: 'free followers' })
      .waitFor({ timeout: 10_000 });
    await session.wb.screenshot('mixer-chat');
  });

  it('a message sent from the palette reaches the simulator', async () => {
    await session.wb.runCommand('Stream Chat: Send Message…');
    await session.wb.typeInto('Type a message', 'sent to Mixer from the palette');
    for (
      let i = 0;
      i < 50 && !session.sim.sent.some((s) => s.text === 'sent to Mixer from the palette');
      i++
    )
      await session.wb.page.waitForTimeout(100);
    assert.ok(session.sim.sent.some((s) => s.text === 'sent to Mixer from the palette'));
  });
});
