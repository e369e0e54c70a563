/**
 * The only module that knows about @vscode/webview-ui-toolkit (archived upstream in 2025): the
 * rest of the view asks this module for controls, so swapping the toolkit touches one file.
 */
import { provideVSCodeDesignSystem, vsCodeBadge, vsCodeButton, vsCodeDropdown, vsCodeOption } from '@vscode/webview-ui-toolkit';

let registered = false;

/** Registers the few toolkit elements the view uses (once). */
export function registerComponents(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodeBadge());
}

type Appearance = 'primary' | 'secondary' | 'icon';

/** A themed button; `icon` is a codicon name. */
export function button(doc: Document, options: { label: string; appearance?: Appearance; icon?: string; id?: string; title?: string }): HTMLElement {
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

export function setDropdownOptions(d: HTMLElement, options: ReadonlyArray<{ value: string; label: string }>, selected?: string): void {
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
