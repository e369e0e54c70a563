import * as vscode from 'vscode';
import type { ViewSettings } from '../protocol/messages';
import { PlatformId } from '../core/message';

/** The settings section; see contract.md for the names (fixed) and package.json for the schema. */
export const SECTION = 'streamChat';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

export function isEnabled(platform: PlatformId): boolean {
  return section().get<boolean>(`${platform}.enabled`, false);
}

/** Every `streamChat.<platform>.*` value (except `enabled`), for the platform factories. */
export function platformSettings(platform: PlatformId): Record<string, unknown> {
  const raw = section().get<Record<string, unknown>>(platform) ?? {};
  const copy: Record<string, unknown> = { ...raw };
  delete copy.enabled;
  return copy;
}

/** Every `streamChat.<platform>.*` value as the user's own settings (or the defaults) have it, ignoring the workspace. */
export function userPlatformSettings(platform: PlatformId): Record<string, unknown> {
  const s = section();
  const raw = s.get<Record<string, unknown>>(platform) ?? {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (key === 'enabled') continue;
    const inspected = s.inspect(`${platform}.${key}`);
    out[key] = inspected?.globalValue ?? inspected?.defaultValue;
  }
  return out;
}

/** Which settings file a value comes from, in the words the Settings editor uses. */
export function settingSource(key: string): string {
  const inspected = section().inspect(key);
  if (inspected?.workspaceFolderValue !== undefined) return vscode.l10n.t('workspace folder settings');
  if (inspected?.workspaceValue !== undefined) return vscode.l10n.t('workspace settings (.vscode/settings.json)');
  if (inspected?.globalValue !== undefined) return vscode.l10n.t('user settings');
  return vscode.l10n.t('the default settings');
}

export function scrollback(): number {
  const value = section().get<number>('scrollback', 1000);
  return Math.min(100_000, Math.max(100, Math.floor(value)));
}

export function connectOnStartup(): boolean {
  return section().get<boolean>('connectOnStartup', false);
}

export function viewSettings(): ViewSettings {
  const s = section();
  const names = [s.get<string>('glimesh.channel'), s.get<string>('mixer.channel'), s.get<string>('tau.channel'), s.get<string>('tau.chatBot')]
    .map((n) => (n ?? '').trim().replace(/^[#@]/, '').toLowerCase())
    .filter((n) => n.length > 0 && !/^\d+$/.test(n));
  const extra = s.get<string[]>('view.mentionNames', []).map((n) => n.trim().toLowerCase()).filter(Boolean);
  return {
    showTimestamps: s.get<boolean>('view.showTimestamps', true),
    hideDeleted: s.get<boolean>('view.hideDeleted', false),
    fontSize: Math.min(32, Math.max(8, s.get<number>('view.fontSize', 13))),
    scrollback: scrollback(),
    mentionNames: [...new Set([...names, ...extra])],
  };
}
