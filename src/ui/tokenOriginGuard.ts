import * as vscode from 'vscode';
import { ChatError } from '../core/errors';
import { Logger } from '../core/log';
import { PLATFORM_LABELS, PlatformId } from '../core/message';
import {
  TOKEN_ORIGIN_CODE,
  TokenDestination,
  foreignDestinations,
  originsOf,
} from '../core/origin';
import { settingSource } from './config';
import { promptForToken } from './tokenCommands';
import { TokenStore } from './tokenStore';

/** The servers a platform's settings name for its token (from the platform modules, via the composition root). */
export type DestinationsOf = (
  platform: PlatformId,
  settings: Readonly<Record<string, unknown>>,
) => TokenDestination[];

/**
 * Hands out a platform's token only for the servers it was entered for (or that the streamer
 * allowed). When a setting points elsewhere (a cloned repository's `.vscode/settings.json`, say)
 * nothing is sent: the connection fails with a sentence naming the host and the settings file,
 * and the streamer is asked once whether to use the token there (a modal whose default is No),
 * to set a token for that host, or to stay disconnected; the answer is kept per origin.
 */
export class TokenOriginGuard {
  /** Prompts on screen now, so that retries and several windows of chat do not stack them. */
  private readonly _open = new Set<string>();
  /** Platforms whose last connection was refused its token here. */
  private readonly _heldBack = new Set<PlatformId>();

  constructor(
    private readonly _tokens: TokenStore,
    private readonly _destinations: DestinationsOf,
    private readonly _log: Logger,
  ) {}

  /**
   * The token for these settings, or undefined when none is stored. Throws a `ChatError`
   * (`TOKEN_ORIGIN`, category `config`: no retry loop) when the settings name a server it is not for.
   */
  async tokenFor(
    platform: PlatformId,
    settings: Readonly<Record<string, unknown>>,
  ): Promise<string | undefined> {
    const record = await this._tokens.record(platform);
    if (!record) return undefined;
    const foreign = foreignDestinations(record, this._destinations(platform, settings));
    if (foreign.length === 0) {
      this._heldBack.delete(platform);
      return record.token;
    }
    this._heldBack.add(platform);
    const hosts = originsOf(foreign);
    const first = foreign[0]!;
    const source = settingSource(first.key);
    const label = PLATFORM_LABELS[platform];
    const message = vscode.l10n.t(
      'Not connected: {0} (streamChat.{1}) point {2} at {3}, but your {2} token was entered for {4}. Nothing was sent.',
      source,
      first.key,
      label,
      hosts.join(', '),
      record.origins.join(', ') || vscode.l10n.t('another server'),
    );
    const refused = hosts.every((h) => record.refused.includes(h));
    this._log.warn(
      `[${platform}] token held back: ${message}${refused ? ' (the streamer chose to stay disconnected from it)' : ''}`,
    );
    if (!refused) void this._ask(platform, hosts, message, source);
    throw new ChatError(
      TOKEN_ORIGIN_CODE,
      refused
        ? `${message} ${vscode.l10n.t('You chose to stay disconnected from it; Set Token… stores a token for it.')}`
        : message,
      'config',
    );
  }

  /** Whether the platform's last connection was held back here (its failure has a prompt of its own). */
  isHeldBack(platform: PlatformId): boolean {
    return this._heldBack.has(platform);
  }

  private async _ask(
    platform: PlatformId,
    hosts: readonly string[],
    message: string,
    source: string,
  ): Promise<void> {
    const key = `${platform} ${hosts.join(' ')}`;
    if (this._open.has(key)) return;
    this._open.add(key);
    try {
      const label = PLATFORM_LABELS[platform];
      const list = hosts.join(', ');
      const use = vscode.l10n.t('Use Token with {0}…', list);
      const set = vscode.l10n.t('Set Token for {0}…', list);
      const stay = vscode.l10n.t('Stay Disconnected');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Stream Chat: {0}', message),
        use,
        set,
        stay,
      );
      if (choice === use) {
        const yes = vscode.l10n.t('Send My Token');
        // The first button is the one Enter presses: "No" comes first, so the default is No.
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('Send your {0} token to {1}?', label, list),
          {
            modal: true,
            detail: vscode.l10n.t(
              '{0} asks for it. Say yes only if you run that server or trust whoever does. The answer is remembered for this host.',
              source,
            ),
          },
          vscode.l10n.t('No'),
          yes,
        );
        if (answer === yes) for (const host of hosts) await this._tokens.allow(platform, host);
        else if (answer !== undefined)
          for (const host of hosts) await this._tokens.refuse(platform, host);
      } else if (choice === set) {
        await promptForToken(this._tokens, platform, hosts);
      } else if (choice === stay) {
        for (const host of hosts) await this._tokens.refuse(platform, host);
      }
    } finally {
      this._open.delete(key);
    }
  }
}
