/** What the guard reports: the kind and line for people, the value's offsets for masks. Never the value. */
export interface SecretFinding {
  readonly kind: string;
  /** 1-based line within the scanned text (of the match's start, e.g. a key block's header). */
  readonly line: number;
  /**
   * 0-based offsets into the scanned text of the secret value itself (what a mask should cover):
   * `text.slice(start, end)` is the key body of a private key block, the literal of an assignment
   * without its quotes, the token itself for a provider key.
   */
  readonly start: number;
  readonly end: number;
}

/** A detector's hit before de-duplication: `at` is where the match starts (for the line). */
export interface Candidate {
  readonly kind: string;
  readonly at: number;
  readonly start: number;
  readonly end: number;
}

/**
 * One detector: everything it finds in `text`. `taken(start, end)` says a more specific detector
 * already reported something there (a detector may skip its own work for it). Detectors are
 * pure and never throw on odd input.
 */
export type Detector = (
  text: string,
  taken: (start: number, end: number) => boolean,
) => Iterable<Candidate>;
