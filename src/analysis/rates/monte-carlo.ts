import { isKill } from '../kill.js';
import type { Scenario } from '../../scenario/schema.js';
import { runScenario } from '../../sim/world.js';
import type { Nanos } from '../../time/units.js';
import { gammaQuantile, poissonInterval } from './poisson-interval.js';
import { closeMechanism, countBy, DAY, healthyScenario, replicaSeed, warmUp } from './scenario-setting.js';
import type { CloseMechanism, FalseKills, KeepaliveSetting } from './types.js';

export type MonteCarloOptions = {
  readonly seed: number;
  /** Keepalive cycles (of length Time) of healthy connection time to count. */
  readonly cycles: number;
  /**
   * Stop at this many kills even if fewer cycles were simulated: the rate is known to about ±6%
   * at 1,000, and a setting that kills often would otherwise restart (and warm up) a replica per
   * kill for the whole budget. @default MAX_KILLS
   */
  readonly maxKills?: number;
};

/** Kills after which a Monte Carlo cell stops (inverse sampling; see monteCarloFalseKills). */
export const MAX_KILLS = 1000;

export type MonteCarloFalseKills = FalseKills & {
  /** Replicas run, and those killed during warm-up (not counted: connection setup is another figure). */
  readonly replicas: number;
  readonly setupKills: number;
};

/**
 * False kills by seeded Monte Carlo. Replica i runs the healthy scenario (setting applied, no
 * scripted faults) with seed replicaSeed(seed, setting, 'healthy', i) and trace off. Time before
 * the warm-up W = 3·(Time + Timeout) is not counted: it holds connection setup, where TCP has no
 * RTT sample yet (RTO 1 s), so its kills belong to a different figure. After W every simulated
 * nanosecond is exposure until the connection closes or the replica's horizon; a close is a kill
 * when keepalive or the kernel closed it with both peers alive (isKill). A killed replica is
 * followed by a new one until the exposure reaches cycles × Time.
 * Rate = kills / exposure-days, with the exact Poisson (Garwood) 95% interval.
 *
 * Inverse sampling: a cell that reaches `maxKills` kills stops there. The exposure T is then the
 * time to the K-th kill, λT is Gamma(K, 1), so the estimate is (K - 1) / T (unbiased; K / T is
 * biased up by K / (K - 1)) and the exact 95% interval is the Gamma(K, 1) 2.5% and 97.5%
 * quantiles over T.
 */
export function monteCarloFalseKills(sc: Scenario, s: KeepaliveSetting, opts: MonteCarloOptions): MonteCarloFalseKills {
  const w = warmUp(s);
  const target: Nanos = opts.cycles * s.time;
  const maxReplicas = 100 + 10 * opts.cycles;
  const maxKills = opts.maxKills ?? MAX_KILLS;
  let stoppedAtKills = false;
  let exposure = 0;
  let kills = 0;
  let setupKills = 0;
  let replicas = 0;
  const by: Partial<Record<CloseMechanism, number>> = {};
  while (exposure < target && replicas < maxReplicas) {
    const horizon = w + (target - exposure);
    const r = runScenario(healthyScenario(sc, s, horizon), { seed: replicaSeed(opts.seed, s, 'healthy', replicas), trace: false });
    replicas++;
    const o = r.outcome;
    const end = o.closed && o.closedAt !== undefined ? o.closedAt : horizon;
    if (end <= w) {
      if (isKill(r)) setupKills++;
      continue;
    }
    exposure += end - w;
    if (o.closed && isKill(r)) {
      kills++;
      countBy(by, closeMechanism(r));
      if (kills >= maxKills) {
        stoppedAtKills = true;
        break;
      }
    }
  }
  const exposureDays = exposure / DAY;
  const [lo, hi] = stoppedAtKills ? [gammaQuantile(0.025, kills), gammaQuantile(0.975, kills)] : poissonInterval(kills);
  const perDay = exposureDays > 0 ? (stoppedAtKills ? kills - 1 : kills) / exposureDays : 0;
  return {
    perDay,
    ci95: exposureDays > 0 ? [lo / exposureDays, hi / exposureDays] : [0, Number.POSITIVE_INFINITY],
    method: 'monte-carlo',
    kills,
    exposureDays,
    by,
    replicas,
    setupKills,
  };
}
