import { ChatError } from './errors';
import { Emitter, Event } from './event';
import { ChatMessage, PlatformId, TimelineOp } from './message';

/** What a moderator can do to chat. Platforms offer a subset (see `ModerationCapability`). */
export const MODERATION_ACTIONS = [
  'delete',
  'timeout',
  'untimeout',
  'ban',
  'unban',
  'clear',
] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** Whom an action is for: the platform's user id when known, and the login. */
export interface ModerationUser {
  readonly id?: string;
  readonly name: string;
}

/** One moderation request, as commands and the view send it. */
export type ModerationRequest =
  | { readonly action: 'delete'; readonly messageId: string; readonly user?: ModerationUser }
  | { readonly action: 'timeout'; readonly user: ModerationUser; readonly seconds: number }
  | { readonly action: 'untimeout' | 'ban' | 'unban'; readonly user: ModerationUser }
  | { readonly action: 'clear' };

/** Whether the connected account may moderate, and how. */
export interface ModerationCapability {
  readonly canModerate: boolean;
  /** Why not, when it cannot (a sentence for the streamer). */
  readonly reason?: string;
  /** The actions this platform offers (empty when it cannot moderate). */
  readonly actions: readonly ModerationAction[];
  /** Timeout lengths the platform offers, in seconds; undefined: any length. */
  readonly timeoutSeconds?: readonly number[];
}

export const CANNOT_MODERATE: ModerationCapability = {
  canModerate: false,
  reason: 'Not connected.',
  actions: [],
};

/** What a performed action did. */
export interface ModerationResult {
  /** The platform's own sentence, or ours when it says nothing. */
  readonly message: string;
  /**
   * Timeline ops to apply at once, for platforms that broadcast nothing after an action (the
   * hub's ops are idempotent, so a later platform event repeating one changes nothing).
   */
  readonly ops: readonly TimelineOp[];
}

/**
 * A platform client's moderation. `perform` resolves with what the platform said, or rejects
 * with a `ChatError` whose message is the platform's refusal as it worded it.
 */
export interface PlatformModeration {
  readonly capability: ModerationCapability;
  /** The capability changed (connected, roles known, disconnected). */
  readonly onDidChange: Event<void>;
  perform(request: ModerationRequest): Promise<ModerationResult>;
}

/** The request that takes a ban or timeout back, if the platform can. */
export function undoOf(
  request: ModerationRequest,
  capability: ModerationCapability,
): ModerationRequest | undefined {
  if (request.action === 'ban' && capability.actions.includes('unban'))
    return { action: 'unban', user: request.user };
  if (request.action === 'timeout') {
    if (capability.actions.includes('untimeout'))
      return { action: 'untimeout', user: request.user };
    if (capability.actions.includes('unban')) return { action: 'unban', user: request.user };
  }
  return undefined;
}

/** The platform's timeout closest to `seconds` (Glimesh has only two), or `seconds` itself. */
export function fitTimeout(seconds: number, capability: ModerationCapability): number {
  const offered = capability.timeoutSeconds;
  if (!offered || offered.length === 0) return Math.max(1, Math.round(seconds));
  return offered.reduce(
    (best, s) => (Math.abs(s - seconds) < Math.abs(best - seconds) ? s : best),
    offered[0]!,
  );
}

/** "10 minutes", "1 hour", "45 seconds": for confirmations and menus. */
export function describeDuration(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds % 86_400 === 0) return unit(seconds / 86_400, 'day');
  if (seconds % 3600 === 0) return unit(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return unit(seconds / 60, 'minute');
  return unit(seconds, 'second');
}

/**
 * Finds a user by name (login or display name, any case) or id among the platform's lines,
 * newest first, so a command given only a name gets the id the platform needs.
 */
export function findUser(
  messages: readonly ChatMessage[],
  platform: PlatformId,
  who: string,
): ModerationUser | undefined {
  const wanted = who.replace(/^@/, '').toLowerCase();
  for (let i = messages.length - 1; i >= 0; i--) {
    const author = messages[i]!.author;
    if (messages[i]!.platform !== platform || !author) continue;
    if (
      author.name.toLowerCase() === wanted ||
      author.displayName.toLowerCase() === wanted ||
      author.id === who
    ) {
      return { ...(author.id ? { id: author.id } : {}), name: author.name };
    }
  }
  return undefined;
}

/** Runtime check of a request from outside (the webview, command arguments). */
export function isModerationRequest(value: unknown): value is ModerationRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const isUser = (u: unknown): u is ModerationUser => {
    if (typeof u !== 'object' || u === null) return false;
    const r = u as Record<string, unknown>;
    return (
      typeof r.name === 'string' &&
      r.name.length > 0 &&
      r.name.length <= 200 &&
      (r.id === undefined || (typeof r.id === 'string' && r.id.length <= 200))
    );
  };
  switch (v.action) {
    case 'delete':
      return (
        typeof v.messageId === 'string' &&
        v.messageId.length > 0 &&
        v.messageId.length <= 200 &&
        (v.user === undefined || isUser(v.user))
      );
    case 'timeout':
      return (
        isUser(v.user) &&
        typeof v.seconds === 'number' &&
        Number.isFinite(v.seconds) &&
        v.seconds >= 1 &&
        v.seconds <= 1_209_600
      );
    case 'untimeout':
    case 'ban':
    case 'unban':
      return isUser(v.user);
    case 'clear':
      return true;
    default:
      return false;
  }
}

/**
 * The part every platform's moderation shares: the capability as it changes with sessions, its
 * change event, and the check that an action is offered before the platform is asked.
 */
export abstract class SessionModeration implements PlatformModeration {
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidChange = this._onDidChange.event;
  private _capability: ModerationCapability = CANNOT_MODERATE;

  get capability(): ModerationCapability {
    return this._capability;
  }

  /** A session established what the account may do. */
  protected setCapability(capability: ModerationCapability): void {
    const same = JSON.stringify(capability) === JSON.stringify(this._capability);
    this._capability = capability;
    if (!same) this._onDidChange.fire();
  }

  /** The session ended: nothing can be done until the next one. */
  reset(reason = 'Not connected.'): void {
    this.setCapability({ canModerate: false, reason, actions: [] });
  }

  async perform(request: ModerationRequest): Promise<ModerationResult> {
    const capability = this._capability;
    if (!capability.canModerate)
      throw new ChatError(
        'CANNOT_MODERATE',
        capability.reason ?? 'This account cannot moderate here.',
        'auth',
      );
    if (!capability.actions.includes(request.action))
      throw new ChatError(
        'UNSUPPORTED_ACTION',
        `This platform has no "${request.action}" action.`,
        'config',
      );
    return this.performAllowed(request);
  }

  protected abstract performAllowed(request: ModerationRequest): Promise<ModerationResult>;

  dispose(): void {
    this._onDidChange.dispose();
  }
}
