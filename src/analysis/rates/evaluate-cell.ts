import type { Scenario } from '../../scenario/schema.js';
import { keepaliveCost } from './cost.js';
import { detectionLatency } from './detection.js';
import { monteCarloFalseKills } from './monte-carlo.js';
import type { CellFigures, EvaluateOptions, FalseKills, KeepaliveSetting } from './types.js';

/**
 * Every figure for one setting on one scenario: false kills (seeded Monte Carlo), detection latency of a silently dead peer, and
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

/**
 * False kills per connection-day, by seeded Monte Carlo. (The closed form for idle connections
 * described the earlier TCP model; over Linux's schedule, with the tail loss probe, delayed ACKs
 * and the timer wheel, it no longer holds and was withdrawn: docs/rates.md.)
 */
export function falseKills(scenario: Scenario, setting: KeepaliveSetting, opts: Pick<EvaluateOptions, 'seed' | 'cycles'>): FalseKills {
  const m = monteCarloFalseKills(scenario, setting, opts);
  return { perDay: m.perDay, ci95: m.ci95, method: m.method, kills: m.kills, exposureDays: m.exposureDays, by: m.by };
}

function stripExtra<T extends { readonly skipped: number }>(d: T): Omit<T, 'skipped'> {
  const { skipped: _skipped, ...rest } = d;
  return rest;
}
