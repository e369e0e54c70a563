/**
 * The one message protocol between the extension host and the chat webview. Both sides import
 * this module; the host checks every incoming message with `isWebviewToHost`, because the webview
 * renders hostile chat text and is treated as input, not trusted code.
 */
import type { PlatformStatus } from '../core/chatHub';
import type { ChatMessage, PlatformId, TimelineOp } from '../core/message';
import { isPlatformId } from '../core/message';
import type { ModerationRequest } from '../core/moderation';
import { isModerationRequest } from '../core/moderation';
import type { WebviewStringTable } from './webviewStrings';

/** Settings the view renders with. */
export interface ViewSettings {
  readonly showTimestamps: boolean;
  readonly hideDeleted: boolean;
  readonly fontSize: number;
  readonly scrollback: number;
  /** Names whose mention is highlighted (the streamer's logins on each platform), lowercase. */
  readonly mentionNames: readonly string[];
  /** `streamChat.view.highlights`, checked by the host (valid regexes and colours only). */
  readonly highlightRules?: readonly HighlightRule[];
  /** `streamChat.view.sound`: a short sound for mentions and highlight-rule matches. */
  readonly sound?: boolean;
}

/** One highlight rule: a line matching any of its parts gets its colour. */
export interface HighlightRule {
  readonly words?: readonly string[];
  readonly users?: readonly string[];
  readonly regex?: string;
  /** `#rgb` or `#rrggbb`. */
  readonly color?: string;
}

/** A `!line` highlight shown in the view's list (issue 7). */
export interface HighlightSummary {
  readonly id: string;
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly author: string;
  readonly comment?: string;
  readonly platform: PlatformId;
}

/**
 * One code reference in a chat line (issue 15): characters `start`…`end` of the line's plain text
 * (its parts' texts joined, emotes by name) become a link. `id` is opaque: the host alone knows the
 * file, so the view can only ask to open what the host offered.
 */
export interface CodeRefView {
  readonly start: number;
  readonly end: number;
  readonly id: string;
  /** Where it leads (`src/app.ts:12`), or "a private file" for a blocked one. */
  readonly label: string;
  /** Up to three numbered lines of the file, for the hover; never for a blocked file. */
  readonly preview?: string;
}

/** The code references the host found in one chat line. */
export interface CodeRefAnnotation {
  readonly platform: PlatformId;
  readonly messageId: string;
  readonly refs: readonly CodeRefView[];
}

/**
 * A request's id: the id of the page that asked and that page's counter, `<page>:<n>`. The view
 * page reloads on every hide/show and its counter starts again at 1, so the page id is what makes
 * ids unique across page lifetimes: the host echoes the id, drops a result for a page that is no
 * longer the current one, and the page ignores a result whose page id is not its own.
 */
export type RequestId = string;

const PAGE_ID = /^[A-Za-z0-9_-]{8,64}$/;
const REQUEST_ID = /^([A-Za-z0-9_-]{8,64}):[1-9][0-9]{0,14}$/;

export const isPageId = (value: unknown): value is string =>
  typeof value === 'string' && PAGE_ID.test(value);

export const isRequestId = (value: unknown): value is RequestId =>
  typeof value === 'string' && REQUEST_ID.test(value);

/** The `n`th request of page `pageId`. */
export const requestIdOf = (pageId: string, n: number): RequestId => `${pageId}:${n}`;

/** The page a request id belongs to (undefined for a malformed id). */
export const pageOfRequest = (id: unknown): string | undefined =>
  typeof id === 'string' ? REQUEST_ID.exec(id)?.[1] : undefined;

/** A fresh page id: 128 random bits, base-36 (letters and digits only). */
export function newPageId(): string {
  const bytes = new Uint8Array(16);
  const crypto = (globalThis as { crypto?: { getRandomValues?(a: Uint8Array): Uint8Array } })
    .crypto;
  if (crypto?.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  const words = new Uint32Array(bytes.buffer);
  return Array.from(words, (w) => w.toString(36).padStart(7, '0')).join('');
}

/** Host → webview. */
export type HostToWebview =
  /**
   * The view's strings in the display language (keys: src/protocol/webviewStrings.ts), posted
   * right after `ready`, before the snapshot: the page builds its DOM once it has them.
   */
  | { readonly type: 'strings'; readonly strings: WebviewStringTable }
  /** Everything the view needs after `ready` or a reload: replaces whatever it shows. */
  | {
      readonly type: 'snapshot';
      readonly messages: readonly ChatMessage[];
      readonly platforms: readonly PlatformStatus[];
      readonly settings: ViewSettings;
      readonly highlights: readonly HighlightSummary[];
    }
  /** Timeline changes since the last post, in order (posted at once when the pipe is idle, coalesced under load). */
  | { readonly type: 'ops'; readonly ops: readonly TimelineOp[] }
  /** Platform states or send capabilities changed. */
  | { readonly type: 'platforms'; readonly platforms: readonly PlatformStatus[] }
  | { readonly type: 'settings'; readonly settings: ViewSettings }
  | { readonly type: 'highlights'; readonly highlights: readonly HighlightSummary[] }
  /** The outcome of a `send` request. */
  | {
      readonly type: 'sendResult';
      readonly requestId: RequestId;
      readonly ok: boolean;
      readonly error?: string;
    }
  /** Code references resolved after their lines were posted (never blocks the timeline). */
  | { readonly type: 'codeRefs'; readonly annotations: readonly CodeRefAnnotation[] }
  /** Put the caret in the composer (command, keybinding). */
  | { readonly type: 'focusComposer' }
  /** The outcome of a `moderate` request; `undo` is offered for 10 s after a ban or timeout. */
  | {
      readonly type: 'moderationResult';
      readonly requestId: RequestId;
      readonly ok: boolean;
      /** The platform's sentence on success, or its refusal. */
      readonly text: string;
      readonly undo?: { readonly platform: PlatformId; readonly request: ModerationRequest };
      /** The user declined (Clear chat's confirmation): nothing was done and nothing is shown. */
      readonly cancelled?: boolean;
    };

/**
 * A `HostToWebview` as it travels: JSON text. VS Code hands a posted object from the workbench to
 * the webview's host frame and on to the page by structured clone, property by property, on the
 * renderer thread the editor shares (a fifth of that thread's time at 5,000 lines a second,
 * `npm run bench` with `STREAM_CHAT_BENCH_TRACE`); one string is copied whole and parsed once.
 * VS Code carries the message as JSON from the extension host anyway, so nothing else changes.
 */
export interface HostPost {
  readonly json: string;
}

export const encodeHostPost = (message: HostToWebview): HostPost => ({
  json: JSON.stringify(message),
});

/** The message a post carries; undefined for anything that is not a post of ours. */
export function decodeHostPost(data: unknown): HostToWebview | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const json = (data as { json?: unknown }).json;
  if (typeof json !== 'string') return undefined;
  try {
    const message = JSON.parse(json) as unknown;
    return typeof message === 'object' && message !== null && 'type' in message
      ? (message as HostToWebview)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Webview → host. */
export type WebviewToHost =
  /** The view's listener is installed: send a snapshot. `pageId` prefixes this page's request ids. */
  | { readonly type: 'ready'; readonly pageId: string }
  | {
      readonly type: 'send';
      readonly requestId: RequestId;
      readonly platform: PlatformId;
      readonly text: string;
    }
  /** A platform chip was clicked: connect it, or disconnect it if active. */
  | { readonly type: 'togglePlatform'; readonly platform: PlatformId }
  | { readonly type: 'jumpToHighlight'; readonly id: string }
  | { readonly type: 'dismissHighlight'; readonly id: string }
  /** A code reference was clicked: open its file at its line. */
  | { readonly type: 'openCodeRef'; readonly id: string }
  /** The user read everything (scrolled to bottom while visible): clear the unread badge. */
  | { readonly type: 'read' }
  /** A moderation action from the line toolbar (delete, time out, ban, unban, undo). */
  | {
      readonly type: 'moderate';
      readonly requestId: RequestId;
      readonly platform: PlatformId;
      readonly request: ModerationRequest;
    }
  /**
   * Clear chat from the view's control: the host asks (a modal, default No; a pick when several
   * platforms can clear and none is given), clears, and answers with `moderationResult`.
   */
  | { readonly type: 'clearChat'; readonly requestId: RequestId; readonly platform?: PlatformId }
  /** The line the user hovers, focuses or selected (palette commands act on it); none: cleared. */
  | { readonly type: 'selectLine'; readonly platform?: PlatformId; readonly id?: string }
  /** A log line from the webview (errors it caught), for the host's log channel. */
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isShortString = (v: unknown, max = 100_000): v is string =>
  typeof v === 'string' && v.length <= max;

/** Runtime guard for everything the webview posts. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (!isObject(value) || typeof value.type !== 'string') return false;
  switch (value.type) {
    case 'ready':
      return isPageId(value.pageId);
    case 'read':
      return true;
    case 'send':
      return (
        isRequestId(value.requestId) && isPlatformId(value.platform) && isShortString(value.text)
      );
    case 'togglePlatform':
      return isPlatformId(value.platform);
    case 'jumpToHighlight':
    case 'dismissHighlight':
    case 'openCodeRef':
      return isShortString(value.id, 200);
    case 'moderate':
      return (
        isRequestId(value.requestId) &&
        isPlatformId(value.platform) &&
        isModerationRequest(value.request)
      );
    case 'clearChat':
      return (
        isRequestId(value.requestId) &&
        (value.platform === undefined || isPlatformId(value.platform))
      );
    case 'selectLine':
      return (
        (value.platform === undefined && value.id === undefined) ||
        (isPlatformId(value.platform) && isShortString(value.id, 200))
      );
    case 'log':
      return (
        (value.level === 'info' || value.level === 'warn' || value.level === 'error') &&
        isShortString(value.message, 10_000)
      );
    default:
      return false;
  }
}

/** Compile-time exhaustiveness check for switches over `type`. */
export function assertNever(value: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(value)}`);
}
