import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FrameLocator } from 'playwright-core';
import { MIXER_SIM_TOKEN, MixerSimulator, startMixerSimulator } from '../simulators/mixer/server';
import { ROOT, Workbench } from './workbench';

/** The view's polish in a real workbench: one launch, themes switched through the settings file. */
describe('the virtual chat view in a real VS Code', () => {
  let sim: MixerSimulator;
  let wb: Workbench;
  let chat: FrameLocator;
  const line = (text: string) => chat.locator('.line[data-kind="chat"]', { hasText: text });
  const timeline = () => chat.locator('#timeline');

  before(async () => {
    sim = await startMixerSimulator();
    wb = await Workbench.launch({
      settings: {
        ...sim.settings(),
        'streamChat.scrollback': 10_000,
        'workbench.colorTheme': 'Default Dark Modern',
      },
    });
    chat = await wb.connectAndOpenChat([['Mixer', 'mixer', MIXER_SIM_TOKEN]]);
  });
  after(async () => {
    await wb?.close();
    await sim?.close();
  });

  /** What the viewport shows at its top: the line there (if any: a blank spacer shows none) and its place. */
  const topOfView = () =>
    timeline().evaluate((el) => {
      const box = el.getBoundingClientRect();
      const hit = document
        .elementFromPoint(box.left + 40, box.top + 3)
        ?.closest<HTMLElement>('.line');
      return {
        key: hit?.dataset.key ?? null,
        top: hit ? Math.round(hit.getBoundingClientRect().top - box.top) : null,
        scrollTop: el.scrollTop,
      };
    });
  const elementCount = () =>
    chat.locator('body').evaluate(() => document.querySelectorAll('*').length);
  const frames = (n = 3) =>
    timeline().evaluate(
      (_el, count) =>
        new Promise<void>((resolve) => {
          let left = count;
          const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
          requestAnimationFrame(tick);
        }),
      n,
    );

  it('scrolls up through a 10,000-line scrollback with the DOM bounded and every screen built', async () => {
    for (let i = 0; i < 10_000; i++)
      sim.postChat({ user: `viewer${i % 13}`, text: `scroll line ${String(i).padStart(5, '0')}` });
    await line('scroll line 09999').waitFor({ timeout: 60_000 });
    await frames(10);
    assert.ok((await elementCount()) <= 2500, `DOM elements: ${await elementCount()}`);
    assert.ok((await chat.locator('#lines > .line').count()) <= 200);
    // Up a screen and a half at a time: each step shows lines at once, and they stay put.
    for (let step = 0; step < 12; step++) {
      await timeline().evaluate((el) => el.scrollBy({ top: -600 }));
      await frames(2);
      const seen = await topOfView();
      assert.notEqual(seen.key, null, `a line at the top after step ${step}`);
      await frames(3);
      // Rows built above (the window grows around the reader) may change scrollTop: the browser's
      // anchoring compensates, and on screen nothing moves.
      const later = await topOfView();
      assert.deepEqual(
        { key: later.key, top: later.top },
        { key: seen.key, top: seen.top },
        `nothing moved under the reader at step ${step}`,
      );
    }
    assert.equal(await chat.locator('#new-messages').isVisible(), true);
    // All the way up: the oldest line is built and at the top.
    await timeline().evaluate((el) => el.scrollTo({ top: 0 }));
    await line('scroll line 00000').waitFor({ state: 'attached', timeout: 10_000 });
    await frames(3);
    await timeline().evaluate((el) => el.scrollTo({ top: 0 }));
    await frames(3);
    const top = await topOfView();
    assert.equal(
      await chat.locator(`.line[data-key="${top.key}"] .text`).innerText(),
      'scroll line 00000',
    );
    assert.ok((await elementCount()) <= 2500);
    // And back down in one go.
    await chat.locator('#new-messages').click();
    await line('scroll line 09999').waitFor({ timeout: 10_000 });
    await frames(3);
    assert.ok(
      await timeline().evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 40),
      'back at the bottom',
    );
  });

  it('selecting text pauses following; the divider marks where the streamer left off', async () => {
    sim.postChat({ user: 'quotable', text: 'copy this sentence for the notes' });
    await line('copy this sentence').waitFor();
    await frames(3);
    await line('copy this sentence').evaluate((node) => {
      const text = node.querySelector('.text')!.firstChild!;
      getSelection()!.setBaseAndExtent(text, 0, text, 9);
    });
    const button = chat.locator('#new-messages');
    await button.waitFor({ state: 'visible' });
    assert.match(await button.innerText(), /Paused while selecting/);
    const before = await topOfView();
    for (let i = 0; i < 3; i++)
      sim.postChat({ user: 'late', text: `arrived while selecting ${i}` });
    await chat.locator('#new-messages', { hasText: '3 new messages' }).waitFor({ timeout: 10_000 });
    await frames(3);
    // Older lines trimmed above may change scrollTop (the browser's anchoring compensates); on screen nothing moves.
    const after = await topOfView();
    assert.deepEqual(
      { key: after.key, top: after.top },
      { key: before.key, top: before.top },
      'what the user selects does not move',
    );
    assert.equal(
      await chat.locator('body').evaluate(() => getSelection()!.toString()),
      'copy this',
    );
    await chat.locator('body').evaluate(() => getSelection()!.removeAllRanges());
    await button.waitFor({ state: 'hidden' });
    await line('arrived while selecting 2').waitFor();
    assert.equal(await chat.locator('.line.unread').count(), 1);
    assert.equal(await chat.locator('.line.unread .text').innerText(), 'arrived while selecting 0');
  });

  it('collapses a run of identical spam into one line with ×N', async () => {
    for (let i = 0; i < 8; i++)
      sim.postChat({ user: `bot${i}`, text: 'FREE followers at totally-legit.example' });
    sim.postChat({ user: 'realviewer', text: 'after the spam wall' });
    await line('after the spam wall').waitFor();
    const spam = line('FREE followers at totally-legit.example');
    assert.equal(await spam.count(), 1);
    assert.equal(await spam.getAttribute('data-repeat'), '8');
    assert.equal(await spam.locator('.repeat').innerText(), '×8');
  });

  it('filters is:mod, is:sub, is:first, has:link, -from:, "phrases", with a count of matches', async () => {
    sim.postChat({ user: 'ModBot', roles: ['Mod', 'User'], text: 'be kind in chat' });
    sim.postChat({ user: 'subfan', roles: ['Subscriber', 'User'], text: 'the docs are great' });
    sim.postChat({
      user: 'StreamBot',
      text: 'follow',
      segments: [
        { type: 'text', data: 'follow at ', text: 'follow at ' },
        { type: 'link', url: 'https://streambot.example', text: 'streambot.example' },
      ],
    });
    sim.postChat({
      user: 'subfan',
      roles: ['Subscriber', 'User'],
      text: 'docs',
      segments: [
        { type: 'text', data: 'the docs are at ', text: 'the docs are at ' },
        {
          type: 'link',
          url: 'https://code.visualstudio.com/api',
          text: 'code.visualstudio.com/api',
        },
      ],
    });
    sim.postChat({ user: 'newcomer', text: 'first time here, hi' });
    sim.postChat({ user: 'newcomer', text: 'second line from me' });
    await line('second line from me').waitFor();
    const filter = chat.locator('#filter');
    const count = chat.locator('#filter-count');
    const shown = () => chat.locator('#lines > .line[data-kind="chat"] .text').allInnerTexts();
    await filter.fill('is:mod');
    assert.deepEqual(await shown(), ['be kind in chat']);
    assert.match(await count.innerText(), /^1 of [\d,]+$/);
    await filter.fill('is:sub');
    assert.deepEqual(await shown(), [
      'the docs are great',
      'the docs are at code.visualstudio.com/api',
    ]);
    await filter.fill('has:link -from:streambot');
    assert.deepEqual(await shown(), ['the docs are at code.visualstudio.com/api']);
    await filter.fill('"docs are"');
    assert.equal((await shown()).length, 2);
    await filter.fill('is:first from:newcomer');
    assert.deepEqual(await shown(), ['first time here, hi']);
    await filter.fill('');
    assert.equal(await count.isVisible(), false);
    await line('second line from me').waitFor();
  });

  it('screenshots in dark, light and high-contrast themes, with author colours readable on each', async () => {
    const docs = path.join(ROOT, 'docs', 'screenshots');
    mkdirSync(docs, { recursive: true });
    const post = () => {
      sim.postChat({ user: 'codercat', roles: ['Owner', 'User'], text: 'welcome back everyone' });
      sim.postChat({ user: 'ModBot', roles: ['Mod', 'User'], text: 'remember to be kind in chat' });
      sim.postChat({
        user: 'pixelfan',
        roles: ['Subscriber', 'User'],
        text: 'that regex is cursed, @codercat',
      });
      sim.postChat({ user: 'sunny_yellow', text: 'can you zoom in a bit?' });
    };
    /** The lowest contrast of a built author name against the page background. */
    const worstContrast = (frame: FrameLocator) =>
      frame.locator('body').evaluate(() => {
        const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
        const lum = (c: number[]) => {
          const [r, g, b] = c.map((v) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        // The page itself is transparent: the view sits on the panel (and, opened as a tab, on the editor).
        const style = getComputedStyle(document.body);
        const probe = document.createElement('div');
        document.body.append(probe);
        const backgrounds = ['--vscode-panel-background', '--vscode-editor-background'].map((v) => {
          probe.style.color = style.getPropertyValue(v).trim();
          return lum(rgb(getComputedStyle(probe).color));
        });
        probe.remove();
        let worst = 21;
        for (const a of document.querySelectorAll('#lines > .line:not(.mentions-me) .author')) {
          const l = lum(rgb(getComputedStyle(a).color));
          for (const bg of backgrounds)
            worst = Math.min(worst, (Math.max(l, bg) + 0.05) / (Math.min(l, bg) + 0.05));
        }
        return worst;
      });
    const shoot = async (
      workbench: Workbench,
      frame: FrameLocator,
      bodyClass: string,
      name: string,
      ratio: number,
    ) => {
      await frame.locator(`body.${bodyClass}`).waitFor({ state: 'attached', timeout: 15_000 });
      post();
      await frame
        .locator('.line[data-kind="chat"]', { hasText: 'can you zoom in a bit' })
        .last()
        .waitFor({ timeout: 20_000 });
      await workbench.page.waitForTimeout(500);
      const worst = await worstContrast(frame);
      assert.ok(worst >= ratio, `${name}: author contrast ${worst.toFixed(2)} < ${ratio}`);
      copyFileSync(await workbench.screenshot(name), path.join(docs, `${name}.png`));
    };
    await shoot(wb, chat, 'vscode-dark', 'chat-view-dark', 4.5);
    // A theme is picked at launch (as the existing light screenshot does): one workbench per theme.
    for (const [theme, bodyClass, name, ratio] of [
      ['Default Light Modern', 'vscode-light', 'chat-view-light', 4.5],
      ['Default High Contrast', 'vscode-high-contrast', 'chat-view-high-contrast', 7],
    ] as const) {
      const other = await Workbench.launch({
        settings: { ...sim.settings(), 'workbench.colorTheme': theme },
      });
      try {
        await shoot(
          other,
          await other.connectAndOpenChat([['Mixer', 'mixer', MIXER_SIM_TOKEN]]),
          bodyClass,
          name,
          ratio,
        );
      } finally {
        await other.close();
      }
    }
  });
});
