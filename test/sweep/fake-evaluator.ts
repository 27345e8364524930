import type { CellFigures, EvaluateOptions, KeepaliveSetting } from '../../src/analysis/rates/types.js';
import type { Scenario } from '../../src/scenario/schema.js';
import type { SweepEvaluator } from '../../src/sweep/cell-evaluator.js';
import { createRng } from '../../src/time/rng.js';
import { HOUR, MILLISECOND, SECOND } from '../../src/time/units.js';

/**
 * A stand-in for `evaluateCell` with the same contract: figures that depend only on the scenario's
 * name, the setting and the options, with seeded noise so that a scheduling-dependent seed would
 * show. False kills fall as Timeout grows (up to 100 s); detection grows with Time + Timeout; cost is 3600/Time.
 * `fakeEvaluatorThrowing` fails on one setting, to test error propagation.
 */
export function fakeEvaluateCell(scenario: Scenario, setting: KeepaliveSetting, options: EvaluateOptions): CellFigures {
  const rng = createRng((options.seed ^ Math.imul(setting.time / MILLISECOND, 31) ^ Math.imul(setting.timeout / MILLISECOND, 131) ^ scenario.name.length) >>> 0);
  const noise = 0.8 + 0.4 * rng.nextFloat();
  const cyclesPerDay = (24 * HOUR) / setting.time;
  // A floor of kills for very long Timeouts (as if another mechanism cut first) makes some settings
  // dominated by a shorter Timeout, so that the Pareto front is not the whole grid.
  const perCycle = Math.exp(-setting.timeout / (2 * SECOND)) + (setting.timeout >= 100 * SECOND ? 1e-4 : 0);
  const perDay = cyclesPerDay * perCycle * noise;
  const kills = Math.round(perDay * (options.cycles / cyclesPerDay));
  const exposureDays = options.cycles / cyclesPerDay;
  const detectBase = (setting.time + setting.timeout) / MILLISECOND;
  const pings = HOUR / setting.time;
  return {
    setting,
    falseKills: { perDay, ci95: [perDay * 0.5, perDay * 1.5 + 3 / exposureDays], method: 'monte-carlo', kills, exposureDays, by: { keepalive: kills } },
    detection: { p50Ms: detectBase * 0.75, p99Ms: detectBase * (0.98 + 0.02 * rng.nextFloat()), maxMs: detectBase, undetected: 0, replicas: options.detectReplicas, by: { keepalive: options.detectReplicas } },
    cost: {
      pingsPerHour: setting.side === 'server' ? { serverToClient: pings, clientToServer: 0 } : { serverToClient: 0, clientToServer: pings },
      bytesPerHour: setting.side === 'server' ? { serverToClient: pings * 83, clientToServer: pings * 83 } : { serverToClient: pings * 83, clientToServer: pings * 83 },
    },
  };
}

export function fakeEvaluatorThrowing(scenario: Scenario, setting: KeepaliveSetting, options: EvaluateOptions): CellFigures {
  if (setting.timeout === 2 * SECOND) throw new RangeError(`cannot evaluate timeout ${setting.timeout}`);
  return fakeEvaluateCell(scenario, setting, options);
}

export const FAKE_EVALUATOR: SweepEvaluator = { fn: fakeEvaluateCell, ref: { module: new URL('./fake-evaluator.ts', import.meta.url).href, exportName: 'fakeEvaluateCell' } };
export const THROWING_EVALUATOR: SweepEvaluator = { fn: fakeEvaluatorThrowing, ref: { module: FAKE_EVALUATOR.ref.module, exportName: 'fakeEvaluatorThrowing' } };
