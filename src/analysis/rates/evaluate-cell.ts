import type { Scenario } from '../../scenario/schema.js';
import { keepaliveCost } from './cost.js';
import { detectionLatency } from './detection.js';
import { exactIdleCycle, idleExactApplies } from './exact-idle.js';
import { monteCarloFalseKills } from './monte-carlo.js';
import type { CellFigures, EvaluateOptions, FalseKills, KeepaliveSetting } from './types.js';

/**
 * The most the renewal assumption may move the exact value, relative to it, for `evaluateCell`
 * to report it as exact (docs/rates.md, "When the value is exact").
 */
export const RENEWAL_TOLERANCE = 0.01;

/**
 * Every figure for one setting on one scenario: false kills (exact where the closed form
 * applies, otherwise seeded Monte Carlo), detection latency of a silently dead peer, and
 * keepalive's traffic. Pure and deterministic: the same scenario, setting and options give the
 * same figures, whatever else is evaluated before or beside it.
 */
export function evaluateCell(scenario: Scenario, setting: KeepaliveSetting, opts: EvaluateOptions): CellFigures {
  return {
    setting,
    falseKills: falseKills(scenario, setting, opts),
    detection: stripExtra(detectionLatency(scenario, setting, { seed: opts.seed, replicas: opts.detectReplicas })),
    cost: keepaliveCost(scenario, setting, opts.seed),
  };
}

/** The exact value when it applies and the renewal bound is within RENEWAL_TOLERANCE; Monte Carlo otherwise. */
export function falseKills(scenario: Scenario, setting: KeepaliveSetting, opts: Pick<EvaluateOptions, 'seed' | 'cycles'>): FalseKills {
  const a = idleExactApplies({ ...scenario, faults: [] }, setting);
  if (a.ok) {
    const e = exactIdleCycle(a.link);
    if (e.carryOver * a.link.lossClientToServer <= RENEWAL_TOLERANCE * e.perCycle) {
      return {
        perDay: e.perDay,
        ci95: [e.perDay, e.perDay],
        method: 'exact',
        kills: 0,
        exposureDays: 0,
        perCycle: e.perCycle,
        // `by` counts observed kills; the exact split is exactIdleCycle's byKeepalive / byUserTimeout.
        by: {},
      };
    }
  }
  const m = monteCarloFalseKills(scenario, setting, opts);
  return { perDay: m.perDay, ci95: m.ci95, method: m.method, kills: m.kills, exposureDays: m.exposureDays, by: m.by };
}

function stripExtra<T extends { readonly skipped: number }>(d: T): Omit<T, 'skipped'> {
  const { skipped: _skipped, ...rest } = d;
  return rest;
}
