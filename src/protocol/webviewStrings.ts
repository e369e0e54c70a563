/**
 * Every string the chat webview shows, in ONE list shared by the host and the view. Keys are the
 * English text with `{0}`, `{1}`… placeholders (the l10n convention). The host builds the table
 * with `vscode.l10n.t` (src/ui/webviewStrings.ts) and posts it after the page's `ready`;
 * scripts/l10n.mjs puts each entry in l10n/bundle.l10n.json; the view looks strings up with
 * `t(key, ...args)` (webview/strings.ts), which accepts only these keys, falling back to English.
 */
export const WEBVIEW_STRINGS = [
  // describeState (src/core/state.ts): the platform chips' sentences.
  'Disconnected',
  'Connecting…',
  'Connected',
  'Connected (read-only)',
  'Reconnecting in {0} s (attempt {1}): {2}',
  'Failed: {0}',

  // Header: platform chips and the filter (webview/app.ts, webview/header.ts).
  'Platforms',
  '{0}: {1}',
  'Click to connect.',
  'Click to disconnect.',
  '{0}: {1}. Activate to connect.',
  '{0}: {1}. Activate to disconnect.',
  'No platform enabled: set streamChat.glimesh / mixer / tau in Settings.',
  'Filter: words, "a phrase", from:name, has:link, is:mod, -word',
  'Filter the chat. Words and "quoted phrases" match text or author; from:name, platform:glimesh|mixer|twitch, has:link|emote|image|mention, is:mod|sub|vip|first|mention|chat|event|notice|deleted|action|self|whisper|test; a leading - excludes (-from:bot). Esc clears.',
  'Filter messages',
  '{0} of {1}',

  // The timeline (webview/app.ts, webview/timeline.ts, webview/scroll.ts, webview/render/*).
  'Chat messages',
  'New messages',
  'New',
  'New since you looked',
  '1 new message',
  '{0} new messages',
  'Paused while selecting',
  'Back to the latest',
  '{0}: jump to the latest',
  'TEST',
  'whisper',
  '{0} identical messages in a row',
  'Deleted by a moderator',
  '{0}: open {1}',

  // Roles (badges on lines, the user card).
  'Broadcaster',
  'Moderator',
  'VIP',
  'Subscriber',
  'Founder',
  'Admin',
  'Staff',
  'Partner',
  'Supporter',
  'Pro',

  // `!line` highlights (webview/highlights.ts).
  'Highlighted lines',
  'Highlights ({0})',
  'Show this line in the editor',
  'Dismiss',
  'Dismiss the highlight of {0}',

  // Mentions and highlight rules (webview/highlightRules.ts).
  'Mentions',
  'Mentions ({0})',
  'No mentions or highlighted lines yet.',
  'No longer in the scrollback',

  // Moderation toolbar and status (webview/moderation.ts). The accessible names stay exactly
  // these in English: tests find the buttons by them.
  'Moderation',
  'Delete message',
  'Time out',
  'Ban',
  'Unban',
  'Time out for',
  'Undo',
  '1 day',
  '{0} days',
  '1 hour',
  '{0} hours',
  '1 minute',
  '{0} minutes',
  '1 second',
  '{0} seconds',

  // The user card (webview/userCard.ts).
  'User card: {0}',
  'Close',
  'Platform',
  'Login',
  'Roles',
  'None',
  'First seen',
  '{0} (since connecting)',
  'Lines',
  'Last {0} lines',
  'Actions',
  'Highlight this user',
  'Hide in my view',

  // The composer (webview/composer.ts).
  'Send a chat message',
  'Destination',
  'Send a message',
  'Message',
  'Send',
  'Send (Enter)',
  'Message {0} (Enter to send)',
  '{0} accepts at most {1} characters.',
  'The message was not sent.',
  'Nothing can send: no platform is enabled.',
  'Nothing can send: {0}',
  '{0} cannot send',

  // Clear chat (webview/moderation.ts) and replies (webview/render/line.ts, webview/replies.ts).
  'Clear chat',
  'Clear chat (for everyone in the channel; asks first)',
  'Replying to {0}: {1}',
  'Go to the message this replies to',
  'The message this replies to is not in the scrollback',
  'The message this replies to is hidden by the filter',
] as const;

/** A key of the view's string table. */
export type WebviewString = (typeof WEBVIEW_STRINGS)[number];

/** The table the host posts: each key's text in the display language. */
export type WebviewStringTable = Readonly<Partial<Record<WebviewString, string>>>;

/** Keeps the well-formed entries of a table from the host (strings only, known keys only). */
export function checkStringTable(value: unknown): WebviewStringTable {
  if (typeof value !== 'object' || value === null) return {};
  const known = new Set<string>(WEBVIEW_STRINGS);
  const table: Partial<Record<WebviewString, string>> = {};
  for (const [key, text] of Object.entries(value as Record<string, unknown>))
    if (known.has(key) && typeof text === 'string' && text.length <= 10_000)
      table[key as WebviewString] = text;
  return table;
}
