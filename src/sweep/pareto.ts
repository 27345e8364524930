/**
 * Pareto front under minimisation: the items no other item dominates. `a` dominates `b` when `a`
 * is no worse on every objective and strictly better on at least one; equal items do not dominate
 * each other, so ties are all kept. O(n^2 k), fine for the grids a sweep runs (10^4 cells at most
 * without --force, and the front is checked against itself only).
 */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let strictly = false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k] as number;
    const y = b[k] as number;
    if (x > y) return false;
    if (x < y) strictly = true;
  }
  return strictly;
}

/** Indexes (ascending) of the items on the front. `objectives(item)` gives the values to minimise. */
export function paretoFront<T>(items: readonly T[], objectives: (item: T) => readonly number[]): readonly number[] {
  const points = items.map(objectives);
  // Sort by the first objective (then the rest) so each point only needs checking against the
  // front kept so far: nothing later in this order can dominate an earlier point.
  const order = points.map((_, i) => i).sort((i, j) => lexCompare(points[i] as readonly number[], points[j] as readonly number[]) || i - j);
  const front: number[] = [];
  for (const i of order) {
    const p = points[i] as readonly number[];
    if (!front.some((f) => dominates(points[f] as readonly number[], p))) front.push(i);
  }
  return front.sort((a, b) => a - b);
}

function lexCompare(a: readonly number[], b: readonly number[]): number {
  for (let k = 0; k < a.length; k++) {
    const d = (a[k] as number) - (b[k] as number);
    if (d !== 0) return d;
  }
  return 0;
}
