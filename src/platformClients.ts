import { ChatHub } from './core/chatHub';
import { PlatformClient, PlatformDeps } from './core/client';
import { DisposableObject } from './core/lifecycle';
import { Logger, scopedLogger } from './core/log';
import { PLATFORM_IDS, PlatformId } from './core/message';
import { isActive } from './core/state';
import { isEnabled, platformSettings } from './ui/config';
import { TokenOriginGuard } from './ui/tokenOriginGuard';
import { TokenStore } from './ui/tokenStore';

/** Builds a platform's client from its raw `streamChat.<platform>.*` settings. */
export type PlatformFactory = (deps: PlatformDeps<Record<string, unknown>>) => PlatformClient;

/**
 * Keeps the hub's clients in step with settings and tokens: a platform gets a client while it is
 * enabled; a change to its settings or token replaces the client (reconnecting it if it was active
 * or had failed), which is how an auth failure stops retrying "until the token or settings change".
 */
export class PlatformClients extends DisposableObject {
  private readonly _settingsKeys = new Map<PlatformId, string>();

  constructor(
    private readonly _hub: ChatHub,
    private readonly _tokens: TokenStore,
    private readonly _log: Logger,
    private readonly _factories: Partial<Record<PlatformId, PlatformFactory>>,
    /** Hands out each token only for the servers it was entered for. */
    private readonly _guard: TokenOriginGuard,
    /** The log's redactor, for every sentence a client shows. */
    private readonly _redact: (text: string) => string,
  ) {
    super();
    this._register(_tokens.onDidChange((platform) => this._replace(platform, true)));
  }

  /** Re-reads settings for the given platforms (all by default). */
  sync(platforms: readonly PlatformId[] = PLATFORM_IDS): void {
    for (const platform of platforms) {
      const enabled = isEnabled(platform) && this._factories[platform] !== undefined;
      if (!enabled) {
        if (this._hub.client(platform)) this._hub.setClient(platform, undefined);
        this._settingsKeys.delete(platform);
        continue;
      }
      const key = JSON.stringify(platformSettings(platform));
      if (this._hub.client(platform) && this._settingsKeys.get(platform) === key) continue;
      this._replace(platform, false);
    }
  }

  private _replace(platform: PlatformId, onlyIfPresent: boolean): void {
    const factory = this._factories[platform];
    const previous = this._hub.client(platform);
    if (!factory || (onlyIfPresent && !previous)) return;
    if (!isEnabled(platform)) return;
    const resume =
      previous !== undefined && (isActive(previous.state) || previous.state.kind === 'failed');
    const settings = platformSettings(platform);
    this._settingsKeys.set(platform, JSON.stringify(settings));
    const client = factory({
      settings,
      getToken: () => this._guard.tokenFor(platform, settings),
      log: scopedLogger(this._log, platform),
      redact: this._redact,
    });
    this._hub.setClient(platform, client);
    if (resume) client.connect();
  }
}
