import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Option, type Command } from 'commander';
import type { CellFigures, EvaluateOptions, KeepaliveSetting, SweepSide } from '../analysis/rates/types.js';
import { renderSweepCsv } from '../report/sweep-csv.js';
import { renderSweepHtml } from '../report/sweep-html.js';
import { sweepJson } from '../report/sweep-json.js';
import { renderSweepSvg } from '../report/sweep-svg.js';
import { renderSweepTable } from '../report/sweep-table.js';
import { emit, loadRawScenario, scenarioFileOf } from './cli-files.js';
import { applyOverrides, parseScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import type { CellEvaluator, SweepEvaluator } from '../sweep/cell-evaluator.js';
import { DEFAULT_TIME_AXIS, DEFAULT_TIMEOUT_AXIS } from '../sweep/default-grid.js';
import { checkGridSize, gridSettings, type Grid } from '../sweep/grid.js';
import { parseAxis } from '../sweep/grid-spec.js';
import { runCells, SweepCellError, SweepInterrupted } from '../sweep/pool.js';
import { InterruptedError, withInterrupts } from './interrupts.js';
import { SweepInputError } from '../sweep/sweep-error.js';
import { PRODUCTION_EVALUATOR } from '../sweep/production-evaluator.js';
import { makeSweepResult, type SweepResult } from '../sweep/sweep-result.js';
import { createProgress } from './progress.js';
import { collectSet, parseSeedFlag } from './run-flags.js';
import { formatDuration } from '../time/duration.js';
import { UsageError } from './usage-error.js';
import { checkDistinctPaths, writeStdout } from './output.js';

/**
 * `kpsim sweep <scenario> [--time V] [--timeout V] [--side server|client] [budget] [--workers N]
 *  [--csv | --json] [--svg FILE] [--html FILE]`: a grid of keepalive settings on one scenario.
 * The options and the grid-running helper are shared with `kpsim advise` (./advise-command.ts).
 */
export type GridFlags = {
  readonly time?: string;
  readonly timeout?: string;
  readonly side: SweepSide;
  readonly set: readonly string[];
  readonly seed?: number;
  readonly cycles: number;
  readonly detectReplicas: number;
  readonly workers?: number;
  readonly force?: true;
};

type SweepFlags = GridFlags & { readonly csv?: true; readonly json?: true; readonly svg?: string; readonly html?: string };

export const DEFAULT_CYCLES = 10_000;
export const DEFAULT_DETECT_REPLICAS = 100;

export function addGridOptions(cmd: Command): Command {
  return cmd
    .argument('<scenario>', 'a built-in scenario name (see "kpsim list") or a scenario JSON file')
    .option('--time <values>', `keepalive Time values: a list (30s,60s) or a range, linear (10s..120s/12) or log (1s..120s/12log) (default: ${DEFAULT_TIME_AXIS})`)
    .option('--timeout <values>', `keepalive Timeout values, same syntax (default: ${DEFAULT_TIMEOUT_AXIS})`)
    .addOption(new Option('--side <side>', 'whose keepalive to vary').choices(['server', 'client']).default('server'))
    .option('--set <path=value>', 'override a scenario field before validation (repeatable)', collectSet, [])
    .option('--seed <n>', "base seed (default: the scenario's seed); each cell's seeds derive from it and the setting", parseSeedFlag)
    .option('--cycles <n>', 'keepalive cycles of healthy connection simulated per setting', positiveInt('--cycles'), DEFAULT_CYCLES)
    .option('--detect-replicas <n>', 'dead-peer runs per setting for the detection figures', positiveInt('--detect-replicas'), DEFAULT_DETECT_REPLICAS)
    .option('--workers <n>', 'worker threads (default, and at most: the available cores); results do not depend on it', positiveInt('--workers'))
    .option('--force', 'run grids larger than 10000 cells');
}

export function registerSweepCommand(program: Command): void {
  addGridOptions(program.command('sweep').description('evaluate a grid of keepalive settings: false kills per day, detection latency, cost'))
    .addOption(new Option('--csv', 'print the cells as CSV').conflicts('json'))
    .option('--json', 'print the cells as JSON')
    .option('--svg <file>', 'write a heatmap of false kills per day, with detection-latency contours, as SVG')
    .option('--html <file>', 'write a self-contained HTML report (heatmaps, Pareto front, parameters, scenario)')
    .action(async (scenarioArg: string, flags: SweepFlags) => {
      checkDistinctPaths([['--svg', flags.svg], ['--html', flags.html]], [['the scenario file', scenarioFileOf(scenarioArg)]]);
      const { scenario, input } = loadScenario(scenarioArg, flags.set);
      const grid = gridFromFlags(flags);
      const result = await runSweep(scenario, input, grid, flags);
      if (flags.svg !== undefined) emit(renderSweepSvg(result, { metric: 'false-kills' }), flags.svg);
      if (flags.html !== undefined) emit(renderSweepHtml(result), flags.html);
      const out = flags.json === true ? `${JSON.stringify(sweepJson(result), null, 2)}\n` : flags.csv === true ? renderSweepCsv(result) : renderSweepTable(result);
      writeStdout(out);
    });
}

export function gridFromFlags(flags: GridFlags): Grid {
  return usage(() => {
    const grid: Grid = {
      side: flags.side,
      times: parseAxis({ flag: '--time', text: flags.time ?? DEFAULT_TIME_AXIS }),
      timeouts: parseAxis({ flag: '--timeout', text: flags.timeout ?? DEFAULT_TIMEOUT_AXIS }),
    };
    checkGridSize(grid, flags.force === true);
    return grid;
  });
}

/** Runs the grid (plus `extra` settings, returned separately) with a progress bar on a terminal. */
export async function runSweep(scenario: Scenario, input: unknown, grid: Grid, flags: GridFlags, extra: readonly KeepaliveSetting[] = []): Promise<SweepResult & { readonly extra: readonly CellFigures[] }> {
  const options: EvaluateOptions = { seed: flags.seed ?? scenario.seed, cycles: flags.cycles, detectReplicas: flags.detectReplicas };
  const settings = [...gridSettings(grid), ...extra];
  const progress = createProgress(process.stderr, `${scenario.name}`);
  let cells: readonly CellFigures[];
  const workers = workerCount(flags.workers, settings.length);
  try {
    cells = await withInterrupts(async (interrupts) => {
      try {
        return await runCells({ scenario, settings, options, evaluator: await loadEvaluator(), workers, onProgress: (d, t) => progress.update(d, t), signal: interrupts.signal });
      } catch (e) {
        if (e instanceof SweepInterrupted) {
          const signal = interrupts.received() ?? 'SIGINT';
          throw new InterruptedError(signal, `interrupted (${signal}) after ${e.done} of ${e.total} cells: nothing was written, and the cells done are lost`);
        }
        throw e;
      }
    });
  } catch (e) {
    throw cellErrorToUsage(e);
  } finally {
    progress.end();
  }
  const n = settings.length - extra.length;
  return { ...makeSweepResult({ scenario: scenario.name, scenarioInput: input, grid, options, cells: cells.slice(0, n) }), extra: cells.slice(n) };
}

/**
 * Worker threads for `cells` cells: as asked (default: one per available core), but never more
 * than the cores or the cells, which only costs memory and start-up (each worker loads kpsim).
 */
export function workerCount(asked: number | undefined, cells: number): number {
  const cores = availableParallelism();
  return Math.max(1, Math.min(asked ?? cores, cores, cells));
}

/**
 * The production evaluator; KPSIM_CELL_EVALUATOR (`/path/to/module.ts#exportName`) substitutes
 * another one with the same contract: the CLI tests use it to exercise the command itself on a
 * cheap stand-in.
 */
async function loadEvaluator(): Promise<SweepEvaluator> {
  const override = process.env['KPSIM_CELL_EVALUATOR'];
  if (override === undefined || override === '') return PRODUCTION_EVALUATOR;
  const [path = '', exportName = ''] = override.split('#');
  const module = pathToFileURL(path).href;
  const fn = ((await import(module)) as Record<string, unknown>)[exportName];
  if (typeof fn !== 'function') throw new UsageError(`KPSIM_CELL_EVALUATOR: ${module} has no function export ${JSON.stringify(exportName)}`);
  return { fn: fn as CellEvaluator, ref: { module, exportName } };
}

/** Errors a cell raises because of the user's input are usage errors (exit 2); anything else is a bug. */
const USER_ERRORS = new Set(['ScenarioError', 'VersionError', 'EventBudgetError', 'UsageError', 'SweepInputError']);

function cellErrorToUsage(e: unknown): unknown {
  if (e instanceof SweepCellError && USER_ERRORS.has(e.causeName)) return new UsageError(`${e.setting.side} Time ${formatDuration(e.setting.time)}, Timeout ${formatDuration(e.setting.timeout)}: ${e.causeMessage}`);
  return e;
}

/** Runs `f`, turning sweep input errors into usage errors (one line, exit 2). */
export function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SweepInputError) throw new UsageError(e.message);
    throw e;
  }
}

export function loadScenario(arg: string, sets: readonly string[]): { readonly scenario: Scenario; readonly input: unknown } {
  const { raw, source } = loadRawScenario(arg);
  const input = applyOverrides(raw, sets);
  return { scenario: parseScenario(input, source), input };
}

function positiveInt(flag: string): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 100_000_000) throw new UsageError(`${flag} ${JSON.stringify(text)}: expected a whole number from 1 to 100000000`);
    return Number(text);
  };
}
