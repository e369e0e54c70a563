// One registry of the platforms the benchmarks and the soak drive: how to start each simulator,
// post a viewer's line, drop or stall its connections, read what users sent, and build the
// extension's real client through the platform factory. Adding a platform is one entry here.
import type { PlatformClient, PlatformDeps } from '../src/core/client';
import type { PlatformId } from '../src/core/message';
import { glimeshPlatformFactory } from '../src/platforms/glimesh';
import { mixerPlatformFactory } from '../src/platforms/mixer';
import { tauPlatformFactory } from '../src/platforms/tau';
import { GLIMESH_SIM_TOKEN, startGlimeshSimulator } from '../test/simulators/glimesh/server';
import { MIXER_SIM_TOKEN, startMixerSimulator } from '../test/simulators/mixer/server';
import { TAU_SIM_TOKEN, startTauSimulator } from '../test/simulators/tau/server';

/** A running simulator as the soak and the benchmarks see it. */
export interface BenchSimulator {
  readonly platform: PlatformId;
  /** The token the simulator accepts (a test value). */
  readonly token: string;
  /** The simulator's TCP port: server sockets on it belong to this platform. */
  readonly port: number;
  /** VS Code settings (`streamChat.<platform>.*`) pointing at the simulator. */
  settings(): Record<string, unknown>;
  /** Posts one viewer line with this exact text. */
  post(text: string, user: string): void;
  dropConnections(): void;
  /** A heartbeat or keep-alive stall; `silencesChat`: the platform's chat must pause too for the stall to be a dead connection. */
  readonly stall?: {
    readonly kind: string;
    set(on: boolean): void;
    readonly silencesChat: boolean;
  };
  /** The texts users sent through this simulator, in order. */
  sentTexts(): string[];
  close(): Promise<void>;
}

/** One platform: its simulator and its client factory. */
export interface BenchPlatform {
  readonly id: PlatformId;
  /** The name used in the Set Token picker. */
  readonly label: string;
  start(options: { keepAliveMs?: number }): Promise<BenchSimulator>;
  readonly factory: (deps: PlatformDeps<Readonly<Record<string, unknown>>>) => PlatformClient;
  /** Emote codes viewers type on this platform (for generated chat). */
  readonly emotes: readonly string[];
  /** Raw settings the soak adds (e.g. a short TAU keep-alive so its stall is seen in time). */
  readonly soakSettings?: (keepAliveMs: number) => Record<string, unknown>;
}

const VIEWER_ROLES = [{}, { subscriber: true }, {}, { moderator: true }, {}] as const;

export const BENCH_PLATFORMS: readonly BenchPlatform[] = [
  {
    id: 'glimesh',
    label: 'Glimesh',
    emotes: [':glimheart:', ':glimchef:'],
    factory: glimeshPlatformFactory,
    async start() {
      const sim = await startGlimeshSimulator();
      let n = 0;
      return {
        platform: 'glimesh',
        token: GLIMESH_SIM_TOKEN,
        port: sim.port,
        settings: () => sim.settings(),
        post: (text, user) =>
          void sim.postChat({ user, text, roles: VIEWER_ROLES[n++ % VIEWER_ROLES.length] }),
        dropConnections: () => sim.dropConnections(),
        stall: {
          kind: 'heartbeat replies withheld',
          set: (on) => sim.stallHeartbeats(on),
          silencesChat: false,
        },
        sentTexts: () => sim.sent.map((s) => s.text),
        close: () => sim.close(),
      };
    },
  },
  {
    id: 'mixer',
    label: 'Mixer',
    emotes: [':)', ':D', '<3', ':codercatHype'],
    factory: mixerPlatformFactory,
    async start() {
      // The soak's user sends 1 line every few seconds; Mixer's limit stays as documented.
      const sim = await startMixerSimulator();
      let n = 0;
      const roles = [['User'], ['Subscriber', 'User'], ['User'], ['Mod', 'User'], ['Pro', 'User']];
      return {
        platform: 'mixer',
        token: MIXER_SIM_TOKEN,
        port: sim.port,
        settings: () => sim.settings(),
        post: (text, user) => void sim.postChat({ user, text, roles: roles[n++ % roles.length]! }),
        dropConnections: () => sim.dropConnections(),
        stall: {
          kind: 'server silent (no replies, no pongs)',
          set: (on) => sim.stall(on),
          silencesChat: false,
        },
        sentTexts: () => sim.sent.map((s) => s.text),
        close: () => sim.close(),
      };
    },
  },
  {
    id: 'tau',
    label: 'Twitch (TAU)',
    emotes: ['Kappa', 'LUL'],
    factory: tauPlatformFactory,
    soakSettings: (keepAliveMs) => ({
      'streamChat.tau.keepAliveIntervalSeconds': keepAliveMs / 1000,
    }),
    async start(options) {
      const sim = await startTauSimulator({ keepAliveMs: options.keepAliveMs ?? 30_000 });
      let n = 0;
      const colors = ['#FF4500', '#1E90FF', '#9ACD32', '#DAA520', '#8A2BE2'];
      return {
        platform: 'tau',
        token: TAU_SIM_TOKEN,
        port: sim.port,
        settings: () => sim.settings(),
        post: (text, user) => {
          const i = n++;
          // Twitch sends emote positions (code points) in the tags; the simulator takes them as given.
          const emotes: Array<{ id: string; positions: Array<[number, number]> }> = [];
          for (const [code, id] of [
            ['Kappa', '25'],
            ['LUL', '425618'],
          ] as const) {
            const positions: Array<[number, number]> = [];
            for (let at = text.indexOf(code); at >= 0; at = text.indexOf(code, at + 1)) {
              const start = [...text.slice(0, at)].length;
              positions.push([start, start + code.length - 1]);
            }
            if (positions.length) emotes.push({ id, positions });
          }
          void sim.postChat({
            user,
            text,
            color: colors[i % colors.length]!,
            badges: i % 4 === 0 ? { subscriber: '12' } : {},
            emotes,
          });
        },
        dropConnections: () => sim.dropConnections(),
        // TAU's watchdog counts any frame as life, so a keep-alive stall is only a dead connection when chat is quiet too.
        stall: {
          kind: 'keep-alives withheld, chat quiet',
          set: (on) => sim.stallKeepAlives(on),
          silencesChat: true,
        },
        sentTexts: () => sim.sent.map((s) => s.message),
        close: () => sim.close(),
      };
    },
  },
];

/** `streamChat.<platform>.x` → `x`, as the composition root hands settings to a factory. */
export function rawSettingsFor(
  platform: PlatformId,
  settings: Record<string, unknown>,
): Record<string, unknown> {
  const prefix = `streamChat.${platform}.`;
  return Object.fromEntries(
    Object.entries(settings)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}

/** Viewer names for generated chat. */
export const VIEWERS = [
  'pixelpanda',
  'rustacean42',
  'tabsnotspaces',
  'nullpointer',
  'devdiana',
  'lintergirl',
  'async_await',
  'rubberduckdev',
];

/** Realistic chat text (no links or emote codes: the bench counts lines by their text). */
export const PHRASES = [
  'what font is that?',
  'the reconnect backoff looks clean',
  'why not use a Map there instead of an object',
  'tests are green, ship it',
  'first time here, love the stream',
  'is that a VS Code extension? nice',
  'can you zoom in a bit please',
  'off by one again',
];

/** A small seeded PRNG (mulberry32), so every run decodes the same corpus. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a is it this that what why how can you we i lol nice code test tests bug fix function const let async await promise ' +
  'type interface class map set array string number null undefined return import export refactor merge branch commit push ' +
  'stream chat vim emacs vscode rust go typescript node deno bun react css html grid flex docker build ci green red again ' +
  'please zoom font theme dark light semicolon tabs spaces hello hi gg pog coffee keyboard monitor line file folder'
).split(' ');

/** A realistic viewer line: mostly short, some emotes, links and mentions, the odd long one. */
export function randomChatText(random: () => number, emotes: readonly string[]): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const long = random() < 0.04;
  const count = long ? 30 + Math.floor(random() * 20) : 1 + Math.floor(random() * 12);
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.07 && emotes.length) words.push(pick(emotes));
    else if (r < 0.085) words.push(`https://github.com/${pick(VIEWERS)}/${pick(WORDS)}`);
    else if (r < 0.1) words.push(`@${pick(VIEWERS)}`);
    else words.push(pick(WORDS));
  }
  if (random() < 0.3) words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
  return words.join(' ').slice(0, 250);
}
