/** The platforms Stream Chat speaks to. These ids are user-facing (settings, commands, secrets). */
export const PLATFORM_IDS = ['glimesh', 'mixer', 'tau'] as const;
export type PlatformId = (typeof PLATFORM_IDS)[number];

export function isPlatformId(value: unknown): value is PlatformId {
  return typeof value === 'string' && (PLATFORM_IDS as readonly string[]).includes(value);
}

/** Human names, for pickers, chips and notices. */
export const PLATFORM_LABELS: Record<PlatformId, string> = {
  glimesh: 'Glimesh',
  mixer: 'Mixer',
  tau: 'Twitch (TAU)',
};

/** Roles shown as badges. Platforms map what they know into these. */
export type Role =
  | 'broadcaster'
  | 'moderator'
  | 'vip'
  | 'subscriber'
  | 'founder'
  | 'admin'
  | 'staff'
  | 'partner'
  | 'supporter'
  | 'pro';

export interface Author {
  /** Platform user id, when known. */
  readonly id?: string;
  /** Login / username (stable, for `from:` filters and mentions). */
  readonly name: string;
  readonly displayName: string;
  /** A CSS colour the platform gave (`#rrggbb`); absent when it gave none. */
  readonly color?: string;
  /** http(s) avatar URL the platform sent. */
  readonly avatarUrl?: string;
  readonly roles: readonly Role[];
}

/** A piece of a message's content. URLs are as the platform sent them; the view checks their scheme. */
export type MessagePart =
  | { readonly type: 'text'; readonly text: string }
  | {
      readonly type: 'emote';
      /** The emote's code as typed, used as alt text. */
      readonly name: string;
      readonly url: string;
      /** For sprite-sheet emotes (Mixer): the rectangle of `url` to show. */
      readonly sprite?: {
        readonly x: number;
        readonly y: number;
        readonly width: number;
        readonly height: number;
      };
    }
  | { readonly type: 'link'; readonly text: string; readonly url: string }
  | { readonly type: 'mention'; readonly text: string; readonly username: string }
  | { readonly type: 'image'; readonly alt: string; readonly url: string };

/** What a timeline line is: a chat message, a platform event (follow, raid…), or our own notice. */
export type MessageKind = 'chat' | 'event' | 'system';

export interface MessageFlags {
  /** `/me` action. */
  readonly action?: boolean;
  readonly whisper?: boolean;
  readonly deleted?: boolean;
  /** Hidden by the platform's filter but shown to moderators (Mixer `censored`). */
  readonly censored?: boolean;
  /** A test or replayed event (TAU `origin`), not a live one. */
  readonly test?: boolean;
  /** Sent by the streamer through this extension. */
  readonly self?: boolean;
}

/** The message a reply answers (Twitch replies), as the platform described it when the reply was sent. */
export interface ReplyRef {
  /** The parent's id on the same platform (it may no longer be, or never have been, in the scrollback). */
  readonly id: string;
  /** The parent's author as shown (display name, else login). */
  readonly author: string;
  /** The parent author's login, when the platform gave it. */
  readonly login?: string;
  /** The parent's text as the platform sent it (plain text, possibly cut short). */
  readonly text: string;
}

/** The longest parent text a reply keeps (Twitch messages are at most 500 characters). */
export const MAX_REPLY_TEXT = 500;

export interface ChatMessage {
  /** The platform's id for it; timelines de-duplicate on (platform, channel, id), see timeline.ts. */
  readonly id: string;
  readonly platform: PlatformId;
  readonly channel: string;
  readonly kind: MessageKind;
  /** Absent on system notices. */
  readonly author?: Author;
  readonly parts: readonly MessagePart[];
  /** Epoch ms when this client received it. Ordering is by arrival. */
  readonly receivedAt: number;
  /** Epoch ms when the platform says it was sent, when it says. */
  readonly sentAt?: number;
  readonly flags: MessageFlags;
  /** For `event` lines: the platform's event type (e.g. `channel-follow`). */
  readonly eventType?: string;
  /** For `system` lines: how serious. */
  readonly severity?: 'info' | 'warning' | 'error';
  /** For replies: the message answered. */
  readonly replyTo?: ReplyRef;
}

/** A part's content as plain text (an emote by its name). */
export function partText(part: MessagePart): string {
  switch (part.type) {
    case 'text':
    case 'link':
    case 'mention':
      return part.text;
    case 'emote':
      return part.name;
    case 'image':
      return part.alt;
  }
}

/** The message's content as plain text (emotes by name). */
export function plainText(message: Pick<ChatMessage, 'parts'>): string {
  return message.parts.map(partText).join('');
}

/**
 * A stable colour for a name when the platform gives none: the same name always gets the same
 * hue, in a lightness band the view then adjusts for contrast with the theme.
 */
export function stableColor(name: string): string {
  const hue = nameHash(name) % 360;
  // Every chat line asks for one; there are only 360 of them.
  return (stableColors[hue] ??= hslToHex(hue, 65, 55));
}

/** FNV-1a over the lowercased name; ASCII folds by arithmetic, so a line makes no lowered copy. */
function nameHash(name: string): number {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c > 0x7f) return fnv1a(name.toLowerCase(), name.length);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    hash = Math.imul(hash ^ c, 16777619);
  }
  return hash >>> 0;
}

function fnv1a(text: string, length: number): number {
  let hash = 2166136261;
  for (let i = 0; i < length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

const stableColors: string[] = [];

function hslToHex(h: number, s: number, l: number): string {
  const sat = s / 100;
  const light = l / 100;
  const k = (n: number) => (n + h / 30) % 12;
  const a = sat * Math.min(light, 1 - light);
  const f = (n: number) => light - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  const hex = (x: number) =>
    Math.round(x * 255)
      .toString(16)
      .padStart(2, '0');
  return `#${hex(f(0))}${hex(f(8))}${hex(f(4))}`;
}

let systemCounter = 0;

/** Builds one of our own notice lines (connected, reconnecting, errors). */
export function systemNotice(
  platform: PlatformId,
  text: string,
  severity: 'info' | 'warning' | 'error' = 'info',
  now: number = Date.now(),
): ChatMessage {
  return {
    id: `system-${now.toString(36)}-${(systemCounter++).toString(36)}`,
    platform,
    channel: '',
    kind: 'system',
    parts: [{ type: 'text', text }],
    receivedAt: now,
    flags: {},
    severity,
  };
}

/**
 * A change to the timeline, in the order it happened. Platforms emit these; the hub applies them
 * to its scrollback and the view applies the same ops to the DOM.
 */
export type TimelineOp =
  | { readonly op: 'append'; readonly message: ChatMessage }
  /** Marks messages deleted (moderation). */
  | { readonly op: 'delete'; readonly platform: PlatformId; readonly ids: readonly string[] }
  /** Marks every message of one user deleted (ban, timeout, purge). */
  | { readonly op: 'purgeUser'; readonly platform: PlatformId; readonly userId: string }
  /** Removes all of a platform's chat messages (clear chat). */
  | { readonly op: 'clear'; readonly platform: PlatformId };
