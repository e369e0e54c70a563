/**
 * Which rows the timeline keeps in the DOM: pure arithmetic on row sequence numbers, so the
 * virtualisation rules are tested without a browser. Ranges are half-open, `[start, end)`.
 */
export interface Range {
  readonly start: number;
  readonly end: number;
}

export const EMPTY: Range = { start: 0, end: 0 };
export const size = (r: Range): number => Math.max(0, r.end - r.start);
const clamp = (r: Range, to: Range): Range => {
  const start = Math.max(r.start, to.start);
  const end = Math.min(r.end, to.end);
  return start < end
    ? { start, end }
    : {
        start: Math.min(Math.max(r.start, to.start), to.end),
        end: Math.min(Math.max(r.start, to.start), to.end),
      };
};
/** Rows of `a` that are not in `b` (both contiguous). */
const outside = (a: Range, b: Range): number => size(a) - size(clamp(a, b));

export interface WindowPlan {
  /** What is in the DOM now. */
  readonly current: Range;
  /** Every row there is. */
  readonly rows: Range;
  /** Rows the viewport needs now (with a screen of margin); always built. */
  readonly must: Range;
  /** Following: the window hangs from the newest row. Otherwise the row the reader looks at. */
  readonly focus: 'end' | number;
  /** The most rows the DOM holds. */
  readonly maxRows: number;
  /** Rows beyond `must` that may be built this frame (0 during a burst). */
  readonly budget: number;
}

/**
 * The next window: it always covers `must`; it keeps what is built when that joins up with
 * `must` cheaply, otherwise starts again from `must` (a jump, or a burst that pushed everything
 * built off screen); then it grows toward `maxRows` rows around the focus by at most `budget`
 * rows, and lets go of rows beyond that. Work per frame is at most `size(must) + budget` rows.
 */
export function planWindow(plan: WindowPlan): Range {
  const { rows, maxRows, budget } = plan;
  let must = clamp(plan.must, rows);
  if (size(must) > maxRows)
    must =
      plan.focus === 'end'
        ? { start: must.end - maxRows, end: must.end }
        : { start: must.start, end: must.start + maxRows };
  const current = clamp(plan.current, rows);

  const target = targetRange(plan, must);
  const allowed = outside(must, current) + budget;
  let next: Range;
  if (size(current) === 0) next = must;
  else {
    const hull = {
      start: Math.min(current.start, must.start),
      end: Math.max(current.end, must.end),
    };
    // Building what lies between the old window and the new view costs rows like any other.
    next = outside(hull, current) > allowed ? must : hull;
  }
  next = clamp(next, target);
  let remaining = allowed - outside(next, current);
  // Grow toward the target, nearer side first.
  while (remaining > 0) {
    const up = next.start > target.start;
    const down = next.end < target.end;
    if (!up && !down) break;
    const focus = plan.focus === 'end' ? rows.end : plan.focus;
    const takeUp = up && (!down || focus - next.start <= next.end - focus);
    const step = Math.min(
      remaining,
      takeUp ? next.start - target.start : target.end - next.end,
      Math.max(1, Math.ceil(remaining / 2)),
    );
    next = takeUp
      ? { start: next.start - step, end: next.end }
      : { start: next.start, end: next.end + step };
    remaining -= step;
  }
  return next;
}

/** The `maxRows` rows around the focus (hanging from the end while following), always containing `must`. */
function targetRange(plan: WindowPlan, must: Range): Range {
  const { rows, maxRows } = plan;
  let start: number;
  if (plan.focus === 'end') start = rows.end - maxRows;
  else start = Math.round((must.start + must.end) / 2 - maxRows / 2);
  start = Math.max(rows.start, Math.min(start, rows.end - maxRows));
  const end = Math.min(rows.end, start + maxRows);
  return { start: Math.min(start, must.start), end: Math.max(end, must.end) };
}

/** The rows the viewport shows, from the scroll offset and what is known about row heights. */
export interface Geometry {
  readonly scrollTop: number;
  readonly clientHeight: number;
  /** Where the built rows start and end (px from the top of the scrolled content). */
  readonly windowTop: number;
  readonly windowBottom: number;
  /** Height assumed for each row not built (the spacers). */
  readonly estimate: number;
}

/** The row at the top of the viewport (a sequence number within `rows`). */
export function rowAtTop(geometry: Geometry, current: Range, rows: Range): number {
  const { scrollTop, windowTop, windowBottom, estimate } = geometry;
  const built = size(current);
  let seq: number;
  if (built > 0 && scrollTop >= windowTop && scrollTop < windowBottom) {
    const average = (windowBottom - windowTop) / built;
    seq = current.start + Math.floor((scrollTop - windowTop) / Math.max(1, average));
  } else if (built > 0 && scrollTop >= windowBottom) {
    seq = current.end + Math.floor((scrollTop - windowBottom) / estimate);
  } else {
    seq = rows.start + Math.floor(scrollTop / estimate);
  }
  return Math.max(rows.start, Math.min(rows.end - 1, seq));
}
