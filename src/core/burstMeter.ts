/**
 * How often chat may repaint, and be posted to the view. A reader cannot follow more than a few
 * lines a second, and every repaint of the view costs the editor's renderer style, layout and
 * paint (the webview shares its main thread in a browser-hosted VS Code), as every post costs it
 * the message's way through the workbench. So while chat arrives faster than
 * `BURST_LINES_PER_SECOND`, the timeline (webview/timeline.ts) repaints at most once per
 * `BURST_FRAME_MS` and the host (src/ui/chatViewConnection.ts) posts at most once per
 * `BURST_POST_GAP_MS`; slower chat goes at once, as before. Pure: the caller passes the time
 * (src/core/clock.ts).
 */
export const BURST_LINES_PER_SECOND = 150;
/** The shortest time between two repaints during a burst (20 frames a second). */
export const BURST_FRAME_MS = 50;
/** The shortest time between two posts to the view during a burst: two per repaint, so a repaint never waits on one. */
export const BURST_POST_GAP_MS = BURST_FRAME_MS / 2;
/** How far back arrivals count toward the rate. */
export const RATE_WINDOW_MS = 250;

/** Counts arriving lines over the last `RATE_WINDOW_MS` and says how long the next step (a repaint, a post) should wait. */
export class BurstMeter {
  private readonly _arrivals: Array<{ at: number; lines: number }> = [];
  private _lines = 0;

  /** `gapMs`: the shortest time between two steps during a burst. */
  constructor(private readonly _gapMs: number = BURST_FRAME_MS) {}

  /** `lines` arrived at `now`. */
  note(lines: number, now: number): void {
    if (lines <= 0) return;
    this._arrivals.push({ at: now, lines });
    this._lines += lines;
    this._prune(now);
  }

  /** Lines per second over the window ending at `now`. */
  rate(now: number): number {
    this._prune(now);
    return (this._lines * 1000) / RATE_WINDOW_MS;
  }

  /** Chat arrives faster than `BURST_LINES_PER_SECOND`. */
  bursting(now: number): boolean {
    return this.rate(now) >= BURST_LINES_PER_SECOND;
  }

  /** Milliseconds until the next step may run, given the last one ran at `lastAt`: 0 outside a burst. */
  wait(now: number, lastAt: number): number {
    if (!this.bursting(now)) return 0;
    return Math.max(0, lastAt + this._gapMs - now);
  }

  private _prune(now: number): void {
    while (this._arrivals.length > 0 && this._arrivals[0]!.at <= now - RATE_WINDOW_MS)
      this._lines -= this._arrivals.shift()!.lines;
  }
}
