/** How close to the bottom still counts as "at the bottom" (px). */
export const FOLLOW_THRESHOLD_PX = 40;

/** Scroll geometry read before a DOM write. */
export interface ScrollGeometry {
  readonly scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
}

export function isAtBottom(g: ScrollGeometry, threshold = FOLLOW_THRESHOLD_PX): boolean {
  return g.scrollHeight - g.scrollTop - g.clientHeight <= threshold;
}

/** The follow state machine: follow while at the bottom; once scrolled up, count what arrives. */
export interface FollowState {
  readonly following: boolean;
  readonly unseen: number;
}

export function onNewLines(state: FollowState, count: number): FollowState {
  return state.following ? state : { following: false, unseen: state.unseen + count };
}

export function onUserScroll(state: FollowState, atBottom: boolean): FollowState {
  if (atBottom) return { following: true, unseen: 0 };
  return state.following ? { following: false, unseen: 0 } : state;
}
