import type { Command } from 'commander';
import { adviseJson } from '../report/advise-json.js';
import { renderAdviseText } from '../report/advise-text.js';
import { advise } from '../sweep/advise.js';
import { currentSetting } from '../sweep/current-setting.js';
import { parseFalseKillLimit } from '../sweep/rate-limit.js';
import { parsePositiveDuration } from './cli-files.js';
import { addGridOptions, gridFromFlags, loadScenario, runSweep, usage, type GridFlags } from './sweep-command.js';
import { UsageError } from './usage-error.js';
import { writeStdout } from './output.js';

/**
 * `kpsim advise <scenario> --max-false-kills 1/day [--fleet N] [--max-detect 2m] [grid, budget]
 *  [--json]`: sweeps a grid, keeps the settings within the limits, and recommends one with the
 * client and enforcement settings that go with it, beside the scenario's current setting.
 */
type AdviseFlags = GridFlags & { readonly maxFalseKills: string; readonly fleet?: number; readonly maxDetect?: number; readonly json?: true };

export function registerAdviseCommand(program: Command): void {
  addGridOptions(program.command('advise').description('recommend keepalive settings within a false-kill budget (and a detection limit), with the client and policy settings to match'))
    .requiredOption('--max-false-kills <rate>', 'false kills allowed: per connection (1/day, 0.5/hour) or for the fleet with --fleet (10/hour/fleet)')
    .option('--fleet <n>', 'connections in the fleet: adds the fleet view (false kills per hour across N connections)', fleetSize)
    .option('--max-detect <duration>', 'detection p99 limit for a dead peer, e.g. 2m', maxDetect)
    .option('--json', 'print the advice as JSON')
    .action(async (scenarioArg: string, flags: AdviseFlags) => {
      const limit = usage(() => parseFalseKillLimit(flags.maxFalseKills, flags.fleet));
      const { scenario, input } = loadScenario(scenarioArg, flags.set);
      const grid = gridFromFlags(flags);
      const now = currentSetting(scenario, grid.side);
      const result = await runSweep(scenario, input, grid, flags, now === undefined ? [] : [now]);
      const advice = advise(result, scenario, { maxFalseKills: limit, maxDetectMs: flags.maxDetect, fleet: flags.fleet }, result.extra[0]);
      writeStdout(flags.json === true ? `${JSON.stringify(adviseJson(advice), null, 2)}\n` : renderAdviseText(advice));
    });
}

function fleetSize(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) throw new UsageError(`--fleet ${JSON.stringify(text)}: expected a whole number of connections, at least 1`);
  return Number(text);
}

function maxDetect(text: string): number {
  try {
    return parsePositiveDuration(text) / 1e6;
  } catch (e) {
    throw new UsageError(`--max-detect ${JSON.stringify(text)}: expected a Go duration such as 2m: ${e instanceof Error ? e.message : String(e)}`);
  }
}
