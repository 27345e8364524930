import { describe, expect, it } from 'vitest';
import { contourSegments, niceDurationLevels } from '../../src/report/sweep-contours.js';
import { logScale, rampColour } from '../../src/report/sweep-colour.js';

const at = (row: number, col: number): { x: number; y: number } => ({ x: col * 10, y: row * 10 });

describe('contourSegments', () => {
  it('crosses each edge where the level lies, by linear interpolation', () => {
    // Values rise left to right (0 -> 4): the 1-level crosses a quarter of the way across.
    const segs = contourSegments([[0, 4], [0, 4]], 1, at);
    expect(segs).toHaveLength(1);
    const xs = segs[0]?.map((p) => p.x);
    expect(xs).toEqual([2.5, 2.5]);
    expect(segs[0]?.map((p) => p.y).sort()).toEqual([0, 10]);
  });

  it('gives nothing when the level is outside the values, and two segments on a saddle', () => {
    expect(contourSegments([[0, 1], [1, 0]], 5, at)).toEqual([]);
    expect(contourSegments([[0, 1], [1, 0]], 0.5, at)).toHaveLength(2);
  });

  it('treats an infinite corner as above every level, crossing half-way', () => {
    const segs = contourSegments([[1, Number.POSITIVE_INFINITY], [1, Number.POSITIVE_INFINITY]], 2, at);
    expect(segs).toHaveLength(1);
    expect(segs[0]?.map((p) => p.x)).toEqual([5, 5]);
  });
});

describe('niceDurationLevels and the colour scale', () => {
  it('picks round durations strictly inside the range, at most the count asked', () => {
    expect(niceDurationLevels([12_000, 200_000], 10)).toEqual([15_000, 20_000, 30_000, 45_000, 60_000, 90_000, 120_000, 180_000]);
    const five = niceDurationLevels([500, 20_000_000], 5);
    expect(five).toHaveLength(5);
    expect(five[0]).toBe(1000);
    expect(niceDurationLevels([0, Number.POSITIVE_INFINITY], 5)).toEqual([]);
  });

  it('maps decades to equal steps and clamps the ends of the ramp', () => {
    const s = logScale([0, 0.01, 100]);
    expect(s?.lo).toBe(-2);
    expect(s?.hi).toBe(2);
    expect(s?.position(1)).toBe(0.5);
    expect(rampColour(0)).toBe('#ffffcc');
    expect(rampColour(1)).toBe('#800026');
    expect(rampColour(7)).toBe('#800026');
    expect(logScale([0, 0])).toBeUndefined();
  });
});
