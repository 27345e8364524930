import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { dominates, paretoFront } from '../../src/sweep/pareto.js';

/**
 * The front is exactly the set of non-dominated points: nothing returned is dominated by any
 * point, and everything left out is dominated by some point. Small value ranges force many ties.
 */
const point = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(Number.POSITIVE_INFINITY)));
const points = fc.array(point, { maxLength: 60 });

describe('paretoFront', () => {
  test.prop([points])('returns exactly the non-dominated points, ascending', (ps) => {
    const front = paretoFront(ps, (p) => p);
    const inFront = new Set(front);
    expect([...front]).toEqual([...front].sort((a, b) => a - b));
    ps.forEach((p, i) => {
      const dominated = ps.some((q) => dominates(q, p));
      expect(inFront.has(i)).toBe(!dominated);
    });
  });

  test.prop([points])('keeps every copy of a tied point', (ps) => {
    const doubled = [...ps, ...ps];
    const front = paretoFront(doubled, (p) => p);
    const n = ps.length;
    for (const i of front) if (i < n) expect(front).toContain(i + n);
  });

  test.prop([point, point])('dominance is irreflexive and asymmetric', (a, b) => {
    expect(dominates(a, a)).toBe(false);
    if (dominates(a, b)) expect(dominates(b, a)).toBe(false);
  });
});
