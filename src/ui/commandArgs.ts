import * as vscode from 'vscode';
import { PlatformId, isPlatformId } from '../core/message';

/** The sentence for a command's `platform` argument that names no platform. */
export function unknownPlatform(value: unknown): string {
  return vscode.l10n.t('Unknown platform "{0}": use glimesh, mixer or tau.', String(value));
}

/** A command's optional `platform` argument: undefined when absent; throws when it names no platform. */
export function platformArg(value: unknown): PlatformId | undefined {
  if (value === undefined) return undefined;
  if (!isPlatformId(value)) throw new Error(unknownPlatform(value));
  return value;
}
