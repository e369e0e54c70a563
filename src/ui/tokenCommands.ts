import * as vscode from 'vscode';
import { PLATFORM_IDS, PLATFORM_LABELS, PlatformId } from '../core/message';
import { platformArg } from './commandArgs';
import { TokenStore } from './tokenStore';

/** Arguments accepted through `executeCommand` (keybindings, tests, other extensions). */
export interface TokenCommandArgs {
  readonly platform?: string;
  readonly token?: string;
}

const TOKEN_HELP: Record<PlatformId, string> = {
  glimesh:
    'A Glimesh access token with the chat scope (read-write). Without one, a client id gives read-only chat.',
  mixer:
    'A Mixer OAuth access token (chat:connect, chat:chat). Without one, chat is anonymous and read-only.',
  tau: 'Your TAU token: TAU dashboard → menu → Show Auth Token.',
};

async function pickPlatform(
  tokens: TokenStore,
  title: string,
  onlyWithToken: boolean,
): Promise<PlatformId | undefined> {
  const items = PLATFORM_IDS.filter((p) => !onlyWithToken || tokens.hasToken(p) !== false).map(
    (p) => ({
      label: PLATFORM_LABELS[p],
      description: tokens.hasToken(p) ? vscode.l10n.t('token set') : vscode.l10n.t('no token'),
      platform: p,
    }),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Stream Chat: no platform has a stored token.'),
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: vscode.l10n.t('Platform'),
  });
  return picked?.platform;
}

/**
 * Asks for a platform's token in a password box naming the server it will be stored for, and
 * stores it for `origins` (default: the user's settings). Resolves false when the box is dismissed.
 */
export async function promptForToken(
  tokens: TokenStore,
  platform: PlatformId,
  origins: readonly string[] = tokens.defaultOrigins(platform),
): Promise<boolean> {
  const where = origins.join(', ');
  const token = await vscode.window.showInputBox({
    title: vscode.l10n.t('Stream Chat: {0} token', PLATFORM_LABELS[platform]),
    prompt: `${TOKEN_HELP[platform]} ${vscode.l10n.t('It will be sent only to {0}.', where)}`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) =>
      value.trim()
        ? undefined
        : vscode.l10n.t('Enter a token (it is stored in VS Code’s secret storage).'),
  });
  if (token === undefined) return false;
  await tokens.set(platform, token, origins);
  void vscode.window.setStatusBarMessage(
    `$(key) ${vscode.l10n.t('{0} token saved for {1}', PLATFORM_LABELS[platform], where)}`,
    3000,
  );
  return true;
}

/** `Set Token…` and `Clear Token…`: the only way tokens get in or out. */
export function registerTokenCommands(tokens: TokenStore): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('streamChat.setToken', async (args?: TokenCommandArgs) => {
      const platform =
        platformArg(args?.platform) ??
        (await pickPlatform(tokens, 'Stream Chat: Set Token', false));
      if (!platform) return false;
      // A token is for the servers of the user's own settings (or the defaults), never for
      // whatever the open workspace names: that one has to be allowed from the prompt.
      if (args?.token === undefined) return promptForToken(tokens, platform);
      if (!args.token.trim()) throw new Error('A token cannot be empty.');
      await tokens.set(platform, args.token);
      void vscode.window.setStatusBarMessage(
        `$(key) ${PLATFORM_LABELS[platform]} token saved`,
        3000,
      );
      return true;
    }),
    vscode.commands.registerCommand('streamChat.clearToken', async (args?: TokenCommandArgs) => {
      const platform =
        platformArg(args?.platform) ??
        (await pickPlatform(tokens, 'Stream Chat: Clear Token', true));
      if (!platform) return false;
      await tokens.delete(platform);
      void vscode.window.setStatusBarMessage(
        `$(key) ${PLATFORM_LABELS[platform]} token cleared`,
        3000,
      );
      return true;
    }),
  );
}
