// Starts every platform simulator on loopback with scripted chatter, for the demo and the soak:
// `node out/test/simulators/cli.js [--port-base 47100] [--chatter-ms 1500]`. Prints one JSON line
// `{ settings, tokens }` on stdout once all are listening, then runs until killed.
import { startSimulators } from './index';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const sims = await startSimulators({ portBase: arg('port-base', 0) });
  const chatterMs = arg('chatter-ms', 1500);
  if (chatterMs > 0) sims.startChatter(chatterMs);
  process.stdout.write(JSON.stringify({ settings: sims.settings(), tokens: sims.tokens }) + '\n');
  const stop = async () => {
    await sims.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
