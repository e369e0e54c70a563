/** What the view's parts set on the elements they build; everything is optional. */
export interface ElementOptions {
  readonly id?: string;
  readonly className?: string;
  readonly role?: string;
  /** The accessible name (`aria-label`). */
  readonly label?: string;
  readonly hidden?: boolean;
  readonly children?: readonly Node[];
}

/** Creates one element of the view's chrome (chat text never goes through here: it is built by `render/`). */
export function element<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  options: ElementOptions = {},
): HTMLElementTagNameMap[K] {
  const el = doc.createElement(tag);
  if (options.id) el.id = options.id;
  if (options.className) el.className = options.className;
  if (options.role) el.setAttribute('role', options.role);
  if (options.label) el.setAttribute('aria-label', options.label);
  if (options.hidden) el.hidden = true;
  if (options.children) el.append(...options.children);
  return el;
}
