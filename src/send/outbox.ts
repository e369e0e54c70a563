import type { ChatHub } from '../core/chatHub';
import { Clock, systemClock } from '../core/clock';
import { ChatError } from '../core/errors';
import { Disposable } from '../core/lifecycle';
import type { PlatformId } from '../core/message';
import { RateLimiter } from '../core/rateLimiter';
import { OUTGOING_RULES } from './limits';
import { scanForSecrets } from './secretScanner';
import { planMessages } from './splitter';

/** What `ChatOutbox.send` did. */
export interface OutboxResult {
  /** Messages the platform accepted. */
  readonly sent: number;
  readonly total: number;
}

/**
 * The one way the extension sends text it composed (Send Selection, thread replies, chat-command
 * answers): split to the platform's length, paced by the platform's rules, one sliding window per
 * platform shared by every sender so they never add up past it. `send` also runs the secret guard
 * first; Send Selection asks the streamer itself and only borrows the pacing (`acquire`).
 */
export class ChatOutbox implements Disposable {
  private readonly _limiters = new Map<PlatformId, RateLimiter>();
  private readonly _clock: Clock;

  constructor(
    private readonly _hub: Pick<ChatHub, 'send'>,
    clock: Clock = systemClock,
  ) {
    this._clock = clock;
  }

  /** Waits for the platform's next sending slot. */
  acquire(platform: PlatformId): Promise<void> {
    let limiter = this._limiters.get(platform);
    if (!limiter) {
      const { messages, windowMs } = OUTGOING_RULES[platform].pace;
      limiter = new RateLimiter(messages, windowMs, this._clock);
      this._limiters.set(platform, limiter);
    }
    return limiter.acquire();
  }

  /**
   * Guards, splits, paces and sends. Refuses (rejecting with a `ChatError` `SECRET`, nothing sent)
   * when the text looks like it holds a credential; the message names the kinds, never the value.
   * Rejects with the platform's error after sending what it could: `sent` parts went out.
   */
  async send(platform: PlatformId, text: string): Promise<OutboxResult> {
    const findings = scanForSecrets(text);
    if (findings.length > 0) {
      const kinds = [...new Set(findings.map((f) => f.kind))].join(', ');
      throw new ChatError(
        'SECRET',
        `this looks like it contains a secret (${kinds}); nothing was sent.`,
        'config',
      );
    }
    const parts = planMessages(text, { platform });
    const result = await this.sendParts(platform, parts);
    if (result.error === undefined) return { sent: result.sent, total: result.total };
    if (result.sent === 0) throw result.error;
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    throw new ChatError(
      'PARTIAL',
      `sent ${result.sent} of ${parts.length}; then: ${message}`,
      'network',
    );
  }

  /**
   * Sends prepared parts one after another at the platform's pace, stopping at the first error
   * (returned with how many went out before it) or when `isCancelled` says so.
   */
  async sendParts(
    platform: PlatformId,
    parts: readonly string[],
    options: {
      readonly isCancelled?: () => boolean;
      readonly onSent?: (sent: number) => void;
    } = {},
  ): Promise<OutboxResult & { readonly error?: unknown }> {
    let sent = 0;
    try {
      for (const part of parts) {
        if (options.isCancelled?.()) break;
        await this.acquire(platform);
        if (options.isCancelled?.()) break;
        await this._hub.send(platform, part);
        sent++;
        options.onSent?.(sent);
      }
    } catch (error) {
      return { sent, total: parts.length, error };
    }
    return { sent, total: parts.length };
  }

  /** Ends every wait for a sending slot (the extension is shutting down). */
  dispose(): void {
    for (const limiter of this._limiters.values()) limiter.dispose();
  }
}
