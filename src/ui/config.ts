import { parseHighlightRules } from '../protocol/highlightRules';
import * as vscode from 'vscode';
import { Logger } from '../core/log';
import { PlatformId } from '../core/message';
import {
  SettingKey,
  SettingValue,
  SettingsReader,
  platformSettingsFrom,
  settingsReader,
} from '../core/settings';
import type { ViewSettings } from '../protocol/messages';
import { viewSettingsFrom } from '../protocol/viewSettings';

/**
 * The VS Code edge of the settings: every `streamChat.*` value is looked up here and checked by
 * the one reader in `core/settings.ts` (wrong type → default, numbers clamped). Each problem is
 * logged once, naming the key and the settings file it comes from. The names and their schema
 * are package.json's `contributes.configuration`.
 */
export const SECTION = 'streamChat';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

let warnLog: Logger | undefined;
const warned = new Set<string>();

/** Where problems with settings are reported (the composition root's log). */
export function setSettingsLog(log: Logger): void {
  warnLog = log;
}

function onProblem(key: SettingKey, problem: string): void {
  const value = section().get(key);
  const id = `${key}\u0000${JSON.stringify(value) ?? 'undefined'}`;
  if (warned.has(id)) return;
  warned.add(id);
  const message = vscode.l10n.t('streamChat.{0} in {1}: {2}.', key, settingSource(key), problem);
  warnLog?.warn(message);
  void vscode.window.showWarningMessage(vscode.l10n.t('Stream Chat: {0}', message));
}

/** Reads one setting, checked. */
export const read: SettingsReader = settingsReader((key) => section().get(key), onProblem);

/** The same as `read(key)`, for callers that name the key in a variable. */
export function setting<K extends SettingKey>(key: K): SettingValue<K> {
  return read(key);
}

export function isEnabled(platform: PlatformId): boolean {
  return read(`${platform}.enabled`);
}

/** Every `streamChat.<platform>.*` value (except `enabled`), checked, for the platform factories. */
export function platformSettings(platform: PlatformId): Record<string, unknown> {
  // Keys the schema does not know yet pass through; the platform's own reader checks them.
  const extra: Record<string, unknown> = {
    ...(section().get<Record<string, unknown>>(platform) ?? {}),
  };
  delete extra.enabled;
  return { ...extra, ...platformSettingsFrom(read, platform) };
}

/** Every `streamChat.<platform>.*` value as the user's own settings (or the defaults) have it, ignoring the workspace. */
export function userPlatformSettings(platform: PlatformId): Record<string, unknown> {
  const userLevel = settingsReader((key) => section().inspect(key)?.globalValue);
  return platformSettingsFrom(userLevel, platform);
}

/** Writes one setting where it is set now: the workspace's settings if they set it, else the user's. */
export async function updateSetting<K extends SettingKey>(
  key: K,
  value: SettingValue<K>,
): Promise<void> {
  const target =
    section().inspect(key)?.workspaceValue !== undefined
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  await section().update(key, value, target);
}

/** Which settings file a value comes from, in the words the Settings editor uses. */
export function settingSource(key: string): string {
  const inspected = section().inspect(key);
  if (inspected?.workspaceFolderValue !== undefined)
    return vscode.l10n.t('workspace folder settings');
  if (inspected?.workspaceValue !== undefined)
    return vscode.l10n.t('workspace settings (.vscode/settings.json)');
  if (inspected?.globalValue !== undefined) return vscode.l10n.t('user settings');
  return vscode.l10n.t('the default settings');
}

export function scrollback(): number {
  return read('scrollback');
}

export function connectOnStartup(): boolean {
  return read('connectOnStartup');
}

export function viewSettings(): ViewSettings {
  return { ...viewSettingsFrom(read), highlightRules: highlightRules(read('view.highlights')) };
}

/** Problems already shown, so a setting that stays wrong is named once, not at every read. */
const shownProblems = new Set<string>();

function highlightRules(raw: unknown) {
  const { rules, problems } = parseHighlightRules(raw);
  for (const problem of problems) {
    if (shownProblems.has(problem)) continue;
    shownProblems.add(problem);
    void vscode.window.showWarningMessage(vscode.l10n.t('Stream Chat: {0}', problem));
  }
  return rules;
}
