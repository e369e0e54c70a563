// All platform simulators together, for the demo, the soak and UI tests.
import { GLIMESH_SIM_TOKEN, GlimeshSimulator, startGlimeshSimulator } from './glimesh/server';
import { MIXER_SIM_TOKEN, MixerSimulator, startMixerSimulator } from './mixer/server';
import { TAU_SIM_TOKEN, TauSimulator, startTauSimulator } from './tau/server';

export interface Simulators {
  readonly glimesh: GlimeshSimulator;
  readonly mixer: MixerSimulator;
  readonly tau: TauSimulator;
  /** The tokens each simulator accepts (demo and test values, not secrets). */
  readonly tokens: Record<string, string>;
  /** VS Code settings pointing Stream Chat at every simulator. */
  settings(): Record<string, unknown>;
  startChatter(intervalMs: number): void;
  stopChatter(): void;
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startSimulators(options: { portBase?: number } = {}): Promise<Simulators> {
  const base = options.portBase ?? 0;
  const mixer = await startMixerSimulator({ port: base ? base + 1 : 0 });
  const tau = await startTauSimulator({ port: base ? base + 2 : 0, keepAliveMs: 30_000 });
  const glimesh = await startGlimeshSimulator({ port: base ? base + 3 : 0 });
  const all = [glimesh, mixer, tau];
  return {
    glimesh,
    mixer,
    tau,
    tokens: { glimesh: GLIMESH_SIM_TOKEN, mixer: MIXER_SIM_TOKEN, tau: TAU_SIM_TOKEN },
    settings: () => ({ ...glimesh.settings(), ...mixer.settings(), ...tau.settings() }),
    startChatter: (ms) => all.forEach((s) => s.startChatter(ms)),
    stopChatter: () => all.forEach((s) => s.stopChatter()),
    dropConnections: () => all.forEach((s) => s.dropConnections()),
    close: async () => {
      await Promise.all(all.map((s) => s.close()));
    },
  };
}
