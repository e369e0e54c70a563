// The floor of the end-to-end bench: a chat view that does the least a view can do (one text node
// per line in a <pre>, no styling, no scrolling, no features), speaking the same host protocol.
// bench/e2e.ts installs it in place of the product's webview bundle, in the same run, so the
// product's latency and typing figures can be read as a ratio to what the pipe alone costs.
// Chat text only ever becomes text nodes.
import type { ChatMessage, TimelineOp } from '../src/core/message';
import { decodeHostPost, newPageId, type HostToWebview } from '../src/protocol/messages';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();
// The product's stylesheets are linked by the page; the floor renders without them.
for (const link of Array.from(document.querySelectorAll('link[rel="stylesheet"]'))) link.remove();

const app = document.getElementById('app') ?? document.body;
// Platform states as the product's chips expose them, so the bench can wait for "connected".
const chips = document.createElement('div');
chips.hidden = true;
const timeline = document.createElement('pre');
timeline.id = 'timeline';
app.append(chips, timeline);

let scrollback = 1000;

function lineOf(message: ChatMessage): string {
  let text = message.author ? `${message.author.displayName}: ` : '';
  for (const part of message.parts)
    text += part.type === 'emote' ? part.name : part.type === 'image' ? part.alt : part.text;
  return `${text}\n`;
}

function trim(): void {
  while (timeline.childNodes.length > scrollback) timeline.firstChild!.remove();
}

function apply(ops: readonly TimelineOp[]): void {
  for (const op of ops)
    if (op.op === 'append') timeline.append(document.createTextNode(lineOf(op.message)));
  trim();
}

function setPlatforms(platforms: Extract<HostToWebview, { type: 'platforms' }>['platforms']): void {
  chips.replaceChildren(
    ...platforms.map((p) => {
      const chip = document.createElement('span');
      chip.className = 'chip';
      chip.dataset.platform = p.platform;
      chip.dataset.state = p.state.kind;
      return chip;
    }),
  );
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = decodeHostPost(event.data);
  switch (message?.type) {
    case 'snapshot':
      scrollback = message.settings.scrollback;
      timeline.replaceChildren(...message.messages.map((m) => document.createTextNode(lineOf(m))));
      trim();
      setPlatforms(message.platforms);
      break;
    case 'ops':
      apply(message.ops);
      break;
    case 'platforms':
      setPlatforms(message.platforms);
      break;
    case 'settings':
      scrollback = message.settings.scrollback;
      trim();
      break;
    default:
      break;
  }
});

// The host answers only a `ready` that names this page (the product's protocol).
vscode.postMessage({ type: 'ready', pageId: newPageId() });
