import type { HighlightSummary } from '../src/protocol/messages';
import { PLATFORM_LABELS } from '../src/core/message';
import { t } from './strings';

/** The list of active `!line` highlights: jump to one, or dismiss it. Hidden when empty. */
export function renderHighlights(
  container: HTMLElement,
  highlights: readonly HighlightSummary[],
  actions: { jump(id: string): void; dismiss(id: string): void },
): void {
  const doc = container.ownerDocument;
  container.hidden = highlights.length === 0;
  const items = highlights.map((h) => {
    const item = doc.createElement('li');
    item.className = 'highlight';
    item.dataset.id = h.id;
    const jump = doc.createElement('button');
    jump.type = 'button';
    jump.className = 'highlight-jump';
    const range = h.startLine === h.endLine ? `${h.startLine}` : `${h.startLine}-${h.endLine}`;
    const where = doc.createElement('bdi');
    where.textContent = `${h.file}:${range}`;
    const who = doc.createElement('bdi');
    who.className = 'highlight-author';
    who.textContent = ` ${h.author} (${PLATFORM_LABELS[h.platform]})`;
    jump.append(where, who);
    if (h.comment) {
      const comment = doc.createElement('bdi');
      comment.className = 'highlight-comment';
      comment.textContent = ` “${h.comment}”`;
      jump.append(comment);
    }
    jump.title = t('Show this line in the editor');
    jump.addEventListener('click', () => actions.jump(h.id));
    const dismiss = doc.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'highlight-dismiss codicon codicon-close';
    dismiss.setAttribute('aria-label', t('Dismiss the highlight of {0}', `${h.file}:${range}`));
    dismiss.title = t('Dismiss');
    dismiss.addEventListener('click', () => actions.dismiss(h.id));
    item.append(jump, dismiss);
    return item;
  });
  const title = doc.createElement('div');
  title.className = 'highlights-title';
  title.textContent = t('Highlights ({0})', highlights.length);
  const list = doc.createElement('ul');
  list.append(...items);
  container.replaceChildren(title, list);
}
