import type { KeepaliveSetting, SweepSide } from '../analysis/rates/types.js';
import type { Nanos } from '../time/units.js';
import { SweepInputError } from './sweep-error.js';

/**
 * A sweep's grid: every (Time, Timeout) pair of two axes, for one side. Cells are numbered in
 * grid order, Time-major: cell `i * timeouts.length + j` is (times[i], timeouts[j]). Results are
 * always reported in this order, whichever worker computed them.
 */
export type Grid = {
  readonly side: SweepSide;
  /** Ascending. */
  readonly times: readonly Nanos[];
  /** Ascending. */
  readonly timeouts: readonly Nanos[];
};

/** Largest grid run without `--force`. */
export const MAX_CELLS_WITHOUT_FORCE = 10_000;

export function gridSize(grid: Grid): number {
  return grid.times.length * grid.timeouts.length;
}

export function gridSettings(grid: Grid): readonly KeepaliveSetting[] {
  const out: KeepaliveSetting[] = [];
  for (const time of grid.times) for (const timeout of grid.timeouts) out.push({ side: grid.side, time, timeout });
  return out;
}

/** Row (Time index) and column (Timeout index) of cell `index`. */
export function cellPosition(grid: Grid, index: number): { readonly row: number; readonly col: number } {
  const cols = grid.timeouts.length;
  return { row: Math.floor(index / cols), col: index % cols };
}

/** Throws when the grid exceeds `MAX_CELLS_WITHOUT_FORCE` cells and `force` is not set. */
export function checkGridSize(grid: Grid, force: boolean): void {
  const n = gridSize(grid);
  if (n > MAX_CELLS_WITHOUT_FORCE && !force) {
    throw new SweepInputError(
      '--force',
      `the grid has ${n} cells (${grid.times.length} Time x ${grid.timeouts.length} Timeout), more than ${MAX_CELLS_WITHOUT_FORCE}: use fewer steps, or --force`,
    );
  }
}
