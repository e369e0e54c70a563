import type { Author } from '../core/message';

/** The questions the editor answers in chat (opt-in, `streamChat.chatCommands.enabled`). */
export type ChatCommand = 'file' | 'branch' | 'theme' | 'font';

const COMMAND = /^!(file|branch|theme|font)(?=\s|$)/i;

/** The command a chat line asks, if it is one (the line starts with it; anything after is ignored). */
export function parseChatCommand(text: string): ChatCommand | undefined {
  const m = COMMAND.exec(text.trim());
  return m ? (m[1]!.toLowerCase() as ChatCommand) : undefined;
}

/** A viewer may ask each question once per this many ms. */
export const PER_VIEWER_MS = 60_000;
/** Each question is answered at most once per this many ms, whoever asks. */
export const GLOBAL_MS = 15_000;

/**
 * Per-viewer and global limits, per command: a spamming viewer is ignored, and a crowd asking at
 * once gets one answer. A refused request does not use up the viewer's turn.
 */
export class ChatCommandLimiter {
  private readonly _viewer = new Map<string, number>();
  private readonly _global = new Map<ChatCommand, number>();

  constructor(
    private readonly _now: () => number,
    private readonly _perViewerMs = PER_VIEWER_MS,
    private readonly _globalMs = GLOBAL_MS,
  ) {}

  allow(command: ChatCommand, viewerKey: string): boolean {
    const now = this._now();
    const key = `${command}\u0000${viewerKey}`;
    const lastViewer = this._viewer.get(key);
    if (lastViewer !== undefined && now - lastViewer < this._perViewerMs) return false;
    const lastGlobal = this._global.get(command);
    if (lastGlobal !== undefined && now - lastGlobal < this._globalMs) return false;
    this._viewer.set(key, now);
    this._global.set(command, now);
    if (this._viewer.size > 5000) this._viewer.delete(this._viewer.keys().next().value as string);
    return true;
  }
}

/** What the editor knows when a question comes in. */
export interface EditorFacts {
  /** The active file: undefined when none is open. */
  readonly file?:
    | {
        readonly where: 'workspace';
        readonly path: string;
        readonly line: number;
        readonly blocked: boolean;
      }
    | { readonly where: 'outside' };
  readonly branch?: string;
  readonly theme?: string;
  readonly font?: { readonly family: string; readonly size: number };
}

const clip = (s: string, max = 100) => {
  const chars = [...s.replace(/[\r\n\t]+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
};

/**
 * The answer, addressed to the viewer. A blocked file is "a private file" and a file outside the
 * workspace is only "a file outside the workspace": neither is ever named.
 */
export function answerChatCommand(
  command: ChatCommand,
  facts: EditorFacts,
  viewer: Pick<Author, 'name'>,
): string {
  const to = `@${viewer.name}`;
  switch (command) {
    case 'file': {
      const file = facts.file;
      if (!file) return `${to} no file is open right now`;
      if (file.where === 'outside') return `${to} a file outside the workspace`;
      if (file.blocked) return `${to} a private file`;
      return `${to} ${clip(file.path, 300)}:${file.line}`;
    }
    case 'branch':
      return facts.branch ? `${to} on branch ${clip(facts.branch)}` : `${to} not on a git branch`;
    case 'theme':
      return facts.theme ? `${to} the theme is ${clip(facts.theme)}` : `${to} the default theme`;
    case 'font':
      return facts.font
        ? `${to} ${clip(facts.font.family)}, ${facts.font.size}px`
        : `${to} the default editor font`;
  }
}
