import { evaluateCell } from '../analysis/rates/index.js';
import type { SweepEvaluator } from './cell-evaluator.js';

/**
 * The evaluator `kpsim sweep` and `kpsim advise` use: `evaluateCell` from src/analysis/rates,
 * called directly in this thread and imported by worker threads from the same module.
 */
export const PRODUCTION_EVALUATOR: SweepEvaluator = {
  fn: evaluateCell,
  ref: { module: new URL('../analysis/rates/index.ts', import.meta.url).href, exportName: 'evaluateCell' },
};
