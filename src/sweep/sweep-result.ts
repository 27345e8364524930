import type { CellFigures, EvaluateOptions } from '../analysis/rates/types.js';
import type { Grid } from './grid.js';
import { paretoFront } from './pareto.js';

/** A completed sweep: the grid, the budget it ran with, and one `CellFigures` per cell in grid order. */
export type SweepResult = {
  readonly scenario: string;
  /** The scenario as given (file form, after --set), shown in the HTML report. */
  readonly scenarioInput: unknown;
  readonly grid: Grid;
  readonly options: EvaluateOptions;
  readonly cells: readonly CellFigures[];
  /** Indexes of the cells on the Pareto front of `sweepObjectives`, ascending. */
  readonly front: readonly number[];
};

/**
 * What a sweep minimises: false kills per connection-day, detection p99 (ms), and PINGs per hour
 * (both directions). A detection that never happened within the horizon counts as infinitely slow.
 */
export function sweepObjectives(c: CellFigures): readonly [number, number, number] {
  return [c.falseKills.perDay, detectionP99(c), totalPingsPerHour(c)];
}

export function detectionP99(c: CellFigures): number {
  return c.detection.undetected > 0 && c.detection.undetected * 100 > c.detection.replicas ? Number.POSITIVE_INFINITY : c.detection.p99Ms;
}

export function totalPingsPerHour(c: CellFigures): number {
  return c.cost.pingsPerHour.serverToClient + c.cost.pingsPerHour.clientToServer;
}

export function totalBytesPerHour(c: CellFigures): number {
  return c.cost.bytesPerHour.serverToClient + c.cost.bytesPerHour.clientToServer;
}

export function makeSweepResult(fields: Omit<SweepResult, 'front'>): SweepResult {
  return { ...fields, front: paretoFront(fields.cells, sweepObjectives) };
}
