import { ChatHub } from './chatHub';
import { PlatformClient, PlatformDeps } from './client';
import { Event } from './event';
import { DisposableObject } from './lifecycle';
import { Logger, scopedLogger } from './log';
import { PLATFORM_IDS, PlatformId } from './message';
import { isActive } from './state';

/** Builds a platform's client from its raw `streamChat.<platform>.*` settings. */
export type PlatformFactory = (deps: PlatformDeps<Record<string, unknown>>) => PlatformClient;

/** How the registry reads settings (the extension passes its typed settings reader). */
export interface RegistrySettings {
  isEnabled(platform: PlatformId): boolean;
  /** The raw `streamChat.<platform>.*` settings. */
  read(platform: PlatformId): Record<string, unknown>;
}

/** How the registry reads tokens. */
export interface RegistryTokens {
  /** The platform's token, for the servers these settings name (undefined: none, or held back). */
  tokenFor(platform: PlatformId, settings: Record<string, unknown>): Promise<string | undefined>;
  /** A platform's stored token changed. */
  readonly onDidChange: Event<PlatformId>;
}

export interface ClientRegistryOptions {
  readonly hub: ChatHub;
  readonly factories: Partial<Record<PlatformId, PlatformFactory>>;
  readonly settings: RegistrySettings;
  readonly tokens: RegistryTokens;
  readonly log: Logger;
  /** The log's redactor, for every sentence a client shows. */
  readonly redact: (text: string) => string;
}

/**
 * Creates, replaces and disposes the platform clients, and installs them in the hub: a platform
 * gets a client while it is enabled; a change to its settings or token replaces the client
 * (reconnecting it if it was active or had failed), which is how an auth failure stops retrying
 * "until the token or settings change". It owns what it creates: a replaced client, and every
 * client on dispose, is disposed here.
 */
export class ClientRegistry extends DisposableObject {
  private readonly _clients = new Map<
    PlatformId,
    { client: PlatformClient; settingsKey: string }
  >();

  constructor(private readonly _options: ClientRegistryOptions) {
    super();
    this._register(_options.tokens.onDidChange((platform) => this._replace(platform, true)));
  }

  client(platform: PlatformId): PlatformClient | undefined {
    return this._clients.get(platform)?.client;
  }

  /** Re-reads settings for the given platforms (all by default). */
  sync(platforms: readonly PlatformId[] = PLATFORM_IDS): void {
    for (const platform of platforms) {
      if (!this._isEnabled(platform)) {
        this._install(platform, undefined);
        continue;
      }
      const key = JSON.stringify(this._options.settings.read(platform));
      if (this._clients.get(platform)?.settingsKey === key) continue;
      this._replace(platform, false);
    }
  }

  override dispose(): void {
    for (const platform of [...this._clients.keys()]) this._install(platform, undefined);
    super.dispose();
  }

  private _isEnabled(platform: PlatformId): boolean {
    return (
      this._options.factories[platform] !== undefined && this._options.settings.isEnabled(platform)
    );
  }

  private _replace(platform: PlatformId, onlyIfPresent: boolean): void {
    const factory = this._options.factories[platform];
    const previous = this.client(platform);
    if (!factory || (onlyIfPresent && !previous)) return;
    if (!this._isEnabled(platform)) return;
    const resume =
      previous !== undefined && (isActive(previous.state) || previous.state.kind === 'failed');
    const { tokens, log, redact } = this._options;
    const settings = this._options.settings.read(platform);
    const client = factory({
      settings,
      getToken: () => tokens.tokenFor(platform, settings),
      log: scopedLogger(log, platform),
      redact,
    });
    this._install(platform, { client, settingsKey: JSON.stringify(settings) });
    if (resume) client.connect();
  }

  /** Puts a client in the hub (or takes the platform's out) and disposes the one it replaces. */
  private _install(
    platform: PlatformId,
    next: { client: PlatformClient; settingsKey: string } | undefined,
  ): void {
    const previous = this._clients.get(platform);
    if (!previous && !next) return;
    if (next) this._clients.set(platform, next);
    else this._clients.delete(platform);
    this._options.hub.setClient(platform, next?.client);
    previous?.client.dispose();
  }
}
