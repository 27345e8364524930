import { normalQuantile } from './normal-quantile.js';

/**
 * netem's delay distribution tables as continuous functions. iproute2 builds each table as a
 * scaled inverse CDF ("quantile function"), stored as `s16` in units of 1/NETEM_DIST_SCALE of a
 * standard deviation; the kernel's `tabledist()` returns `mu + sigma * table[rnd % size] / 8192`
 * (iproute2 netem/README.distribution; linux net/sched/sch_netem.c `tabledist`). Here each table
 * is the function it samples, evaluated at a uniform quantile `q` in (0, 1), in units of sigma.
 *
 * DIVERGES: netem's tables hold 4096 quantiles, each rounded to 1/8192 sigma; kpsim evaluates the
 * same formulas at any `q`. The clamps that shape the tables (`s16` limits) are kept, because they
 * decide the tails.
 */

/** `NETEM_DIST_SCALE` from linux/pkt_sched.h: table entries are in units of sigma / 8192. */
export const NETEM_DIST_SCALE = 8192;

/** Largest table entry (`SHRT_MAX`, 32767), in units of sigma: just under 4. */
export const NETEM_TABLE_MAX = 32767 / NETEM_DIST_SCALE;

/** Smallest table entry (`SHRT_MIN`, -32768), in units of sigma: exactly -4. */
export const NETEM_TABLE_MIN = -32768 / NETEM_DIST_SCALE;

/** Shape `a` of the Pareto distribution in iproute2 netem/pareto.c and paretonormal.c. */
export const NETEM_PARETO_SHAPE = 3;

/**
 * netem's `pareto` table (iproute2 netem/pareto.c) at quantile `q` in [0, 1): a Pareto variable
 * with scale 1 and shape a = 3, `X = (1 - q)^(-1/3)` (mean 1.5), shifted by -1.5 and scaled by
 * 4/3, then clamped at SHRT_MAX: `min((X - 1.5) * 4/3, 32767/8192)`.
 *
 * The scaling is pareto.c's, not a unit standard deviation: the unclamped variable has
 * sigma = (4/3)·sqrt(3/4) ≈ 1.155, and the clamp (which cuts the top 1.1%, every X above 4.5)
 * leaves mean ≈ -0.0329 and sigma ≈ 0.821. Range: [-2/3, 3.9999].
 */
export function paretoQuantile(q: number): number {
  const x = Math.pow(1 - q, -1 / NETEM_PARETO_SHAPE);
  return Math.min(((x - 1.5) * 4) / 3, NETEM_TABLE_MAX);
}

/**
 * netem's `paretonormal` table (iproute2 netem/paretonormal.c) at quantile `q` in (0, 1):
 * `(normal + 3 * pareto) / 4`, where both are the quantile functions at the SAME `q`
 * (paretonormal.c combines table entry i of each), clamped to the `s16` range [-4, 32767/8192].
 *
 * So it is a comonotone blend of quantiles, a quarter normal and three quarters Pareto, not a
 * mixture that picks one of the two per packet.
 */
export function paretonormalQuantile(q: number): number {
  const blended = (normalQuantile(q) + 3 * paretoQuantile(q)) / 4;
  return Math.min(Math.max(blended, NETEM_TABLE_MIN), NETEM_TABLE_MAX);
}
