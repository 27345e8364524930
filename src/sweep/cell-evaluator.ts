import type { CellFigures, EvaluateOptions, KeepaliveSetting } from '../analysis/rates/types.js';
import type { Scenario } from '../scenario/schema.js';

/**
 * What a sweep runs for each cell: the figures of one keepalive setting on one scenario. Must be a
 * pure function of its arguments (seeded runs only), so that any number of workers, in any
 * scheduling, gives the same figures. The production one is `evaluateCell` in
 * src/analysis/rates/index.ts; tests pass their own.
 */
export type CellEvaluator = (scenario: Scenario, setting: KeepaliveSetting, options: EvaluateOptions) => CellFigures;

/**
 * Where a worker thread finds the evaluator: an ES module (absolute `file:` URL) and the name of
 * the export. Workers cannot receive functions, so they import it themselves.
 */
export type EvaluatorRef = { readonly module: string; readonly exportName: string };

/** An evaluator both as a function (for in-thread runs) and as a reference (for workers). */
export type SweepEvaluator = { readonly fn: CellEvaluator; readonly ref: EvaluatorRef };
