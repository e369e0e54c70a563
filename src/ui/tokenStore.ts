import * as vscode from 'vscode';
import { Emitter } from '../core/event';
import { DisposableObject } from '../core/lifecycle';
import { SecretRegistry } from '../core/log';
import { PLATFORM_IDS, PlatformId, isPlatformId } from '../core/message';

/**
 * The platforms' tokens, kept only in SecretStorage (key = platform id). Every value read or
 * written is registered with the log redactor. `onDidChange` also fires for changes made in
 * other windows (SecretStorage's own event), so every window reconnects with the new token.
 */
export class TokenStore extends DisposableObject {
  private readonly _onDidChange = this._register(new Emitter<PlatformId>());
  readonly onDidChange = this._onDidChange.event;
  /** Which platforms have a token, for tooltips; never the values. */
  private readonly _present = new Map<PlatformId, boolean>();

  constructor(
    private readonly _secrets: vscode.SecretStorage,
    private readonly _registry: SecretRegistry,
  ) {
    super();
    this._register(
      _secrets.onDidChange(async (e) => {
        if (!isPlatformId(e.key)) return;
        await this.get(e.key);
        this._onDidChange.fire(e.key);
      }),
    );
  }

  /** Reads every platform's presence once (SecretStorage I/O, no network), for the tooltip. */
  async load(): Promise<void> {
    await Promise.all(PLATFORM_IDS.map((p) => this.get(p)));
  }

  hasToken(platform: PlatformId): boolean | undefined {
    return this._present.get(platform);
  }

  async get(platform: PlatformId): Promise<string | undefined> {
    const value = (await this._secrets.get(platform)) || undefined;
    this._registry.add(value);
    this._present.set(platform, value !== undefined);
    return value;
  }

  async set(platform: PlatformId, token: string): Promise<void> {
    const value = token.trim();
    if (!value) throw new Error('A token cannot be empty.');
    this._registry.add(value);
    await this._secrets.store(platform, value);
    this._present.set(platform, true);
    this._onDidChange.fire(platform);
  }

  async delete(platform: PlatformId): Promise<void> {
    await this._secrets.delete(platform);
    this._present.set(platform, false);
    this._onDidChange.fire(platform);
  }
}
