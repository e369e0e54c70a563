import type { PlatformStatus } from '../core/chatHub';
import { PLATFORM_IDS, PLATFORM_LABELS, PlatformId } from '../core/message';

/** What choosing a destination comes to, before any UI. */
export type DestinationPlan =
  /** Nothing can send: `message` says why, for each enabled platform. */
  | { readonly kind: 'none'; readonly message: string }
  /** Exactly one can send: use it without asking. */
  | { readonly kind: 'one'; readonly platform: PlatformId }
  /** Several can: ask, in this order (the last choice first, then the usual platform order). */
  | { readonly kind: 'pick'; readonly platforms: readonly PlatformId[] };

/** Decides how to choose where to send, from the hub's statuses and the last choice remembered. */
export function planDestination(statuses: readonly PlatformStatus[], lastChoice?: unknown): DestinationPlan {
  const enabled = statuses.filter((s) => s.enabled);
  const sendable = enabled.filter((s) => s.send.canSend).map((s) => s.platform);
  if (sendable.length === 1) return { kind: 'one', platform: sendable[0]! };
  if (sendable.length > 1) {
    const order = (p: PlatformId) => (p === lastChoice ? -1 : PLATFORM_IDS.indexOf(p));
    return { kind: 'pick', platforms: [...sendable].sort((a, b) => order(a) - order(b)) };
  }
  if (enabled.length === 0) {
    return {
      kind: 'none',
      message: `Stream Chat: no platform is enabled. Turn one on in Settings (${PLATFORM_IDS.map((p) => `streamChat.${p}.enabled`).join(', ')}) and connect.`,
    };
  }
  const reasons = enabled.map((s) => {
    const label = PLATFORM_LABELS[s.platform];
    let reason = s.send.reason?.trim() || `${label} cannot send right now.`;
    // Each sentence names its platform ("Read-only: connected with a client id" alone says not which).
    if (!reason.toLowerCase().includes(s.platform)) reason = `${label}: ${reason}`;
    return /[.!?]$/.test(reason) ? reason : `${reason}.`;
  });
  return { kind: 'none', message: `Stream Chat: nothing can send right now. ${reasons.join(' ')}` };
}
