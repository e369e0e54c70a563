import * as vscode from 'vscode';
import { Emitter } from '../core/event';
import { DisposableObject } from '../core/lifecycle';
import { SecretRegistry } from '../core/log';
import { PLATFORM_IDS, PlatformId, isPlatformId } from '../core/message';
import { StoredToken, decodeStoredToken, encodeStoredToken } from '../core/origin';

/**
 * The platforms' tokens, kept only in SecretStorage (key = platform id), each with the server
 * origins it was entered for (`core/origin.ts`). Every token read or written is registered with
 * the log redactor. `onDidChange` also fires for changes made in other windows (SecretStorage's
 * own event), so every window reconnects with the new token.
 */
export class TokenStore extends DisposableObject {
  private readonly _onDidChange = this._register(new Emitter<PlatformId>());
  readonly onDidChange = this._onDidChange.event;
  /** Which platforms have a token, for tooltips; never the values. */
  private readonly _present = new Map<PlatformId, boolean>();
  /** What this window wrote last, so its own writes do not count as news twice. */
  private readonly _written = new Map<PlatformId, string | undefined>();

  constructor(
    private readonly _secrets: vscode.SecretStorage,
    private readonly _registry: SecretRegistry,
    /**
     * The origins a token is for when nothing else says: those of the user's own settings (or
     * the built-in defaults), never the workspace's. A token stored before origins existed is
     * bound to these the first time it is read.
     */
    private readonly _defaultOrigins: (platform: PlatformId) => string[],
  ) {
    super();
    this._register(
      _secrets.onDidChange(async (e) => {
        if (!isPlatformId(e.key)) return;
        const raw = await _secrets.get(e.key);
        if (this._written.has(e.key) && this._written.get(e.key) === raw) return;
        this._written.delete(e.key);
        await this.record(e.key);
        this._onDidChange.fire(e.key);
      }),
    );
  }

  /** Reads every platform's presence once (SecretStorage I/O, no network), for the tooltip. */
  async load(): Promise<void> {
    await Promise.all(PLATFORM_IDS.map((p) => this.record(p)));
  }

  /** The origins a token entered now is for: those of the user's settings or the defaults. */
  defaultOrigins(platform: PlatformId): string[] {
    return this._defaultOrigins(platform);
  }

  hasToken(platform: PlatformId): boolean | undefined {
    return this._present.get(platform);
  }

  /** The token alone (presence checks). Anything that sends it goes through `record` and its origins. */
  async get(platform: PlatformId): Promise<string | undefined> {
    return (await this.record(platform))?.token;
  }

  /** The token with its origins; a bare token from an earlier version is bound to the default origins now. */
  async record(platform: PlatformId): Promise<StoredToken | undefined> {
    const decoded = decodeStoredToken((await this._secrets.get(platform)) || undefined);
    let record: StoredToken | undefined;
    if (decoded.kind === 'record') record = decoded.record;
    else if (decoded.kind === 'legacy') {
      record = {
        token: decoded.token.trim(),
        origins: this._defaultOrigins(platform),
        allowed: [],
        refused: [],
      };
      await this._write(platform, record);
    }
    this._registry.add(record?.token);
    this._present.set(platform, record !== undefined);
    return record;
  }

  /** Stores a new token for `origins` (default: the user's settings); earlier answers about other hosts are forgotten. */
  async set(
    platform: PlatformId,
    token: string,
    origins: readonly string[] = this._defaultOrigins(platform),
  ): Promise<void> {
    const value = token.trim();
    if (!value) throw new Error('A token cannot be empty.');
    this._registry.add(value);
    await this._write(platform, {
      token: value,
      origins: [...new Set(origins)],
      allowed: [],
      refused: [],
    });
    this._present.set(platform, true);
    this._onDidChange.fire(platform);
  }

  /** The streamer said yes: this token may also go to `origin`. */
  async allow(platform: PlatformId, origin: string): Promise<void> {
    const record = await this.record(platform);
    if (!record) return;
    await this._write(platform, {
      ...record,
      allowed: [...new Set([...record.allowed, origin])],
      refused: record.refused.filter((o) => o !== origin),
    });
    this._onDidChange.fire(platform);
  }

  /** The streamer chose to stay disconnected from `origin`: remembered, not asked again. */
  async refuse(platform: PlatformId, origin: string): Promise<void> {
    const record = await this.record(platform);
    if (!record) return;
    await this._write(platform, { ...record, refused: [...new Set([...record.refused, origin])] });
  }

  async delete(platform: PlatformId): Promise<void> {
    this._written.set(platform, undefined);
    await this._secrets.delete(platform);
    this._present.set(platform, false);
    this._onDidChange.fire(platform);
  }

  private async _write(platform: PlatformId, record: StoredToken): Promise<void> {
    const raw = encodeStoredToken(record);
    this._written.set(platform, raw);
    await this._secrets.store(platform, raw);
  }
}
