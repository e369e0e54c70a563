/**
 * The guard's scan: every detector over the text, most specific first (private keys, provider
 * shapes, context rules, named assignments, then raw entropy); a later hit that overlaps an
 * earlier one is the same secret seen less precisely and is dropped.
 */
import { findAssignments } from './assignments';
import { findContextSecrets } from './context';
import { findHighEntropy } from './entropy';
import { findPrivateKeys } from './privateKeys';
import { findProviderKeys } from './providers';
import type { Candidate, Detector, SecretFinding } from './types';

const DETECTORS: readonly Detector[] = [
  findPrivateKeys,
  findProviderKeys,
  findContextSecrets,
  findAssignments,
  findHighEntropy,
];

export function scanForSecrets(text: string): SecretFinding[] {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (index: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  // Accepted spans never overlap, so kept sorted by start a lookup is a binary search (a selection
  // full of secrets must not make the scan quadratic).
  const accepted: Candidate[] = [];
  const firstEndingAfter = (start: number) => {
    let lo = 0;
    let hi = accepted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (accepted[mid]!.end <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const taken = (start: number, end: number) => {
    const next = accepted[firstEndingAfter(start)];
    return next !== undefined && next.start < end;
  };
  for (const detector of DETECTORS) {
    for (const c of detector(text, taken)) {
      if (c.end <= c.start || c.start < 0 || c.end > text.length || taken(c.start, c.end)) continue;
      accepted.splice(firstEndingAfter(c.start), 0, c);
    }
  }
  return accepted
    .map((c) => ({ kind: c.kind, line: lineOf(c.at), start: c.start, end: c.end }))
    .sort((a, b) => a.line - b.line || a.start - b.start);
}
