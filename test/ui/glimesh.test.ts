import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GLIMESH_SIM_TOKEN,
  GlimeshSimulator,
  startGlimeshSimulator,
} from '../simulators/glimesh/server';
import { Workbench } from './workbench';

describe('Glimesh in a real VS Code', () => {
  let sim: GlimeshSimulator;
  let wb: Workbench;
  before(async () => {
    sim = await startGlimeshSimulator();
    wb = await Workbench.launch({ settings: sim.settings() });
    await wb.connectAndOpenChat([['Glimesh', 'glimesh', GLIMESH_SIM_TOKEN]]);
  });
  after(async () => {
    await wb?.close();
    await sim?.close();
  });

  it('a message the simulator posts appears with its author and text', async () => {
    const chat = await wb.waitForChat();
    sim.postChat({ user: 'Mytho', text: 'hello from Glimesh', roles: { moderator: true } });
    const line = chat.locator('.line[data-platform="glimesh"][data-kind="chat"]', {
      hasText: 'hello from Glimesh',
    });
    await line.waitFor({ timeout: 10_000 });
    assert.equal((await line.locator('.author').innerText()).trim(), 'Mytho');
    assert.equal(await line.locator('.badge.role-moderator').count(), 1);
  });

  it('a message sent from the palette reaches the simulator', async () => {
    await wb.runCommand('Stream Chat: Send Message…');
    await wb.typeInto('Type a message', 'sent from the command palette');
    for (
      let i = 0;
      i < 50 && !sim.sent.some((s) => s.text === 'sent from the command palette');
      i++
    )
      await wb.page.waitForTimeout(100);
    assert.ok(sim.sent.some((s) => s.text === 'sent from the command palette'));
    const chat = await wb.waitForChat();
    await chat
      .locator('.line[data-platform="glimesh"]', { hasText: 'sent from the command palette' })
      .waitFor({ timeout: 10_000 });
  });
});
