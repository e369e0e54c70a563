import type { ChatMessage, MessagePart, PlatformId, Role } from '../../../src/core/message';

let seq = 0;

/** A chat message with sensible defaults; override what the test is about. */
export function chatMessage(
  overrides: Partial<ChatMessage> & {
    text?: string;
    user?: string;
    roles?: Role[];
    platform?: PlatformId;
  } = {},
): ChatMessage {
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
