import { describe, expect, it } from 'vitest';
import { NETEM_DIST_SCALE, NETEM_TABLE_MAX, paretonormalQuantile, paretoQuantile } from '../../../src/transport/impairments/netem-distributions.js';
import { normalQuantile } from '../../../src/transport/impairments/normal-quantile.js';

describe('normalQuantile (AS 241)', () => {
  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.999, 3.090232306167813],
    [0.001, -3.090232306167813],
    [0.3, -0.5244005127080407],
    [0.075, -1.4395314709384563], // the boundary of the central region
    [1e-10, -6.361340902404056], // intermediate tail
    [1e-20, -9.262340089798408], // far tail (r > 5)
  ])('Φ⁻¹(%d) = %d', (p, x) => {
    expect(normalQuantile(p)).toBeCloseTo(x, 13);
  });

  it('is odd around 1/2 and infinite at the ends', () => {
    expect(normalQuantile(0.25)).toBe(-normalQuantile(0.75));
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(Number.NaN)).toThrow(RangeError);
  });
});

describe("iproute2's netem tables as quantile functions", () => {
  it('pareto: the entries pareto.c prints (entry j is u = 1 - j/4096, i.e. q = j/4096)', () => {
    // pareto.c: for (i = 65536; i > 0; i -= 16) value = rint((1/pow(i/65536, 1/3) - 1.5) * 4/3 * 8192), capped at 32767.
    const paretoC = (j: number): number => {
      const u = (65536 - 16 * j) / 65536;
      return Math.min(Math.round((1 / Math.pow(u, 1 / 3) - 1.5) * (4 / 3) * 8192), 32767);
    };
    for (const j of [0, 1, 100, 2048, 4000, 4050, 4095]) {
      expect(Math.round(paretoQuantile(j / 4096) * NETEM_DIST_SCALE)).toBe(paretoC(j));
    }
    expect(paretoQuantile(0)).toBeCloseTo(-2 / 3, 15);
    expect(paretoQuantile(0.99)).toBe(NETEM_TABLE_MAX);
  });

  it('paretonormal: a quarter of the normal quantile plus three quarters of the pareto one, at the same q', () => {
    expect(paretonormalQuantile(0.5)).toBeCloseTo(0.75 * paretoQuantile(0.5), 15);
    expect(paretonormalQuantile(0.1)).toBeCloseTo((normalQuantile(0.1) + 3 * paretoQuantile(0.1)) / 4, 15);
    expect(paretonormalQuantile(1 - 1e-12)).toBe(NETEM_TABLE_MAX); // the s16 clamp
  });
});
