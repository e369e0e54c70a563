import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FrameLocator } from 'playwright-core';
import { MIXER_SIM_TOKEN, MixerSimulator, startMixerSimulator } from '../simulators/mixer/server';
import { Workbench } from './workbench';

/** Hostile chat as Mixer segments: what a troll raid sends. */
function hostileSegments(): unknown[][] {
  const text = (t: string) => ({ type: 'text', data: t, text: t });
  return [
    [text('<script>window.top.pwned = 1; document.title = "pwned"</script>')],
    [text('<img src=x onerror="window.pwned=1">'), text('"><svg onload=alert(1)>')],
    [
      { type: 'link', url: 'javascript:window.pwned=1', text: 'free nitro' },
      { type: 'link', url: 'data:text/html,<script>alert(1)</script>', text: 'data' },
    ],
    [{ type: 'image', url: 'data:image/svg+xml,<svg onload=alert(1)>', text: 'img' }],
    [text('x{background:url(https://evil.test)}</style><style>*{display:none!important}</style>')],
    [text('\u202Etxet desrever\u202C and \u2066isolated')],
    [text('Z̵̡̢̧̛̖̗̘̙̜̝̞̟̠̣̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼͇͈͉͍͎̀́̂̃̄̅̆̇̈̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿̀́͂̓̈́͆͊͋͌̕̚ͅ'.repeat(20))],
    [text('W'.repeat(10_000))],
    Array.from({ length: 1000 }, () => ({
      type: 'emoticon',
      source: 'builtin',
      pack: 'default',
      coords: { x: 96, y: 0, width: 24, height: 24 },
      text: ':)',
    })),
  ];
}

describe('the chat view in a real VS Code', () => {
  let sim: MixerSimulator;
  let wb: Workbench;
  let chat: FrameLocator;
  const line = (text: string) => chat.locator('.line[data-kind="chat"]', { hasText: text });

  before(async () => {
    sim = await startMixerSimulator({ rateLimit: { messages: 1000, windowMs: 1000 } });
    wb = await Workbench.launch({
      settings: { ...sim.settings(), 'workbench.colorTheme': 'Default Dark Modern' },
    });
    chat = await wb.connectAndOpenChat([['Mixer', 'mixer', MIXER_SIM_TOKEN]]);
  });
  after(async () => {
    await wb?.close();
    await sim?.close();
  });

  it('pauses scrolling when the user scrolls up, counts new messages, and jumps back down', async () => {
    for (let i = 0; i < 80; i++)
      sim.postChat({ user: `viewer${i % 7}`, text: `backlog line ${i}` });
    await line('backlog line 79').waitFor();
    const timeline = chat.locator('#timeline');
    await timeline.evaluate((el) => el.scrollTo({ top: 0 }));
    await wb.page.waitForTimeout(200);
    const firstVisibleBefore = await timeline.evaluate((el) => el.scrollTop);
    for (let i = 0; i < 5; i++) sim.postChat({ user: 'late', text: `while reading ${i}` });
    await line('while reading 4').waitFor({ state: 'attached' });
    const button = chat.locator('#new-messages');
    await button.waitFor({ state: 'visible' });
    assert.match(await button.innerText(), /5 new messages/);
    assert.equal(
      await timeline.evaluate((el) => el.scrollTop),
      firstVisibleBefore,
      'new lines did not move what the user reads',
    );
    await button.click();
    await wb.page.waitForTimeout(200);
    assert.ok(
      await timeline.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 40),
      'back at the bottom',
    );
    assert.equal(await button.isVisible(), false);
  });

  it('filters by text, from: and platform:, and shows everything again when cleared', async () => {
    sim.postChat({ user: 'filterfan', text: 'needle in the haystack' });
    await line('needle in the haystack').waitFor();
    const shown = chat.locator('.line[data-kind="chat"]:not([hidden])');
    // The view builds the lines of a few screens while following: what it showed before filtering.
    const unfiltered = await shown.count();
    assert.ok(unfiltered > 20, `${unfiltered} lines shown`);
    const filter = chat.locator('#filter');
    await filter.fill('from:filterfan');
    assert.equal(await shown.count(), 1);
    await filter.fill('platform:glimesh');
    assert.equal(await shown.count(), 0);
    await filter.fill('');
    assert.equal(await shown.count(), unfiltered);
    await line('needle in the haystack').waitFor();
  });

  it('composer: live count against Mixer’s limit, refuses over it, Enter sends to the simulator', async () => {
    const input = chat.locator('#composer-input');
    await input.fill('x'.repeat(400));
    assert.match(await chat.locator('#composer-count').innerText(), /400\/360/);
    await input.press('Enter');
    await wb.page.waitForTimeout(300);
    assert.equal(sim.sent.length, 0, 'an over-long message is not sent');
    await input.fill('thanks chat, fixing it now');
    await input.press('Enter');
    await waitUntil(() => sim.sent.some((s) => s.text === 'thanks chat, fixing it now'));
    await waitUntil(async () => (await input.inputValue()) === '');
    await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'thanks chat, fixing it now');
    await input.fill('');
  });

  it('a chip disconnects and reconnects its platform', async () => {
    await chat.locator('.chip[data-platform="mixer"]').click();
    await chat.locator('.chip[data-platform="mixer"][data-state="disconnected"]').waitFor();
    assert.equal(await chat.locator('#composer-input').isDisabled(), true);
    await chat.locator('.chip[data-platform="mixer"]').click();
    await chat
      .locator('.chip[data-platform="mixer"][data-state="connected"]')
      .waitFor({ timeout: 20_000 });
  });

  it('hostile chat executes nothing, keeps the layout and the view responsive', async () => {
    for (const segments of hostileSegments())
      sim.postChat({ user: '<script>alert(1)</script>', text: '', segments });
    sim.postChat({ user: 'after', text: 'still alive after the raid' });
    await line('still alive after the raid').waitFor({ timeout: 15_000 });
    const report = await chat.locator('#timeline').evaluate((el) => ({
      pwned: (window as unknown as { pwned?: number }).pwned ?? null,
      title: document.title,
      dangerous: el.querySelectorAll('script, iframe, object, embed, style, svg').length,
      onAttributes: [...el.querySelectorAll('*')].filter((n) =>
        [...n.attributes].some((a) => a.name.startsWith('on')),
      ).length,
      unsafeLinks: [...el.querySelectorAll('a')].filter(
        (a) => !/^https?:/.test(a.getAttribute('href') ?? ''),
      ).length,
      horizontalOverflow: el.scrollWidth - el.clientWidth,
    }));
    assert.deepEqual(report, {
      pwned: null,
      title: 'Stream Chat',
      dangerous: 0,
      onAttributes: 0,
      unsafeLinks: 0,
      horizontalOverflow: 0,
    });
    const started = Date.now();
    await chat.locator('#filter').fill('alive');
    await chat.locator('#filter').fill('');
    assert.ok(Date.now() - started < 2000, 'the view answers input promptly');
    await chat.locator('#timeline').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  });

  it('keeps the chat when the view is hidden and shown, and across a window reload', async () => {
    sim.postChat({ user: 'persist', text: 'remember me after reload' });
    await line('remember me after reload').waitFor();
    await wb.runCommand('View: Toggle Panel Visibility');
    await chat
      .locator('#timeline')
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => {});
    await wb.runCommand('Stream Chat: Open Chat');
    chat = await wb.waitForChat();
    await line('remember me after reload').waitFor();
    await wb.page.waitForTimeout(2500); // the host saves the timeline at most every 2 s
    await wb.reloadWindow();
    await wb.runCommand('Stream Chat: Open Chat');
    chat = await wb.waitForChat();
    await line('remember me after reload').waitFor({ timeout: 20_000 });
  });

  it('screenshots in dark and light themes', async () => {
    await wb.runCommand('Stream Chat: Connect');
    sim.postChat({ user: 'codercat', roles: ['Owner', 'User'], text: 'welcome back everyone :D' });
    sim.postChat({ user: 'ModBot', roles: ['Mod', 'User'], text: 'remember to be kind in chat' });
    sim.postChat({
      user: 'pixelfan',
      roles: ['Subscriber', 'User'],
      text: 'that regex is cursed, @codercat',
    });
    await line('that regex is cursed').waitFor({ timeout: 20_000 });
    await wb.screenshot('chat-dark');
    const light = await Workbench.launch({
      settings: { ...sim.settings(), 'workbench.colorTheme': 'Default Light Modern' },
    });
    try {
      const lightChat = await light.connectAndOpenChat([['Mixer', 'mixer', MIXER_SIM_TOKEN]]);
      await lightChat.locator('body.vscode-light').waitFor({ state: 'attached', timeout: 10_000 });
      sim.postChat({
        user: 'codercat',
        roles: ['Owner', 'User'],
        text: 'welcome back everyone :D',
      });
      sim.postChat({ user: 'ModBot', roles: ['Mod', 'User'], text: 'remember to be kind in chat' });
      sim.postChat({
        user: 'pixelfan',
        roles: ['Subscriber', 'User'],
        text: 'that regex is cursed, @codercat',
      });
      // Mixer's history on join brings the dark run's line first; wait for the live one after it.
      await lightChat
        .locator('.line', { hasText: 'that regex is cursed' })
        .nth(1)
        .waitFor({ timeout: 20_000 });
      await light.screenshot('chat-light');
    } finally {
      await light.close();
    }
  });
});

async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
