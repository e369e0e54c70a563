// Decode throughput: recorded frames through each platform's decoder into the shared ChatMessage,
// side by side (same run, same frames, interleaved rounds) with the official client's message path
// where one exists: Mixer's `@mixer/chat-client-websocket` Socket.parsePacket (JSON.parse + emit of
// the raw event) and Glimesh's `phoenix` Socket (fake transport → onConnMessage → default
// serializer → onMessage callbacks). The official paths stop at the raw object; ours also builds
// the ChatMessage (parts, roles, colours), so the ratio is conservative for us.
import { Socket as MixerSocket } from '@mixer/chat-client-websocket';
import { Socket as PhoenixSocket } from 'phoenix';
import { WebSocket } from 'ws';
import type { ChatMessage, PlatformId } from '../src/core/message';
import { decodeFrame, mapChatMessage, subscriptionMessage } from '../src/platforms/glimesh';
import { decodeEvent, decodePacket } from '../src/platforms/mixer';
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
  /** Frames per CPU second into ChatMessage (median of the rounds). */
  readonly oursFramesPerSecond: number;
  /** Our frame parser alone (JSON + shape checks, no ChatMessage): like for like with the official path. */
  readonly oursParseOnlyFramesPerSecond?: number;
  readonly official?: { readonly name: string; readonly framesPerSecond: number };
  /** ours / official (> 1: ours is faster). */
  readonly ratio?: number;
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

function oursFor(platform: PlatformId): Decoder {
  const now = Date.now();
  switch (platform) {
    case 'mixer': {
      let seq = 0;
      const context = {
        channel: 'codercat',
        receivedAt: now,
        showJoinLeave: false,
        nextSeq: () => ++seq,
      };
      return (frames) => {
        let decoded = 0;
        for (const frame of frames) {
          const packet = decodePacket(frame);
          if (packet.type !== 'event') continue;
          const outcome = decodeEvent(packet.event, packet.data, context) as
            { ops?: ReadonlyArray<{ op: string }>; op?: { op: string } } | undefined;
          if (outcome) decoded++;
        }
        return decoded;
      };
    }
    case 'glimesh':
      return (frames) => {
        let decoded = 0;
        for (const frame of frames) {
          const f = decodeFrame(frame);
          if (f.type !== 'frame' || f.event !== 'subscription:data') continue;
          const message: ChatMessage | undefined = mapChatMessage(
            subscriptionMessage(f.payload),
            'codercat',
            now,
          );
          if (message) decoded++;
        }
        return decoded;
      };
    case 'tau':
      return (frames) => {
        let decoded = 0;
        for (const frame of frames) if (decodeChatFrame(frame, now).type === 'privmsg') decoded++;
        return decoded;
      };
  }
}

function parseOnlyFor(platform: PlatformId): Decoder | undefined {
  switch (platform) {
    case 'mixer':
      return (frames) => frames.filter((f) => decodePacket(f).type === 'event').length;
    case 'glimesh':
      return (frames) => frames.filter((f) => decodeFrame(f).type === 'frame').length;
    case 'tau':
      return undefined;
  }
}

function officialFor(platform: PlatformId): { name: string; decode: Decoder } | undefined {
  switch (platform) {
    case 'mixer': {
      // Never connected: parsePacket is the official client's whole receive path after the socket.
      const socket = new MixerSocket(WebSocket as never, ['ws://127.0.0.1:9'], {
        clientId: 'bench',
      } as never);
      let decoded = 0;
      socket.on('ChatMessage', () => decoded++);
      socket.on('error', () => {});
      const parse = (socket as unknown as { parsePacket(data: string): void }).parsePacket.bind(
        socket,
      );
      return {
        name: '@mixer/chat-client-websocket Socket.parsePacket',
        decode: (frames) => {
          decoded = 0;
          for (const frame of frames) parse(frame);
          return decoded;
        },
      };
    }
    case 'glimesh': {
      // A transport that is open at once and never sends: frames enter through its onmessage, as from a socket.
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
        heartbeatIntervalMs: 2 ** 30,
        reconnectAfterMs: () => 2 ** 30,
      });
      let decoded = 0;
      socket.onMessage((message: { event?: string }) => {
        if (message.event === 'subscription:data') decoded++;
      });
      socket.connect();
      FakeTransport.last?.onopen?.();
      const transport = FakeTransport.last;
      if (!transport?.onmessage) return undefined;
      const deliver = transport.onmessage;
      return {
        name: 'phoenix Socket (fake transport → onConnMessage → serializer)',
        decode: (frames) => {
          decoded = 0;
          for (const frame of frames) deliver({ data: frame });
          return decoded;
        },
      };
    }
    case 'tau':
      return undefined;
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
    const ours = oursFor(platform.id);
    const official = officialFor(platform.id);
    // Warm up both paths, then interleave rounds so drift hits both alike.
    measure(ours, frames, 300);
    if (official) measure(official.decode, frames, 300);
    const oursRates: number[] = [];
    const officialRates: number[] = [];
    let oursDecoded = 0;
    let officialDecoded = 0;
    for (let round = 0; round < options.rounds; round++) {
      const a = measure(ours, frames, options.roundMs);
      oursRates.push(a.perSecond);
      oursDecoded = a.decoded;
      if (official) {
        const b = measure(official.decode, frames, options.roundMs);
        officialRates.push(b.perSecond);
        officialDecoded = b.decoded;
      }
    }
    if (oursDecoded !== frames.length)
      options.log(
        `  ${platform.id}: our decoder produced ${oursDecoded} messages from ${frames.length} frames`,
      );
    if (official && officialDecoded !== frames.length)
      options.log(
        `  ${platform.id}: the official path delivered ${officialDecoded} of ${frames.length} frames`,
      );
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const parseOnly = parseOnlyFor(platform.id);
    const parseRates: number[] = [];
    if (parseOnly)
      for (let round = 0; round < options.rounds; round++)
        parseRates.push(measure(parseOnly, frames, options.roundMs).perSecond);
    const oursFps = median(oursRates);
    const officialFps = official ? median(officialRates) : undefined;
    results.push({
      platform: platform.id,
      frames: frames.length,
      averageFrameBytes: Math.round(
        frames.reduce((n, f) => n + Buffer.byteLength(f), 0) / Math.max(1, frames.length),
      ),
      oursFramesPerSecond: Math.round(oursFps),
      ...(parseRates.length
        ? { oursParseOnlyFramesPerSecond: Math.round(median(parseRates)) }
        : {}),
      ...(official && officialFps !== undefined
        ? {
            official: { name: official.name, framesPerSecond: Math.round(officialFps) },
            ratio: oursFps / officialFps,
          }
        : {}),
    });
    options.log(
      `  decode ${platform.id}: ${frames.length} frames, ours ${Math.round(oursFps).toLocaleString('en')} frames/s${officialFps ? `, official ${Math.round(officialFps).toLocaleString('en')} frames/s` : ''}`,
    );
  }
  return results;
}
