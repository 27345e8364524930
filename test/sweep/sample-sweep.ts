import type { CellFigures } from '../../src/analysis/rates/types.js';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';
import type { Grid } from '../../src/sweep/grid.js';
import { gridSettings } from '../../src/sweep/grid.js';
import { parseAxis } from '../../src/sweep/grid-spec.js';
import { makeSweepResult, type SweepResult } from '../../src/sweep/sweep-result.js';
import { fakeEvaluateCell } from './fake-evaluator.js';

/** A small sweep computed in-thread with the stand-in evaluator, for renderer and advise tests. */
export function sampleSweep(name = 'seed-flaw', times = '10s..120s/6', timeouts = '1s..120s/5log', side: 'server' | 'client' = 'server'): { scenario: Scenario; result: SweepResult } {
  const input = BUILTIN_SCENARIOS[name];
  const scenario = parseScenario(input, `builtin:${name}`);
  const grid: Grid = { side, times: parseAxis({ flag: '--time', text: times }), timeouts: parseAxis({ flag: '--timeout', text: timeouts }) };
  const options = { seed: 3, cycles: 5000, detectReplicas: 50 };
  const cells: CellFigures[] = gridSettings(grid).map((s) => fakeEvaluateCell(scenario, s, options));
  return { scenario, result: makeSweepResult({ scenario: name, scenarioInput: input, grid, options, cells }) };
}
