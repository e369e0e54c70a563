import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  MIXER_SIM_MUTED_TOKEN,
  MIXER_SIM_TOKEN,
  MixerSimulator,
  startMixerSimulator,
} from '../simulators/mixer/server';
import { Workbench } from './workbench';

// One workbench for the whole file: the owner moderates from the view, then the same view signed
// in as a plain viewer shows no actions.
describe('moderation from the chat view', () => {
  let sim: MixerSimulator;
  let wb: Workbench;
  before(async () => {
    sim = await startMixerSimulator();
    // A highlight rule from the start (the sound stays off, its default).
    wb = await Workbench.launch({
      settings: {
        ...sim.settings(),
        'streamChat.view.highlights': [{ words: ['deploy'], color: '#e5c07b' }],
      },
    });
    await wb.connectAndOpenChat([['Mixer', 'mixer', MIXER_SIM_TOKEN]]);
  });
  after(async () => {
    await wb?.close();
    await sim?.close();
  });

  const until = async (what: string, check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await wb.page.waitForTimeout(100);
    assert.ok(check(), what);
  };

  it('a moderator deletes a line with the mouse, and Mixer records it', async () => {
    const chat = await wb.waitForChat();
    const id = sim.postChat({ user: 'spambot', text: 'free followers at example.test' });
    const line = chat.locator('.line[data-platform="mixer"]', { hasText: 'free followers' });
    await line.waitFor({ timeout: 10_000 });
    await line.hover();
    await line.getByRole('button', { name: 'Delete message', exact: true }).click();
    await until('Mixer got deleteMessage', () =>
      sim.moderation.some((m) => m.method === 'deleteMessage' && m.args[0] === id && m.ok),
    );
    await chat
      .locator('.line[data-platform="mixer"][data-deleted="true"]', { hasText: 'free followers' })
      .waitFor({ timeout: 10_000 });
  });

  it('a moderator times a user out from the menu; Undo is offered', async () => {
    const chat = await wb.waitForChat();
    sim.postChat({ user: 'ragequitter', text: 'this stream is bad and you should feel bad' });
    const line = chat.locator('.line[data-platform="mixer"]', { hasText: 'you should feel bad' });
    await line.waitFor({ timeout: 10_000 });
    await line.hover();
    await line.getByRole('button', { name: 'Time out', exact: true }).click();
    await line.getByRole('menuitem', { name: '10 minutes' }).click();
    await until('Mixer got the timeout', () =>
      sim.moderation.some(
        (m) => m.method === 'timeout' && m.args[0] === 'ragequitter' && m.args[1] === '10m' && m.ok,
      ),
    );
    await chat.getByRole('button', { name: 'Undo', exact: true }).waitFor({ timeout: 10_000 });
    await wb.screenshot('moderation-undo');
    await chat.getByRole('button', { name: 'Undo', exact: true }).click();
    await until('Undo lifted the timeout', () =>
      sim.moderation.some((m) => m.method === 'timeout' && m.args[1] === 'clear' && m.ok),
    );
  });

  it('from the keyboard alone: select a line with the arrows and press Delete', async () => {
    const chat = await wb.waitForChat();
    const id = sim.postChat({ user: 'spambot', text: 'keyboard-only spam line' });
    await chat
      .locator('.line[data-platform="mixer"]', { hasText: 'keyboard-only spam' })
      .waitFor({ timeout: 10_000 });
    await chat.locator('#timeline').focus();
    await wb.page.keyboard.press('ArrowUp');
    await chat
      .locator('.line.mod-selected', { hasText: 'keyboard-only spam' })
      .waitFor({ timeout: 5_000 });
    await wb.page.keyboard.press('Delete');
    await until('Mixer got deleteMessage from the keyboard', () =>
      sim.moderation.some((m) => m.method === 'deleteMessage' && m.args[0] === id && m.ok),
    );
  });

  it('a user card opens from a click on the author and from the keyboard; hiding a user is local', async () => {
    const chat = await wb.waitForChat();
    sim.postChat({ user: 'pairprogrammer', text: 'card line one', roles: ['Subscriber', 'User'] });
    sim.postChat({ user: 'pairprogrammer', text: 'card line two', roles: ['Subscriber', 'User'] });
    const line = chat.locator('.line[data-platform="mixer"]', { hasText: 'card line two' });
    await line.waitFor({ timeout: 10_000 });
    await line.locator('.author').click();
    const card = chat.getByRole('dialog', { name: 'User card: pairprogrammer' });
    await card.waitFor({ timeout: 5_000 });
    assert.match(
      await card.innerText(),
      /Mixer[\s\S]*Subscriber[\s\S]*since connecting[\s\S]*card line one[\s\S]*card line two/,
    );
    assert.equal(
      await card.getByRole('button', { name: 'Ban', exact: true }).count(),
      1,
      'a moderator gets the actions in the card',
    );
    await wb.page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden', timeout: 5_000 });

    await chat.locator('#timeline').focus();
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('ArrowUp');
    await chat
      .locator('.line.mod-selected', { hasText: 'card line two' })
      .waitFor({ timeout: 5_000 });
    await wb.page.keyboard.press('Enter');
    await card.waitFor({ timeout: 5_000 });
    await card.getByRole('button', { name: 'Hide in my view' }).click();
    await line.waitFor({ state: 'hidden', timeout: 5_000 });
    await card.getByRole('button', { name: 'Hide in my view' }).click();
    await line.waitFor({ state: 'visible', timeout: 5_000 });
    await wb.screenshot('user-card');
    await wb.page.keyboard.press('Escape');
    assert.deepEqual(wb.cspViolations(), []);
  });

  it('a highlight rule colours a line and plays no sound (streamChat.view.sound is off); the Mentions list has it', async () => {
    const chat = await wb.waitForChat();
    sim.postChat({ user: 'opsfan', text: 'did you deploy the fix?' });
    const line = chat.locator('.line.rule-highlight', { hasText: 'did you deploy' });
    await line.waitFor({ timeout: 10_000 });
    assert.notEqual(
      await line.evaluate((el) => getComputedStyle(el).backgroundColor),
      'rgba(0, 0, 0, 0)',
      'the rule colours the line',
    );
    sim.postChat({ user: 'opsfan', text: 'no rule matches this one' });
    const plain = chat.locator('.line', { hasText: 'no rule matches' });
    await plain.waitFor({ timeout: 10_000 });
    assert.equal(await plain.evaluate((el) => el.classList.contains('rule-highlight')), false);
    await wb.page.waitForTimeout(300);
    const plays = await chat
      .locator('#highlight-sound')
      .evaluate((el) => Number((el as HTMLElement).dataset.plays ?? '0'));
    assert.equal(plays, 0, 'no sound while streamChat.view.sound is off');
    await chat.getByRole('button', { name: /^Mentions \(\d+\)$/ }).click();
    await chat.locator('#mentions .mention-jump', { hasText: 'did you deploy' }).click();
    await chat.locator('.line:focus', { hasText: 'did you deploy' }).waitFor({ timeout: 5_000 });
    await chat.getByRole('button', { name: /^Mentions/ }).click();
    assert.deepEqual(wb.cspViolations(), []);
  });

  it('with streamChat.view.sound turned on in the Settings editor, a matching line plays the chime; a plain line does not', async () => {
    const chat = await wb.waitForChat();
    const audio = chat.locator('#highlight-sound');
    await wb.setBooleanSetting('streamChat.view.sound', true);
    await chat.locator('#highlight-sound[data-enabled="true"]').waitFor({
      state: 'attached',
      timeout: 15_000,
    });
    const counts = () =>
      audio.evaluate((el) => ({
        plays: Number((el as HTMLElement).dataset.plays ?? '0'),
        played: Number((el as HTMLElement).dataset.played ?? '0'),
        refused: (el as HTMLElement).dataset.soundRefused,
      }));
    assert.deepEqual(await counts(), { plays: 0, played: 0, refused: undefined });
    sim.postChat({ user: 'opsfan', text: 'deploy is green, ship it' });
    await chat.locator('.line.rule-highlight', { hasText: 'deploy is green' }).waitFor();
    for (let i = 0; i < 50 && (await counts()).played === 0 && !(await counts()).refused; i++)
      await wb.page.waitForTimeout(100);
    assert.deepEqual(await counts(), { plays: 1, played: 1, refused: undefined });
    // The browser really played it: media/highlight.wav loaded (the CSP's media-src) and ran.
    const state = await audio.evaluate((el) => {
      const a = el as HTMLAudioElement;
      return { src: a.currentSrc, error: a.error?.code ?? null, duration: a.duration };
    });
    assert.match(state.src, /\/media\/highlight\.wav$/);
    assert.equal(state.error, null);
    assert.ok(state.duration > 0, `a sound of some length (${state.duration})`);
    sim.postChat({ user: 'opsfan', text: 'unrelated chatter' });
    await chat.locator('.line', { hasText: 'unrelated chatter' }).waitFor();
    await wb.page.waitForTimeout(300);
    assert.equal((await counts()).plays, 1, 'a line no rule matches makes no sound');
    // Off again: silence again.
    await wb.setBooleanSetting('streamChat.view.sound', false);
    await chat.locator('#highlight-sound[data-enabled="false"]').waitFor({
      state: 'attached',
      timeout: 15_000,
    });
    sim.postChat({ user: 'opsfan', text: 'another deploy today' });
    await chat.locator('.line.rule-highlight', { hasText: 'another deploy' }).waitFor();
    await wb.page.waitForTimeout(300);
    assert.equal((await counts()).plays, 1, 'no sound once streamChat.view.sound is off');
    assert.deepEqual(wb.cspViolations(), []);
  });

  it('Clear chat in the view asks first (No is the default), then Mixer clears for everyone and the view empties', async () => {
    const chat = await wb.waitForChat();
    sim.postChat({ user: 'floodbot', text: 'flood flood flood' });
    await chat
      .locator('.line[data-platform="mixer"]', { hasText: 'flood flood' })
      .waitFor({ timeout: 10_000 });
    const clear = chat.getByRole('button', { name: 'Clear chat', exact: true });
    const dialog = wb.page.locator('.monaco-dialog-box', {
      hasText: 'Clear the whole chat on Mixer?',
    });
    // Declined: Enter takes the default button, which is the safe one.
    await clear.click();
    await dialog.waitFor({ timeout: 10_000 });
    await wb.screenshot('clear-chat-confirm');
    await wb.page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    await wb.page.waitForTimeout(300);
    assert.equal(
      sim.moderation.filter((m) => m.method === 'clearMessages').length,
      0,
      'declining sends nothing',
    );
    await chat.locator('.line', { hasText: 'flood flood' }).waitFor();
    // Confirmed.
    await clear.click();
    await dialog.waitFor({ timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Clear Chat', exact: true }).click();
    await until('Mixer got clearMessages', () =>
      sim.moderation.some((m) => m.method === 'clearMessages' && m.ok),
    );
    await chat
      .locator('.line[data-platform="mixer"][data-kind="chat"]')
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 });
    await chat
      .getByRole('status')
      .filter({ hasText: 'Messages cleared.' })
      .waitFor({ timeout: 5_000 });
  });

  it('signed in as a viewer who is not a moderator, no line shows any action', async () => {
    await wb.setToken('Mixer', MIXER_SIM_MUTED_TOKEN);
    const chat = await wb.waitForChat();
    await chat
      .locator('.chip[data-platform="mixer"][data-state="connected"]')
      .waitFor({ timeout: 30_000 });
    await until(
      'signed in as the viewer',
      () => sim.authAttempts.at(-1)?.outcome === 'authenticated' && sim.authAttempts.length >= 2,
    );
    sim.postChat({ user: 'someone', text: 'a line a viewer cannot moderate' });
    const line = chat.locator('.line[data-platform="mixer"]', {
      hasText: 'a viewer cannot moderate',
    });
    await line.waitFor({ timeout: 10_000 });
    await wb.page.waitForTimeout(500);
    await line.hover();
    for (const name of ['Delete message', 'Time out', 'Ban', 'Unban', 'Clear chat']) {
      assert.equal(
        await chat.getByRole('button', { name, exact: true }).count(),
        0,
        `no "${name}" for a viewer`,
      );
    }
  });
});
