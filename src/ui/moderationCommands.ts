import * as vscode from 'vscode';
import { ChatHub } from '../core/chatHub';
import { DisposableObject, DisposableStore } from '../core/lifecycle';
import { Logger } from '../core/log';
import { unknownPlatform } from './commandArgs';
import { Author, ChatMessage, PLATFORM_LABELS, PlatformId, isPlatformId } from '../core/message';
import {
  ModerationRequest,
  ModerationUser,
  describeDuration,
  findUser,
  fitTimeout,
  undoOf,
} from '../core/moderation';
import { HostToWebview, WebviewToHost } from '../protocol/messages';

/** How long an Undo is offered after a ban or timeout. */
export const UNDO_WINDOW_MS = 10_000;
/** Timeouts offered where the platform takes any length (Mixer, Twitch). */
const DEFAULT_TIMEOUTS = [60, 600, 3600, 86_400];
/** The timeout a command given no `seconds` applies. */
const DEFAULT_TIMEOUT_SECONDS = 600;

/** What a moderation command did (returned to keybindings, other extensions and tests). */
export interface ModerationOutcome {
  readonly ok: boolean;
  readonly platform?: PlatformId;
  readonly action?: ModerationRequest['action'];
  /** The platform's sentence on success. */
  readonly message?: string;
  /** Why nothing was done: the platform's refusal, or ours. */
  readonly error?: string;
  /** What Undo would do, for bans and timeouts. */
  readonly undo?: { readonly platform: PlatformId; readonly request: ModerationRequest };
}

/**
 * Runs moderation for the palette commands and the chat view: remembers the line the view has
 * selected, turns a name into the user the platform needs, performs through the hub, and works
 * out the Undo.
 */
export class ModerationController extends DisposableObject {
  private _selection: { platform: PlatformId; id: string } | undefined;

  constructor(
    private readonly _hub: ChatHub,
    private readonly _log: Logger,
  ) {
    super();
  }

  /** The view's selected (focused or hovered) line. */
  select(platform: PlatformId | undefined, id: string | undefined): void {
    this._selection = platform && id ? { platform, id } : undefined;
  }

  selectedMessage(): ChatMessage | undefined {
    const selection = this._selection;
    if (!selection) return undefined;
    return this._hub.messages.find(
      (m) => m.platform === selection.platform && m.id === selection.id,
    );
  }

  /** A user on a platform from a command argument: a name (or id) looked up in the scrollback. */
  resolveUser(platform: PlatformId, user: unknown): ModerationUser | undefined {
    if (
      typeof user === 'object' &&
      user !== null &&
      typeof (user as ModerationUser).name === 'string'
    ) {
      const u = user as ModerationUser;
      return { ...(typeof u.id === 'string' ? { id: u.id } : {}), name: u.name };
    }
    if (typeof user !== 'string' || !user.trim()) return undefined;
    return (
      findUser(this._hub.messages, platform, user.trim()) ?? { name: user.trim().replace(/^@/, '') }
    );
  }

  /** Performs one request; never throws. */
  async run(platform: PlatformId, request: ModerationRequest): Promise<ModerationOutcome> {
    try {
      const result = await this._hub.moderate(platform, request);
      const capability = this._hub.status(platform).moderation;
      const undo = capability ? undoOf(request, capability) : undefined;
      this._log.info(`moderation on ${platform}: ${request.action} done`);
      return {
        ok: true,
        platform,
        action: request.action,
        message: result.message,
        ...(undo ? { undo: { platform, request: undo } } : {}),
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this._log.info(`moderation on ${platform}: ${request.action} refused: ${message}`);
      return { ok: false, platform, action: request.action, error: message };
    }
  }

  /** The platforms where the connected account may clear chat now (Glimesh never: it has no such mutation). */
  clearablePlatforms(): PlatformId[] {
    return this._hub.statuses
      .filter((s) => s.moderation?.canModerate && s.moderation.actions.includes('clear'))
      .map((s) => s.platform);
  }

  /**
   * Clear Chat: the platform given, else the only one that can clear, else a pick; then a modal
   * whose default is No (unless `confirm` answers it); then the platform clears, for everyone
   * in the channel. Never throws; `error: 'cancelled'` when the user backed out.
   */
  async clearChat(platformArg: unknown, confirm: boolean | undefined): Promise<ModerationOutcome> {
    const t = vscode.l10n.t;
    let platform: PlatformId | undefined;
    if (platformArg !== undefined) {
      if (!isPlatformId(platformArg))
        return { ok: false, action: 'clear', error: unknownPlatform(platformArg) };
      platform = platformArg;
    } else {
      const clearable = this.clearablePlatforms();
      if (clearable.length === 0)
        return {
          ok: false,
          action: 'clear',
          error: t('No connected platform lets this account clear chat.'),
        };
      if (clearable.length === 1) platform = clearable[0];
      else {
        const picked = await vscode.window.showQuickPick(
          clearable.map((p) => ({ label: PLATFORM_LABELS[p], platform: p })),
          {
            title: t('Stream Chat: Clear Chat'),
            placeHolder: t('Clear the chat of which platform?'),
          },
        );
        if (!picked) return { ok: false, action: 'clear', error: 'cancelled' };
        platform = picked.platform;
      }
    }
    if (!platform) return { ok: false, action: 'clear', error: 'cancelled' };
    if (confirm === false) return { ok: false, platform, action: 'clear', error: 'cancelled' };
    if (confirm === undefined) {
      // The first item is the dialog's primary (Enter) button: make it the safe one. Escape and
      // the dialog's own Cancel decline too.
      const no: vscode.MessageItem = { title: t("Don't Clear") };
      const yes: vscode.MessageItem = { title: t('Clear Chat') };
      const answer = await vscode.window.showWarningMessage(
        t('Clear the whole chat on {0}?', PLATFORM_LABELS[platform]),
        {
          modal: true,
          detail: t(
            'Every message is removed for everyone in the channel, not only in this view. This cannot be undone.',
          ),
        },
        no,
        yes,
      );
      if (answer !== yes) return { ok: false, platform, action: 'clear', error: 'cancelled' };
    }
    return this.run(platform, { action: 'clear' });
  }

  /**
   * The chat view's hook: handles `moderate`, `clearChat` and `selectLine`; false for anything
   * else, which the view connection handles itself.
   */
  handleViewMessage(message: WebviewToHost, post: (reply: HostToWebview) => void): boolean {
    if (message.type === 'selectLine') {
      this.select(message.platform, message.id);
      return true;
    }
    if (message.type === 'clearChat') {
      // The view's Clear chat asks through the same modal as the palette.
      void this.clearChat(message.platform, undefined).then((outcome) =>
        post(viewResult(message.requestId, outcome)),
      );
      return true;
    }
    if (message.type !== 'moderate') return false;
    void this.run(message.platform, message.request).then((outcome) =>
      post(viewResult(message.requestId, outcome)),
    );
    return true;
  }
}

/** An outcome as the view's request gets it back. */
function viewResult(requestId: string, outcome: ModerationOutcome): HostToWebview {
  return {
    type: 'moderationResult',
    requestId,
    ok: outcome.ok,
    text: outcome.ok ? (outcome.message ?? '') : (outcome.error ?? ''),
    ...(outcome.undo ? { undo: outcome.undo } : {}),
    ...(outcome.error === 'cancelled' ? { cancelled: true } : {}),
  };
}

type UserArgs = { platform?: unknown; user?: unknown; seconds?: unknown } | undefined;

/** Who a line's author is, as a moderation request names them. */
const userOf = (author: Author | undefined): ModerationUser | undefined =>
  author ? { ...(author.id ? { id: author.id } : {}), name: author.name } : undefined;

/**
 * The palette commands `Delete Message`, `Time Out User…`, `Ban User…`, `Unban User…`. With
 * arguments (`{ platform, messageId }` / `{ platform, user, seconds? }`) they ask nothing and
 * return what they did; without, they act on the line selected in the chat view. `Clear Chat…`
 * (`{ platform?, confirm? }`) always asks first unless `confirm` answers.
 */
export function registerModerationCommands(
  controller: ModerationController,
  hub: ChatHub,
): vscode.Disposable {
  const store = new DisposableStore();
  const t = vscode.l10n.t;

  const report = async (
    outcome: ModerationOutcome,
    interactive: boolean,
  ): Promise<ModerationOutcome> => {
    if (!interactive) return outcome;
    if (!outcome.ok) {
      void vscode.window.showErrorMessage(t('Stream Chat: {0}', outcome.error ?? ''));
      return outcome;
    }
    if (!outcome.undo) {
      void vscode.window.setStatusBarMessage(t('Stream Chat: {0}', outcome.message ?? ''), 5000);
      return outcome;
    }
    const undo = outcome.undo;
    const shownAt = Date.now();
    const undoLabel = t('Undo');
    void vscode.window
      .showInformationMessage(t('Stream Chat: {0}', outcome.message ?? ''), undoLabel)
      .then(async (picked) => {
        if (picked !== undoLabel) return;
        if (Date.now() - shownAt > UNDO_WINDOW_MS) {
          void vscode.window.showWarningMessage(
            t(
              'Stream Chat: Undo is offered for {0} seconds only; use "Unban User…" instead.',
              UNDO_WINDOW_MS / 1000,
            ),
          );
          return;
        }
        await report(await controller.run(undo.platform, undo.request), true);
      });
    return outcome;
  };

  const fail = (error: string, interactive: boolean): Promise<ModerationOutcome> =>
    report({ ok: false, error }, interactive);

  /**
   * The platform of an argument, or of the selected line; otherwise the sentence saying why there
   * is none (`pass`: the arguments the command takes instead of a selection).
   */
  const platformOf = (value: unknown, pass: string): PlatformId | string => {
    if (value === undefined)
      return (
        controller.selectedMessage()?.platform ??
        t('Select a chat line in the Stream Chat view first (or pass {0}).', pass)
      );
    return isPlatformId(value) ? value : unknownPlatform(value);
  };

  const userCommand = (id: string, action: 'timeout' | 'ban' | 'unban') =>
    vscode.commands.registerCommand(id, async (args?: UserArgs): Promise<ModerationOutcome> => {
      const interactive = args?.user === undefined;
      const platform = platformOf(args?.platform, '{ platform, user }');
      if (!isPlatformId(platform)) return fail(platform, interactive);
      const selected = controller.selectedMessage();
      let user: ModerationUser | undefined =
        args?.user !== undefined
          ? controller.resolveUser(platform, args.user)
          : userOf(selected?.author);
      if (!user && interactive) {
        const typed = await vscode.window.showInputBox({
          title: t('Stream Chat: user on {0}', PLATFORM_LABELS[platform]),
          placeHolder: t('User name'),
          ignoreFocusOut: true,
        });
        if (!typed?.trim()) return { ok: false, error: 'cancelled' };
        user = controller.resolveUser(platform, typed);
      }
      if (!user)
        return fail(
          t('Which user? Pass {0} or select one of their lines.', '{ platform, user }'),
          interactive,
        );
      const capability = hub.status(platform).moderation;
      if (action !== 'timeout')
        return report(await controller.run(platform, { action, user }), interactive);
      let seconds: number | undefined =
        typeof args?.seconds === 'number' && Number.isFinite(args.seconds) && args.seconds > 0
          ? args.seconds
          : undefined;
      if (seconds === undefined && interactive) {
        const offered = capability?.timeoutSeconds?.length
          ? capability.timeoutSeconds
          : DEFAULT_TIMEOUTS;
        const picked = await vscode.window.showQuickPick(
          offered.map((s) => ({ label: describeDuration(s), seconds: s })),
          {
            title: t('Stream Chat: time out {0} on {1}', user.name, PLATFORM_LABELS[platform]),
            placeHolder: t('How long?'),
          },
        );
        if (!picked) return { ok: false, error: 'cancelled' };
        seconds = picked.seconds;
      }
      const fitted = capability
        ? fitTimeout(seconds ?? DEFAULT_TIMEOUT_SECONDS, capability)
        : (seconds ?? DEFAULT_TIMEOUT_SECONDS);
      return report(
        await controller.run(platform, { action: 'timeout', user, seconds: fitted }),
        interactive,
      );
    });

  store.add(
    vscode.commands.registerCommand(
      'streamChat.deleteMessage',
      async (args?: { platform?: unknown; messageId?: unknown }): Promise<ModerationOutcome> => {
        const interactive = args?.messageId === undefined;
        const selected = controller.selectedMessage();
        const platform = platformOf(args?.platform, '{ platform, messageId }');
        if (!isPlatformId(platform)) return fail(platform, interactive);
        const messageId = typeof args?.messageId === 'string' ? args.messageId : selected?.id;
        if (!messageId)
          return fail(
            t('Which message? Pass {0} or select a line.', '{ platform, messageId }'),
            interactive,
          );
        const message = hub.messages.find((m) => m.platform === platform && m.id === messageId);
        const user = userOf(message?.author);
        return report(
          await controller.run(platform, {
            action: 'delete',
            messageId,
            ...(user ? { user } : {}),
          }),
          interactive,
        );
      },
    ),
  );
  store.add(
    vscode.commands.registerCommand(
      'streamChat.clearChat',
      async (args?: { platform?: unknown; confirm?: unknown }): Promise<ModerationOutcome> => {
        const confirm = typeof args?.confirm === 'boolean' ? args.confirm : undefined;
        const outcome = await controller.clearChat(args?.platform, confirm);
        // Asked nothing (scripts, keybindings that answer): report nothing either.
        if (confirm !== undefined || outcome.error === 'cancelled') return outcome;
        return report(outcome, true);
      },
    ),
  );
  store.add(userCommand('streamChat.timeoutUser', 'timeout'));
  store.add(userCommand('streamChat.banUser', 'ban'));
  store.add(userCommand('streamChat.unbanUser', 'unban'));
  return store;
}
