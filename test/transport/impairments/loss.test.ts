import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/time/rng.js';
import { createLossProcess, meanBurstLength, stationaryLossRate, type LossModel } from '../../../src/transport/impairments/loss.js';
import { binomialSe, countLosses, draw, K_SIGMA, type LossCount } from './stats.js';

const SEED = 20240601;

type GeModel = Extract<LossModel, { kind: 'gilbert-elliott' }>;
const ge = (p: number, r: number, oneMinusH = 1, oneMinusK = 0): GeModel => ({ kind: 'gilbert-elliott', p, r, oneMinusH, oneMinusK });

function drops(model: LossModel, n: number, seed = SEED): boolean[] {
  const process = createLossProcess(model, createRng(seed));
  return draw(n, () => process.drop());
}

function count(model: LossModel, n: number, seed = SEED): LossCount {
  const process = createLossProcess(model, createRng(seed));
  return countLosses(n, () => process.drop());
}

const lossRate = (c: LossCount): number => c.lost / c.packets;
const meanBurst = (c: LossCount): number => c.burstPackets / c.bursts;

/**
 * Asymptotic standard error of the loss rate measured over n packets of a Gilbert-Elliott chain.
 * A packet's loss indicator is ℓ(S) + ε, where ℓ(S) is its state's loss probability and ε is the
 * loss draw's own noise (variance ℓ(1 - ℓ), independent of everything else). For a two-state chain
 * with second eigenvalue λ = 1 - p - r, the long-run variance of a function f of the state is
 * Var_π(f) (1 + λ) / (1 - λ), with Var_π(ℓ) = (ℓB - ℓG)² πB πG.
 */
function geRateSe(m: GeModel, n: number): number {
  const bad = m.p / (m.p + m.r);
  const good = 1 - bad;
  const lambda = 1 - m.p - m.r;
  const stateVar = (m.oneMinusH - m.oneMinusK) ** 2 * bad * good * ((1 + lambda) / (1 - lambda));
  const noiseVar = good * m.oneMinusK * (1 - m.oneMinusK) + bad * m.oneMinusH * (1 - m.oneMinusH);
  return Math.sqrt((stateVar + noiseVar) / n);
}

describe('none', () => {
  it('never drops and never draws', () => {
    const rng = createRng(SEED);
    const process = createLossProcess({ kind: 'none' }, rng);
    expect(draw(1000, () => process.drop()).some(Boolean)).toBe(false);
    expect(rng.nextU32()).toBe(createRng(SEED).nextU32());
    expect(process.state).toBeUndefined();
  });
});

describe('bernoulli (netem loss random P)', () => {
  it('loses p of 200k packets, within 5 binomial standard errors', () => {
    const p = 0.01;
    const n = 200_000;
    // SE = sqrt(p (1 - p) / n) = 2.2e-4, so the bound is ±1.1e-3 around 0.01.
    expect(Math.abs(lossRate(count({ kind: 'bernoulli', p }, n)) - p)).toBeLessThanOrEqual(K_SIGMA * binomialSe(p, n));
  });

  it('has bursts of mean length 1 / (1 - p)', () => {
    const p = 0.3;
    const c = count({ kind: 'bernoulli', p }, 200_000);
    // Bursts are independent geometric variables on {1, 2, ...} with success probability 1 - p:
    // mean 1 / (1 - p), variance p / (1 - p)².
    const se = Math.sqrt(p / (1 - p) ** 2 / c.bursts);
    expect(Math.abs(meanBurst(c) - meanBurstLength({ kind: 'bernoulli', p }))).toBeLessThanOrEqual(K_SIGMA * se);
    expect(meanBurstLength({ kind: 'bernoulli', p })).toBeCloseTo(1 / 0.7, 12);
  });

  it('with p = 0 drops nothing and draws nothing (netem tests q->loss first)', () => {
    const rng = createRng(SEED);
    const process = createLossProcess({ kind: 'bernoulli', p: 0 }, rng);
    expect(draw(1000, () => process.drop()).some(Boolean)).toBe(false);
    expect(rng.nextU32()).toBe(createRng(SEED).nextU32());
  });

  it('with p = 1 drops everything', () => {
    expect(drops({ kind: 'bernoulli', p: 1 }, 1000).every(Boolean)).toBe(true);
    expect(meanBurstLength({ kind: 'bernoulli', p: 1 })).toBe(Infinity);
  });
});

describe('gilbert-elliott (netem loss gemodel p r 1-h 1-k)', () => {
  it('loss_gilb_ell: draws the transition first, then judges the loss in the state the packet found', () => {
    // p = r = 1: the chain alternates Good, Bad, Good, ... whatever the draws. The first packet
    // finds Good (netem starts there) and is kept although the transition moved the chain to Bad.
    const process = createLossProcess(ge(1, 1), createRng(SEED));
    expect(process.state).toBe('good');
    expect(process.drop()).toBe(false);
    expect(process.state).toBe('bad');
    expect(process.drop()).toBe(true);
    expect(process.state).toBe('good');
    expect(draw(6, () => process.drop())).toEqual([false, true, false, true, false, true]);
  });

  it('draws exactly two numbers per packet, as netem does', () => {
    const rng = createRng(SEED);
    const process = createLossProcess(ge(0.2, 0.4, 0.7, 0.1), rng);
    draw(100, () => process.drop());
    const reference = createRng(SEED);
    draw(200, () => reference.nextFloat());
    expect(rng.nextU32()).toBe(reference.nextU32());
  });

  it('with netem defaults (1-h = 1, 1-k = 0): long-run loss rate p / (p + r), bursts of mean 1 / r', () => {
    const model = ge(0.01, 0.3);
    const n = 500_000;
    const c = count(model, n);
    // πB = 0.01 / 0.31 = 0.03226; λ = 0.69; SE = sqrt(πB πG (1.69 / 0.31) / n) = 5.8e-4.
    expect(stationaryLossRate(model)).toBeCloseTo(0.01 / 0.31, 15);
    expect(Math.abs(lossRate(c) - stationaryLossRate(model))).toBeLessThanOrEqual(K_SIGMA * geRateSe(model, n));
    // Every packet in Bad is lost and none in Good, so a burst is one stay in Bad: independent
    // geometric lengths with success probability r, mean 1 / r, variance (1 - r) / r².
    const se = Math.sqrt((1 - model.r) / model.r ** 2 / c.bursts);
    expect(meanBurstLength(model)).toBeCloseTo(1 / 0.3, 12);
    expect(Math.abs(meanBurst(c) - 1 / model.r)).toBeLessThanOrEqual(K_SIGMA * se);
  });

  it('with lossy Good and leaky Bad states: long-run loss rate πG (1-k) + πB (1-h)', () => {
    const model = ge(0.05, 0.2, 0.8, 0.01);
    const n = 500_000;
    // πB = 0.2, πG = 0.8: 0.8 * 0.01 + 0.2 * 0.8 = 0.168.
    expect(stationaryLossRate(model)).toBeCloseTo(0.168, 15);
    expect(Math.abs(lossRate(count(model, n)) - 0.168)).toBeLessThanOrEqual(K_SIGMA * geRateSe(model, n));
  });

  it('meanBurstLength in general: P(lost) / P(lost, then delivered)', () => {
    // Delivered after a loss in Good: (1 - p)(1 - (1-k)) + p (1 - (1-h)) = 0.95 * 0.99 + 0.05 * 0.2 = 0.9505;
    // after a loss in Bad: r * 0.99 + (1 - r) * 0.2 = 0.358. P(lost, then delivered) =
    // 0.8 * 0.01 * 0.9505 + 0.2 * 0.8 * 0.358 = 0.064884; 0.168 / 0.064884 = 2.58923...
    expect(meanBurstLength(ge(0.05, 0.2, 0.8, 0.01))).toBeCloseTo(0.168 / 0.064884, 12);
    expect(meanBurstLength(ge(0, 0.3))).toBe(0);
    expect(meanBurstLength(ge(0.1, 0))).toBe(Infinity);
    expect(meanBurstLength({ kind: 'none' })).toBe(0);
  });

  it('never leaves Good when p = r = 0, so the rate is 1-k', () => {
    expect(stationaryLossRate(ge(0, 0, 1, 0.02))).toBe(0.02);
  });

  it('rejects probabilities outside [0, 1]', () => {
    expect(() => createLossProcess(ge(1.5, 0.3), createRng(SEED))).toThrow(RangeError);
    expect(() => createLossProcess(ge(0.1, 0.3, Number.NaN), createRng(SEED))).toThrow('1-h must be a probability in [0, 1], got NaN');
    expect(() => createLossProcess({ kind: 'bernoulli', p: -0.1 }, createRng(SEED))).toThrow(RangeError);
  });
});

describe('determinism', () => {
  it.each<[string, LossModel]>([
    ['bernoulli', { kind: 'bernoulli', p: 0.2 }],
    ['gilbert-elliott', ge(0.1, 0.3, 0.9, 0.05)],
  ])('%s: the same seed gives the same losses, another seed others', (_name, model) => {
    expect(drops(model, 2000, 7)).toEqual(drops(model, 2000, 7));
    expect(drops(model, 2000, 7)).not.toEqual(drops(model, 2000, 8));
  });
});
