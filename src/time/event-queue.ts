import type { Nanos } from './units.js';

/**
 * A min-heap of timed items, ordered by `(at, rank, seq)`:
 * - `at`: the virtual instant, in nanoseconds;
 * - `rank`: the tie-break class for items at the same instant (lower first); the simulator uses it
 *   to decide whether a frame read or a timer goes first (see docs/model.md, "Ties");
 * - `seq`: insertion order, so items equal in time and rank pop first-in first-out (or a number
 *   set aside earlier with `reserve`, which stands for the moment it was set aside).
 * The order is total, so a run never depends on heap internals.
 */
export type Scheduled<T> = { readonly at: Nanos; readonly rank: number; readonly seq: number; readonly item: T };

/**
 * The heap keeps its keys in parallel number arrays rather than one node object per entry: a push
 * allocates nothing once the arrays have grown to the queue's working size (the simulator pushes
 * one entry per packet and per read, millions per long run). `topAt`, `topRank` and `popItem` read
 * the head without building a `Scheduled`; `peek` and `pop` build one, for callers that want it.
 */
export class EventQueue<T> {
  private readonly at: number[] = [];
  private readonly rank: number[] = [];
  private readonly seq: number[] = [];
  private readonly items: (T | undefined)[] = [];
  private n = 0;
  private nextSeq = 0;

  get size(): number {
    return this.n;
  }

  push(at: Nanos, rank: number, item: T): void {
    this.pushSeq(at, rank, this.nextSeq++, item);
  }

  /**
   * Sets aside the next `count` sequence numbers and returns the first: items pushed later with
   * `pushSeq` and one of them order as if they had been pushed now. A producer of many items
   * (a series of calls) pushes each only when the one before it leaves the queue, yet the run
   * is the one it would be with all of them pushed at the start.
   */
  reserve(count: number): number {
    const first = this.nextSeq;
    this.nextSeq += count;
    return first;
  }

  /** Pushes with a sequence number from `reserve` (each used once; reusing one breaks the total order). */
  pushSeq(at: Nanos, rank: number, s: number, item: T): void {
    const A = this.at;
    const R = this.rank;
    const S = this.seq;
    const I = this.items;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pa = A[p] as number;
      if (pa < at || (pa === at && ((R[p] as number) < rank || ((R[p] as number) === rank && (S[p] as number) < s)))) break;
      A[i] = pa;
      R[i] = R[p] as number;
      S[i] = S[p] as number;
      I[i] = I[p];
      i = p;
    }
    A[i] = at;
    R[i] = rank;
    S[i] = s;
    I[i] = item;
  }

  /** The head's instant; `Infinity` when empty. */
  topAt(): number {
    return this.n === 0 ? Number.POSITIVE_INFINITY : (this.at[0] as number);
  }

  /** The head's rank; `Infinity` when empty. */
  topRank(): number {
    return this.n === 0 ? Number.POSITIVE_INFINITY : (this.rank[0] as number);
  }

  peek(): Scheduled<T> | undefined {
    if (this.n === 0) return undefined;
    return { at: this.at[0] as number, rank: this.rank[0] as number, seq: this.seq[0] as number, item: this.items[0] as T };
  }

  pop(): Scheduled<T> | undefined {
    const top = this.peek();
    if (top !== undefined) this.popItem();
    return top;
  }

  /** Removes the head and returns its item (`undefined` when empty). */
  popItem(): T | undefined {
    if (this.n === 0) return undefined;
    const I = this.items;
    const top = I[0];
    const last = --this.n;
    const A = this.at;
    const R = this.rank;
    const S = this.seq;
    const la = A[last] as number;
    const lr = R[last] as number;
    const ls = S[last] as number;
    const li = I[last];
    I[last] = undefined;
    const n = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && less(A, R, S, r, l)) c = r;
      const ca = A[c] as number;
      if (ca > la || (ca === la && ((R[c] as number) > lr || ((R[c] as number) === lr && (S[c] as number) > ls)))) break;
      A[i] = ca;
      R[i] = R[c] as number;
      S[i] = S[c] as number;
      I[i] = I[c];
      i = c;
    }
    if (n > 0) {
      A[i] = la;
      R[i] = lr;
      S[i] = ls;
      I[i] = li;
    }
    return top;
  }

  /** Removes every item for which `drop` returns true (used when a peer or a pipe dies). */
  removeWhere(drop: (item: T) => boolean): void {
    const kept: Scheduled<T>[] = [];
    for (let i = 0; i < this.n; i++) {
      const item = this.items[i] as T;
      if (!drop(item)) kept.push({ at: this.at[i] as number, rank: this.rank[i] as number, seq: this.seq[i] as number, item });
    }
    kept.sort((a, b) => a.at - b.at || a.rank - b.rank || a.seq - b.seq);
    // A sorted array is a heap; sequence numbers are kept, so the order among survivors is unchanged.
    this.n = kept.length;
    this.items.length = 0;
    this.at.length = 0;
    this.rank.length = 0;
    this.seq.length = 0;
    kept.forEach((s, i) => {
      this.at[i] = s.at;
      this.rank[i] = s.rank;
      this.seq[i] = s.seq;
      this.items[i] = s.item;
    });
  }
}

function less(A: readonly number[], R: readonly number[], S: readonly number[], x: number, y: number): boolean {
  const ax = A[x] as number;
  const ay = A[y] as number;
  if (ax !== ay) return ax < ay;
  const rx = R[x] as number;
  const ry = R[y] as number;
  if (rx !== ry) return rx < ry;
  return (S[x] as number) < (S[y] as number);
}
