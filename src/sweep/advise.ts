import type { CellFigures } from '../analysis/rates/types.js';
import type { Scenario } from '../scenario/schema.js';
import { companionSettings, type CompanionSettings } from './companion-settings.js';
import { paretoFront } from './pareto.js';
import type { FalseKillLimit } from './rate-limit.js';
import { detectionP99, sweepObjectives, totalPingsPerHour, type SweepResult } from './sweep-result.js';

/**
 * `kpsim advise`: from a completed sweep, the settings that meet the limits, their Pareto front,
 * and one recommendation.
 *
 * - A setting meets the false-kill limit when its estimate is within it; it is *confirmed* when
 *   the whole 95% interval is (a Monte Carlo run that saw no kill confirms a limit only if it
 *   simulated enough connection-days).
 * - It meets `maxDetectMs` when its detection p99 is within it.
 * - A setting with no exposure at all (every replica closed during the warm-up) has no estimate
 *   and meets nothing: its "0 per day" is an absence of evidence, and its connections did close.
 * - The recommendation comes from the confirmed settings if there are any, otherwise from those
 *   that meet the limits on their estimate (and says how many cycles would confirm it). Among
 *   them: the fastest detection p99; ties go to fewer PINGs/hour, then fewer false kills, then
 *   the earlier grid position. It lies on the Pareto front of the settings it was chosen from.
 */
export type AdviseConstraints = {
  readonly maxFalseKills: FalseKillLimit;
  /** Detection p99 limit in milliseconds. */
  readonly maxDetectMs?: number | undefined;
  /** Connections in the fleet, for the fleet view. */
  readonly fleet?: number | undefined;
};

export type Advice = {
  readonly sweep: SweepResult;
  readonly constraints: AdviseConstraints;
  /** Cells meeting every limit on their estimates (indexes into `sweep.cells`). */
  readonly feasible: readonly number[];
  /** The subset of `feasible` whose false-kill interval lies within the limit. */
  readonly confirmed: readonly number[];
  /** The Pareto front of the set the recommendation is chosen from (confirmed, else feasible). */
  readonly feasibleFront: readonly number[];
  /** Index of the recommended cell; undefined when nothing meets the limits. */
  readonly recommended: number | undefined;
  /** For a recommendation not confirmed: about how many cycles per setting would narrow its interval to the limit. */
  readonly cyclesToConfirm: number | undefined;
  /** When nothing meets the limits: the cell that comes closest (lowest false kills among those meeting the detection limit, if any do). */
  readonly closest: number | undefined;
  readonly companions: CompanionSettings | undefined;
  /** The scenario's own setting, evaluated with the same budget; undefined when it has none (client keepalive off). */
  readonly current: CellFigures | undefined;
};

export function advise(sweep: SweepResult, scenario: Scenario, constraints: AdviseConstraints, current: CellFigures | undefined): Advice {
  const cells = sweep.cells;
  const limit = constraints.maxFalseKills.perConnectionDay;
  const detectOk = (c: CellFigures): boolean => constraints.maxDetectMs === undefined || detectionP99(c) <= constraints.maxDetectMs;
  const indexes = cells.map((_, i) => i);
  const measured = (c: CellFigures): boolean => c.falseKills.exposureDays > 0;
  const feasible = indexes.filter((i) => measured(cells[i] as CellFigures) && detectOk(cells[i] as CellFigures) && (cells[i] as CellFigures).falseKills.perDay <= limit);
  const confirmed = feasible.filter((i) => (cells[i] as CellFigures).falseKills.ci95[1] <= limit);
  const from = confirmed.length > 0 ? confirmed : feasible;
  const feasibleFront = paretoFront(
    from.map((i) => cells[i] as CellFigures),
    sweepObjectives,
  ).map((k) => from[k] as number);
  const recommended = best(feasibleFront, cells, (c) => [detectionP99(c), totalPingsPerHour(c), c.falseKills.perDay]);
  const rec = recommended === undefined ? undefined : cells[recommended];
  let closest: number | undefined;
  if (recommended === undefined) {
    const pool = indexes.filter((i) => detectOk(cells[i] as CellFigures));
    closest = best(pool.length > 0 ? pool : indexes, cells, (c) => [c.falseKills.perDay, c.falseKills.ci95[1], detectionP99(c), totalPingsPerHour(c)]);
  }
  return {
    sweep,
    constraints,
    feasible,
    confirmed,
    feasibleFront,
    recommended,
    cyclesToConfirm: rec === undefined || rec.falseKills.ci95[1] <= limit ? undefined : cyclesToConfirm(rec, sweep.options.cycles, limit),
    closest,
    companions: rec === undefined ? undefined : companionSettings(scenario, rec.setting),
    current,
  };
}

/**
 * Cycles per setting that would bring the interval's upper end down to `limit`, assuming the
 * estimate stays where it is: the interval's excess over the estimate shrinks like one over the
 * square root of the exposure when kills were seen, and like one over the exposure when none
 * were (3.7 / exposure). Rounded up to two significant digits. An estimate, said as one.
 */
function cyclesToConfirm(c: CellFigures, cycles: number, limit: number): number {
  const fk = c.falseKills;
  const excess = fk.ci95[1] - fk.perDay;
  const room = limit - fk.perDay;
  const factor = room <= 0 ? Number.POSITIVE_INFINITY : fk.kills === 0 ? excess / room : (excess / room) ** 2;
  const n = cycles * factor;
  if (!Number.isFinite(n)) return Number.POSITIVE_INFINITY;
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.ceil(n / unit) * unit;
}

/** Fleet view: expected false kills per hour across `fleet` connections. */
export function fleetKillsPerHour(c: CellFigures, fleet: number): number {
  return (c.falseKills.perDay * fleet) / 24;
}

/** The index whose key is lexicographically smallest (earliest index on ties). */
function best(candidates: readonly number[], cells: readonly CellFigures[], key: (c: CellFigures) => readonly number[]): number | undefined {
  let out: number | undefined;
  let outKey: readonly number[] = [];
  for (const i of candidates) {
    const k = key(cells[i] as CellFigures);
    if (out === undefined || lexLess(k, outKey)) {
      out = i;
      outKey = k;
    }
  }
  return out;
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let k = 0; k < a.length; k++) {
    if ((a[k] as number) < (b[k] as number)) return true;
    if ((a[k] as number) > (b[k] as number)) return false;
  }
  return false;
}
