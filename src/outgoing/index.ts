// From the editor to chat (issue 7): pure logic, no `vscode`. The host files in `src/ui/` use it.
export { OUTGOING_RULES, lengthOf, messageProblem } from './limits';
export type { LineBreaks, OutgoingRules } from './limits';
export { CONFIRM_ABOVE_PARTS, LINE_SEPARATOR, hardSplit, planMessages, prepareLines, selectionHeader } from './splitter';
export type { PlanOptions } from './splitter';
export { describeFindings, entropy, isCredentialKey, isPlaceholderValue, looksRandom, scanForSecrets } from './secretScanner';
export type { ScanOptions, SecretFinding, SecretKind } from './secretScanner';
export { DEFAULT_BLOCKED_FILES, blockedFilePattern, globToRegExp, isBlockedFile, matchesGlob } from './blockedFiles';
export {
  ActiveHighlights,
  HIGHLIGHT_AUDIENCES,
  HighlightPolicy,
  MAX_COMMENT_LENGTH,
  MAX_HIGHLIGHT_LINES,
  audienceAllows,
  channelRank,
  isHighlightAudience,
  parseLineCommand,
} from './lineCommand';
export type { ChannelRank, HighlightAudience, HighlightPolicyOptions, HighlightVerdict, LineCommand } from './lineCommand';
export { MAX_REQUEST_AGE_MS, isLiveRequest, matchRequestedFile, shiftForEdit } from './highlightTracking';
export type { FileMatch, LineEdit, LineRange } from './highlightTracking';
export { planDestination } from './destinations';
export type { DestinationPlan } from './destinations';
