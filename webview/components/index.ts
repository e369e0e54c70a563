/**
 * The view's controls. This folder is the only place that knows about @vscode/webview-ui-toolkit
 * (archived upstream in 2025): the factories here create its elements, and `register.ts` defines
 * them (imported by the page's entry only, so the rest stays testable without the toolkit).
 * Swapping the toolkit means changing these two files.
 */

type Appearance = 'primary' | 'secondary' | 'icon';

/** A themed button; `icon` is a codicon name. */
export function button(
  doc: Document,
  options: { label: string; appearance?: Appearance; icon?: string; id?: string; title?: string },
): HTMLElement {
  const b = doc.createElement('vscode-button');
  b.setAttribute('appearance', options.appearance ?? 'secondary');
  if (options.id) b.id = options.id;
  if (options.title) b.title = options.title;
  b.setAttribute('aria-label', options.title ?? options.label);
  if (options.icon) {
    const icon = doc.createElement('span');
    icon.className = `codicon codicon-${options.icon}`;
    if (options.appearance !== 'icon') icon.setAttribute('slot', 'start');
    b.append(icon);
  }
  if (options.appearance !== 'icon') b.append(doc.createTextNode(options.label));
  return b;
}

/** A themed dropdown; read and write its selection with `dropdownValue`. */
export function dropdown(doc: Document, id: string, label: string): HTMLElement {
  const d = doc.createElement('vscode-dropdown');
  d.id = id;
  d.setAttribute('aria-label', label);
  return d;
}

export function setDropdownOptions(
  d: HTMLElement,
  options: ReadonlyArray<{ value: string; label: string }>,
  selected?: string,
): void {
  const doc = d.ownerDocument;
  d.replaceChildren(
    ...options.map((o) => {
      const option = doc.createElement('vscode-option');
      option.setAttribute('value', o.value);
      option.textContent = o.label;
      if (o.value === selected) option.setAttribute('selected', '');
      return option;
    }),
  );
  if (selected !== undefined) (d as HTMLElement & { value: string }).value = selected;
}

export function dropdownValue(d: HTMLElement): string {
  return (d as HTMLElement & { value?: string }).value ?? '';
}

export function setDisabled(control: HTMLElement, disabled: boolean): void {
  control.toggleAttribute('disabled', disabled);
}
