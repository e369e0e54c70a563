// Drives a real VS Code (code-server 4.139.1) in Debian's Chromium through playwright-core:
// starts code-server with the packaged extension installed and the given user settings, opens a
// folder, and offers the few gestures the UI tests need (palette, quick input, status bar, the
// chat webview's frames). Selectors are VS Code internals, pinned by the rig's VS Code version.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Browser, ConsoleMessage, FrameLocator, Locator, Page, chromium } from 'playwright-core';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rig = require('../../scripts/rig/paths.cjs') as {
  root: string;
  codeServer: string;
  chromium: string;
  chromiumArgs: string[];
  quietSettings: Record<string, unknown>;
  assertRig(): void;
  codeServerEnv(stateDir: string): NodeJS.ProcessEnv;
  codeServerArgs(dirs: {
    bind: string;
    config: string;
    userDataDir: string;
    extensionsDir: string;
  }): string[];
};

export const ROOT = rig.root;
export const FIXTURE_WORKSPACE = path.join(rig.root, 'test/fixtures/workspace');
export const SCREENSHOT_DIR = path.join(rig.root, 'test-results/screenshots');

export interface LaunchOptions {
  /** User settings (streamChat.* and workbench ones), on top of the quiet defaults. */
  readonly settings?: Record<string, unknown>;
  readonly folder?: string;
  /** Extensions dir with the packaged extension installed (run-ui.mjs prepares it). */
  readonly extensionsDir?: string;
  /** VS Code's display language (`--locale`), e.g. `qps-ploc` for the pseudo-locale run. */
  readonly locale?: string;
  /**
   * Runs before code-server starts, with this workbench's user-data dir and code-server's
   * environment (the pseudo-locale run installs its language pack there).
   */
  readonly prepare?: (dirs: {
    userData: string;
    extensionsDir: string;
    env: NodeJS.ProcessEnv;
  }) => void | Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const httpStatus = (url: string) =>
  new Promise<number>((resolve) => {
    http
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', () => resolve(0));
  });

export class Workbench {
  /** Console lines from the workbench and every webview frame (CSP violations show up here). */
  readonly consoleLines: string[] = [];
  readonly pageErrors: string[] = [];

  private constructor(
    readonly page: Page,
    private readonly _browser: Browser,
    private readonly _server: ChildProcess,
    private readonly _stateDir: string,
    readonly port: number,
  ) {
    page.on('console', (m: ConsoleMessage) => this.consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => this.pageErrors.push(e.message));
  }

  static async launch(options: LaunchOptions = {}): Promise<Workbench> {
    rig.assertRig();
    const stateDir = mkdtempSync(path.join(tmpdir(), 'stream-chat-ui-'));
    const userData = path.join(stateDir, 'user-data');
    mkdirSync(path.join(userData, 'User'), { recursive: true });
    writeFileSync(
      path.join(userData, 'User', 'settings.json'),
      JSON.stringify(
        {
          ...rig.quietSettings,
          'workbench.colorTheme': 'Default Dark Modern',
          ...options.settings,
        },
        null,
        2,
      ),
    );
    const extensionsDir = options.extensionsDir ?? process.env.STREAM_CHAT_UI_EXTENSIONS_DIR;
    if (!extensionsDir)
      throw new Error('no extensions dir: run the UI tests through `npm run test:ui`');
    await options.prepare?.({ userData, extensionsDir, env: rig.codeServerEnv(stateDir) });
    const port = await freePort();
    const config = path.join(stateDir, 'config.yaml');
    writeFileSync(config, '');
    const log = openSync(path.join(stateDir, 'code-server.log'), 'w');
    const server = spawn(
      rig.codeServer,
      [
        ...rig.codeServerArgs({
          bind: `127.0.0.1:${port}`,
          config,
          userDataDir: userData,
          extensionsDir,
        }),
        ...(options.locale ? ['--locale', options.locale] : []),
      ],
      { env: rig.codeServerEnv(stateDir), stdio: ['ignore', log, log], detached: true },
    );
    for (let i = 0; ; i++) {
      if ((await httpStatus(`http://127.0.0.1:${port}/healthz`)) === 200) break;
      if (i > 240) throw new Error(`code-server did not start; see ${stateDir}/code-server.log`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const browser = await chromium.launch({
      executablePath: rig.chromium,
      headless: true,
      args: rig.chromiumArgs,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(stateDir, 'chromium/config'),
        XDG_CACHE_HOME: path.join(stateDir, 'chromium/cache'),
      },
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const workbench = new Workbench(page, browser, server, stateDir, port);
    const folder = options.folder ?? FIXTURE_WORKSPACE;
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The status item exists once the extension has activated (onStartupFinished).
    await workbench.statusItem().waitFor({ timeout: 60_000 });
    return workbench;
  }

  /**
   * Changes user settings the way the Settings editor does: by rewriting settings.json (VS Code
   * watches it). In code-server the running extension host may not see the change: for a toggle
   * while the workbench runs, use `setBooleanSetting`.
   */
  async updateSettings(patch: Record<string, unknown>): Promise<void> {
    const file = path.join(this._stateDir, 'user-data', 'User', 'settings.json');
    const current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...current, ...patch }, null, 2));
    await this.page.waitForTimeout(1000);
  }

  /**
   * Sets a boolean setting as a user does: in the Settings editor (a modal over the editors in
   * this VS Code), filtered by the setting's id, its checkbox clicked until it shows `value`, then
   * closed. Rewriting settings.json (`updateSettings`) is not seen by code-server's extension host
   * while it runs; the Settings editor's change is.
   */
  async setBooleanSetting(id: string, value: boolean): Promise<void> {
    await this.runCommand('Preferences: Open User Settings');
    const editor = this.page.locator('.settings-editor').first();
    try {
      await editor.waitFor({ timeout: 15_000 });
      await this.page.waitForTimeout(300);
      // The search box has the focus when the editor opens.
      await this.page.keyboard.press('Control+A');
      await this.page.keyboard.type(id);
      // Only this setting's own row (the filter applies after a moment; never another checkbox).
      const checkbox = editor.locator(`[data-key="${id}"] .setting-value-checkbox`).first();
      await checkbox.waitFor({ timeout: 10_000 });
      await this.page.waitForTimeout(500);
      for (
        let i = 0;
        i < 3 && (await checkbox.getAttribute('aria-checked')) !== String(value);
        i++
      ) {
        await checkbox.click();
        await this.page.waitForTimeout(500);
      }
      if ((await checkbox.getAttribute('aria-checked')) !== String(value))
        throw new Error(`the Settings editor did not set ${id} to ${value}`);
    } finally {
      for (
        let i = 0;
        i < 4 && (await this.page.locator('.monaco-modal-editor-block').count()) > 0;
        i++
      ) {
        await this.page.keyboard.press('Escape');
        await this.page.waitForTimeout(300);
      }
      // Not shown as a modal: close its tab instead.
      if ((await this.page.locator('.settings-editor').count()) > 0)
        await this.runCommand('View: Close Editor');
    }
  }

  /** Developer: Reload Window, then waits for the new workbench and the extension's status item. */
  async reloadWindow(): Promise<void> {
    const navigated = this.page.waitForEvent('framenavigated', {
      predicate: (f) => f === this.page.mainFrame(),
      timeout: 30_000,
    });
    await this.runCommand('Developer: Reload Window');
    await navigated;
    await this.page.waitForLoadState('load');
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.statusItem().waitFor({ timeout: 60_000 });
  }

  /** Our status-bar item. */
  statusItem(): Locator {
    return this.page
      .locator(
        '.statusbar-item#streamChat\\.status, .statusbar-item[id="stream-chat.stream-chat.streamChat.status"], .statusbar-item:has(a[aria-label^="Stream Chat"])',
      )
      .first();
  }

  /** Runs a command through the palette by its title as shown ("Stream Chat: Open Chat"). */
  async runCommand(title: string): Promise<void> {
    // Keys typed while a webview has focus go to the webview, not the workbench: take focus back.
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`>${title}`);
    await this.page
      .locator('.quick-input-list .monaco-list-row', { hasText: title })
      .first()
      .waitFor({ timeout: 15_000 });
    await this.page.keyboard.press('Enter');
  }

  /** Picks an item in an open quick pick by its label. */
  async pick(label: string): Promise<void> {
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
  }

  /** Types into an open input box and submits it. */
  async typeInput(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(text);
    await this.page.keyboard.press('Enter');
  }

  /** Types into the input box whose placeholder is given (waits for it: the palette shares the widget). */
  async typeInto(placeholder: string, text: string): Promise<void> {
    const input = this.page.locator(`.quick-input-widget input[placeholder="${placeholder}"]`);
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(text);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) and puts the focus in its editor. */
  async openFile(name: string): Promise<void> {
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(name);
    await this.page
      .locator('.quick-input-list .monaco-list-row', { hasText: name.split('/').pop()! })
      .first()
      .waitFor({ timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    const tab = this.page.locator('.tab.active', { hasText: name.split('/').pop()! });
    await tab.waitFor({ timeout: 15_000 });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  }

  /** Types into the password box a command opened (waits for it: the quick pick before it shares the widget). */
  async typePassword(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(text);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /** Sets each token through the palette, connects, opens the chat and waits until every platform is connected. */
  async connectAndOpenChat(
    tokens: ReadonlyArray<readonly [label: string, platform: string, token: string]>,
  ): Promise<FrameLocator> {
    for (const [label, , token] of tokens) await this.setToken(label, token);
    await this.runCommand('Stream Chat: Connect');
    await this.runCommand('Stream Chat: Open Chat');
    const chat = await this.waitForChat();
    for (const [, platform] of tokens)
      await chat
        .locator(`.chip[data-platform="${platform}"][data-state="connected"]`)
        .waitFor({ timeout: 30_000 });
    return chat;
  }

  /** Stores a platform's token through the palette, as a streamer does. */
  async setToken(platformLabel: string, token: string): Promise<void> {
    await this.runCommand('Stream Chat: Set Token…');
    await this.pick(platformLabel);
    await this.typePassword(token);
  }

  /** The text of the status item's hover (its tooltip). */
  async statusTooltip(): Promise<string> {
    await this.page.mouse.move(0, 0);
    await this.statusItem().hover();
    const hover = this.page
      .locator('.workbench-hover, .monaco-hover')
      .filter({ hasText: 'Stream Chat' })
      .last();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await hover.innerText();
    await this.page.mouse.move(0, 0);
    return text;
  }

  /**
   * The chat webview's document. Webviews are two iframes deep; with several open, the one whose
   * content has our `#app` is chosen.
   */
  chatFrame(index = 0): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').nth(index).frameLocator('#active-frame');
  }

  /** Waits for the chat view (panel or editor) to render, returning its frame. */
  async waitForChat(): Promise<FrameLocator> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const count = await this.page.locator('iframe.webview.ready').count();
      for (let i = 0; i < count; i++) {
        const frame = this.chatFrame(i);
        if (
          (await frame
            .locator('#timeline')
            .count()
            .catch(() => 0)) > 0
        )
          return frame;
      }
      await this.page.waitForTimeout(200);
    }
    throw new Error('the chat webview did not render a #timeline');
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  cspViolations(): string[] {
    return this.consoleLines.filter((l) =>
      /Content Security Policy|Refused to (load|execute|apply)/i.test(l),
    );
  }

  /** code-server's process id (the root of its process tree: server and extension host). */
  get serverPid(): number | undefined {
    return this._server.pid;
  }

  async close(): Promise<void> {
    await this._browser.close().catch(() => {});
    try {
      process.kill(-this._server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([
      new Promise((r) =>
        this._server.exitCode !== null ? r(undefined) : this._server.once('exit', r),
      ),
      new Promise((r) => setTimeout(r, 5000)),
    ]);
    if (!process.env.UI_KEEP) rmSync(this._stateDir, { recursive: true, force: true });
  }
}
