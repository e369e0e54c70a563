import type { ChatMessage, MessagePart, Role } from '../../src/core/message';
import { stableColor } from '../../src/core/message';
import type { CodeRefView } from '../../src/protocol/messages';
import { MentionMatcher } from '../mentions';
import { keyOf } from '../store';
import { partLength, withCodeRefs } from './codeRefs';
import { safeImageUrl, safeLinkUrl } from './safeUrl';
import type { WebviewString } from '../../src/protocol/webviewStrings';
import { t } from '../strings';

/** What rendering a line needs besides the message. */
export interface LineContext {
  /** The author colour made readable on the current theme (undefined: theme foreground). */
  readableColor(color: string): string | undefined;
  /** The streamer's names, whose mention marks the line. */
  readonly mentions: MentionMatcher;
  readonly document: Document;
  /** Whether lines carry their time (setting `streamChat.view.showTimestamps`); default true. */
  readonly showTimestamps?: boolean;
  /** The code references the host found in a line (by line key), if any. */
  codeRefs?(key: string): readonly CodeRefView[] | undefined;
  /** A code reference was clicked. */
  openCodeRef?(id: string): void;
  /** Called with each finished line (highlight rules, the Mentions list: webview/highlightRules.ts). */
  decorate?(line: HTMLElement, message: ChatMessage): void;
  /** Whether the view holds a message (by key): a reply's parent is a link only then (webview/replies.ts). */
  hasMessage?(key: string): boolean;
}

/** Role badges as codicons (each name exists in @vscode/codicons; a unit test checks). */
export const ROLE_BADGES: Record<Role, { icon: string; name: WebviewString }> = {
  broadcaster: { icon: 'device-camera-video', name: 'Broadcaster' },
  moderator: { icon: 'shield', name: 'Moderator' },
  vip: { icon: 'sparkle-filled', name: 'VIP' },
  subscriber: { icon: 'star-full', name: 'Subscriber' },
  founder: { icon: 'star-empty', name: 'Founder' },
  admin: { icon: 'tools', name: 'Admin' },
  staff: { icon: 'verified-filled', name: 'Staff' },
  partner: { icon: 'verified', name: 'Partner' },
  supporter: { icon: 'heart', name: 'Supporter' },
  pro: { icon: 'rocket', name: 'Pro' },
};

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});

/** Bidi controls that could reorder what follows them: text holding one gets its own isolate. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A run of user text: a bare text node (no element) unless it carries bidi controls, which get a
 * `<bdi>` so an override cannot flip what follows. The whole `.text` is isolated in CSS too.
 */
function textRun(doc: Document, text: string): Node {
  return BIDI_CONTROLS.test(text) ? el(doc, 'bdi', undefined, text) : doc.createTextNode(text);
}

/** The colour a line's author should have before contrast adjustment: the platform's, else one from the name. */
export function authorColorOf(message: ChatMessage): string | undefined {
  const author = message.author;
  if (!author) return undefined;
  return author.color ?? stableColor(author.name);
}

/** Plain text of a message part, with the streamer's names marked. */
function renderWords(text: string, ctx: LineContext, line: HTMLElement, into: Node[]): void {
  // Our own notices name the channel; only chat and events can mention the streamer.
  const runs =
    line.dataset.kind === 'system' ? [{ text, mention: false }] : ctx.mentions.split(text);
  for (const run of runs) {
    if (run.mention) {
      line.classList.add('mentions-me');
      into.push(el(ctx.document, 'span', 'mention me', run.text));
    } else into.push(textRun(ctx.document, run.text));
  }
}

function renderEmote(part: Extract<MessagePart, { type: 'emote' }>, doc: Document): Node {
  const src = safeImageUrl(part.url);
  if (!src) return textRun(doc, part.name);
  if (part.sprite) {
    const { x, y, width, height } = part.sprite;
    if (
      ![x, y, width, height].every(
        (n) => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n < 10_000,
      ) ||
      width === 0 ||
      height === 0
    ) {
      return textRun(doc, part.name);
    }
    const sprite = el(doc, 'span', 'emote sprite');
    sprite.dataset.emote = part.name;
    sprite.setAttribute('role', 'img');
    sprite.setAttribute('aria-label', part.name);
    sprite.title = part.name;
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
      const fallback = el(doc, 'span', 'emote-fallback', part.name);
      fallback.dataset.emote = part.name;
      img.replaceWith(fallback);
    },
    { once: true },
  );
  // data-emote marks an emote whether it shows as an image or, failed, as its name.
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
      renderWords(part.text, ctx, line, into);
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
      const node = el(doc, 'span', 'mention', part.text);
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

/**
 * Builds one timeline line from DOM nodes and text only (chat text is hostile). A plain chat
 * line is four elements (line, time, author, text): the platform mark and the ": " after the
 * author are drawn by CSS from the line's data attributes.
 */
export function renderLine(message: ChatMessage, ctx: LineContext): HTMLElement {
  const doc = ctx.document;
  const line = el(doc, 'div', `line kind-${message.kind}`);
  line.dataset.key = keyOf(message);
  line.dataset.platform = message.platform;
  line.dataset.kind = message.kind;
  line.tabIndex = -1;
  // For the user card's local highlight and hide rules (webview/userCard.ts).
  if (message.author)
    line.dataset.author = `${message.platform}:${message.author.name.toLowerCase().slice(0, 100)}`;
  if (message.eventType) line.dataset.event = message.eventType.slice(0, 80);
  if (message.severity) line.classList.add(`severity-${message.severity}`);
  if (message.flags.action) line.classList.add('action');
  if (message.flags.whisper) line.classList.add('whisper');
  if (message.flags.censored) line.classList.add('censored');
  if (message.flags.self) line.classList.add('self');
  setDeleted(line, !!message.flags.deleted);
  if (message.replyTo) line.append(...renderReplyRef(message, ctx));

  if (ctx.showTimestamps !== false) {
    const at = new Date(message.sentAt ?? message.receivedAt);
    if (!Number.isNaN(at.getTime())) {
      const time = el(doc, 'time', 'time', timeFormat.format(at));
      time.dateTime = at.toISOString();
      time.title = fullTimeFormat.format(at);
      line.append(time);
    }
  }

  // Rare lines keep a visible tag (tests and UI tests look for it).
  if (message.flags.test) line.append(el(doc, 'span', 'tag test', t('TEST')));
  if (message.flags.whisper) line.append(el(doc, 'span', 'tag whisper', t('whisper')));

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
        b.title = t(badge.name);
        b.setAttribute('role', 'img');
        b.setAttribute('aria-label', t(badge.name));
        badges.append(b);
      }
      line.append(badges);
    }
    const name = el(
      doc,
      'span',
      message.kind === 'chat' && !message.flags.action ? 'author says' : 'author',
      author.displayName || author.name,
    );
    if (
      author.displayName &&
      author.name &&
      author.displayName.toLowerCase() !== author.name.toLowerCase()
    )
      name.title = author.name;
    line.append(name);
  }

  line.append(renderText(message, ctx, line));
  ctx.decorate?.(line, message);
  return line;
}

/** How much of a parent's text a reply shows (code points); CSS may cut it shorter. */
export const REPLY_SNIPPET = 80;

/** A reply reference's accessible name. */
export function replyLabel(reply: NonNullable<ChatMessage['replyTo']>): string {
  return t('Replying to {0}: {1}', reply.author, replySnippet(reply.text));
}

function replySnippet(text: string): string {
  const chars = [...text];
  return chars.length > REPLY_SNIPPET ? `${chars.slice(0, REPLY_SNIPPET).join('')}…` : text;
}

/**
 * What a reply answers, above the line: the parent's author and the start of its text. A button
 * (activated through webview/replies.ts) when the parent is in the scrollback, plain text when
 * not; a line break puts the reply itself on the next row.
 */
function renderReplyRef(message: ChatMessage, ctx: LineContext): Node[] {
  const doc = ctx.document;
  const reply = message.replyTo!;
  const key = keyOf({ platform: message.platform, id: reply.id });
  const linked = ctx.hasMessage?.(key) === true;
  const ref = el(doc, linked ? 'button' : 'span', 'reply-ref');
  ref.dataset.replyTo = key;
  ref.setAttribute('aria-label', replyLabel(reply));
  if (linked) {
    (ref as HTMLButtonElement).type = 'button';
    // Reached with Tab only from its own line (webview/replies.ts), not from every reply on screen.
    ref.tabIndex = -1;
    ref.title = t('Go to the message this replies to');
  } else {
    ref.setAttribute('role', 'note');
    ref.title = t('The message this replies to is not in the scrollback');
  }
  const icon = el(doc, 'span', 'codicon codicon-reply');
  icon.setAttribute('aria-hidden', 'true');
  ref.append(
    icon,
    el(doc, 'span', 'reply-author', `@${reply.author}`),
    el(doc, 'span', 'reply-text'),
  );
  ref.lastElementChild!.append(textRun(doc, replySnippet(reply.text)));
  return [ref, el(doc, 'br', 'reply-break')];
}

/** Turns a reply reference whose parent left the scrollback into plain text. */
export function unlinkReplyRef(ref: HTMLElement): HTMLElement {
  if (ref.tagName !== 'BUTTON') return ref;
  const doc = ref.ownerDocument;
  const plain = el(doc, 'span', 'reply-ref');
  plain.dataset.replyTo = ref.dataset.replyTo ?? '';
  plain.setAttribute('aria-label', ref.getAttribute('aria-label') ?? '');
  plain.setAttribute('role', 'note');
  plain.title = t('The message this replies to is not in the scrollback');
  plain.append(...ref.childNodes);
  ref.replaceWith(plain);
  return plain;
}

/** The line's text (its parts), with code references as links; rebuilt when they arrive later. */
export function renderText(message: ChatMessage, ctx: LineContext, line: HTMLElement): HTMLElement {
  const doc = ctx.document;
  const text = el(doc, 'span', 'text');
  const refs = ctx.codeRefs?.(keyOf(message));
  const open = ctx.openCodeRef;
  let offset = 0;
  const nodes: Node[] = [];
  for (const part of message.parts) {
    const start = nodes.length;
    renderPart(part, ctx, line, nodes);
    if (refs && open) {
      const rendered = doc.createDocumentFragment();
      rendered.append(...nodes.splice(start));
      nodes.push(
        withCodeRefs(rendered, part, offset, refs, doc, open, (t) => el(doc, 'bdi', undefined, t)),
      );
    }
    offset += partLength(part);
  }
  text.append(...nodes);
  return text;
}

/** Shows how many identical lines a row stands for (×N), or nothing for one. */
export function setRepeat(line: HTMLElement, count: number): void {
  let badge = line.querySelector<HTMLElement>(':scope > .repeat');
  if (count <= 1) {
    badge?.remove();
    delete line.dataset.repeat;
    return;
  }
  if (!badge) {
    badge = el(line.ownerDocument, 'span', 'repeat');
    line.append(badge);
  }
  badge.textContent = `×${count.toLocaleString('en-US')}`;
  badge.title = t('{0} identical messages in a row', count.toLocaleString('en-US'));
  line.dataset.repeat = String(count);
}

/** Marks a line deleted (struck through and dimmed, or hidden by the `hideDeleted` setting). */
export function setDeleted(line: HTMLElement, deleted: boolean): void {
  line.classList.toggle('deleted', deleted);
  if (deleted) {
    line.dataset.deleted = 'true';
    line.title = t('Deleted by a moderator');
  } else {
    delete line.dataset.deleted;
    line.removeAttribute('title');
  }
}
