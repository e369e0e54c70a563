import { t } from './strings';

/** How close to the bottom still counts as "at the bottom" (px). */
export const FOLLOW_THRESHOLD_PX = 40;

/** Scroll geometry, read before a DOM write. */
export interface ScrollGeometry {
  readonly scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
}

export function isAtBottom(g: ScrollGeometry, threshold = FOLLOW_THRESHOLD_PX): boolean {
  return g.scrollHeight - g.scrollTop - g.clientHeight <= threshold;
}

/** Why the timeline stopped following: the user scrolled up, or is selecting text (to copy it). */
export type PauseReason = 'scroll' | 'selection';

/**
 * The follow state machine. While following, new lines scroll into view; once paused, they are
 * counted (`unseen`) for the "N new messages" button and nothing moves.
 */
export interface FollowState {
  readonly following: boolean;
  readonly unseen: number;
  readonly reason?: PauseReason;
}

export const FOLLOWING: FollowState = { following: true, unseen: 0 };

/** `count` lines the user can see (they match the filter) arrived. */
export function onNewLines(state: FollowState, count: number): FollowState {
  return state.following || count <= 0 ? state : { ...state, unseen: state.unseen + count };
}

/** The user scrolled: at the bottom, follow again; above it, pause (keeping the count). */
export function onUserScroll(state: FollowState, atBottom: boolean): FollowState {
  if (atBottom) return state.reason === 'selection' || state.following ? state : FOLLOWING;
  return state.following ? { following: false, unseen: 0, reason: 'scroll' } : state;
}

/**
 * Text in the timeline was selected or the selection went away. Selecting pauses (lines moving
 * under the mouse make copying impossible); clearing a selection that paused resumes following.
 */
export function onSelection(state: FollowState, hasSelection: boolean): FollowState {
  if (hasSelection)
    return state.following ? { following: false, unseen: 0, reason: 'selection' } : state;
  return state.reason === 'selection' ? FOLLOWING : state;
}

/** The label of the jump button for a paused state. */
export function newMessagesLabel(state: FollowState): string {
  if (state.unseen > 0)
    return state.unseen === 1
      ? t('1 new message')
      : t('{0} new messages', state.unseen.toLocaleString('en-US'));
  return state.reason === 'selection' ? t('Paused while selecting') : t('Back to the latest');
}
