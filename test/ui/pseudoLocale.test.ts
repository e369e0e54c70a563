// VS Code in the pseudo locale (qps-ploc): its own code-server with a minimal language pack (VS
// Code only honours a display language that a pack contributes) and our installed extension
// given pseudo bundles generated from its English ones (scripts/l10n.mjs --pseudo). Every string
// of ours then reads ⟦…⟧ with accents; one in plain English in the chat view, the palette (our
// commands), the notifications or the status item skipped localisation.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FrameLocator } from 'playwright-core';
import { pseudo } from '../../scripts/pseudo.mjs';
import { MIXER_SIM_TOKEN, MixerSimulator, startMixerSimulator } from '../simulators/mixer/server';
import { ROOT, Workbench } from './workbench';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rig = require('../../scripts/rig/paths.cjs') as {
  codeServer: string;
  installExtensionArgs(options: {
    extensionsDir: string;
    userDataDir: string;
    vsixes: readonly string[];
  }): string[];
};

const LOCALE = 'qps-ploc';
const PACK_ID = 'stream-chat-tests.pseudo-language-pack';
const NLS = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<
  string,
  string
>;
/** Platform names and the simulator's users: data, shown as they are in every language. */
const DATA = ['Glimesh', 'Mixer', 'TAU', 'Twitch', 'spambot', 'watcher'];

/** The parts of `text` in plain letters once pseudo segments and data are taken out. */
function leftover(text: string): string {
  let rest = text;
  for (let before = ''; before !== rest;) {
    before = rest;
    rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ');
  }
  for (const data of DATA) rest = rest.split(data).join(' ');
  return /[A-Za-z]/.test(rest) ? rest.trim() : '';
}

const untranslated = (texts: readonly string[]) => texts.filter((t) => leftover(t) !== '');

/** A language pack with no translations: enough for VS Code to accept qps-ploc. */
function buildLanguagePack(dir: string): string {
  const pack = path.join(dir, 'pack');
  mkdirSync(path.join(pack, 'translations'), { recursive: true });
  writeFileSync(
    path.join(pack, 'package.json'),
    JSON.stringify({
      name: 'pseudo-language-pack',
      displayName: 'Pseudo language pack for tests',
      description: 'qps-ploc',
      publisher: 'stream-chat-tests',
      version: '0.0.1',
      license: 'MIT',
      engines: { vscode: '^1.90.0' },
      categories: ['Language Packs'],
      contributes: {
        localizations: [
          {
            languageId: LOCALE,
            languageName: 'Pseudo Language',
            localizedLanguageName: 'Pseudo Language',
            translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
          },
        ],
      },
    }),
  );
  writeFileSync(
    path.join(pack, 'translations/main.i18n.json'),
    JSON.stringify({ version: '1.0.0', contents: {} }),
  );
  writeFileSync(path.join(pack, 'README.md'), '# Pseudo language pack for tests\n');
  const vsix = path.join(dir, 'pseudo-language-pack.vsix');
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/@vscode/vsce/vsce'),
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--skip-license',
      '--out',
      vsix,
    ],
    { cwd: pack, stdio: 'ignore' },
  );
  return vsix;
}

describe('the pseudo locale: no untranslated string of ours', () => {
  let sim: MixerSimulator;
  let wb: Workbench;
  let work: string;
  let chat: FrameLocator;

  /** Texts of the visible notification toasts: messages and their buttons. */
  const toastTexts = async () => {
    const toasts = wb.page.locator('.notification-toast');
    const texts: string[] = [];
    for (let i = 0; i < (await toasts.count()); i++) {
      const toast = toasts.nth(i);
      texts.push(await toast.locator('.notification-list-item-message').innerText());
      texts.push(
        ...(await toast.locator('.notification-list-item-buttons-container').allInnerTexts()),
      );
    }
    return texts.filter((t) => t.trim());
  };
  /** Every visible text, aria-label, title and placeholder of ours in the chat view. */
  const viewTexts = () =>
    chat.locator('body').evaluate((body) => {
      // Chat content, platform sentences and times are data or Intl's, not our strings.
      const data =
        '.line[data-kind="chat"] > .text, .line[data-kind="event"] > .text, .line .author, time, ' +
        '.user-card-name, .user-card-lines, .mention-jump, .mod-status-text, vscode-option';
      const out: string[] = [];
      const walker = document.createTreeWalker(
        body,
        NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT,
      );
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node instanceof Element ? node : node.parentElement;
        if (!el || el.closest(data) || el.closest('script, style')) continue;
        if (node.nodeType === Node.TEXT_NODE) {
          if (node.nodeValue?.trim()) out.push(node.nodeValue);
        } else
          for (const name of ['aria-label', 'title', 'placeholder'])
            if (el.getAttribute(name)) out.push(el.getAttribute(name)!);
      }
      return out;
    });
  /** Our command titles as the palette shows them in this locale. */
  const command = (key: string) => `${pseudo(NLS.category!)}: ${pseudo(NLS[key]!)}`;
  /** Runs one of our commands from the palette by its pseudo title (the row with exactly it). */
  const run = async (key: string) => {
    const title = command(key);
    await wb.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('F1');
    const input = wb.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`>${title}`);
    const row = wb.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({
        has: wb.page.locator('.quick-input-list-row:first-child .label-name', {
          hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
        }),
      })
      .first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
  };

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'stream-chat-pseudo-'));
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const ours = path.join(ROOT, `stream-chat-${version}.vsix`);
    const pack = buildLanguagePack(work);
    const extensionsDir = path.join(work, 'extensions');
    sim = await startMixerSimulator();
    wb = await Workbench.launch({
      locale: LOCALE,
      extensionsDir,
      // No platform at first: the first-run offer is a notification of ours.
      settings: { ...sim.settings(), 'streamChat.mixer.enabled': false },
      prepare: ({ userData, env }) => {
        execFileSync(
          rig.codeServer,
          rig.installExtensionArgs({ extensionsDir, userDataDir: userData, vsixes: [ours, pack] }),
          { env, stdio: 'ignore' },
        );
        const installed = readdirSync(extensionsDir);
        const folder = (prefix: string) => {
          const name = installed.find((d) => d.startsWith(prefix));
          assert.ok(name, `${prefix} is installed`);
          return path.join(extensionsDir, name);
        };
        execFileSync(process.execPath, [
          path.join(ROOT, 'scripts/l10n.mjs'),
          '--pseudo',
          folder('stream-chat.stream-chat-'),
        ]);
        // VS Code's cache of installed language packs, as its own install writes it (the
        // command-line install leaves it to the workbench, which reads it before starting).
        writeFileSync(
          path.join(userData, 'languagepacks.json'),
          JSON.stringify({
            [LOCALE]: {
              hash: 'pseudo-0.0.1',
              extensions: [{ extensionIdentifier: { id: PACK_ID }, version: '0.0.1' }],
              translations: {
                vscode: path.join(folder(`${PACK_ID}-`), 'translations/main.i18n.json'),
              },
              label: 'Pseudo Language',
            },
          }),
        );
      },
    });
  });
  after(async () => {
    await wb?.close();
    await sim?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs VS Code in qps-ploc, with our status item pseudo-localised', async () => {
    assert.equal(
      await wb.page.evaluate(
        () => (globalThis as { _VSCODE_NLS_LANGUAGE?: string })._VSCODE_NLS_LANGUAGE,
      ),
      LOCALE,
      'the workbench took the pseudo locale',
    );
    const item = await wb.statusItem().innerText();
    assert.ok(item.includes('⟦'), `status item: ${item}`);
    assert.deepEqual(untranslated([item]), []);
  });

  it('notifications: the first-run offer, Connect with no platform, the token prompt', async () => {
    const clearToasts = async () => {
      for (let i = 0; i < 20 && (await wb.page.locator('.notification-toast').count()) > 0; i++) {
        await wb.page.locator('.notification-toast .codicon-notifications-clear').first().click();
        await wb.page.waitForTimeout(200);
      }
    };
    const toast = wb.page.locator('.notification-toast').first();
    await toast.waitFor({ timeout: 30_000 });
    const first = await toastTexts();
    assert.ok(
      first.some((t) => t.includes('⟦')),
      `toasts: ${first.join(' | ')}`,
    );
    assert.deepEqual(untranslated(first), []);
    await clearToasts();
    await run('command.connect.title');
    await toast.waitFor({ timeout: 15_000 });
    const noPlatform = await toastTexts();
    assert.ok(
      noPlatform.some((t) => t.includes('⟦')),
      `toasts: ${noPlatform.join(' | ')}`,
    );
    assert.deepEqual(untranslated(noPlatform), []);
    await clearToasts();

    // The settings file changed under a running window: reload it, as a user would after editing.
    await wb.updateSettings({ 'streamChat.mixer.enabled': true });
    await wb.reloadWindow();
    await run('command.setToken.title');
    await wb.pick('Mixer');
    const password = wb.page.locator('.quick-input-widget input[type="password"]');
    await password.waitFor({ state: 'visible', timeout: 15_000 });
    const prompt = await wb.page.locator('.quick-input-widget').innerText();
    await password.fill(MIXER_SIM_TOKEN);
    await wb.page.keyboard.press('Enter');
    await password.waitFor({ state: 'hidden', timeout: 15_000 });
    assert.ok(prompt.includes('⟦'), `token prompt: ${prompt}`);
    await wb.page.waitForTimeout(1000);
    assert.deepEqual(untranslated(await toastTexts()), []);
  });

  it('the palette lists our commands, every title pseudo-localised', async () => {
    await wb.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('F1');
    const input = wb.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`>${pseudo(NLS.category!)}`);
    // The first row of each entry is its label; VS Code adds the English alias in a second row.
    const labels = wb.page.locator(
      '.quick-input-list .monaco-list-row .quick-input-list-row:first-child .label-name',
    );
    await labels.first().waitFor({ timeout: 15_000 });
    await wb.page.waitForTimeout(500);
    const shown = await labels.allInnerTexts();
    assert.ok(shown.length >= 5, `our commands: ${shown.join(' | ')}`);
    assert.deepEqual(untranslated(shown), []);
    assert.ok(shown.includes(command('command.connect.title')), shown.join(' | '));
    await wb.page.keyboard.press('Escape');
  });

  it('the chat view: header, lines, moderation toolbar and menu, user card, composer', async () => {
    await run('command.connect.title');
    await run('command.openChat.title');
    chat = await wb.waitForChat();
    await wb.screenshot('pseudo-locale-open');
    await chat
      .locator('.chip[data-platform="mixer"][data-state="connected"]')
      .waitFor({ timeout: 30_000 });
    sim.postChat({ user: 'spambot', text: 'free followers at example.test' });
    const line = chat.locator('.line[data-platform="mixer"][data-kind="chat"]', {
      hasText: 'free followers',
    });
    await line.waitFor({ timeout: 10_000 });
    const texts: string[] = [...(await viewTexts())];

    await line.hover();
    const timeout = line.getByRole('button', { name: pseudo('Time out'), exact: true });
    await timeout.waitFor({ timeout: 10_000 });
    await timeout.click();
    await line.getByRole('menuitem').first().waitFor({ timeout: 10_000 });
    texts.push(...(await viewTexts()));
    await wb.page.keyboard.press('Escape');

    await line.locator('.author').click();
    await chat.locator('.user-card:not([hidden])').waitFor({ timeout: 10_000 });
    texts.push(...(await viewTexts()));
    await wb.page.keyboard.press('Escape');
    await chat.locator('#mentions-toggle').click();
    texts.push(...(await viewTexts()));
    await wb.screenshot('pseudo-locale-chat');

    assert.ok(texts.length > 20, `view texts: ${texts.length}`);
    assert.ok(
      texts.some((t) => t.includes(pseudo('Connected'))),
      'the chip says Connected',
    );
    assert.deepEqual([...new Set(untranslated(texts))], []);
  });
});
