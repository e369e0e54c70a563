import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Workbench } from './workbench';

describe('foundation in a real VS Code', () => {
  let wb: Workbench;
  before(async () => {
    wb = await Workbench.launch();
  });
  after(async () => {
    await wb?.close();
  });

  it('shows the status item, which offers settings when no platform is enabled', async () => {
    const text = await wb.statusItem().innerText();
    assert.match(text, /Chat/);
    const tooltip = await wb.statusTooltip();
    assert.match(tooltip, /Glimesh: not enabled/);
  });

  it('Set Token for glimesh through the palette → the tooltip says a token is set; Clear Token → not set', async () => {
    await wb.setToken('Glimesh', 'ui-test-token-6d1f0e');
    assert.match(await wb.statusTooltip(), /Glimesh: not enabled · token set/);

    await wb.runCommand('Stream Chat: Clear Token…');
    await wb.pick('Glimesh');
    await wb.page.waitForTimeout(300);
    assert.match(await wb.statusTooltip(), /Glimesh: not enabled · token not set/);
  });

  it('Open Chat renders the webview with no CSP violation', async () => {
    await wb.runCommand('Stream Chat: Open Chat');
    const chat = await wb.waitForChat();
    await chat.locator('#timeline').waitFor({ timeout: 20_000 });
    assert.equal(await chat.locator('#timeline').getAttribute('role'), 'log');
    await wb.page.waitForTimeout(500);
    assert.deepEqual(wb.cspViolations(), []);
    await wb.screenshot('foundation-open-chat');
  });

  it('clicking the status item runs the toggle (no platform enabled → offers settings)', async () => {
    await wb.statusItem().click();
    const toast = wb.page.locator('.notification-toast', { hasText: 'no platform is enabled' });
    await toast.waitFor({ timeout: 10_000 });
    assert.ok(
      (await toast
        .locator('a.monaco-button, .monaco-button', { hasText: 'Open Settings' })
        .count()) > 0,
    );
  });
});
