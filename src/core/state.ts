import { FailureCategory } from './errors';

/** A platform connection's state, as a closed union. */
export type ConnectionState =
  | { readonly kind: 'disconnected' }
  | { readonly kind: 'connecting' }
  | {
      readonly kind: 'connected';
      /** Connected but unable to send (client id only, anonymous). */
      readonly readOnly: boolean;
      /** Short detail for tooltips: channel, endpoint. */
      readonly detail?: string;
    }
  | {
      readonly kind: 'reconnecting';
      /** 1 for the first retry. */
      readonly attempt: number;
      readonly delayMs: number;
      /** Why the last connection ended, for the streamer. */
      readonly reason: string;
    }
  | {
      readonly kind: 'failed';
      readonly category: FailureCategory;
      /** A human sentence saying what is wrong and what to do. */
      readonly message: string;
    };

export const DISCONNECTED: ConnectionState = { kind: 'disconnected' };
export const CONNECTING: ConnectionState = { kind: 'connecting' };

export function isActive(state: ConnectionState): boolean {
  return state.kind === 'connecting' || state.kind === 'connected' || state.kind === 'reconnecting';
}

/** One line for tooltips and notices. */
export function describeState(state: ConnectionState): string {
  switch (state.kind) {
    case 'disconnected':
      return 'Disconnected';
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return state.readOnly ? 'Connected (read-only)' : 'Connected';
    case 'reconnecting':
      return `Reconnecting in ${Math.max(1, Math.round(state.delayMs / 1000))} s (attempt ${state.attempt}): ${state.reason}`;
    case 'failed':
      return `Failed: ${state.message}`;
  }
}
