/** The Garwood interval against published chi-square values (e.g. Ulm 1990, Table 1). */
import { describe, expect, it } from 'vitest';
import { gammaQuantile, logGamma, poissonInterval, regularizedGammaP } from '../../../src/analysis/rates/poisson-interval.js';

describe('poissonInterval (exact Poisson 95% interval)', () => {
  const known: readonly (readonly [number, number, number])[] = [
    [0, 0, 3.689],
    [1, 0.0253, 5.572],
    [2, 0.2422, 7.225],
    [5, 1.6235, 11.668],
    [10, 4.795, 18.39],
    [100, 81.364, 121.627],
  ];
  for (const [k, lo, hi] of known) {
    it(`${k} events: [${lo}, ${hi}]`, () => {
      const [l, h] = poissonInterval(k);
      expect(l).toBeCloseTo(lo, 3);
      expect(h).toBeCloseTo(hi, 3);
    });
  }
  it('0 events: the upper bound is -ln(0.025) exactly', () => {
    expect(poissonInterval(0)[1]).toBeCloseTo(-Math.log(0.025), 10);
  });
  it('the bounds are the gamma quantiles they claim to be', () => {
    const [l, h] = poissonInterval(37);
    expect(regularizedGammaP(37, l)).toBeCloseTo(0.025, 10);
    expect(regularizedGammaP(38, h)).toBeCloseTo(0.975, 10);
  });
  it('logGamma matches factorials', () => {
    expect(Math.exp(logGamma(11))).toBeCloseTo(3_628_800, 3);
    expect(gammaQuantile(0.5, 1)).toBeCloseTo(Math.LN2, 12);
  });
  it('rejects a negative or fractional count', () => {
    expect(() => poissonInterval(-1)).toThrow(RangeError);
    expect(() => poissonInterval(1.5)).toThrow(/count/);
  });
});
