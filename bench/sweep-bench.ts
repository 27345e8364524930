/**
 * Wall time of a reference sweep at 1 and 2 worker threads (issue 5). Standalone: bench/run.ts
 * calls `benchSweep` (or `benchSweepQuick`) and prints the result as JSON lines. Wall-clock reads
 * are allowed here (bench/ is outside src/).
 *
 *   reference: seed-flaw, server keepalive, 24 Time x 24 Timeout (10s..10m/24log x 1s..2m/24log),
 *              100,000 keepalive cycles and 100 dead-peer replicas per setting
 *   quick:     the same axes at 6 x 6, 10,000 cycles and 20 replicas
 *
 * Besides the times, it checks that every worker count gave byte-identical figures.
 */
import { performance } from 'node:perf_hooks';
import { BUILTIN_SCENARIOS } from '../src/scenario/builtins.js';
import { parseScenario } from '../src/scenario/load.js';
import type { SweepEvaluator } from '../src/sweep/cell-evaluator.js';
import { gridSettings, type Grid } from '../src/sweep/grid.js';
import { parseAxis } from '../src/sweep/grid-spec.js';
import { runCells } from '../src/sweep/pool.js';
import { PRODUCTION_EVALUATOR } from '../src/sweep/production-evaluator.js';

export type SweepBenchOptions = {
  /** Built-in scenario. @default 'seed-flaw' */
  readonly scenario?: string;
  /** Steps on each axis. @default 24 */
  readonly steps?: number;
  /** Keepalive cycles per setting. @default 100_000 */
  readonly cycles?: number;
  /** Dead-peer replicas per setting. @default 100 */
  readonly detectReplicas?: number;
  /** Worker counts to time, in order. @default [1, 2] */
  readonly workers?: readonly number[];
  readonly seed?: number;
  /** The cell evaluator. @default evaluateCell from src/analysis/rates/index.ts */
  readonly evaluator?: SweepEvaluator;
};

export type SweepBenchResult = {
  readonly name: string;
  readonly scenario: string;
  readonly cells: number;
  readonly cycles: number;
  readonly detectReplicas: number;
  readonly runs: readonly { readonly workers: number; readonly seconds: number; readonly cellsPerSecond: number }[];
  /** Time at the first worker count divided by time at the last. */
  readonly speedup: number;
  /** Every worker count produced byte-identical figures. */
  readonly identical: boolean;
};

export async function benchSweep(opts: SweepBenchOptions = {}): Promise<SweepBenchResult> {
  const name = opts.scenario ?? 'seed-flaw';
  const steps = opts.steps ?? 24;
  const scenario = parseScenario(BUILTIN_SCENARIOS[name], `builtin:${name}`);
  const grid: Grid = {
    side: 'server',
    times: parseAxis({ flag: '--time', text: `10s..10m/${steps}log` }),
    timeouts: parseAxis({ flag: '--timeout', text: `1s..2m/${steps}log` }),
  };
  const settings = gridSettings(grid);
  const options = { seed: opts.seed ?? 1, cycles: opts.cycles ?? 100_000, detectReplicas: opts.detectReplicas ?? 100 };
  const evaluator = opts.evaluator ?? PRODUCTION_EVALUATOR;
  const runs: { workers: number; seconds: number; cellsPerSecond: number }[] = [];
  const outputs: string[] = [];
  for (const workers of opts.workers ?? [1, 2]) {
    const t0 = performance.now();
    const cells = await runCells({ scenario, settings, options, evaluator, workers });
    const seconds = (performance.now() - t0) / 1000;
    outputs.push(JSON.stringify(cells));
    runs.push({ workers, seconds: round3(seconds), cellsPerSecond: round3(settings.length / seconds) });
  }
  const first = runs[0]?.seconds ?? 0;
  const last = runs.at(-1)?.seconds ?? 0;
  return {
    name: `sweep_${steps}x${steps}_${options.cycles}_cycles`,
    scenario: name,
    cells: settings.length,
    cycles: options.cycles,
    detectReplicas: options.detectReplicas,
    runs,
    speedup: last > 0 ? round3(first / last) : 0,
    identical: outputs.every((o) => o === outputs[0]),
  };
}

/** A variant that runs in seconds: 6 x 6 settings, 10,000 cycles, 20 replicas. */
export function benchSweepQuick(opts: SweepBenchOptions = {}): Promise<SweepBenchResult> {
  return benchSweep({ steps: 6, cycles: 10_000, detectReplicas: 20, ...opts });
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
