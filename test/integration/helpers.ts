import * as assert from 'node:assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'stream-chat.stream-chat';

/** The API `activate` returns (kept loose: tests go through the contract, not internals). */
export interface TestApi {
  activationTimeMs: number;
  messages(): Array<{
    platform: string;
    kind: string;
    parts: Array<{ type: string; text?: string; name?: string }>;
    author?: { name: string; displayName: string };
    flags: { deleted?: boolean; test?: boolean };
  }>;
  statuses(): Array<{
    platform: string;
    enabled: boolean;
    state: { kind: string; message?: string; readOnly?: boolean };
  }>;
  hasStoredToken(platform: string): Promise<boolean>;
  highlights(): Array<{
    id: string;
    file: string;
    startLine: number;
    endLine: number;
    author: string;
    comment?: string;
    platform: string;
  }>;
}

export async function activateExtension(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} not found`);
  return ext.isActive ? ext.exports : ext.activate();
}

/** Polls until `check` returns a truthy value or the time runs out (then fails with `what`). */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** Writes `streamChat.*` settings globally; `undefined` resets a key. */
export async function setSettings(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration();
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
}

export function textOf(message: {
  parts: Array<{ type: string; text?: string; name?: string }>;
}): string {
  return message.parts.map((p) => p.text ?? p.name ?? '').join('');
}

/**
 * Connects TAU alone to `sim` (the other platforms off, `extra` settings on), the way the
 * code, highlight and citizen suites start: settings first, since a token is kept for the
 * servers it was entered for.
 */
export async function connectTauOnly(
  api: TestApi,
  sim: { settings(): Record<string, unknown> },
  token: string,
  extra: Record<string, unknown>,
): Promise<void> {
  await setSettings({
    ...sim.settings(),
    'streamChat.mixer.enabled': false,
    'streamChat.glimesh.enabled': false,
    ...extra,
  });
  await vscode.commands.executeCommand('streamChat.setToken', { platform: 'tau', token });
  await vscode.commands.executeCommand('streamChat.connect');
  await waitFor('tau connected with a chat bot', () =>
    api
      .statuses()
      .find((s) => s.platform === 'tau' && s.state.kind === 'connected' && !s.state.readOnly),
  );
}

/** Undoes `connectTauOnly`: highlights cleared, disconnected, TAU and `extra` keys reset. */
export async function disconnectTauOnly(extra: readonly string[]): Promise<void> {
  await vscode.commands.executeCommand('streamChat.clearHighlights');
  await vscode.commands.executeCommand('streamChat.disconnect');
  await setSettings({
    'streamChat.tau.enabled': false,
    ...Object.fromEntries(extra.map((key) => [key, undefined])),
  });
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
