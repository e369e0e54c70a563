import { Event } from '../core/event';
import { ConnectionState, isActive } from '../core/state';

/** What the guard learns "live" from: the hub's platform states. */
export interface LiveSource {
  readonly statuses: readonly { readonly state: ConnectionState }[];
  readonly onDidChangeStatus: Event<unknown>;
}

/**
 * Live: any platform connecting, connected, reconnecting, or failed. A failure (an expired token
 * mid-stream) does not end the stream, so the masks stay until the streamer disconnects.
 */
export function isLive(source: LiveSource): boolean {
  return source.statuses.some(({ state }) => isActive(state) || state.kind === 'failed');
}
