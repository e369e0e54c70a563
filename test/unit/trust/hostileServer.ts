// A server that fails every way a real one can and echoes whatever credential it got into its
// error bodies, headers and websocket close reasons: the worst case for a client that shows
// servers' sentences to the streamer.
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export type HostileBehaviour =
  /** Every HTTP request: 401 with the Authorization header and URL in a GraphQL/DRF-shaped body. */
  | 'unauthorized'
  | 'forbidden'
  /** 429 with Retry-After and the echo. */
  | 'rateLimited'
  /** 500 with the echo as plain text. */
  | 'serverError'
  /** REST answers 200 `{}`; websocket upgrades are accepted and the first frame is echoed back as the close reason. */
  | 'socketEcho'
  /** Websocket upgrades refused with 403 and the echo as the body. */
  | 'upgradeRefused'
  /** GraphQL over HTTP: 200 with `errors` that echo the credential (as GraphQL servers answer). */
  | 'graphqlEcho'
  /**
   * Mixer's discovery answers well (its chat endpoint is this server); on the chat socket every
   * method reply is an error whose message echoes the token the REST calls carried.
   */
  | 'mixerReplyEcho'
  /** The same, but `auth` succeeds: the replies to `msg` (and every other method) echo it. */
  | 'mixerMsgEcho';

export interface HostileServer {
  readonly port: number;
  readonly base: string;
  behaviour: HostileBehaviour;
  /** How many requests and upgrades arrived. */
  readonly hits: number;
  /** What every request and upgrade carried: its URL and Authorization header. */
  readonly seen: readonly string[];
  close(): Promise<void>;
}

export async function startHostileServer(behaviour: HostileBehaviour): Promise<HostileServer> {
  let hits = 0;
  const seen: string[] = [];
  /** The last credential a REST call carried, for the Mixer socket's echo. */
  let lastCredential = '';
  const state = { behaviour };
  const echo = (req: http.IncomingMessage) => `${req.headers.authorization ?? ''} ${req.url ?? ''}`;
  const server = http.createServer((req, res) => {
    hits++;
    req.resume();
    const said = echo(req);
    seen.push(said);
    if (req.headers.authorization) lastCredential = said;
    const body = JSON.stringify({
      errors: [{ message: `invalid credential ${said}` }],
      detail: `Invalid token ${said}`,
      message: said,
    });
    switch (state.behaviour) {
      case 'unauthorized':
        res
          .writeHead(401, {
            'content-type': 'application/json',
            'x-echo': encodeURIComponent(said),
          })
          .end(body);
        return;
      case 'forbidden':
        res.writeHead(403, { 'content-type': 'application/json' }).end(body);
        return;
      case 'rateLimited':
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end(body);
        return;
      case 'serverError':
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`Traceback: ${said}`);
        return;
      case 'graphqlEcho':
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
        return;
      case 'mixerReplyEcho':
      case 'mixerMsgEcho': {
        const url = req.url ?? '';
        const json = (value: unknown) =>
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        if (/\/channels\//.test(url)) return json({ id: 160788 });
        if (/\/users\/current/.test(url)) return json({ id: 202834 });
        if (/\/chats\//.test(url))
          return json({
            authkey: 'hostile-authkey',
            endpoints: [`ws://127.0.0.1:${port}/mixer-chat`],
            permissions: ['chat', 'connect'],
          });
        res.writeHead(404, { 'content-type': 'application/json' }).end(body);
        return;
      }
      default:
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[]}');
    }
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    hits++;
    seen.push(echo(req));
    if (state.behaviour === 'mixerReplyEcho' || state.behaviour === 'mixerMsgEcho') {
      const authOk = state.behaviour === 'mixerMsgEcho';
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.send(
          JSON.stringify({ type: 'event', event: 'WelcomeEvent', data: { server: 'hostile' } }),
        );
        ws.on('message', (data) => {
          let call: { method?: unknown; id?: unknown };
          try {
            call = JSON.parse(data.toString()) as typeof call;
          } catch {
            return;
          }
          const reply = (fields: Record<string, unknown>) =>
            ws.send(JSON.stringify({ type: 'reply', id: call.id, error: null, ...fields }));
          if (call.method === 'ping') return reply({ data: null });
          if (call.method === 'auth' && authOk)
            return reply({ data: { authenticated: true, roles: ['Owner', 'User'] } });
          // Unknown (0) and BadRequest (4000): the two codes whose message the client repeats.
          reply({
            error: {
              code: call.method === 'msg' ? 4000 : 0,
              message: `refused ${lastCredential} ${data.toString()}`,
            },
          });
        });
      });
      return;
    }
    if (state.behaviour !== 'socketEcho') {
      const said = echo(req);
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(said) + 10}\r\n\r\nForbidden ${said}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const url = req.url ?? '';
      // Phoenix's token is in the URL; TAU's in the first frame.
      if (/token=/.test(url)) ws.close(4001, `refused ${url}`.slice(0, 120));
      ws.on('message', (data) => ws.close(4001, `refused ${data.toString()}`.slice(0, 120)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    base: `127.0.0.1:${port}`,
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(b: HostileBehaviour) {
      state.behaviour = b;
    },
    get hits() {
      return hits;
    },
    seen,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
