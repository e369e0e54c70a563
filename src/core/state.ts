import { FailureCategory } from './errors';
import { Translate, english } from './l10n';

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

/**
 * One line for tooltips and notices, in the language of `t` (the host passes vscode.l10n.t, the
 * view its string table; the sentences are in src/protocol/webviewStrings.ts too).
 */
export function describeState(state: ConnectionState, t: Translate = english): string {
  switch (state.kind) {
    case 'disconnected':
      return t('Disconnected');
    case 'connecting':
      return t('Connecting…');
    case 'connected':
      return state.readOnly ? t('Connected (read-only)') : t('Connected');
    case 'reconnecting':
      return t(
        'Reconnecting in {0} s (attempt {1}): {2}',
        Math.max(1, Math.round(state.delayMs / 1000)),
        state.attempt,
        state.reason,
      );
    case 'failed':
      return t('Failed: {0}', state.message);
  }
}
