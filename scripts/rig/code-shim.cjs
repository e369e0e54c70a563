#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron's `vscodeExecutablePath`. It takes
// the flags test-electron gives desktop VS Code (--extensionDevelopmentPath=, --extensionTestsPath=,
// --user-data-dir=, --extensions-dir=, [folder]), runs the tests in code-server's Node extension
// host (the real VS Code 1.139 workbench), driven by headless Debian Chromium, and exits with the
// tests' exit code. Extension-host console output is printed, like desktop VS Code does.
// Env: SHIM_TIMEOUT_MS (default 10 min), SHIM_VERBOSE=1 (workbench chatter too), SHIM_KEEP=1.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const util = require('node:util');
const rig = require('./paths.cjs');

rig.assertRig();
const { chromium } = require('playwright-core');
const TIMEOUT = Number(process.env.SHIM_TIMEOUT_MS || 10 * 60 * 1000);

const devPaths = [];
const positional = [];
let testsPath, userDataDir, extensionsDir;
for (const arg of process.argv.slice(2)) {
  const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
  if (!m) {
    positional.push(arg);
    continue;
  }
  const [, key, value] = m;
  if (key === 'extensionDevelopmentPath') devPaths.push(path.resolve(value));
  else if (key === 'extensionTestsPath') testsPath = path.resolve(value);
  else if (key === 'user-data-dir') userDataDir = path.resolve(value);
  else if (key === 'extensions-dir') extensionsDir = path.resolve(value);
  // Desktop-only flags (--no-sandbox, --disable-updates, --skip-welcome, …) do not apply.
}
if (!testsPath || devPaths.length === 0) {
  console.error('code-shim: need --extensionDevelopmentPath and --extensionTestsPath');
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-chat-shim-'));
userDataDir ||= path.join(tmp, 'user-data');
extensionsDir ||= path.join(tmp, 'extensions');
fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
fs.mkdirSync(extensionsDir, { recursive: true });
const settingsFile = path.join(userDataDir, 'User', 'settings.json');
fs.writeFileSync(settingsFile, JSON.stringify(rig.quietSettings, null, 2));
const folder = positional[0] ? path.resolve(positional[0]) : undefined;

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const httpStatus = (url) =>
  new Promise((resolve) =>
    http
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
      .on('error', () => resolve(0)),
  );

/** Re-applies printf-style formatting (mocha uses %s/%d) and drops %c styles from a console message. */
async function format(message) {
  let args = await Promise.all(message.args().map((a) => a.jsonValue().catch(() => String(a))));
  if (typeof args[0] !== 'string') return message.text();
  const styles = (args[0].match(/%c/g) || []).length;
  args = [args[0].replace(/%c/g, ''), ...args.slice(1 + styles)];
  if (/^\s*(INFO|WARN|ERR|DEBUG|TRACE)?\s*$/.test(args[0]) && typeof args[1] === 'string')
    args = args.slice(1);
  return util.format(...args).replace(/^\s*(INFO|WARN|ERR|DEBUG|TRACE)\s/, '');
}

(async () => {
  const port = await freePort();
  const env = rig.codeServerEnv(tmp);
  fs.writeFileSync(path.join(tmp, 'config.yaml'), '');
  const args = [
    ...rig.codeServerArgs({
      bind: `127.0.0.1:${port}`,
      config: path.join(tmp, 'config.yaml'),
      userDataDir,
      extensionsDir,
    }),
    '--vscode-option',
    'enable-smoke-test-driver',
  ];
  const serverLog = fs.openSync(path.join(tmp, 'code-server.log'), 'w');
  const server = spawn(rig.codeServer, args, {
    env,
    stdio: ['ignore', serverLog, serverLog],
    detached: true,
  });
  const stopServer = () => {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.on('exit', stopServer);
  let browser;
  let code;
  try {
    for (let i = 0; ; i++) {
      if ((await httpStatus(`http://127.0.0.1:${port}/healthz`)) === 200) break;
      if (i > 240) throw new Error(`code-server did not start; see ${tmp}/code-server.log`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ...devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
      ['extensionTestsPath', remote(testsPath)],
    ];
    const url = `http://127.0.0.1:${port}/?${folder ? 'folder=' + encodeURIComponent(folder) : 'ew=true'}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    browser = await chromium.launch({
      executablePath: rig.chromium,
      headless: true,
      args: rig.chromiumArgs,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(tmp, 'chromium/config'),
        XDG_CACHE_HOME: path.join(tmp, 'chromium/cache'),
      },
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', async (m) => {
      const text = await format(m);
      if (
        /open-vsx|ERR_NAME_NOT_RESOLVED|Failed to load resource|vsda|same-origin iframe|can escape its sandboxing/.test(
          text,
        )
      )
        return;
      // In extension-test mode the extension host's console arrives through the workbench log,
      // mixed with workbench chatter: drop the chatter unless asked.
      if (
        !process.env.SHIM_VERBOSE &&
        /^(\[[A-Za-z][\w :.-]*\]|Resolv(ing|ed) connection token|Creating a socket|Updating additional builtin)/.test(
          text,
        )
      )
        return;
      process.stdout.write(text + '\n');
    });
    let finish;
    const exited = new Promise((r) => (finish = r));
    await page.exposeFunction('codeAutomationExit', (c) => finish(c));
    await page.goto(url);
    code = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT)),
    ]);
    if (code === 'timeout') {
      console.error(`code-shim: tests timed out after ${TIMEOUT} ms; code-server log in ${tmp}`);
      code = 1;
    }
  } catch (e) {
    console.error('code-shim:', e);
    code = 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    stopServer();
  }
  await Promise.race([
    new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r))),
    new Promise((r) => setTimeout(r, 5000)),
  ]);
  if (code === 0 && !process.env.SHIM_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  else console.error(`code-shim: code-server state and log kept in ${tmp}`);
  process.exit(code);
})();
