import * as vscode from 'vscode';
import { ChatHub } from '../core/chatHub';
import { DisposableObject } from '../core/lifecycle';
import { PLATFORM_IDS, PlatformId } from '../core/message';
import * as config from './config';
import { TokenStore } from './tokenStore';

/** The walkthrough's id as `workbench.action.openWalkthrough` takes it (publisher.name#id). */
export const WALKTHROUGH_ID = 'stream-chat.stream-chat#streamChat.gettingStarted';

/** Context keys the walkthrough's steps complete on (`onContext:` in package.json). */
export const CONTEXT_KEYS = {
  platformConfigured: 'streamChat.platformConfigured',
  hasToken: 'streamChat.hasToken',
  connected: 'streamChat.connected',
  sentSelection: 'streamChat.sentSelection',
} as const;

export interface WalkthroughFacts {
  /** Some platform is enabled and has its channel set. */
  readonly platformConfigured: boolean;
  /** SecretStorage holds a token for some platform. */
  readonly hasToken: boolean;
  /** Some platform is connected. */
  readonly connected: boolean;
  /** Send Selection sent something in this window. */
  readonly sentSelection: boolean;
}

export function isPlatformConfigured(platform: PlatformId): boolean {
  const channel = config.platformSettings(platform).channel;
  return config.isEnabled(platform) && typeof channel === 'string' && channel.trim().length > 0;
}

/**
 * Keeps the walkthrough's context keys true to the settings, the token store and the hub, so each
 * step is ticked when the user has done it (whichever way: walkthrough button, palette, settings).
 */
export class WalkthroughContext extends DisposableObject {
  private _last: WalkthroughFacts | undefined;
  private _sentSelection = false;

  constructor(
    private readonly _hub: ChatHub,
    private readonly _tokens: TokenStore,
    private readonly _setContext: (key: string, value: boolean) => void = (key, value) =>
      void vscode.commands.executeCommand('setContext', key, value),
  ) {
    super();
    this._register(_hub.onDidChangeStatus(() => this.update()));
    this._register(_tokens.onDidChange(() => this.update()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(config.SECTION)) this.update();
      }),
    );
    this.update();
  }

  get facts(): WalkthroughFacts {
    return {
      platformConfigured: PLATFORM_IDS.some(isPlatformConfigured),
      hasToken: PLATFORM_IDS.some((p) => this._tokens.hasToken(p) === true),
      connected: this._hub.aggregate.connected > 0,
      sentSelection: this._sentSelection,
    };
  }

  /** Send Selection delivered at least one part. */
  selectionSent(): void {
    this._sentSelection = true;
    this.update();
  }

  /** Sets the keys that changed (all of them the first time). */
  update(): void {
    const next = this.facts;
    for (const key of Object.keys(CONTEXT_KEYS) as Array<keyof WalkthroughFacts>) {
      if (this._last?.[key] !== next[key]) this._setContext(CONTEXT_KEYS[key], next[key]);
    }
    this._last = next;
  }
}
