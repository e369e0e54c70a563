import type { ChatMessage, MessagePart, PlatformId, Role } from '../../src/core/message';
import { PLATFORM_LABELS, stableColor } from '../../src/core/message';
import type { CodeRefView } from '../../src/protocol/messages';
import { keyOf } from '../store';
import { partLength, withCodeRefs } from './codeRefs';
import { safeImageUrl, safeLinkUrl } from './safeUrl';

/** What rendering a line needs besides the message. */
export interface LineContext {
  /** The author colour made readable on the current theme (undefined: theme foreground). */
  readableColor(color: string): string | undefined;
  /** Lowercase names whose mention marks the line. */
  readonly mentionNames: ReadonlySet<string>;
  readonly document: Document;
  /** The code references the host found in a line (by line key), if any. */
  codeRefs?(key: string): readonly CodeRefView[] | undefined;
  /** A code reference was clicked. */
  openCodeRef?(id: string): void;
}

const PLATFORM_MARKS: Record<PlatformId, string> = { glimesh: 'G', mixer: 'M', tau: 'T' };

const ROLE_BADGES: Record<Role, { icon: string; label: string }> = {
  broadcaster: { icon: 'device-camera-video', label: 'Broadcaster' },
  moderator: { icon: 'shield', label: 'Moderator' },
  vip: { icon: 'gem', label: 'VIP' },
  subscriber: { icon: 'star-full', label: 'Subscriber' },
  founder: { icon: 'star-empty', label: 'Founder' },
  admin: { icon: 'tools', label: 'Admin' },
  staff: { icon: 'verified-filled', label: 'Staff' },
  partner: { icon: 'verified', label: 'Partner' },
  supporter: { icon: 'heart', label: 'Supporter' },
  pro: { icon: 'rocket', label: 'Pro' },
};

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A run of user text, isolated so bidi overrides cannot reorder what follows it. */
function textRun(doc: Document, text: string, className = 'run'): HTMLElement {
  return el(doc, 'bdi', className, text);
}

function isMention(text: string, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}_]+/u)) {
    if (word && names.has(word)) return true;
  }
  return false;
}

function renderPart(part: MessagePart, ctx: LineContext, line: HTMLElement): Node {
  const doc = ctx.document;
  switch (part.type) {
    case 'text':
      // Our own notices name the channel; only chat and events can mention the streamer.
      if (line.dataset.kind !== 'system' && isMention(part.text, ctx.mentionNames)) line.classList.add('mentions-me');
      return textRun(doc, part.text);
    case 'link': {
      const href = safeLinkUrl(part.url);
      if (!href) return textRun(doc, part.text);
      const a = el(doc, 'a', 'link');
      a.href = href;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
      a.title = href;
      a.append(textRun(doc, part.text || href));
      return a;
    }
    case 'mention': {
      const node = textRun(doc, part.text, 'mention');
      if (ctx.mentionNames.has(part.username.toLowerCase().replace(/^@/, ''))) {
        node.classList.add('me');
        line.classList.add('mentions-me');
      }
      return node;
    }
    case 'emote': {
      const src = safeImageUrl(part.url);
      if (!src) return textRun(doc, part.name);
      if (part.sprite) {
        const { x, y, width, height } = part.sprite;
        if (![x, y, width, height].every((n) => Number.isFinite(n) && n >= 0 && n < 10_000) || width === 0 || height === 0) {
          return textRun(doc, part.name);
        }
        const sprite = el(doc, 'span', 'emote sprite');
        sprite.setAttribute('role', 'img');
        sprite.setAttribute('aria-label', part.name);
        sprite.title = part.name;
        // The href came out of the URL parser, which percent-encodes quotes and backslashes.
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
      img.src = src;
      img.alt = part.name;
      img.title = part.name;
      img.setAttribute('loading', 'lazy');
      img.setAttribute('decoding', 'async');
      return img;
    }
    case 'image': {
      const src = safeImageUrl(part.url);
      if (!src) return textRun(doc, part.alt);
      const img = el(doc, 'img', 'chat-image');
      img.src = src;
      img.alt = part.alt;
      img.title = part.alt;
      img.setAttribute('loading', 'lazy');
      img.setAttribute('decoding', 'async');
      return img;
    }
  }
}

/** Builds one timeline line from DOM nodes and text only (chat text is hostile). */
export function renderLine(message: ChatMessage, ctx: LineContext): HTMLElement {
  const doc = ctx.document;
  const line = el(doc, 'div', `line kind-${message.kind}`);
  line.dataset.key = keyOf(message);
  line.dataset.platform = message.platform;
  line.dataset.kind = message.kind;
  // For the user card's local highlight and hide rules (webview/userCard.ts).
  if (message.author) line.dataset.author = `${message.platform}:${message.author.name.toLowerCase()}`;
  if (message.eventType) line.dataset.event = message.eventType.slice(0, 80);
  if (message.severity) line.classList.add(`severity-${message.severity}`);
  if (message.flags.action) line.classList.add('action');
  if (message.flags.whisper) line.classList.add('whisper');
  if (message.flags.censored) line.classList.add('censored');
  if (message.flags.self) line.classList.add('self');
  setDeleted(line, !!message.flags.deleted);

  const mark = el(doc, 'span', `platform platform-${message.platform}`, PLATFORM_MARKS[message.platform]);
  mark.title = PLATFORM_LABELS[message.platform];
  mark.setAttribute('aria-label', PLATFORM_LABELS[message.platform]);
  line.append(mark);

  const at = new Date(message.sentAt ?? message.receivedAt);
  if (!Number.isNaN(at.getTime())) {
    const time = el(doc, 'time', 'time', timeFormat.format(at));
    time.dateTime = at.toISOString();
    time.title = fullTimeFormat.format(at);
    line.append(time);
  }

  if (message.flags.test) line.append(el(doc, 'span', 'tag test', 'TEST'));
  if (message.flags.whisper) line.append(el(doc, 'span', 'tag whisper', 'whisper'));

  // Event lines already say who in their text; the author colours the line instead.
  const author = message.author;
  if (author && message.kind === 'event') {
    const color = ctx.readableColor(author.color ?? stableColor(author.name));
    if (color) line.style.setProperty('--author-color', color);
  } else if (author) {
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
    const color = ctx.readableColor(author.color ?? stableColor(author.name));
    if (color) line.style.setProperty('--author-color', color);
    line.append(name);
    if (message.kind === 'chat' && !message.flags.action) line.append(el(doc, 'span', 'sep', ': '));
  }

  line.append(renderText(message, ctx, line));
  return line;
}

/** The line's text (its parts), with code references as links; rebuilt when they arrive later. */
export function renderText(message: ChatMessage, ctx: LineContext, line: HTMLElement): HTMLElement {
  const doc = ctx.document;
  const text = el(doc, 'span', 'text');
  const refs = ctx.codeRefs?.(keyOf(message));
  const open = ctx.openCodeRef;
  let offset = 0;
  for (const part of message.parts) {
    const node = renderPart(part, ctx, line);
    text.append(refs && open ? withCodeRefs(node, part, offset, refs, doc, open, (t) => textRun(doc, t)) : node);
    offset += partLength(part);
  }
  return text;
}

export function setDeleted(line: HTMLElement, deleted: boolean): void {
  line.classList.toggle('deleted', deleted);
  if (deleted) {
    line.dataset.deleted = 'true';
    line.title = 'Deleted by a moderator';
  } else {
    delete line.dataset.deleted;
  }
}
