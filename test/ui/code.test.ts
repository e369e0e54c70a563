import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TAU_SIM_TOKEN, startTauSimulator } from '../simulators/tau/server';
import { chatSession } from './session';

// One workbench for the file: a code reference clicked in the view, then a !line thread answered.
describe('Chat that knows the code, in a real VS Code', () => {
  const session = chatSession({
    start: () => startTauSimulator({ keepAliveMs: 5000 }),
    tokens: () => [['Twitch (TAU)', 'tau', TAU_SIM_TOKEN]],
    settings: { 'streamChat.highlights.enabled': true },
  });

  it('clicking a code reference in the chat opens the file at that line', async () => {
    session.sim.postChat({ user: 'RefViewer', text: 'the bug is in src/long.ts:20 I think' });
    const chat = await session.wb.waitForChat();
    const link = chat.locator('#timeline .line a.code-ref', { hasText: 'src/long.ts:20' });
    await link.waitFor({ timeout: 15_000 });
    assert.match(
      (await link.getAttribute('title')) ?? '',
      /^src\/long\.ts:20\n19 {2}.*\n20 {2}.*step20.*\n21 {2}/,
    );
    await link.click();
    await session.wb.page
      .locator('.tab.active', { hasText: 'long.ts' })
      .waitFor({ timeout: 15_000 });
    const position = session.wb.page
      .locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ })
      .first();
    await position.waitFor({ timeout: 10_000 });
    await session.wb.page.waitForFunction(
      () =>
        [...document.querySelectorAll('.statusbar-item')].some((e) =>
          /^Ln 20, Col 1\b/.test(e.textContent ?? ''),
        ),
      undefined,
      { timeout: 10_000 },
    );
    await session.wb.screenshot('code-ref-opened');
  });

  it('a !line question shows as a comment thread, and a reply there reaches the viewer’s chat', async () => {
    await session.wb.openFile('src/app.ts');
    session.sim.postChat({ user: 'ThreadViewer', text: '!line 2 why a template string?' });
    // The thread starts collapsed (nothing moves by itself): its gutter glyph opens it.
    const glyph = session.wb.page
      .locator(
        '.editor-instance .monaco-editor .comment-range-glyph.comment-thread, .editor-instance .monaco-editor .comment-range-glyph.comment-thread-unresolved',
      )
      .first();
    await glyph.waitFor({ timeout: 15_000 });
    await glyph.click();
    const widget = session.wb.page.locator('.review-widget', { hasText: 'why a template string?' });
    await widget.waitFor({ timeout: 15_000 });
    assert.match(await widget.innerText(), /ThreadViewer/);
    await session.wb.screenshot('code-thread-open');

    // The reply box opens from the thread's Reply button, as a streamer does it.
    const replyButton = widget.locator('.review-thread-reply-button');
    if (await replyButton.isVisible()) await replyButton.click();
    const reply = widget.locator('.comment-form .monaco-editor').first();
    await reply.click();
    // One input event for the whole reply (as a paste or an IME would send it): typed key by key on
    // a busy machine, the editor behind the widget could take the focus between two keys.
    await session.wb.page.keyboard.insertText('it reads better than concatenation');
    const typedDeadline = Date.now() + 10_000;
    while (
      !(await reply.innerText())
        .replace(/\u00a0/g, ' ')
        .includes('it reads better than concatenation') &&
      Date.now() < typedDeadline
    )
      await new Promise((r) => setTimeout(r, 100));
    const before = session.sim.sent.length;
    const send = widget.locator('.monaco-button', { hasText: 'Reply in Chat' });
    await send.waitFor({ timeout: 5_000 }).catch(async () => {
      await session.wb.screenshot('code-thread-no-button');
      throw new Error(
        `no Reply in Chat button; the form shows: ${JSON.stringify(await widget.locator('.comment-form').allInnerTexts())}, buttons ${JSON.stringify(await widget.locator('.monaco-button').allInnerTexts())}`,
      );
    });
    await send.click();
    const deadline = Date.now() + 15_000;
    while (
      !session.sim.sent
        .slice(before)
        .some((s) => s.message === '@threadviewer it reads better than concatenation') &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 100));
    assert.deepStrictEqual(
      session.sim.sent.slice(before).map((s) => s.message),
      ['@threadviewer it reads better than concatenation'],
    );
    await widget
      .locator('.review-comment', { hasText: '@threadviewer it reads better' })
      .waitFor({ timeout: 10_000 });
    await session.wb.screenshot('code-thread-replied');
  });
});
