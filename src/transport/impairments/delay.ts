import { assertNever } from '../../lib/assert-never.js';
import type { Rng } from '../../time/rng.js';
import type { Nanos } from '../../time/units.js';
import { normalQuantile } from './normal-quantile.js';
import { paretonormalQuantile, paretoQuantile } from './netem-distributions.js';

/**
 * Per-packet delay as netem applies it: `tc qdisc ... netem delay TIME JITTER distribution D`.
 * Upstream: linux net/sched/sch_netem.c `tabledist(mu = latency, sigma = jitter, ...)`, called
 * once per enqueued packet.
 */

/** netem's `distribution` choices that iproute2 ships tables for (`uniform` is netem without one). */
export const DELAY_DISTRIBUTIONS = ['uniform', 'normal', 'pareto', 'paretonormal'] as const;
export type DelayDistribution = (typeof DELAY_DISTRIBUTIONS)[number];

export type DelayModel = {
  /** netem `delay TIME`: the mean one-way delay (`mu`). */
  readonly base: Nanos;
  /**
   * netem `JITTER` (`sigma`): half-width for `uniform`, the table's scale for the others.
   * @default 0
   */
  readonly jitter: Nanos;
  /**
   * How delays spread around `base`.
   * @default 'uniform'
   */
  readonly distribution: DelayDistribution;
};

export type DelaySampler = {
  /** The delay of the next packet: integer nanoseconds, never negative. */
  sample(): Nanos;
};

/**
 * A sampler drawing one delay per call from `rng` (one `nextFloat()` per call; none when
 * `jitter` is 0, as `tabledist` returns `mu` without drawing when `sigma == 0`).
 *
 * - `uniform`: netem with no table, `((rnd % (2 sigma)) + mu) - sigma`: an integer in
 *   [base - jitter, base + jitter - 1]. DIVERGES: drawn as `floor(u * 2 jitter)` from a float, so
 *   without the modulo bias of `rnd % (2 sigma)`.
 * - `normal`: base + jitter * Φ⁻¹(u) (exact inversion, AS 241). DIVERGES: netem's normal table
 *   holds 4096 quantiles, the extremes about -3.8 and +3.5 sigma; here the tails are unbounded.
 * - `pareto`, `paretonormal`: base + jitter * t(u) with t the table's quantile function (see
 *   netem-distributions.ts). These have netem's mean and spread, which are not exactly
 *   (base, jitter): `pareto` has mean base - 0.033 jitter and sigma 0.82 jitter.
 *
 * Every sample is rounded to the nearest nanosecond and clamped at 0: netem sends a packet whose
 * computed time_to_send is already past at once, never before it was enqueued.
 * DIVERGES: netem caps jitter at INT_MAX ns (about 2.1 s); kpsim does not.
 */
export function createDelaySampler(model: DelayModel, rng: Rng): DelaySampler {
  const { base, jitter, distribution } = model;
  if (!Number.isSafeInteger(base) || base < 0) throw new RangeError(`delay base must be an integer number of ns >= 0, got ${base}`);
  if (!Number.isSafeInteger(jitter) || jitter < 0) throw new RangeError(`delay jitter must be an integer number of ns >= 0, got ${jitter}`);
  if (jitter === 0) return { sample: () => base };
  switch (distribution) {
    case 'uniform': {
      const width = 2 * jitter;
      return { sample: () => Math.max(0, base - jitter + Math.min(Math.floor(rng.nextFloat() * width), width - 1)) };
    }
    case 'normal':
      return { sample: () => fromTable(base, jitter, normalQuantile(openUnit(rng))) };
    case 'pareto':
      return { sample: () => fromTable(base, jitter, paretoQuantile(rng.nextFloat())) };
    case 'paretonormal':
      return { sample: () => fromTable(base, jitter, paretonormalQuantile(openUnit(rng))) };
    default:
      return assertNever(distribution, 'delay distribution');
  }
}

/** `mu + sigma * t`, rounded to whole nanoseconds and clamped at 0. */
function fromTable(base: Nanos, jitter: Nanos, t: number): Nanos {
  return Math.max(0, Math.round(base + jitter * t));
}

/** A uniform draw in the open interval (0, 1), for Φ⁻¹: `nextFloat()`, with its 2^-53 chance of 0 moved to 2^-54. */
function openUnit(rng: Rng): number {
  const u = rng.nextFloat();
  return u === 0 ? 2 ** -54 : u;
}
