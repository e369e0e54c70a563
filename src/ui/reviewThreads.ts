import * as vscode from 'vscode';
import { DisposableObject, toDisposable } from '../core/lifecycle';
import type { Logger } from '../core/log';
import { PLATFORM_LABELS } from '../core/message';
import type { ChatOutbox } from '../send/outbox';
import type { ActiveHighlight, HighlightController } from './highlights';

export const COMMENT_CONTROLLER_ID = 'streamChat.lineThreads';
const REPLY_COMMAND = 'streamChat.replyInChat';
const RESOLVE_COMMAND = 'streamChat.resolveThread';

/** What a thread shows, for tests and the API. */
export interface ThreadSummary {
  readonly highlightId: string;
  readonly uri: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly comments: ReadonlyArray<{ readonly author: string; readonly body: string }>;
}

/** What a reply did. */
export type ReplyResult =
  | { readonly sent: true; readonly text: string }
  | { readonly sent: false; readonly reason: string };

interface Entry {
  readonly thread: vscode.CommentThread;
  readonly comments: vscode.Comment[];
  /** Each comment's author and text as written (the bodies are escaped Markdown). */
  readonly plain: Array<{ author: string; body: string }>;
  sending: boolean;
}

function body(text: string): vscode.MarkdownString {
  // Chat text is hostile: appendText escapes Markdown, and nothing is trusted.
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md.appendText(text);
}

/**
 * `!line` as a review thread: every highlight also gets a comment thread on its range (collapsed,
 * so nothing moves by itself), the viewer's question first. The streamer's reply goes to that
 * viewer's platform as `@viewer …` through the shared outbox (secret guard, length, pacing) and
 * shows in the thread only once the platform took it. Resolving the thread removes the highlight;
 * a highlight that goes (dismissed, deleted or purged chat, edits) takes its thread with it, and a
 * thread follows its highlight's range as the file is edited.
 */
export class ReviewThreads extends DisposableObject {
  private readonly _controller: vscode.CommentController;
  private readonly _entries = new Map<string, Entry>();

  constructor(
    private readonly _highlights: HighlightController,
    private readonly _outbox: ChatOutbox,
    private readonly _log: Logger,
  ) {
    super();
    this._controller = vscode.comments.createCommentController(
      COMMENT_CONTROLLER_ID,
      vscode.l10n.t('Stream Chat'),
    );
    this._controller.options = {
      prompt: vscode.l10n.t('Reply in chat…'),
      placeHolder: vscode.l10n.t('Your answer goes to the viewer’s chat as @viewer …'),
    };
    this._register(toDisposable(() => this._controller.dispose()));
    this._register(_highlights.onDidChange(() => this._sync()));
    this._register(
      vscode.commands.registerCommand(REPLY_COMMAND, (reply: vscode.CommentReply) =>
        this._replyFromWidget(reply),
      ),
    );
    this._register(
      vscode.commands.registerCommand(RESOLVE_COMMAND, (thread: vscode.CommentThread) =>
        this._resolve(thread),
      ),
    );
    this._register(toDisposable(() => this._entries.clear()));
  }

  summaries(): ThreadSummary[] {
    return [...this._entries].map(([highlightId, { thread, plain }]) => ({
      highlightId,
      uri: thread.uri.toString(),
      startLine: (thread.range?.start.line ?? 0) + 1,
      endLine: (thread.range?.end.line ?? 0) + 1,
      comments: plain.map((c) => ({ ...c })),
    }));
  }

  /** Sends the streamer's answer to the viewer who asked (what the thread's Reply button does). */
  async reply(highlightId: string, text: string): Promise<ReplyResult> {
    const entry = this._entries.get(highlightId);
    const highlight = this._highlights.get(highlightId);
    if (!entry || !highlight) return { sent: false, reason: 'gone' };
    const answer = text.trim();
    if (!answer) return { sent: false, reason: 'empty' };
    // One reply at a time per thread: a double click must not answer twice.
    if (entry.sending) return { sent: false, reason: 'busy' };
    entry.sending = true;
    const message = `@${highlight.login} ${answer}`;
    try {
      await this._outbox.send(highlight.platform, message);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this._log.info(
        `thread reply to ${highlight.login} on ${highlight.platform} not sent: ${reason}`,
      );
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Stream Chat: the reply was not sent: {0}', reason),
      );
      return { sent: false, reason };
    } finally {
      entry.sending = false;
    }
    const author = vscode.l10n.t('You, in {0} chat', PLATFORM_LABELS[highlight.platform]);
    entry.comments.push({
      author: { name: author },
      body: body(message),
      mode: vscode.CommentMode.Preview,
    });
    entry.plain.push({ author, body: message });
    entry.thread.comments = [...entry.comments];
    return { sent: true, text: message };
  }

  /** Resolves a thread as its title's button does: the highlight (and so the thread) goes. */
  resolve(highlightId: string): void {
    this._highlights.dismiss(highlightId);
  }

  private async _replyFromWidget(reply: vscode.CommentReply): Promise<void> {
    const id = this._idOf(reply.thread);
    if (id !== undefined) await this.reply(id, reply.text);
  }

  private _resolve(thread: vscode.CommentThread): void {
    const id = this._idOf(thread);
    if (id !== undefined) this.resolve(id);
  }

  private _idOf(thread: vscode.CommentThread | undefined): string | undefined {
    for (const [id, entry] of this._entries) if (entry.thread === thread) return id;
    return undefined;
  }

  private _sync(): void {
    const active = new Map(this._highlights.active.map((h) => [h.id, h]));
    for (const [id, entry] of this._entries) {
      const h = active.get(id);
      if (!h) {
        entry.thread.dispose();
        this._entries.delete(id);
      } else {
        const range = rangeOf(h);
        if (!entry.thread.range?.isEqual(range)) entry.thread.range = range;
      }
    }
    for (const h of active.values()) if (!this._entries.has(h.id)) this._create(h);
  }

  private _create(h: ActiveHighlight): void {
    const author = `${h.author} (${PLATFORM_LABELS[h.platform]})`;
    const text =
      h.comment ??
      vscode.l10n.t(
        'asked about {0}',
        h.startLine === h.endLine ? `line ${h.startLine}` : `lines ${h.startLine}-${h.endLine}`,
      );
    const question: vscode.Comment = {
      author: { name: author },
      body: body(text),
      mode: vscode.CommentMode.Preview,
    };
    const thread = this._controller.createCommentThread(vscode.Uri.parse(h.uri), rangeOf(h), [
      question,
    ]);
    thread.label = vscode.l10n.t('{0} asked in chat', h.author);
    thread.contextValue = 'streamChatLine';
    thread.canReply = true;
    thread.collapsibleState = vscode.CommentThreadCollapsibleState.Collapsed;
    thread.state = vscode.CommentThreadState.Unresolved;
    this._entries.set(h.id, {
      thread,
      comments: [question],
      plain: [{ author, body: text }],
      sending: false,
    });
  }
}

function rangeOf(h: ActiveHighlight): vscode.Range {
  return new vscode.Range(h.startLine - 1, 0, h.endLine - 1, 0);
}
