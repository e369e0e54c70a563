/**
 * The persisted timeline, checked where it comes back in: workspaceState is a file on disk that
 * an older version, another extension or a crash may have left in any shape. Each entry is
 * validated on its own; a bad one is dropped (and counted), the good ones are kept.
 */
import { isRecord } from './json';
import { ChatMessage, MessagePart, isPlatformId } from './message';

/** The persisted lines take at most this much room (JSON characters), newest kept. */
export const MAX_STORED_TIMELINE_CHARS = 2_000_000;

const isText = (v: unknown, max = 100_000): v is string => typeof v === 'string' && v.length <= max;
const isOptionalText = (v: unknown, max?: number) => v === undefined || isText(v, max);

function isPart(v: unknown): v is MessagePart {
  if (!isRecord(v)) return false;
  switch (v.type) {
    case 'text':
      return isText(v.text);
    case 'emote':
      return (
        isText(v.name, 500) &&
        isText(v.url, 2000) &&
        (v.sprite === undefined ||
          (isRecord(v.sprite) &&
            ['x', 'y', 'width', 'height'].every((k) =>
              Number.isFinite((v.sprite as Record<string, unknown>)[k]),
            )))
      );
    case 'link':
      return isText(v.text) && isText(v.url, 4000);
    case 'mention':
      return isText(v.text, 500) && isText(v.username, 500);
    case 'image':
      return isText(v.alt, 500) && isText(v.url, 4000);
    default:
      return false;
  }
}

/** The entry as a `ChatMessage`, or why not. */
export function checkStoredMessage(value: unknown): { message: ChatMessage } | { reason: string } {
  if (!isRecord(value)) return { reason: 'not an object' };
  if (!isText(value.id, 500) || value.id.length === 0) return { reason: 'no id' };
  if (!isPlatformId(value.platform)) return { reason: 'unknown platform' };
  if (!isText(value.channel, 500)) return { reason: 'no channel' };
  if (value.kind !== 'chat' && value.kind !== 'event' && value.kind !== 'system')
    return { reason: 'unknown kind' };
  if (!Array.isArray(value.parts) || value.parts.length > 5000 || !value.parts.every(isPart))
    return { reason: 'bad parts' };
  if (!Number.isFinite(value.receivedAt)) return { reason: 'no time' };
  if (value.sentAt !== undefined && !Number.isFinite(value.sentAt))
    return { reason: 'bad sent time' };
  if (
    !isRecord(value.flags) ||
    !Object.values(value.flags).every((f) => f === undefined || typeof f === 'boolean')
  )
    return { reason: 'bad flags' };
  if (!isOptionalText(value.eventType, 200)) return { reason: 'bad event type' };
  if (
    value.severity !== undefined &&
    value.severity !== 'info' &&
    value.severity !== 'warning' &&
    value.severity !== 'error'
  )
    return { reason: 'bad severity' };
  const reply = value.replyTo;
  if (
    reply !== undefined &&
    (!isRecord(reply) ||
      !isText(reply.id, 500) ||
      reply.id.length === 0 ||
      !isText(reply.author, 500) ||
      !isOptionalText(reply.login, 500) ||
      !isText(reply.text, 5000))
  )
    return { reason: 'bad reply' };
  const author = value.author;
  if (author !== undefined) {
    if (
      !isRecord(author) ||
      !isText(author.name, 500) ||
      !isText(author.displayName, 500) ||
      !Array.isArray(author.roles) ||
      !author.roles.every((r) => isText(r, 50))
    )
      return { reason: 'bad author' };
    if (
      !isOptionalText(author.id, 500) ||
      !isOptionalText(author.color, 50) ||
      !isOptionalText(author.avatarUrl, 4000)
    )
      return { reason: 'bad author' };
  }
  return { message: value as unknown as ChatMessage };
}

/** The good entries of what was stored, and one line per dropped entry for the log. */
export function readStoredTimeline(value: unknown): { messages: ChatMessage[]; dropped: string[] } {
  if (value === undefined) return { messages: [], dropped: [] };
  if (!Array.isArray(value))
    return { messages: [], dropped: ['the stored timeline is not a list'] };
  const messages: ChatMessage[] = [];
  const dropped: string[] = [];
  value.forEach((entry, index) => {
    const checked = checkStoredMessage(entry);
    if ('message' in checked) messages.push(checked.message);
    else dropped.push(`entry ${index}: ${checked.reason}`);
  });
  return { messages, dropped };
}

/** The newest lines that fit in `maxChars` of JSON. */
export function boundStoredTimeline(
  messages: readonly ChatMessage[],
  maxChars = MAX_STORED_TIMELINE_CHARS,
): ChatMessage[] {
  let size = 2;
  let start = messages.length;
  while (start > 0) {
    const next = JSON.stringify(messages[start - 1]).length + 1;
    if (size + next > maxChars) break;
    size += next;
    start--;
  }
  return messages.slice(start);
}
