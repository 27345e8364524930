/**
 * The first index in [0, length) for which `before` is false, where `before` is true for a prefix
 * of the indices and false after it (a sorted sequence split by a predicate): a binary search.
 * `length` when `before` holds everywhere.
 */
export function partitionPoint(length: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
