import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** KPSIM_CELL_EVALUATOR value selecting the stand-in evaluator of fake-evaluator.ts. */
export const FAKE_EVALUATOR_ENV = `${join(process.cwd(), 'test', 'sweep', 'fake-evaluator.ts')}#fakeEvaluateCell`;

/** Runs the describe block's spawns with KPSIM_CELL_EVALUATOR set to `value` (undefined: unset). */
export function evaluatorEnv(value: string | undefined): void {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env['KPSIM_CELL_EVALUATOR'];
    if (value === undefined) delete process.env['KPSIM_CELL_EVALUATOR'];
    else process.env['KPSIM_CELL_EVALUATOR'] = value;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env['KPSIM_CELL_EVALUATOR'];
    else process.env['KPSIM_CELL_EVALUATOR'] = saved;
  });
}

