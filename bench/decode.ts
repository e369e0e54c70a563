// Decode throughput: recorded frames through each platform's decoder into the shared ChatMessage,
// side by side (same run, same frames, interleaved rounds) with the official client's receive path
// where one exists: Mixer's `@mixer/chat-client-websocket` Socket.parsePacket (JSON.parse, then the
// raw event emitted) and Glimesh's `phoenix` Socket (fake transport → onConnMessage → serializer →
// onMessage callbacks). Like for like, the official path then maps the raw object it hands its
// listener into the same ChatMessage with the same mapping function ours uses; the official path
// alone (stopping at the raw object, no model) is reported beside it as the conservative figure.
import { Socket as MixerSocket } from '@mixer/chat-client-websocket';
import { Socket as PhoenixSocket } from 'phoenix';
import { WebSocket } from 'ws';
import type { PlatformId } from '../src/core/message';
import {
  CONTROL_TOPIC,
  classifyFrame,
  decodeFrame,
  mapChatMessage,
  subscriptionMessage,
} from '../src/platforms/glimesh/codec';
import {
  MixerDecodeContext,
  decodeChatMessage,
  decodeEvent,
  decodePacket,
} from '../src/platforms/mixer/codec';
import { decodeChatFrame } from '../src/platforms/tau';
import {
  BENCH_PLATFORMS,
  BenchPlatform,
  VIEWERS,
  rawSettingsFor,
  randomChatText,
  seededRandom,
} from './platforms';

/** One platform's decode figures. */
export interface DecodeResult {
  readonly platform: PlatformId;
  readonly frames: number;
  readonly averageFrameBytes: number;
  /** Frames per CPU second through our receive path into ChatMessage (median of the rounds). */
  readonly oursFramesPerSecond: number;
  /** The official client's receive path, then the same mapping into ChatMessage: like for like. */
  readonly official?: { readonly name: string; readonly framesPerSecond: number };
  /** ours / official, the median of the per-round ratios (> 1: ours is faster). */
  readonly ratio?: number;
  /** The official client's receive path alone, stopping at its raw object (no model). */
  readonly officialRawFramesPerSecond?: number;
  /** ours (into the model) / official raw: conservative for us, since only ours builds the model. */
  readonly rawRatio?: number;
}

type Decoder = (frames: readonly string[]) => number;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Records `count` chat frames exactly as the simulator writes them to the extension's own client. */
export async function recordCorpus(
  platform: BenchPlatform,
  count: number,
  seed: number,
): Promise<string[]> {
  const sim = await platform.start({});
  const frames: string[] = [];
  const proto = WebSocket.prototype as unknown as {
    send(
      this: WebSocket & { _isServer: boolean; _socket?: { localPort?: number } },
      data: unknown,
      ...rest: unknown[]
    ): void;
  };
  const originalSend = proto.send;
  let recording = false;
  proto.send = function (data, ...rest) {
    if (
      recording &&
      this._isServer &&
      this._socket?.localPort === sim.port &&
      typeof data === 'string' &&
      VIEWERS.some((v) => data.includes(v))
    )
      frames.push(data);
    return originalSend.call(this, data, ...rest);
  };
  const client = platform.factory({
    settings: rawSettingsFor(platform.id, sim.settings()),
    getToken: async () => sim.token,
    log: { trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  try {
    client.connect();
    for (let i = 0; client.state.kind !== 'connected'; i++) {
      if (i > 200) throw new Error(`${platform.id}: the client did not connect to its simulator`);
      await sleep(50);
    }
    await sleep(300);
    recording = true;
    const random = seededRandom(seed);
    for (let i = 0; i < count; i++) {
      sim.post(
        randomChatText(random, platform.emotes),
        VIEWERS[Math.floor(random() * VIEWERS.length)]!,
      );
      if (i % 200 === 199) await sleep(5);
    }
    for (let i = 0; frames.length < count && i < 100; i++) await sleep(50);
  } finally {
    recording = false;
    proto.send = originalSend;
    client.dispose();
    await sim.close();
  }
  return frames.slice(0, count);
}

const CHANNEL = 'codercat';

/** Mixer's decode context, fixed for the run (the client's carries the channel, the arrival time and a counter). */
function mixerContext(now: number): MixerDecodeContext {
  let seq = 0;
  return { channel: CHANNEL, receivedAt: now, showJoinLeave: false, nextSeq: () => ++seq };
}

/**
 * A phoenix Socket on a transport that is open at once and never sends: frames enter through its
 * `onmessage`, as from a `ws` socket. `decode` is the serializer hook (ours, as the Glimesh client
 * installs it) or undefined for phoenix's own. The control channel is joined, as every Absinthe
 * client (ours and `@absinthe/socket`) does, so phoenix's per-frame channel walk is the real one.
 */
function phoenixDeliver(
  decode: ((raw: unknown, callback: (message: object) => void) => void) | undefined,
  onMessage?: (message: { event?: string; payload?: unknown }) => void,
): ((frame: string) => void) | undefined {
  class FakeTransport {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    static last: FakeTransport | undefined;
    readyState = 1;
    binaryType = 'arraybuffer';
    onopen: (() => void) | null = null;
    onmessage: ((event: { data: string }) => void) | null = null;
    onclose: ((event: unknown) => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;
    constructor() {
      FakeTransport.last = this;
    }
    send(): void {}
    close(): void {}
  }
  const socket = new PhoenixSocket('ws://127.0.0.1:9/socket', {
    transport: FakeTransport as never,
    vsn: '2.0.0',
    heartbeatIntervalMs: 2 ** 30,
    reconnectAfterMs: () => 2 ** 30,
    rejoinAfterMs: () => 2 ** 30,
    ...(decode ? { decode } : {}),
  });
  if (onMessage) socket.onMessage(onMessage);
  socket.channel(CONTROL_TOPIC, {}).join();
  socket.connect();
  FakeTransport.last?.onopen?.();
  const transport = FakeTransport.last;
  if (!transport?.onmessage) return undefined;
  const deliver = transport.onmessage;
  return (frame) => deliver({ data: frame });
}

/**
 * The three paths for one platform, all from the same frame text:
 * - `ours`: the extension's own receive path into the shared ChatMessage (what its client runs);
 * - `official`: the official client's receive path, then the same mapping into ChatMessage from the
 *   raw object it hands its listener (like for like: same input, same output);
 * - `officialRaw`: the official client's receive path alone, stopping at the raw object it hands
 *   its listener (no model: conservative for us).
 */
export interface DecodePaths {
  readonly ours: Decoder;
  readonly official?: { readonly name: string; readonly decode: Decoder };
  readonly officialRaw?: Decoder;
}

export function pathsFor(platform: PlatformId): DecodePaths | undefined {
  const now = Date.now();
  switch (platform) {
    case 'mixer': {
      // Ours: MixerConnection decodes the packet, MixerClient turns the event into a message.
      const context = mixerContext(now);
      const ours: Decoder = (frames) => {
        let decoded = 0;
        for (const frame of frames) {
          const packet = decodePacket(frame);
          if (packet.type !== 'event') continue;
          if (decodeEvent(packet.event, packet.data, context).kind === 'message') decoded++;
        }
        return decoded;
      };
      // Official: never connected; parsePacket is the client's whole receive path after the socket
      // (JSON.parse, then `packet` and the event emitted on the socket).
      const official = (toModel: boolean): Decoder => {
        const socket = new MixerSocket(WebSocket as never, ['ws://127.0.0.1:9'], {
          clientId: 'bench',
        } as never);
        const officialContext = mixerContext(now);
        let decoded = 0;
        socket.on(
          'ChatMessage',
          toModel
            ? (data: unknown) => {
                if (decodeChatMessage(data, officialContext)) decoded++;
              }
            : () => decoded++,
        );
        socket.on('error', () => {});
        const parse = (socket as unknown as { parsePacket(data: string): void }).parsePacket.bind(
          socket,
        );
        return (frames) => {
          decoded = 0;
          for (const frame of frames) parse(frame);
          return decoded;
        };
      };
      return {
        ours,
        official: {
          name: '@mixer/chat-client-websocket Socket.parsePacket',
          decode: official(true),
        },
        officialRaw: official(false),
      };
    }
    case 'glimesh': {
      // Ours: the phoenix Socket the Glimesh client opens, with the client's decode hook
      // (decodeFrame, classifyFrame; subscription pushes go straight to mapChatMessage).
      let oursDecoded = 0;
      let subscriptionId: string | undefined;
      const oursDeliver = phoenixDeliver((raw, callback) => {
        const frame = decodeFrame(raw);
        if (frame.type === 'malformed') return;
        const meaning = classifyFrame(frame);
        if (meaning.type === 'subscriptionData') {
          subscriptionId ??= meaning.subscriptionId;
          if (
            meaning.subscriptionId === subscriptionId &&
            meaning.errors.length === 0 &&
            meaning.message !== undefined &&
            mapChatMessage(meaning.message, CHANNEL, now)
          )
            oursDecoded++;
          return;
        }
        callback({
          join_ref: frame.joinRef,
          ref: frame.ref,
          topic: frame.topic,
          event: frame.event,
          payload: frame.payload,
        });
      });
      // Official: phoenix's own serializer; its onMessage callbacks get every frame.
      let officialDecoded = 0;
      const officialDeliver = phoenixDeliver(undefined, (message) => {
        if (message.event !== 'subscription:data') return;
        const node = subscriptionMessage(message.payload);
        if (node !== undefined && mapChatMessage(node, CHANNEL, now)) officialDecoded++;
      });
      let rawDecoded = 0;
      const rawDeliver = phoenixDeliver(undefined, (message) => {
        if (message.event === 'subscription:data') rawDecoded++;
      });
      if (!oursDeliver || !officialDeliver || !rawDeliver) return undefined;
      return {
        ours: (frames) => {
          oursDecoded = 0;
          for (const frame of frames) oursDeliver(frame);
          return oursDecoded;
        },
        official: {
          name: 'phoenix Socket (transport onmessage → onConnMessage → serializer → onMessage)',
          decode: (frames) => {
            officialDecoded = 0;
            for (const frame of frames) officialDeliver(frame);
            return officialDecoded;
          },
        },
        officialRaw: (frames) => {
          rawDecoded = 0;
          for (const frame of frames) rawDeliver(frame);
          return rawDecoded;
        },
      };
    }
    case 'tau':
      return {
        ours: (frames) => {
          let decoded = 0;
          for (const frame of frames) if (decodeChatFrame(frame, now).type === 'privmsg') decoded++;
          return decoded;
        },
      };
  }
}

/** This process's CPU time in ms (user + system): on a shared machine, time spent waiting for a core is not ours. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Frames per CPU second over passes that last at least `minMs` of wall time. */
function measure(
  decode: Decoder,
  frames: readonly string[],
  minMs: number,
): { perSecond: number; decoded: number } {
  let decoded = 0;
  let done = 0;
  const started = performance.now();
  const cpuStarted = cpuMs();
  while (performance.now() - started < minMs) {
    decoded = decode(frames);
    done += frames.length;
  }
  return { perSecond: (done / Math.max(1e-3, cpuMs() - cpuStarted)) * 1000, decoded };
}

const median = (xs: readonly number[]) =>
  xs.length === 0 ? Number.NaN : [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

/** Runs the decode comparison for every registered platform. */
export async function runDecodeBench(options: {
  framesPerPlatform: number;
  rounds: number;
  roundMs: number;
  log: (line: string) => void;
}): Promise<DecodeResult[]> {
  const results: DecodeResult[] = [];
  for (const [index, platform] of BENCH_PLATFORMS.entries()) {
    const frames = await recordCorpus(platform, options.framesPerPlatform, 0x5eed + index);
    const paths = pathsFor(platform.id);
    if (!paths) throw new Error(`${platform.id}: the decode paths could not be set up`);
    const named: Array<{ key: 'ours' | 'official' | 'officialRaw'; decode: Decoder }> = [
      { key: 'ours', decode: paths.ours },
      ...(paths.official ? [{ key: 'official' as const, decode: paths.official.decode }] : []),
      ...(paths.officialRaw ? [{ key: 'officialRaw' as const, decode: paths.officialRaw }] : []),
    ];
    // Warm up every path, then interleave rounds (in a rotating order) so drift and the other
    // paths' garbage hit each alike; the ratios are taken per round, then the median.
    for (const p of named) measure(p.decode, frames, 300);
    const rates = { ours: [] as number[], official: [] as number[], officialRaw: [] as number[] };
    const decoded = { ours: 0, official: 0, officialRaw: 0 };
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < named.length; k++) {
        const p = named[(k + round) % named.length]!;
        const m = measure(p.decode, frames, options.roundMs);
        rates[p.key].push(m.perSecond);
        decoded[p.key] = m.decoded;
      }
    }
    for (const p of named)
      if (decoded[p.key] !== frames.length)
        options.log(
          `  ${platform.id}: the ${p.key} path made ${decoded[p.key]} messages of ${frames.length} frames`,
        );
    const perRound = (other: readonly number[]) =>
      median(rates.ours.map((ours, round) => ours / other[round]!));
    const oursFps = median(rates.ours);
    results.push({
      platform: platform.id,
      frames: frames.length,
      averageFrameBytes: Math.round(
        frames.reduce((n, f) => n + Buffer.byteLength(f), 0) / Math.max(1, frames.length),
      ),
      oursFramesPerSecond: Math.round(oursFps),
      ...(paths.official
        ? {
            official: {
              name: paths.official.name,
              framesPerSecond: Math.round(median(rates.official)),
            },
            ratio: perRound(rates.official),
          }
        : {}),
      ...(paths.officialRaw
        ? {
            officialRawFramesPerSecond: Math.round(median(rates.officialRaw)),
            rawRatio: perRound(rates.officialRaw),
          }
        : {}),
    });
    const r = results.at(-1)!;
    options.log(
      `  decode ${platform.id}: ${frames.length} frames, ours ${n0(oursFps)} frames/s` +
        (r.official
          ? `, official + same mapping ${n0(r.official.framesPerSecond)} (×${r.ratio!.toFixed(2)}), official raw ${n0(r.officialRawFramesPerSecond!)} (×${r.rawRatio!.toFixed(2)})`
          : ''),
    );
  }
  return results;
}

const n0 = (n: number) => Math.round(n).toLocaleString('en');
