// `npm run demo`: VS Code (code-server) in the browser with Stream Chat installed and pointed at
// local simulators of Glimesh, Mixer and TAU, all chatting, with src/app.ts open in the editor so
// Send Selection, the secret guard and `!line` can be tried at once. Installs the rig if missing.
// Options: DEMO_PORT (default 8080), DEMO_HOST (default 127.0.0.1).
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...opts });

run('bash', ['scripts/rig/setup.sh']);
const rig = require('./rig/paths.cjs');
run('npm', ['run', '--silent', 'package']);

const demoDir = path.join(rig.rigDir, 'demo');
rmSync(demoDir, { recursive: true, force: true });
const userData = path.join(demoDir, 'user-data');
const extensionsDir = path.join(demoDir, 'extensions');
mkdirSync(path.join(userData, 'User'), { recursive: true });
const csEnv = rig.codeServerEnv(demoDir);
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const install = (vsix) =>
  run(
    rig.codeServer,
    rig.installExtensionArgs({ extensionsDir, userDataDir: userData, vsixes: [vsix] }),
    { env: csEnv },
  );
install(path.resolve(`stream-chat-${version}.vsix`));

// Simulators first, in this process (so the demo can have a viewer ask about a line); their
// settings and demo tokens go into the demo profile.
const simulatorsBundle = path.join(demoDir, 'simulators.cjs');
await esbuild.build({
  entryPoints: ['test/simulators/index.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: simulatorsBundle,
  logLevel: 'warning',
});
const sims = await require(simulatorsBundle).startSimulators({ portBase: 47100 });
sims.startChatter(1500);
const settings = { ...sims.settings(), 'streamChat.highlights.enabled': true };
const tokens = sims.tokens;
// Every 45 s a Twitch viewer points at a line of the open file, the way `!line` is used on stream.
const questions = [
  '!line 2 why a template string?',
  '!line 6-8 could this be one line?',
  '!line src/app.ts 1 what does greet return?',
];
let asked = 0;
const lineRequests = setInterval(
  () => sims.tau.postChat({ user: 'curious_viewer', text: questions[asked++ % questions.length] }),
  45_000,
);

// The demo-only seeder stores the simulators' tokens through streamChat.setToken (tokens never go in settings).
const seedDir = path.join(demoDir, 'seed-tokens');
cpSync('scripts/demo/seed-tokens', seedDir, { recursive: true });
run(
  'npx',
  [
    'vsce',
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '-o',
    path.join(demoDir, 'seed.vsix'),
  ],
  { cwd: seedDir },
);
install(path.join(demoDir, 'seed.vsix'));
const seeded = readdirMatching(extensionsDir, 'stream-chat-demo.stream-chat-demo-seed');
writeFileSync(path.join(extensionsDir, seeded, 'demo-tokens.json'), JSON.stringify(tokens));

writeFileSync(
  path.join(userData, 'User', 'settings.json'),
  JSON.stringify(
    { ...rig.quietSettings, 'workbench.colorTheme': 'Default Dark Modern', ...settings },
    null,
    2,
  ),
);

const port = Number(process.env.DEMO_PORT || 8080);
const host = process.env.DEMO_HOST || '127.0.0.1';
writeFileSync(path.join(demoDir, 'config.yaml'), '');
const server = spawn(
  rig.codeServer,
  [
    ...rig.codeServerArgs({
      bind: `${host}:${port}`,
      config: path.join(demoDir, 'config.yaml'),
      userDataDir: userData,
      extensionsDir,
    }),
    path.resolve('test/fixtures/workspace'),
  ],
  { env: csEnv, stdio: 'inherit' },
);
console.log(`
Stream Chat demo: open http://${host}:${port}/ in a browser (Ctrl-C to stop). src/app.ts is open; chat is in the panel below.
  1. Select a few lines of src/app.ts and press Ctrl+Shift+Alt+S (Send Selection to Chat): they appear in chat as the viewers see them.
  2. Open src/config.ts, select its first lines and send them: the secret guard names the AWS key and sends nothing unless you insist.
  3. Every 45 s curious_viewer types "!line 2 …" on Twitch: the line lights up in your editor, with a hover saying who asked and why.
`);
const stop = async () => {
  clearInterval(lineRequests);
  server.kill('SIGTERM');
  await sims.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

function readdirMatching(dir, prefix) {
  const { readdirSync } = require('node:fs');
  const found = readdirSync(dir).find((d) => d.startsWith(prefix));
  if (!found) throw new Error(`${prefix} was not installed in ${dir}`);
  return found;
}
