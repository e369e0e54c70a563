/**
 * How often chat may repaint. A reader cannot follow more than a few lines a second, and every
 * repaint of the view costs the editor's renderer style, layout and paint (the webview shares its
 * main thread in a browser-hosted VS Code). So while chat arrives faster than
 * `BURST_LINES_PER_SECOND`, the timeline repaints at most once per `BURST_FRAME_MS`; slower chat
 * repaints on the next frame, as before. Pure: the caller passes the time (src/core/clock.ts).
 */
export const BURST_LINES_PER_SECOND = 150;
/** The shortest time between two repaints during a burst (20 frames a second). */
export const BURST_FRAME_MS = 50;
/** How far back arrivals count toward the rate. */
export const RATE_WINDOW_MS = 250;

/** Counts arriving lines over the last `RATE_WINDOW_MS` and says how long a repaint should wait. */
export class BurstMeter {
  private readonly _arrivals: Array<{ at: number; lines: number }> = [];
  private _lines = 0;

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

  /** Milliseconds until the next repaint may run, given the last one ran at `lastAt`: 0 outside a burst. */
  wait(now: number, lastAt: number): number {
    if (!this.bursting(now)) return 0;
    return Math.max(0, lastAt + BURST_FRAME_MS - now);
  }

  private _prune(now: number): void {
    while (this._arrivals.length > 0 && this._arrivals[0]!.at <= now - RATE_WINDOW_MS)
      this._lines -= this._arrivals.shift()!.lines;
  }
}
