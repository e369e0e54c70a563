import type { ChatMessage, MessagePart, PlatformId, Role, TimelineOp } from '../../../src/core/message';

let seq = 0;

/** A chat message with sensible defaults; override what the test is about. */
export function chatMessage(overrides: Partial<ChatMessage> & { text?: string; user?: string; roles?: Role[]; platform?: PlatformId } = {}): ChatMessage {
  const { text = 'hello chat', user = 'viewer', roles = [], ...rest } = overrides;
  const parts: MessagePart[] = rest.parts ? [...rest.parts] : [{ type: 'text', text }];
  return {
    id: `m${++seq}`,
    platform: 'glimesh',
    channel: 'codercat',
    kind: 'chat',
    author: { id: `u-${user}`, name: user.toLowerCase(), displayName: user, roles },
    receivedAt: Date.UTC(2026, 10, 22, 12, 0, 0),
    flags: {},
    ...rest,
    parts,
  };
}

/** Append ops for messages with ids `prefix0…prefix(n-1)`. */
export function appends(n: number, prefix = 'm', overrides: Parameters<typeof chatMessage>[0] = {}): TimelineOp[] {
  return Array.from({ length: n }, (_, i) => ({ op: 'append', message: chatMessage({ id: `${prefix}${i}`, text: `line ${prefix}${i}`, ...overrides }) }));
}
