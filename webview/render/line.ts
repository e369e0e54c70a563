import type { ChatMessage, MessagePart, PlatformId, Role } from '../../src/core/message';
import { PLATFORM_LABELS, stableColor } from '../../src/core/message';
import type { MentionMatcher } from '../mentions';
import { keyOf } from '../store';
import { safeImageUrl, safeLinkUrl } from './safeUrl';

/** What rendering a line needs besides the message. */
export interface LineContext {
  /** The author colour made readable on the current theme (undefined: theme foreground). */
  readableColor(color: string): string | undefined;
  /** The streamer's names, whose mention marks the line. */
  readonly mentions: MentionMatcher;
  readonly document: Document;
}

/** The short mark at the start of each line; its accessible name is the platform's label. */
export const PLATFORM_MARKS: Record<PlatformId, string> = { glimesh: 'G', mixer: 'M', tau: 'T' };

/** Role badges as codicons (each name exists in @vscode/codicons; a unit test checks). */
export const ROLE_BADGES: Record<Role, { icon: string; label: string }> = {
  broadcaster: { icon: 'device-camera-video', label: 'Broadcaster' },
  moderator: { icon: 'shield', label: 'Moderator' },
  vip: { icon: 'sparkle-filled', label: 'VIP' },
  subscriber: { icon: 'star-full', label: 'Subscriber' },
  founder: { icon: 'star-empty', label: 'Founder' },
  admin: { icon: 'tools', label: 'Admin' },
  staff: { icon: 'verified-filled', label: 'Staff' },
  partner: { icon: 'verified', label: 'Partner' },
  supporter: { icon: 'heart', label: 'Supporter' },
  pro: { icon: 'rocket', label: 'Pro' },
};

/** Codicons for platform events, by a word in the event type (TAU `channel-follow`, Mixer `UserFollow`…). */
export const EVENT_ICONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/gift/i, 'gift'],
  [/follow/i, 'heart'],
  [/sub|member/i, 'star-full'],
  [/raid|host/i, 'rocket'],
  [/cheer|bits|donat|tip|spark|ember|skill/i, 'zap'],
  [/redemption|reward|point/i, 'sparkle-filled'],
  [/hype/i, 'flame'],
  [/online|offline|stream/i, 'broadcast'],
  [/ban|timeout|purge/i, 'circle-slash'],
  [/join|leave/i, 'person-add'],
];

/** The codicon for an event type; `megaphone` for anything else. */
export function eventIcon(eventType: string | undefined): string {
  return EVENT_ICONS.find(([pattern]) => pattern.test(eventType ?? ''))?.[1] ?? 'megaphone';
}

export const SEVERITY_ICONS = { info: 'info', warning: 'warning', error: 'error' } as const;

/** Lines longer than this (characters) or with more pictures than this start collapsed. */
export const COLLAPSE_CHARACTERS = 500;
export const COLLAPSE_PICTURES = 40;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function icon(doc: Document, name: string, className: string): HTMLElement {
  const node = el(doc, 'span', `${className} codicon codicon-${name}`);
  node.setAttribute('aria-hidden', 'true');
  return node;
}

/** A run of user text, isolated so bidi overrides cannot reorder what follows it. */
function textRun(doc: Document, text: string, className = 'run'): HTMLElement {
  return el(doc, 'bdi', className, text);
}

/** The colour a line's author should have before contrast adjustment: the platform's, else one from the name. */
export function authorColorOf(message: ChatMessage): string | undefined {
  const author = message.author;
  if (!author) return undefined;
  return author.color ?? stableColor(author.name);
}

function renderText(text: string, ctx: LineContext, line: HTMLElement, into: Node[]): void {
  // Our own notices name the channel; only chat and events can mention the streamer.
  const runs = line.dataset.kind === 'system' ? [{ text, mention: false }] : ctx.mentions.split(text);
  for (const run of runs) {
    if (run.mention) {
      line.classList.add('mentions-me');
      into.push(textRun(ctx.document, run.text, 'run mention me'));
    } else {
      into.push(textRun(ctx.document, run.text));
    }
  }
}

function renderEmote(part: Extract<MessagePart, { type: 'emote' }>, doc: Document): Node {
  const src = safeImageUrl(part.url);
  if (!src) return textRun(doc, part.name);
  if (part.sprite) {
    const { x, y, width, height } = part.sprite;
    if (![x, y, width, height].every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n < 10_000) || width === 0 || height === 0) {
      return textRun(doc, part.name);
    }
    const sprite = el(doc, 'span', 'emote sprite');
    sprite.setAttribute('role', 'img');
    sprite.setAttribute('aria-label', part.name);
    sprite.title = part.name;
    sprite.dataset.emote = part.name;
    // The href came out of the URL parser, which percent-encodes quotes, so the url("…") token
    // cannot be closed from inside; the numbers were checked above.
    sprite.style.setProperty('background-image', `url("${src}")`);
    sprite.style.setProperty('background-position', `-${x}px -${y}px`);
    sprite.style.setProperty('width', `${width}px`);
    sprite.style.setProperty('height', `${height}px`);
    return sprite;
  }
  const img = el(doc, 'img', 'emote');
  // An emote that cannot load (offline, removed) reads as its name instead of a broken icon.
  img.addEventListener(
    'error',
    () => {
      const fallback = textRun(doc, part.name, 'run emote-fallback');
      fallback.dataset.emote = part.name;
      img.replaceWith(fallback);
    },
    { once: true },
  );
  img.dataset.emote = part.name;
  img.alt = part.name;
  img.title = part.name;
  img.setAttribute('loading', 'lazy');
  img.setAttribute('decoding', 'async');
  img.src = src;
  return img;
}

function renderPart(part: MessagePart, ctx: LineContext, line: HTMLElement, into: Node[]): void {
  const doc = ctx.document;
  switch (part.type) {
    case 'text':
      renderText(part.text, ctx, line, into);
      return;
    case 'link': {
      const href = safeLinkUrl(part.url);
      if (!href) {
        into.push(textRun(doc, part.text || part.url));
        return;
      }
      const a = el(doc, 'a', 'link');
      a.href = href;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
      a.title = href;
      a.append(textRun(doc, part.text || href));
      into.push(a);
      return;
    }
    case 'mention': {
      const node = textRun(doc, part.text, 'run mention');
      if (line.dataset.kind !== 'system' && ctx.mentions.isName(part.username)) {
        node.classList.add('me');
        line.classList.add('mentions-me');
      }
      into.push(node);
      return;
    }
    case 'emote':
      into.push(renderEmote(part, doc));
      return;
    case 'image': {
      const src = safeImageUrl(part.url);
      if (!src) {
        into.push(textRun(doc, part.alt));
        return;
      }
      const img = el(doc, 'img', 'chat-image');
      img.alt = part.alt;
      img.title = part.alt;
      img.setAttribute('loading', 'lazy');
      img.setAttribute('decoding', 'async');
      img.src = src;
      into.push(img);
      return;
    }
  }
}

/** Characters (pictures count one) and pictures in a message. */
function size(message: ChatMessage): { characters: number; pictures: number } {
  let characters = 0;
  let pictures = 0;
  for (const part of message.parts) {
    if (part.type === 'emote' || part.type === 'image') {
      pictures++;
      characters++;
    } else characters += part.text.length;
  }
  return { characters, pictures };
}

function expandButton(doc: Document, line: HTMLElement, characters: number): HTMLElement {
  const button = el(doc, 'button', 'expand');
  button.type = 'button';
  const label = () => (line.classList.contains('collapsed') ? `Show all (${characters.toLocaleString('en-US')} characters)` : 'Show less');
  button.textContent = label();
  button.setAttribute('aria-expanded', 'false');
  button.addEventListener('click', () => {
    const collapsed = line.classList.toggle('collapsed');
    button.setAttribute('aria-expanded', String(!collapsed));
    button.textContent = label();
  });
  return button;
}

/** Builds one timeline line from DOM nodes and text only (chat text is hostile). */
export function renderLine(message: ChatMessage, ctx: LineContext): HTMLElement {
  const doc = ctx.document;
  const line = el(doc, 'div', `line kind-${message.kind}`);
  line.dataset.key = keyOf(message);
  line.dataset.platform = message.platform;
  line.dataset.kind = message.kind;
  if (message.author) line.dataset.author = message.author.name.slice(0, 100);
  if (message.eventType) line.dataset.event = message.eventType.slice(0, 80);
  if (message.severity) line.classList.add(`severity-${message.severity}`);
  if (message.flags.action) line.classList.add('action');
  if (message.flags.whisper) line.classList.add('whisper');
  if (message.flags.censored) line.classList.add('censored');
  if (message.flags.self) line.classList.add('self');
  setDeleted(line, !!message.flags.deleted);

  const mark = el(doc, 'span', `platform platform-${message.platform}`, PLATFORM_MARKS[message.platform]);
  mark.title = PLATFORM_LABELS[message.platform];
  mark.setAttribute('role', 'img');
  mark.setAttribute('aria-label', PLATFORM_LABELS[message.platform]);
  line.append(mark);

  const at = new Date(message.sentAt ?? message.receivedAt);
  if (!Number.isNaN(at.getTime())) {
    const time = el(doc, 'time', 'time', timeFormat.format(at));
    time.dateTime = at.toISOString();
    time.title = fullTimeFormat.format(at);
    line.append(time);
  }

  if (message.kind === 'event') line.append(icon(doc, eventIcon(message.eventType), 'event-icon'));
  if (message.kind === 'system') line.append(icon(doc, SEVERITY_ICONS[message.severity ?? 'info'] ?? 'info', 'severity-icon'));
  if (message.flags.test) line.append(el(doc, 'span', 'tag test', 'TEST'));
  if (message.flags.whisper) line.append(el(doc, 'span', 'tag whisper', 'whisper'));

  const author = message.author;
  const raw = authorColorOf(message);
  const color = raw ? ctx.readableColor(raw) : undefined;
  if (color) line.style.setProperty('--author-color', color);
  // Event lines already say who in their text; the author colours the line instead.
  if (author && message.kind !== 'event') {
    if (author.roles.length > 0) {
      const badges = el(doc, 'span', 'badges');
      for (const role of author.roles.slice(0, 6)) {
        const badge = ROLE_BADGES[role];
        if (!badge) continue;
        const b = el(doc, 'span', `badge role-${role} codicon codicon-${badge.icon}`);
        b.title = badge.label;
        b.setAttribute('role', 'img');
        b.setAttribute('aria-label', badge.label);
        badges.append(b);
      }
      line.append(badges);
    }
    const name = el(doc, 'span', 'author');
    name.append(textRun(doc, author.displayName || author.name));
    if (author.displayName && author.name && author.displayName.toLowerCase() !== author.name.toLowerCase()) name.title = author.name;
    line.append(name);
    line.append(el(doc, 'span', 'sep', message.kind === 'chat' && !message.flags.action ? ': ' : ' '));
  }

  const nodes: Node[] = [];
  for (const part of message.parts) renderPart(part, ctx, line, nodes);
  const text = el(doc, 'span', 'text');
  for (const node of nodes) text.append(node);
  line.append(text);
  const { characters, pictures } = size(message);
  if (characters > COLLAPSE_CHARACTERS || pictures > COLLAPSE_PICTURES) {
    // Spam walls start folded to a few rows; the button shows them whole.
    line.classList.add('long', 'collapsed');
    line.append(expandButton(doc, line, characters));
  }
  return line;
}

/** Marks a line deleted (struck through and dimmed, or hidden by the `hideDeleted` setting). */
export function setDeleted(line: HTMLElement, deleted: boolean): void {
  line.classList.toggle('deleted', deleted);
  if (deleted) {
    line.dataset.deleted = 'true';
    line.title = 'Deleted by a moderator';
  } else {
    delete line.dataset.deleted;
    line.removeAttribute('title');
  }
}
