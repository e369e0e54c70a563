import type { PlatformStatus } from '../src/core/chatHub';
import { PLATFORM_LABELS, PlatformId } from '../src/core/message';
import { describeState } from '../src/core/state';

const STATE_ICONS: Record<PlatformStatus['state']['kind'], string> = {
  disconnected: 'debug-disconnect',
  connecting: 'sync',
  connected: 'pass-filled',
  reconnecting: 'sync',
  failed: 'error',
};

/** What clicking a chip does in a state. */
export function chipAction(status: PlatformStatus): 'connect' | 'disconnect' {
  return status.state.kind === 'disconnected' || status.state.kind === 'failed' ? 'connect' : 'disconnect';
}

/**
 * Renders one chip per enabled platform: its state (codicon, colour, the state's sentence as
 * tooltip), and a click (or Enter/Space: chips are buttons) to connect or disconnect it. Chips
 * are updated in place, so a focused chip keeps the focus while its state changes.
 */
export function renderChips(container: HTMLElement, platforms: readonly PlatformStatus[], onToggle: (p: PlatformId) => void): void {
  const doc = container.ownerDocument;
  const existing = new Map<string, HTMLButtonElement>();
  for (const node of container.querySelectorAll<HTMLButtonElement>('button.chip')) existing.set(node.dataset.platform ?? '', node);
  const chips = platforms
    .filter((p) => p.enabled)
    .map((status) => {
      let chip = existing.get(status.platform);
      if (!chip) {
        chip = doc.createElement('button');
        chip.type = 'button';
        chip.dataset.platform = status.platform;
        chip.addEventListener('click', () => onToggle(status.platform));
        const icon = doc.createElement('span');
        icon.setAttribute('aria-hidden', 'true');
        const label = doc.createElement('span');
        label.className = 'chip-label';
        label.textContent = PLATFORM_LABELS[status.platform];
        chip.append(icon, label);
      }
      const kind = status.state.kind;
      chip.className = `chip state-${kind}`;
      chip.dataset.state = kind;
      if (kind === 'connected' && status.state.readOnly) chip.dataset.readOnly = 'true';
      else delete chip.dataset.readOnly;
      const sentence = describeState(status.state);
      const action = chipAction(status);
      chip.title = `${PLATFORM_LABELS[status.platform]}: ${sentence}\nClick to ${action}.`;
      chip.setAttribute('aria-label', `${PLATFORM_LABELS[status.platform]}: ${sentence}. Activate to ${action}.`);
      const icon = chip.firstElementChild as HTMLElement;
      icon.className = `codicon codicon-${STATE_ICONS[kind] ?? 'circle'}`;
      if (kind === 'connecting' || kind === 'reconnecting') icon.classList.add('codicon-modifier-spin');
      return chip;
    });
  if (chips.length === 0) {
    const hint = doc.createElement('span');
    hint.className = 'hint';
    hint.textContent = 'No platform enabled: turn on streamChat.glimesh, .mixer or .tau in Settings.';
    container.replaceChildren(hint);
    return;
  }
  // Move only what is out of place (re-inserting a focused chip would blur it).
  let previous: Element | null = null;
  for (const chip of chips) {
    const expected: Element | null = previous ? previous.nextElementSibling : container.firstElementChild;
    if (expected !== chip) {
      if (previous) previous.after(chip);
      else container.prepend(chip);
    }
    previous = chip;
  }
  while (previous?.nextElementSibling) previous.nextElementSibling.remove();
}
