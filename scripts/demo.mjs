// `npm run demo`: VS Code (code-server) in the browser with Stream Chat installed and pointed at
// local simulators of Glimesh, Mixer and TAU, all chatting. Installs the rig if missing.
// Options: DEMO_PORT (default 8080), DEMO_HOST (default 127.0.0.1).
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...opts });

run('bash', ['scripts/rig/setup.sh']);
const rig = require('./rig/paths.cjs');
run('npm', ['run', '--silent', 'package']);
run(process.execPath, ['scripts/build-tests.mjs']);

const demoDir = path.join(rig.rigDir, 'demo');
rmSync(demoDir, { recursive: true, force: true });
const userData = path.join(demoDir, 'user-data');
const extensionsDir = path.join(demoDir, 'extensions');
mkdirSync(path.join(userData, 'User'), { recursive: true });
const csEnv = rig.codeServerEnv(demoDir);
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const install = (vsix) => run(rig.codeServer, ['--extensions-dir', extensionsDir, '--user-data-dir', userData, '--install-extension', vsix, '--force'], { env: csEnv });
install(path.resolve(`stream-chat-${version}.vsix`));

// Simulators first: their settings and demo tokens go into the demo profile.
const sims = spawn(process.execPath, ['out/test/simulators/cli.js', '--port-base', '47100'], { stdio: ['ignore', 'pipe', 'inherit'] });
const first = await new Promise((resolve, reject) => {
  readline.createInterface({ input: sims.stdout }).once('line', resolve);
  sims.once('exit', (code) => reject(new Error(`simulators exited (${code})`)));
});
const { settings, tokens } = JSON.parse(first);

// The demo-only seeder stores the simulators' tokens through streamChat.setToken (tokens never go in settings).
const seedDir = path.join(demoDir, 'seed-tokens');
cpSync('scripts/demo/seed-tokens', seedDir, { recursive: true });
run('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '-o', path.join(demoDir, 'seed.vsix')], { cwd: seedDir });
install(path.join(demoDir, 'seed.vsix'));
const seeded = readdirMatching(extensionsDir, 'stream-chat-demo.stream-chat-demo-seed');
writeFileSync(path.join(extensionsDir, seeded, 'demo-tokens.json'), JSON.stringify(tokens));

writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...rig.quietSettings, 'workbench.colorTheme': 'Default Dark Modern', ...settings }, null, 2));

const port = Number(process.env.DEMO_PORT || 8080);
const host = process.env.DEMO_HOST || '127.0.0.1';
writeFileSync(path.join(demoDir, 'config.yaml'), '');
const server = spawn(rig.codeServer, ['--auth', 'none', '--bind-addr', `${host}:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
  '--disable-getting-started-override', '--config', path.join(demoDir, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', extensionsDir,
  path.resolve('test/fixtures/workspace')], { env: csEnv, stdio: 'inherit' });
console.log(`\nStream Chat demo: open http://${host}:${port}/ in a browser (Ctrl-C to stop).\n`);
const stop = () => {
  server.kill('SIGTERM');
  sims.kill('SIGTERM');
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
