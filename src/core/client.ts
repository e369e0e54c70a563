import { Event } from './event';
import { Disposable } from './lifecycle';
import { PlatformId, TimelineOp } from './message';
import { PlatformModeration } from './moderation';
import { ConnectionState } from './state';

/** Whether a client can send now, and within which limit. */
export interface SendCapability {
  readonly canSend: boolean;
  /** Why not, when it cannot ("read-only: connected with a client id"). */
  readonly reason?: string;
  /** Longest message the platform accepts, in characters. */
  readonly maxLength: number;
}

/** What every platform connection offers the hub. */
export interface PlatformClient extends Disposable {
  readonly platform: PlatformId;
  readonly state: ConnectionState;
  readonly onDidChangeState: Event<ConnectionState>;
  /** Chat lines, events and moderation, in arrival order. */
  readonly onDidReceive: Event<TimelineOp>;
  /** Current send capability; changes fire `onDidChangeState`. */
  readonly sendCapability: SendCapability;
  /** Starts connecting (resolves at once; progress arrives as states). Safe to call twice. */
  connect(): void;
  /** Closes cleanly, cancels retries, fails queued sends. */
  disconnect(): void;
  /**
   * Sends one chat message. Resolves when the platform accepted it; rejects with a `ChatError`
   * whose message is fit to show (validation, read-only, the server's own sentence, timeout).
   * While reconnecting the message is queued and sent after the connection is back.
   */
  send(text: string): Promise<void>;
  /** Delete, time out, ban…: present on platforms that have moderation (see its capability). */
  readonly moderation?: PlatformModeration;
}

/** What the composition root hands each platform's factory. The token is read at every connect. */
export interface PlatformDeps<TSettings> {
  readonly settings: TSettings;
  /** The platform's token from SecretStorage, read fresh for each connection attempt. */
  readonly getToken: () => Promise<string | undefined>;
  readonly log: import('./log').Logger;
  readonly clock?: import('./clock').Clock;
  /**
   * The host's redactor (known token values, URL user-info, secret parameters): applied to every
   * sentence the client shows, since servers' error texts and close reasons can echo a token.
   */
  readonly redact?: (text: string) => string;
}
