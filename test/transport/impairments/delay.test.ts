import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/time/rng.js';
import { MILLISECOND } from '../../../src/time/units.js';
import { createDelaySampler, DELAY_DISTRIBUTIONS, type DelayDistribution, type DelayModel } from '../../../src/transport/impairments/delay.js';
import { NETEM_TABLE_MAX } from '../../../src/transport/impairments/netem-distributions.js';
import { binomialSe, draw, K_SIGMA, max, mean, min, quantile, quantileSe, sdSe, stdDev } from './stats.js';

const SEED = 424242;
const N = 100_000;

function samples(model: DelayModel, n = N, seed = SEED): number[] {
  const sampler = createDelaySampler(model, createRng(seed));
  return draw(n, () => sampler.sample());
}

const BASE = 100 * MILLISECOND;
const JITTER = 10 * MILLISECOND;
const drawn = new Map<DelayDistribution, number[]>();
/** N samples of (BASE, JITTER, distribution), drawn once and shared by the tests that read them. */
function shared(distribution: DelayDistribution): number[] {
  const xs = drawn.get(distribution) ?? samples({ base: BASE, jitter: JITTER, distribution });
  drawn.set(distribution, xs);
  return xs;
}

/**
 * Moments of netem's pareto table variable t = min((X - 1.5) * 4/3, T), X Pareto(scale 1, shape 3),
 * T = 32767/8192, in closed form: t is an affine map of M = min(X, c) with c = 1.5 + 0.75 T, and
 * E[M^k] = ∫0^c k x^(k-1) P(X > x) dx = 1 + k ∫1^c x^(k-4) dx.
 */
function netemParetoMoments(): { mean: number; sd: number; kurtosis: number } {
  const c = 1.5 + 0.75 * NETEM_TABLE_MAX;
  const m1 = 1 + (1 - c ** -2) / 2;
  const m2 = 1 + 2 * (1 - 1 / c);
  const m3 = 1 + 3 * Math.log(c);
  const m4 = 1 + 4 * (c - 1);
  const variance = m2 - m1 ** 2;
  const mu4 = m4 - 4 * m1 * m3 + 6 * m1 ** 2 * m2 - 3 * m1 ** 4;
  return { mean: ((m1 - 1.5) * 4) / 3, sd: (Math.sqrt(variance) * 4) / 3, kurtosis: mu4 / variance ** 2 };
}

/** Standard normal density. */
const phi = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);

describe('createDelaySampler', () => {
  it('with no jitter returns the base delay and draws nothing (tabledist: sigma == 0)', () => {
    for (const distribution of DELAY_DISTRIBUTIONS) {
      const rng = createRng(SEED);
      const sampler = createDelaySampler({ base: 7 * MILLISECOND, jitter: 0, distribution }, rng);
      expect(draw(10, () => sampler.sample())).toEqual(Array(10).fill(7 * MILLISECOND));
      expect(rng.nextU32()).toBe(createRng(SEED).nextU32());
    }
  });

  it('uniform: integers in [base - jitter, base + jitter - 1], mean and sigma of a uniform', () => {
    const base = 10 * MILLISECOND;
    const jitter = 2 * MILLISECOND;
    const xs = samples({ base, jitter, distribution: 'uniform' });
    expect(xs.every((x) => Number.isInteger(x) && x >= base - jitter && x <= base + jitter - 1)).toBe(true);
    // Uniform on 2J integers: mean base - 1/2, sigma ≈ J / sqrt(3), kurtosis 9/5.
    const sigma = jitter / Math.sqrt(3);
    expect(Math.abs(mean(xs) - (base - 0.5))).toBeLessThanOrEqual((K_SIGMA * sigma) / Math.sqrt(N));
    expect(Math.abs(stdDev(xs) - sigma)).toBeLessThanOrEqual(K_SIGMA * sdSe(sigma, 9 / 5, N));
  });

  it('normal: mean base, sigma jitter', () => {
    const base = BASE;
    const jitter = JITTER;
    const xs = shared('normal');
    expect(xs.every(Number.isInteger)).toBe(true);
    // Normal: SE(mean) = sigma / sqrt(n), kurtosis 3.
    expect(Math.abs(mean(xs) - base)).toBeLessThanOrEqual((K_SIGMA * jitter) / Math.sqrt(N));
    expect(Math.abs(stdDev(xs) - jitter)).toBeLessThanOrEqual(K_SIGMA * sdSe(jitter, 3, N));
  });

  it("pareto: the mean and sigma of iproute2's pareto.c table (-0.033 and 0.821 jitter from base)", () => {
    const base = BASE;
    const jitter = JITTER;
    const t = netemParetoMoments();
    expect(t.mean).toBeCloseTo(-0.032923, 6);
    expect(t.sd).toBeCloseTo(0.820855, 6);
    const xs = shared('pareto');
    expect(Math.abs(mean(xs) - (base + jitter * t.mean))).toBeLessThanOrEqual((K_SIGMA * jitter * t.sd) / Math.sqrt(N));
    expect(Math.abs(stdDev(xs) - jitter * t.sd)).toBeLessThanOrEqual(K_SIGMA * sdSe(jitter * t.sd, t.kurtosis, N));
    // Nothing beyond the table's s16 clamp, nothing below Pareto's minimum (X = 1: t = -2/3).
    expect(max(xs)).toBe(Math.round(base + jitter * NETEM_TABLE_MAX));
    expect(min(xs)).toBeGreaterThanOrEqual(Math.round(base - (jitter * 2) / 3));
  });

  it('paretonormal: mean base + 3/4 of the pareto offset (the normal quarter has mean 0)', () => {
    const base = BASE;
    const jitter = JITTER;
    const xs = shared('paretonormal');
    // The outer s16 clamp moves the mean by E[(Z - 4)+] / 4 < 2e-6 jitter: ignored. SE from the
    // sample's own sigma (about 0.835 jitter).
    const expected = base + jitter * 0.75 * netemParetoMoments().mean;
    expect(Math.abs(mean(xs) - expected)).toBeLessThanOrEqual((K_SIGMA * stdDev(xs)) / Math.sqrt(N));
  });

  it('pareto and paretonormal have heavier upper tails than normal: a larger 99.9th percentile', () => {
    const p999 = (distribution: DelayDistribution): number => (quantile(shared(distribution), 0.999) - BASE) / JITTER;
    const normal = p999('normal');
    const pareto = p999('pareto');
    const paretonormal = p999('paretonormal');
    // Normal: Φ⁻¹(0.999) = 3.0902; density there φ(3.0902) = 0.00337, so SE = sqrt(0.999 * 0.001 / n) / 0.00337 = 0.030 for n = 100k.
    expect(Math.abs(normal - 3.090232306167813)).toBeLessThanOrEqual(K_SIGMA * quantileSe(0.999, N, phi(3.090232306167813)));
    // Pareto: 1.1% of the mass sits on the clamp (every X above 4.5), so the 99.9th percentile is the clamp.
    expect(pareto).toBeCloseTo(NETEM_TABLE_MAX, 6);
    // Paretonormal: the Pareto quantile is clamped there, so t = (Φ⁻¹(q) + 3 T) / 4 with density 4 φ(3.0902).
    const expectedPn = (3.090232306167813 + 3 * NETEM_TABLE_MAX) / 4;
    expect(Math.abs(paretonormal - expectedPn)).toBeLessThanOrEqual(K_SIGMA * quantileSe(0.999, N, 4 * phi(3.090232306167813)));
    expect(pareto).toBeGreaterThan(normal);
    expect(paretonormal).toBeGreaterThan(normal);
  });

  describe('clamps at 0 (netem sends an overdue packet at once, never before it was enqueued)', () => {
    it('normal with jitter above base: P(0) = Φ(-base / jitter)', () => {
      const xs = samples({ base: 1 * MILLISECOND, jitter: 5 * MILLISECOND, distribution: 'normal' });
      expect(min(xs)).toBe(0);
      // Φ(-0.2) = 0.42074 (rounding to the nearest ns moves it by under 1e-7).
      const p = 0.42074029056089696;
      expect(Math.abs(xs.filter((x) => x === 0).length / N - p)).toBeLessThanOrEqual(K_SIGMA * binomialSe(p, N));
    });

    it('uniform with jitter above base: P(0) = (jitter - base + 1) / (2 jitter)', () => {
      const xs = samples({ base: 1 * MILLISECOND, jitter: 5 * MILLISECOND, distribution: 'uniform' });
      expect(min(xs)).toBe(0);
      const p = (4 * MILLISECOND + 1) / (10 * MILLISECOND);
      expect(Math.abs(xs.filter((x) => x === 0).length / N - p)).toBeLessThanOrEqual(K_SIGMA * binomialSe(p, N));
    });

    it('pareto with base 0: everything below the Pareto mean is clamped, P(0) = 1 - 1.5^-3', () => {
      const xs = samples({ base: 0, jitter: 5 * MILLISECOND, distribution: 'pareto' });
      expect(xs.every((x) => x >= 0)).toBe(true);
      const p = 1 - 1.5 ** -3;
      expect(Math.abs(xs.filter((x) => x === 0).length / N - p)).toBeLessThanOrEqual(K_SIGMA * binomialSe(p, N));
    });
  });

  it.each(DELAY_DISTRIBUTIONS)('%s: the same seed gives the same delays, another seed others', (distribution) => {
    const model: DelayModel = { base: 20 * MILLISECOND, jitter: 5 * MILLISECOND, distribution };
    expect(samples(model, 1000, 3)).toEqual(samples(model, 1000, 3));
    expect(samples(model, 1000, 3)).not.toEqual(samples(model, 1000, 4));
  });

  it('rejects a negative or fractional base or jitter', () => {
    expect(() => createDelaySampler({ base: -1, jitter: 0, distribution: 'uniform' }, createRng(1))).toThrow(RangeError);
    expect(() => createDelaySampler({ base: 0, jitter: 0.5, distribution: 'normal' }, createRng(1))).toThrow(RangeError);
  });
});
