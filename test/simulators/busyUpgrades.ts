// A server that is too busy for websockets: every upgrade is answered with an HTTP status (429 or
// 503) and a Retry-After, and plain HTTP requests get `200 {}`, so a client gets as far as its
// socket. For checking that a client waits as long as the server asked before trying again.
import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface BusyUpgradeServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Upgrade attempts answered so far. */
  readonly upgrades: number;
  close(): Promise<void>;
}

export async function startBusyUpgradeServer(
  options: { status?: 429 | 503; retryAfter?: string } = {},
): Promise<BusyUpgradeServer> {
  const status = options.status ?? 429;
  const retryAfter = options.retryAfter ?? '7';
  const reason = status === 429 ? 'Too Many Requests' : 'Service Unavailable';
  let upgrades = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.on('upgrade', (_req, socket) => {
    upgrades++;
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nRetry-After: ${retryAfter}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get upgrades() {
      return upgrades;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
