import type { MessagePart } from '../../src/core/message';
import type { CodeRefAnnotation, CodeRefView } from '../../src/protocol/messages';
import { t } from '../strings';

/** Lines whose references the view remembers (the host resends them after a reload). */
const MAX_LINES = 5000;
const MAX_REFS_PER_LINE = 50;

/** How many characters a part contributes to the line's plain text (as the host counts them). */
export function partLength(part: MessagePart): number {
  switch (part.type) {
    case 'text':
    case 'link':
    case 'mention':
      return part.text.length;
    case 'emote':
      return part.name.length;
    case 'image':
      return part.alt.length;
  }
}

const isIndex = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 100_000;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** One reference as the host sent it, checked field by field (the host's messages are checked too). */
function validRef(value: unknown): CodeRefView | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (!isIndex(r.start) || !isIndex(r.end) || r.end <= r.start) return undefined;
  if (!isText(r.id, 40) || !/^[\w-]+$/.test(r.id) || !isText(r.label, 500)) return undefined;
  if (r.preview !== undefined && !isText(r.preview, 2000)) return undefined;
  return {
    start: r.start,
    end: r.end,
    id: r.id,
    label: r.label,
    preview: r.preview as string | undefined,
  };
}

/** The view's copy of the host's annotations, by line key (`platform:id`, as the store keys lines). */
export class CodeRefRegistry {
  private readonly _byKey = new Map<string, readonly CodeRefView[]>();

  /** Stores one annotation; returns its line key, or undefined when nothing in it was valid. */
  set(annotation: CodeRefAnnotation): string | undefined {
    if (
      typeof annotation !== 'object' ||
      annotation === null ||
      !isText(annotation.platform, 20) ||
      !isText(annotation.messageId, 500) ||
      !Array.isArray(annotation.refs)
    )
      return undefined;
    const refs: CodeRefView[] = [];
    for (const raw of annotation.refs.slice(0, MAX_REFS_PER_LINE)) {
      const ref = validRef(raw);
      // Sorted and disjoint, or dropped: a link never nests in another.
      if (ref && (refs.length === 0 || ref.start >= refs[refs.length - 1]!.end)) refs.push(ref);
    }
    if (refs.length === 0) return undefined;
    const key = `${annotation.platform}:${annotation.messageId}`;
    this._byKey.delete(key);
    this._byKey.set(key, refs);
    if (this._byKey.size > MAX_LINES) this._byKey.delete(this._byKey.keys().next().value as string);
    return key;
  }

  get(key: string): readonly CodeRefView[] | undefined {
    return this._byKey.get(key);
  }

  clear(): void {
    this._byKey.clear();
  }
}

/** The tooltip: where it leads, then the preview lines. */
function titleOf(ref: CodeRefView): string {
  return ref.preview ? `${ref.label}\n${ref.preview}` : ref.label;
}

function codeLink(
  doc: Document,
  ref: CodeRefView,
  text: string,
  open: (id: string) => void,
  makeRun: (text: string) => HTMLElement,
): HTMLAnchorElement {
  const a = doc.createElement('a');
  a.className = 'link code-ref';
  // Internal: the click asks the host; the page never navigates.
  a.href = '#';
  a.dataset.ref = ref.id;
  a.title = titleOf(ref);
  a.setAttribute('aria-label', t('{0}: open {1}', text, ref.label));
  a.addEventListener('click', (event) => {
    event.preventDefault();
    open(ref.id);
  });
  a.append(makeRun(text));
  return a;
}

/**
 * The hook `renderLine` calls for each part: a text part with references in it comes back split
 * into runs and code links; a link part that is exactly one reference (a link into our repository)
 * becomes a code link instead; anything else is returned as rendered.
 */
export function withCodeRefs(
  rendered: Node,
  part: MessagePart,
  offset: number,
  refs: readonly CodeRefView[],
  doc: Document,
  open: (id: string) => void,
  makeRun: (text: string) => HTMLElement,
): Node {
  const end = offset + partLength(part);
  const inside = refs.filter((r) => r.start >= offset && r.end <= end);
  if (inside.length === 0) return rendered;
  if (part.type === 'link') {
    const whole = inside.find((r) => r.start === offset && r.end === end);
    return whole ? codeLink(doc, whole, part.text, open, makeRun) : rendered;
  }
  if (part.type !== 'text') return rendered;
  const fragment = doc.createDocumentFragment();
  let at = 0;
  for (const ref of inside) {
    const from = ref.start - offset;
    const to = ref.end - offset;
    if (from > at) fragment.append(makeRun(part.text.slice(at, from)));
    fragment.append(codeLink(doc, ref, part.text.slice(from, to), open, makeRun));
    at = to;
  }
  if (at < part.text.length) fragment.append(makeRun(part.text.slice(at)));
  return fragment;
}
