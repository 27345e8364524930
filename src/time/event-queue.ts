import type { Nanos } from './units.js';

/**
 * A min-heap of timed items, ordered by `(at, rank, seq)`:
 * - `at`: the virtual instant, in nanoseconds;
 * - `rank`: the tie-break class for items at the same instant (lower first); the simulator uses it
 *   to decide whether a frame read or a timer goes first (see docs/model.md, "Ties");
 * - `seq`: insertion order, so items equal in time and rank pop first-in first-out.
 * The order is total, so a run never depends on heap internals.
 */
export type Scheduled<T> = { readonly at: Nanos; readonly rank: number; readonly seq: number; readonly item: T };

export class EventQueue<T> {
  private heap: Scheduled<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: Nanos, rank: number, item: T): void {
    const node: Scheduled<T> = { at, rank, seq: this.nextSeq++, item };
    const h = this.heap;
    h.push(node);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p] as Scheduled<T>;
      if (!before(node, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = node;
  }

  peek(): Scheduled<T> | undefined {
    return this.heap[0];
  }

  pop(): Scheduled<T> | undefined {
    const h = this.heap;
    const top = h[0];
    if (top === undefined) return undefined;
    const last = h.pop() as Scheduled<T>;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && before(h[r] as Scheduled<T>, h[l] as Scheduled<T>)) c = r;
        const child = h[c] as Scheduled<T>;
        if (!before(child, last)) break;
        h[i] = child;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }

  /** Removes every item for which `drop` returns true (used when a peer or a pipe dies). */
  removeWhere(drop: (item: T) => boolean): void {
    const kept = this.heap.filter((s) => !drop(s.item));
    this.heap = [];
    for (const s of kept.sort(compare)) this.heap.push(s);
  }
}

function before<T>(a: Scheduled<T>, b: Scheduled<T>): boolean {
  return compare(a, b) < 0;
}

function compare<T>(a: Scheduled<T>, b: Scheduled<T>): number {
  return a.at - b.at || a.rank - b.rank || a.seq - b.seq;
}
