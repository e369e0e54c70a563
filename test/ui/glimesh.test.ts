import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GLIMESH_SIM_TOKEN, startGlimeshSimulator } from '../simulators/glimesh/server';
import { chatSession } from './session';

describe('Glimesh in a real VS Code', () => {
  const session = chatSession({
    start: startGlimeshSimulator,
    tokens: () => [['Glimesh', 'glimesh', GLIMESH_SIM_TOKEN]],
  });

  it('a message the simulator posts appears with its author and text', async () => {
    const chat = await session.wb.waitForChat();
    session.sim.postChat({ user: 'Mytho', text: 'hello from Glimesh', roles: { moderator: true } });
    const line = chat.locator('.line[data-platform="glimesh"][data-kind="chat"]', {
      hasText: 'hello from Glimesh',
    });
    await line.waitFor({ timeout: 10_000 });
    assert.equal((await line.locator('.author').innerText()).trim(), 'Mytho');
    assert.equal(await line.locator('.badge.role-moderator').count(), 1);
  });

  it('a message sent from the palette reaches the simulator', async () => {
    await session.wb.runCommand('Stream Chat: Send Message…');
    await session.wb.typeInto('Type a message', 'sent from the command palette');
    for (
      let i = 0;
      i < 50 && !session.sim.sent.some((s) => s.text === 'sent from the command palette');
      i++
    )
      await session.wb.page.waitForTimeout(100);
    assert.ok(session.sim.sent.some((s) => s.text === 'sent from the command palette'));
    const chat = await session.wb.waitForChat();
    await chat
      .locator('.line[data-platform="glimesh"]', { hasText: 'sent from the command palette' })
      .waitFor({ timeout: 10_000 });
  });
});
