// A TCP proxy on 127.0.0.1 in front of a simulator, for the faults a real network produces and a
// simulator cannot: a black hole that never sends FIN, a link at 1 byte per 100 ms, an RST in the
// middle of a websocket frame, an upgrade followed by silence, and recovery. It also records
// everything clients send through it as text (HTTP heads and bodies as they are, websocket frames
// unmasked), so a test can prove a token never reached a server.
import * as net from 'node:net';

export type FaultMode =
  /** Bytes flow both ways. */
  | 'pass'
  /** Nothing flows and nothing closes, on every connection, old or new (no FIN, no RST). */
  | 'blackhole'
  /** Bytes flow one at a time, every 100 ms, both ways. */
  | 'trickle'
  /** Websocket connections get half a frame, then an RST; plain HTTP still flows. */
  | 'rst'
  /** Websocket upgrades complete, then nothing more flows either way; plain HTTP still flows. */
  | 'silence';

export interface FaultProxy {
  readonly port: number;
  /** `http://127.0.0.1:<port>` with the given scheme. */
  origin(scheme?: 'http' | 'ws'): string;
  readonly mode: FaultMode;
  setMode(mode: FaultMode): void;
  /** Back to `pass` for new connections; connections caught by a fault stay as they are. */
  recover(): void;
  /** Everything clients sent, decoded to text. */
  received(): string;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

const TRICKLE_MS = 100;

/** Reads the client → server byte stream: the HTTP head (rewritten to refuse compression), then websocket frames. */
class ClientStream {
  private _buffer = Buffer.alloc(0);
  private _isWebsocket = false;
  private _headDone = false;

  constructor(private readonly _record: (text: string) => void) {}

  /** Takes raw bytes from the client; returns the bytes to forward. */
  push(chunk: Buffer): Buffer {
    if (this._isWebsocket) {
      this._buffer = Buffer.concat([this._buffer, chunk]);
      this._readFrames();
      return chunk;
    }
    if (this._headDone) {
      this._record(chunk.toString('latin1'));
      return chunk;
    }
    this._buffer = Buffer.concat([this._buffer, chunk]);
    const end = this._buffer.indexOf('\r\n\r\n');
    if (end < 0) return Buffer.alloc(0);
    const head = this._buffer.subarray(0, end + 4).toString('latin1');
    const rest = this._buffer.subarray(end + 4);
    this._buffer = Buffer.alloc(0);
    this._record(head);
    if (/^upgrade:\s*websocket/im.test(head)) {
      this._isWebsocket = true;
      // No permessage-deflate: frames stay readable for the record.
      const plain = head.replace(/^sec-websocket-extensions:.*\r\n/gim, '');
      this._buffer = rest;
      this._readFrames();
      return Buffer.concat([Buffer.from(plain, 'latin1'), rest]);
    }
    // Plain HTTP (keep-alive): the next request's head is recorded as body text, which is enough.
    this._headDone = true;
    this._record(rest.toString('latin1'));
    return Buffer.concat([Buffer.from(head, 'latin1'), rest]);
  }

  private _readFrames(): void {
    for (;;) {
      const b = this._buffer;
      if (b.length < 2) return;
      let length = b[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (b[1]! & 0x80) !== 0;
      const key = masked ? b.subarray(offset, offset + 4) : undefined;
      if (masked) offset += 4;
      if (b.length < offset + length) return;
      const payload = Buffer.from(b.subarray(offset, offset + length));
      if (key) for (let i = 0; i < payload.length; i++) payload[i]! ^= key[i % 4]!;
      const opcode = b[0]! & 0x0f;
      if (opcode <= 2 || opcode === 8) this._record(payload.toString('utf8'));
      this._buffer = b.subarray(offset + length);
    }
  }
}

/** One accepted connection and its upstream. */
class Link {
  readonly upstream: net.Socket | undefined;
  /** Caught by a fault: nothing flows any more, and nothing is closed. */
  isStuck = false;
  private _isUpgraded = false;
  private _serverHead = '';
  private readonly _decoder: ClientStream;
  private readonly _queues = { up: [] as number[], down: [] as number[] };
  private _trickleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly client: net.Socket,
    targetPort: number,
    private readonly _proxy: { mode: FaultMode },
    record: (text: string) => void,
  ) {
    this._decoder = new ClientStream(record);
    client.on('error', () => {});
    if (_proxy.mode === 'blackhole') {
      // Accept, then say nothing: the peer of a dead route.
      this.isStuck = true;
      client.on('data', (chunk) => this._decoder.push(chunk));
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    this.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => {
      if (!this.isStuck) client.end();
    });
    client.on('close', () => {
      if (!this.isStuck) upstream.destroy();
    });
    client.on('data', (chunk) => this._send('up', this._decoder.push(chunk)));
    upstream.on('data', (chunk) => this._fromServer(chunk));
  }

  /** Applies a mode change to this live connection. */
  apply(mode: FaultMode): void {
    if (this.isStuck) return;
    if (mode === 'blackhole' || (mode === 'silence' && this._isUpgraded)) this.isStuck = true;
    else if (mode === 'rst' && this._isUpgraded) this._reset();
  }

  private _fromServer(chunk: Buffer): void {
    if (this._isUpgraded) return this._send('down', chunk);
    this._serverHead += chunk.toString('latin1');
    this._send('down', chunk);
    if (/^HTTP\/1\.1 101/.test(this._serverHead) && this._serverHead.includes('\r\n\r\n')) {
      this._isUpgraded = true;
      const mode = this._proxy.mode;
      if (mode === 'silence') this.isStuck = true;
      else if (mode === 'rst') setImmediate(() => this._reset());
    } else if (this._serverHead.length > 64 * 1024) this._serverHead = '';
  }

  private _send(direction: 'up' | 'down', bytes: Buffer): void {
    if (this.isStuck || bytes.length === 0) return;
    const target = direction === 'up' ? this.upstream : this.client;
    if (!target) return;
    if (
      this._proxy.mode !== 'trickle' &&
      this._queues.up.length === 0 &&
      this._queues.down.length === 0
    ) {
      target.write(bytes);
      return;
    }
    this._queues[direction].push(...bytes);
    this._trickleTimer ??= setInterval(() => this._trickle(), TRICKLE_MS);
  }

  private _trickle(): void {
    if (this.isStuck) return;
    const up = this._queues.up.shift();
    if (up !== undefined) this.upstream?.write(Buffer.from([up]));
    const down = this._queues.down.shift();
    if (down !== undefined) this.client.write(Buffer.from([down]));
    if (
      this._queues.up.length === 0 &&
      this._queues.down.length === 0 &&
      this._proxy.mode !== 'trickle'
    )
      this._stopTrickle();
  }

  private _stopTrickle(): void {
    if (this._trickleTimer) clearInterval(this._trickleTimer);
    this._trickleTimer = undefined;
  }

  /** Half a text frame (it announces 10 bytes and carries 2), then an RST. */
  private _reset(): void {
    this.isStuck = true;
    this.client.write(Buffer.from([0x81, 0x0a, 0x68, 0x69]), () => this.client.resetAndDestroy());
    this.upstream?.destroy();
  }

  destroy(): void {
    this._stopTrickle();
    this.client.destroy();
    this.upstream?.destroy();
  }
}

/** Starts a proxy to `127.0.0.1:<targetPort>`, on `port` (0: any free port). */
export async function startFaultProxy(options: {
  targetPort: number;
  port?: number;
}): Promise<FaultProxy> {
  const links = new Set<Link>();
  const state = { mode: 'pass' as FaultMode };
  let received = '';
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    const link = new Link(socket, options.targetPort, state, (text) => (received += text));
    links.add(link);
    socket.on('close', () => {
      if (!link.isStuck) links.delete(link);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    origin: (scheme = 'http') => `${scheme}://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    get connections() {
      return connections;
    },
    setMode(mode) {
      state.mode = mode;
      for (const link of links) link.apply(mode);
    },
    recover() {
      state.mode = 'pass';
    },
    received: () => received,
    close: async () => {
      for (const link of links) link.destroy();
      links.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
