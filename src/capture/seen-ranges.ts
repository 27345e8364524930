/**
 * The byte offsets of a stream seen so far, as disjoint half-open ranges with touching ones
 * merged (so [0, 3) and [3, 5) are one range [0, 5)), kept in a splay tree keyed by range start
 * (Sleator and Tarjan, "Self-Adjusting Binary Search Trees", 1985: top-down splaying).
 *
 * `add` marks a range seen and returns the parts of it that were not seen before. Each call
 * leaves at most one new range in the tree, and the ranges it swallows are visited once and then
 * gone, so n calls cost O(n log n) amortized whatever the order of the ranges (a capture in
 * reverse order, holes everywhere, retransmissions over many buffered pieces). Deterministic: no
 * randomness, nothing depends on anything but the calls.
 */

type RangeNode = { start: number; end: number; left: RangeNode | undefined; right: RangeNode | undefined };

/** A half-open range of offsets, [start, end). */
export type OffsetRange = { readonly start: number; readonly end: number };

export type SeenRanges = {
  /** Marks [start, end) seen; returns its parts not seen before, in order (maximal runs). Integers; empty when start >= end. */
  readonly add: (start: number, end: number) => OffsetRange[];
};

/**
 * Top-down splay: afterwards the root is the node whose start is `key`, or else the last node on
 * the search path for `key` (its in-order predecessor or successor).
 */
const splay = (t: RangeNode, key: number): RangeNode => {
  const header: RangeNode = { start: 0, end: 0, left: undefined, right: undefined };
  let l = header;
  let r = header;
  let x = t;
  for (;;) {
    if (key < x.start) {
      let y = x.left;
      if (y === undefined) break;
      if (key < y.start) {
        x.left = y.right; // rotate right
        y.right = x;
        x = y;
        y = x.left;
        if (y === undefined) break;
      }
      r.left = x; // link right
      r = x;
      x = y;
    } else if (key > x.start) {
      let y = x.right;
      if (y === undefined) break;
      if (key > y.start) {
        x.right = y.left; // rotate left
        y.left = x;
        x = y;
        y = x.right;
        if (y === undefined) break;
      }
      l.right = x; // link left
      l = x;
      x = y;
    } else {
      break;
    }
  }
  l.right = x.left; // assemble
  r.left = x.right;
  x.left = header.right;
  x.right = header.left;
  return x;
};

/** [ranges starting before `key`, ranges starting at or after it]. */
const split = (t: RangeNode | undefined, key: number): [RangeNode | undefined, RangeNode | undefined] => {
  if (t === undefined) return [undefined, undefined];
  const root = splay(t, key);
  if (root.start < key) {
    const right = root.right;
    root.right = undefined;
    return [root, right];
  }
  const left = root.left;
  root.left = undefined;
  return [left, root];
};

/** The tree of `l`'s ranges then `r`'s (every start in `l` below every start in `r`). */
const join = (l: RangeNode | undefined, r: RangeNode | undefined): RangeNode | undefined => {
  if (l === undefined) return r;
  const root = splay(l, Number.POSITIVE_INFINITY); // the largest start: it has no right child
  root.right = r;
  return root;
};

export const createSeenRanges = (): SeenRanges => {
  let root: RangeNode | undefined;

  const add = (a: number, b: number): OffsetRange[] => {
    if (a >= b) return [];
    const fresh: OffsetRange[] = [];
    let start = a;
    let end = b;
    /** Offsets in [a, covered) are known to be seen. */
    let covered = a;
    const [before, rest] = split(root, a);
    let left = before;
    if (left !== undefined) {
      left = splay(left, Number.POSITIVE_INFINITY);
      if (left.end >= a) {
        // The range starting before `a` overlaps or touches [a, b): it is merged in.
        start = left.start;
        covered = Math.max(covered, left.end);
        end = Math.max(end, left.end);
        left = left.left;
      }
    }
    // Ranges starting in [a, b] overlap or touch [a, b): all merged into one. In order, without recursion.
    const [inside, right] = split(rest, b + 1);
    const stack: RangeNode[] = [];
    let n = inside;
    while (n !== undefined || stack.length > 0) {
      while (n !== undefined) {
        stack.push(n);
        n = n.left;
      }
      const m = stack.pop() as RangeNode;
      if (m.start > covered) fresh.push({ start: covered, end: m.start });
      covered = Math.max(covered, m.end);
      end = Math.max(end, m.end);
      n = m.right;
    }
    if (covered < b) fresh.push({ start: covered, end: b });
    root = join(join(left, { start, end, left: undefined, right: undefined }), right);
    return fresh;
  };

  return { add };
};
