import { Channel, Socket } from 'phoenix';
import WebSocket from 'ws';
import { Clock } from '../../core/clock';
import { ChatError, abortedError } from '../../core/errors';
import { Emitter } from '../../core/event';
import { HistoryGate } from '../../core/historyGate';
import { busyRetryAfterMs, hostOf } from '../../core/http';
import { MutableDisposable } from '../../core/lifecycle';
import { LivenessOptions, SocketLiveness } from '../../core/liveness';
import { Logger } from '../../core/log';
import { Pending } from '../../core/pending';
import { Session, SessionContext } from '../../core/reconnectingClient';
import {
  CONTROL_TOPIC,
  classifyFrame,
  decodeFrame,
  graphqlErrors,
  replyErrorText,
  sendRequest,
  subscriptionRequest,
} from './codec';
import { Credentials } from './http';
import { SocketEndpoint } from './settings';

export interface GlimeshSessionOptions {
  readonly clock: Clock;
  readonly liveness: LivenessOptions;
  readonly channel: string;
  readonly heartbeatIntervalMs: number;
  readonly pushTimeoutMs: number;
  readonly log: Logger;
}

/** The message Phoenix's socket reads (its decode hook's output). */
interface PhoenixMessage {
  readonly join_ref: string | null;
  readonly ref: string | null;
  readonly topic: string;
  readonly event: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** What a session does with one text frame: the one place a Glimesh frame's meaning is decided. */
export type FrameRoute =
  /** A chat message of this session's subscription (the Glimesh ChatMessage object). */
  | { readonly action: 'chat'; readonly node: unknown }
  /** Nothing we can use; the sentence is logged. */
  | { readonly action: 'skip'; readonly why: string }
  /** Replies, heartbeats and channel events: Phoenix's own business. */
  | { readonly action: 'phoenix'; readonly message: PhoenixMessage };

/** Routes one raw frame for a session whose subscription id is `subscriptionId`. */
export function routeFrame(raw: unknown, subscriptionId: string | undefined): FrameRoute {
  const frame = decodeFrame(raw);
  if (frame.type === 'malformed')
    return { action: 'skip', why: `skipped a malformed Glimesh frame (${frame.reason})` };
  const meaning = classifyFrame(frame);
  if (meaning.type === 'subscriptionData') {
    if (meaning.subscriptionId !== subscriptionId)
      return {
        action: 'skip',
        why: 'skipped a push for a subscription this session does not have',
      };
    if (meaning.errors.length > 0 || meaning.message === undefined)
      return {
        action: 'skip',
        why: `skipped a subscription push without a chat message${suffix(meaning.errors.join(' '))}`,
      };
    return { action: 'chat', node: meaning.message };
  }
  if (meaning.type === 'unknown' && frame.topic !== CONTROL_TOPIC && frame.topic !== 'phoenix')
    return { action: 'skip', why: `skipped a Glimesh frame for an unknown topic (${frame.event})` };
  return {
    action: 'phoenix',
    message: {
      join_ref: frame.joinRef,
      ref: frame.ref,
      topic: frame.topic,
      event: frame.event,
      payload: frame.payload,
    },
  };
}

/**
 * One Phoenix socket with the Absinthe control channel joined and (after `subscribe`) one chat
 * subscription. Ends exactly once: `onDidClose` on any loss, nothing after `dispose()`.
 */
export class GlimeshSession implements Session {
  private readonly _onDidClose = new Emitter<ChatError>();
  readonly onDidClose = this._onDidClose.event;
  readonly readOnlyReason: string | undefined;
  readonly detail: string;
  /** Where chat nodes go once history is in; set by the client before subscribing. */
  deliver: (node: unknown) => void = () => undefined;

  private readonly _socket: Socket;
  private readonly _channel: Channel;
  private _subscriptionId: string | undefined;
  private _channelId = '';
  /** Live messages held until history is delivered, so the timeline stays oldest-first. */
  private readonly _gate = new HistoryGate<unknown>((node) => this.deliver(node));
  /** Sends awaiting their reply; failed at once when the session ends. */
  private readonly _sends = new Set<Pending>();
  /** The open step in progress (join, subscribe): a failure meanwhile rejects it. */
  private _opening: Pending | undefined;
  private _closed = false;
  private readonly _log: Logger;
  private readonly _pushTimeoutMs: number;
  private readonly _credentialKind: Credentials['kind'];
  private readonly _liveness = new MutableDisposable<SocketLiveness>();
  private readonly _clock: Clock;
  private readonly _livenessOptions: LivenessOptions;

  constructor(
    private readonly _ctx: SessionContext,
    endpoint: SocketEndpoint,
    credentials: Credentials,
    options: GlimeshSessionOptions,
  ) {
    this._log = options.log;
    this._pushTimeoutMs = options.pushTimeoutMs;
    this._credentialKind = credentials.kind;
    this._clock = options.clock;
    this._livenessOptions = options.liveness;
    this.readOnlyReason =
      credentials.kind === 'clientId'
        ? 'Read-only: connected with a client id. Set a Glimesh token to chat.'
        : undefined;
    this.detail = `${options.channel} on ${hostOf(endpoint.display)}${credentials.kind === 'clientId' ? ' (read-only)' : ''}`;
    // Exactly one credential: with both, Glimesh lets client_id win and the socket is read-only.
    const params = {
      ...endpoint.params,
      ...(credentials.kind === 'token'
        ? { token: credentials.value }
        : { client_id: credentials.value }),
    };
    // `ws` as Phoenix's transport, told to report a refused upgrade with its status and headers.
    const refused = (status: number, retryAfter: string | undefined) =>
      this._upgradeRefused(status, retryAfter);
    class Transport extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        this.once('unexpected-response', (_request, response) => {
          refused(response.statusCode ?? 0, response.headers['retry-after']);
          response.resume();
          this.terminate();
        });
      }
    }
    // No `logger`: Phoenix logs its endpoint URL, and the URL carries the token.
    this._socket = new Socket(endpoint.base, {
      transport: Transport as unknown as typeof globalThis.WebSocket,
      params,
      vsn: '2.0.0',
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      timeout: options.pushTimeoutMs,
      // Our ReconnectingClient owns retries; the session is torn down long before these fire.
      reconnectAfterMs: () => 2 ** 30,
      rejoinAfterMs: () => 2 ** 30,
      decode: (raw: unknown, callback: (message: object) => void) => this._decode(raw, callback),
    });
    this._channel = this._socket.channel(CONTROL_TOPIC, {});
  }

  /** Opens the socket and joins the control channel. */
  join(): Promise<void> {
    const opening = this._open(this._ctx.signal);
    if (opening.isSettled) return opening.promise;

    this._socket.onError((error: unknown) => {
      const text = String((error as { message?: unknown } | undefined)?.message ?? '');
      this._fail(
        new ChatError(
          'GLIMESH_SOCKET_ERROR',
          `Glimesh socket error${text ? `: ${stripQuery(text)}` : ''}.`,
          'network',
        ),
      );
    });
    this._socket.onClose((event: unknown) => {
      const code = (event as { code?: unknown } | undefined)?.code;
      this._fail(
        new ChatError(
          'GLIMESH_CLOSED',
          `Glimesh closed the connection${typeof code === 'number' ? ` (${code})` : ''}.`,
          'network',
        ),
      );
    });
    this._channel.onError((reason: unknown) => {
      const why = (reason as { reason?: unknown } | undefined)?.reason;
      this._fail(
        why === 'heartbeat_timeout'
          ? new ChatError(
              'GLIMESH_HEARTBEAT_TIMEOUT',
              'Glimesh did not answer a heartbeat: the connection is dead.',
              'network',
            )
          : new ChatError(
              'GLIMESH_CHANNEL_ERROR',
              `The Glimesh chat channel failed${typeof why === 'string' ? ` (${why})` : ''}.`,
              'network',
            ),
      );
    });
    this._channel.onClose(() =>
      this._fail(
        new ChatError('GLIMESH_CHANNEL_CLOSED', 'Glimesh closed the chat channel.', 'network'),
      ),
    );

    this._socket.onOpen(() => this._watch());
    this._socket.connect();
    this._channel
      .join(this._pushTimeoutMs)
      .receive('ok', () => opening.resolve())
      .receive('error', (response: unknown) =>
        this._fail(
          new ChatError(
            'GLIMESH_JOIN_REFUSED',
            `Glimesh refused to join the chat channel${suffix(replyErrorText(response))}.`,
            'protocol',
          ),
        ),
      )
      .receive('timeout', () =>
        this._fail(
          new ChatError(
            'GLIMESH_JOIN_TIMEOUT',
            'Glimesh did not answer the join in time.',
            'network',
          ),
        ),
      );
    return opening.promise;
  }

  /** Subscribes to one channel's chat (with variables) and remembers the subscription id. */
  subscribe(channelId: string): Promise<void> {
    const opening = this._open();
    if (this._closed) {
      opening.reject(new ChatError('GLIMESH_CLOSED', 'Glimesh closed the connection.', 'network'));
      return opening.promise;
    }
    this._channelId = channelId;
    this._channel
      .push('doc', { ...subscriptionRequest(channelId) }, this._pushTimeoutMs)
      .receive('ok', (response: unknown) => {
        const id = (response as { subscriptionId?: unknown } | undefined)?.subscriptionId;
        if (typeof id !== 'string' || !id)
          return opening.reject(
            new ChatError(
              'GLIMESH_SUBSCRIBE',
              'Glimesh did not return a subscription id.',
              'protocol',
            ),
          );
        this._subscriptionId = id;
        opening.resolve();
      })
      .receive('error', (response: unknown) =>
        opening.reject(
          new ChatError(
            'GLIMESH_SUBSCRIBE',
            `Glimesh refused the chat subscription${suffix(replyErrorText(response))}.`,
            'protocol',
          ),
        ),
      )
      .receive('timeout', () =>
        opening.reject(
          new ChatError(
            'GLIMESH_SUBSCRIBE_TIMEOUT',
            'Glimesh did not answer the chat subscription in time.',
            'network',
          ),
        ),
      );
    return opening.promise;
  }

  /** Delivers history (oldest first), then the live messages that arrived meanwhile. */
  release(history: readonly unknown[]): void {
    this._gate.release(history);
  }

  send(text: string): Promise<void> {
    if (this._closed)
      return Promise.reject(
        new ChatError('NOT_CONNECTED', 'Not sent: Glimesh is not connected.', 'network'),
      );
    const sending: Pending = new Pending({ onSettled: () => this._sends.delete(sending) });
    this._sends.add(sending);
    this._channel
      .push('doc', { ...sendRequest(this._channelId, text) }, this._pushTimeoutMs)
      .receive('ok', (response: unknown) => {
        // Glimesh reports refusals (bans, length, scope) as GraphQL errors with status ok.
        const errors = graphqlErrors(response);
        if (errors.length > 0)
          sending.reject(new ChatError('GLIMESH_REFUSED', refusal(errors), 'protocol'));
        else sending.resolve();
      })
      .receive('error', (response: unknown) =>
        sending.reject(
          new ChatError(
            'GLIMESH_REFUSED',
            refusal(graphqlErrors(response), replyErrorText(response)),
            'protocol',
          ),
        ),
      )
      .receive('timeout', () =>
        sending.reject(
          new ChatError(
            'SEND_TIMEOUT',
            'Not sent: Glimesh did not confirm the message in time.',
            'network',
          ),
        ),
      );
    return sending.promise;
  }

  dispose(): void {
    this._teardown(new ChatError('DISPOSED', 'Not sent: the connection was closed.', 'network'));
    this._onDidClose.dispose();
  }

  /** The server answered the upgrade with an HTTP status instead of a socket. */
  private _upgradeRefused(status: number, retryAfter: string | undefined): void {
    // Phoenix refuses a bad token or client id at the upgrade: HTTP 403, no frames.
    if (status === 403) {
      const what =
        this._credentialKind === 'token'
          ? 'the token is not valid. Set the Glimesh token again with "Stream Chat: Set Token…".'
          : 'the client id (streamChat.glimesh.clientId) is not valid.';
      this._fail(
        new ChatError(
          'GLIMESH_SOCKET_REFUSED',
          `Glimesh refused the connection (HTTP 403): ${what}`,
          'auth',
        ),
      );
    } else if (status === 404) {
      this._fail(
        new ChatError(
          'GLIMESH_SOCKET_NOT_FOUND',
          'Glimesh has no socket at streamChat.glimesh.socketUrl (HTTP 404).',
          'config',
        ),
      );
    } else {
      // 429/503 say how long to stay away (Retry-After): the next attempt waits at least that.
      this._fail(
        new ChatError(
          'GLIMESH_SOCKET_ERROR',
          `Glimesh socket error: Unexpected server response: ${status}.`,
          'network',
          { retryAfterMs: busyRetryAfterMs(status, retryAfter) },
        ),
      );
    }
  }

  /** Starts an open step: until it settles, a failure of the session rejects it. */
  private _open(signal?: AbortSignal): Pending {
    const opening: Pending = new Pending({
      ...(signal ? { signal, aborted: () => abortedError() } : {}),
      onSettled: () => {
        if (this._opening === opening) this._opening = undefined;
      },
    });
    if (!opening.isSettled) this._opening = opening;
    return opening;
  }

  /**
   * Websocket pings on the socket Phoenix opened (its `conn`, a `ws` WebSocket): Phoenix's own
   * heartbeat takes up to two intervals to notice a half-open connection; a pong missing for 15 s
   * ends the session sooner.
   */
  private _watch(): void {
    const conn = (this._socket as unknown as { conn?: unknown }).conn;
    if (this._closed || !(conn instanceof WebSocket)) return;
    this._liveness.value = new SocketLiveness(
      conn,
      this._clock,
      this._livenessOptions,
      (error) => this._fail(error),
      'Glimesh',
    );
    this._liveness.value.start();
  }

  /** Phoenix's decode hook: our tolerant decoder, and subscription pushes routed here. */
  private _decode(raw: unknown, callback: (message: object) => void): void {
    const route = routeFrame(raw, this._subscriptionId);
    switch (route.action) {
      case 'chat':
        this._gate.push(route.node);
        return;
      case 'skip':
        this._log.warn(route.why);
        return;
      case 'phoenix':
        try {
          callback(route.message);
        } catch (error) {
          // Nothing may throw out of the socket's message handler.
          this._log.warn(
            `a Glimesh frame could not be handled: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
    }
  }

  /** Ends the session: rejects the open step if still opening, else fires `onDidClose` once. */
  private _fail(error: ChatError): void {
    if (this._closed) return;
    const opening = this._opening;
    this._teardown(error);
    if (opening) opening.reject(error);
    else this._onDidClose.fire(error);
  }

  private _teardown(error: ChatError): void {
    if (this._closed) return;
    this._closed = true;
    this._gate.drop();
    this._liveness.clear();
    for (const sending of [...this._sends]) {
      sending.reject(
        new ChatError(
          error.code === 'DISPOSED' ? 'DISCONNECTED' : 'CONNECTION_LOST',
          `Not sent: the connection to Glimesh ended before it confirmed the message (${error.message})`,
          'network',
        ),
      );
    }
    // disconnect() stops the socket's timers; leave() on the now closed socket then clears the
    // channel's rejoin and join timers at once (a polite phx_leave would only arm another timer).
    this._socket.disconnect();
    try {
      this._channel.leave(this._pushTimeoutMs);
    } catch {
      // nothing left to clean up
    }
  }
}

function suffix(reason: string): string {
  return reason ? `: ${reason}` : '';
}

/** The server's sentences, with a hint where the sentence alone does not say what to do. */
function refusal(errors: readonly string[], fallback = ''): string {
  if (errors.length === 0)
    return fallback ? `Glimesh refused the message: ${fallback}` : 'Glimesh refused the message.';
  const text = errors.join(' ');
  return errors.includes('unauthorized')
    ? `${text} (the Glimesh token needs the chat scope)`
    : text;
}

/** Error texts of the transport may quote the URL; the query carries the token. */
function stripQuery(text: string): string {
  return text.replace(/\?[^\s'"]*/g, '');
}
