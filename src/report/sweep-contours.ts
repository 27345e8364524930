/**
 * Contour lines over a grid of values at cell centres, by marching squares with linear
 * interpolation along each edge. Saddle squares (four crossings) are joined in a fixed way; for a
 * heatmap overlay that is good enough. Pure.
 */
export type Point = { readonly x: number; readonly y: number };
export type Segment = readonly [Point, Point];

/**
 * `z[row][col]` sampled at `at(row, col)`; returns the segments where the surface crosses `level`.
 * Infinite values count as above every level.
 */
export function contourSegments(z: readonly (readonly number[])[], level: number, at: (row: number, col: number) => Point): Segment[] {
  const out: Segment[] = [];
  const rows = z.length;
  const cols = z[0]?.length ?? 0;
  const val = (r: number, c: number): number => z[r]?.[c] ?? Number.NaN;
  for (let r = 0; r + 1 < rows; r++) {
    for (let c = 0; c + 1 < cols; c++) {
      // Corners in order around the square, so that consecutive corners share an edge.
      const corners: readonly (readonly [number, number])[] = [
        [r, c],
        [r, c + 1],
        [r + 1, c + 1],
        [r + 1, c],
      ];
      const pts: Point[] = [];
      for (let k = 0; k < 4; k++) {
        const [r0, c0] = corners[k] as readonly [number, number];
        const [r1, c1] = corners[(k + 1) % 4] as readonly [number, number];
        const v0 = val(r0, c0);
        const v1 = val(r1, c1);
        if (Number.isNaN(v0) || Number.isNaN(v1)) continue;
        if (v0 >= level === v1 >= level) continue;
        // Against an infinite corner the crossing is put half-way: there is nothing to interpolate.
        const f = !Number.isFinite(v0) || !Number.isFinite(v1) ? 0.5 : (level - v0) / (v1 - v0);
        const p0 = at(r0, c0);
        const p1 = at(r1, c1);
        pts.push({ x: p0.x + (p1.x - p0.x) * f, y: p0.y + (p1.y - p0.y) * f });
      }
      if (pts.length >= 2) out.push([pts[0] as Point, pts[1] as Point]);
      if (pts.length === 4) out.push([pts[2] as Point, pts[3] as Point]);
    }
  }
  return out;
}

/** Round levels (in ms) that fall inside [min, max], at most `count`, spread over the range. */
export function niceDurationLevels(values: readonly number[], count: number): number[] {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  if (finite.length === 0) return [];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const candidates = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 14400].map((s) => s * 1000).filter((v) => v > lo && v < hi);
  if (candidates.length <= count) return candidates;
  const picked: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = candidates[Math.round((i * (candidates.length - 1)) / Math.max(1, count - 1))] as number;
    if (!picked.includes(v)) picked.push(v);
  }
  return picked;
}
