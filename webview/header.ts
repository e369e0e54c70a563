import type { PlatformStatus } from '../src/core/chatHub';
import { PLATFORM_LABELS, PlatformId } from '../src/core/message';
import { describeState } from '../src/core/state';
import { t, translate } from './strings';

const STATE_ICONS: Record<string, string> = {
  disconnected: 'debug-disconnect',
  connecting: 'sync',
  connected: 'pass-filled',
  reconnecting: 'sync',
  failed: 'error',
};

/** Renders one chip per enabled platform: its state, and a click (or Enter/Space) to toggle it. */
export function renderChips(
  container: HTMLElement,
  platforms: readonly PlatformStatus[],
  onToggle: (p: PlatformId) => void,
): void {
  const doc = container.ownerDocument;
  const enabled = platforms.filter((p) => p.enabled);
  const chips = enabled.map((status) => {
    const chip = doc.createElement('button');
    chip.type = 'button';
    chip.className = `chip state-${status.state.kind}`;
    chip.dataset.platform = status.platform;
    chip.dataset.state = status.state.kind;
    const sentence = describeState(status.state, translate);
    const name = PLATFORM_LABELS[status.platform];
    const connect = status.state.kind === 'disconnected' || status.state.kind === 'failed';
    chip.title = `${t('{0}: {1}', name, sentence)}\n${connect ? t('Click to connect.') : t('Click to disconnect.')}`;
    chip.setAttribute(
      'aria-label',
      connect
        ? t('{0}: {1}. Activate to connect.', name, sentence)
        : t('{0}: {1}. Activate to disconnect.', name, sentence),
    );
    const icon = doc.createElement('span');
    icon.className = `codicon codicon-${STATE_ICONS[status.state.kind] ?? 'circle'}`;
    if (status.state.kind === 'connecting' || status.state.kind === 'reconnecting')
      icon.classList.add('codicon-modifier-spin');
    const label = doc.createElement('span');
    label.textContent = PLATFORM_LABELS[status.platform];
    chip.append(icon, label);
    chip.addEventListener('click', () => onToggle(status.platform));
    return chip;
  });
  if (chips.length === 0) {
    const hint = doc.createElement('span');
    hint.className = 'hint';
    hint.textContent = t('No platform enabled: set streamChat.glimesh / mixer / tau in Settings.');
    container.replaceChildren(hint);
  } else {
    container.replaceChildren(...chips);
  }
}
