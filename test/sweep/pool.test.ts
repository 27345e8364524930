import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { parseScenario } from '../../src/scenario/load.js';
import { gridSettings } from '../../src/sweep/grid.js';
import { runCells, SweepCellError } from '../../src/sweep/pool.js';
import { SECOND } from '../../src/time/units.js';
import { FAKE_EVALUATOR, THROWING_EVALUATOR } from './fake-evaluator.js';

const scenario = parseScenario(BUILTIN_SCENARIOS['seed-flaw'], 'builtin:seed-flaw');
const grid = { side: 'server' as const, times: [10, 20, 30, 40, 50].map((s) => s * SECOND), timeouts: [1, 2, 3, 5, 8, 13].map((s) => s * SECOND) };
const settings = gridSettings(grid);
const options = { seed: 7, cycles: 1000, detectReplicas: 10 };

describe('runCells', () => {
  it('gives byte-identical figures, in grid order, on 1, 2 and 3 worker threads', async () => {
    const progress: number[] = [];
    const one = await runCells({ scenario, settings, options, evaluator: FAKE_EVALUATOR, workers: 1 });
    const two = await runCells({ scenario, settings, options, evaluator: FAKE_EVALUATOR, workers: 2, onProgress: (d) => progress.push(d) });
    const three = await runCells({ scenario, settings, options, evaluator: FAKE_EVALUATOR, workers: 3 });
    expect(one.map((c) => c.setting)).toEqual(settings);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(JSON.stringify(three)).toBe(JSON.stringify(one));
    // Progress counts every cell once, in order, ending at the total.
    expect(progress).toEqual(settings.map((_, i) => i + 1));
  }, 60_000);

  it('rejects with the failing cell and the original error name, in thread and on workers', async () => {
    for (const workers of [1, 2]) {
      const err = await runCells({ scenario, settings, options, evaluator: THROWING_EVALUATOR, workers }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SweepCellError);
      const e = err as SweepCellError;
      expect(e.causeName).toBe('RangeError');
      expect(e.setting.timeout).toBe(2 * SECOND);
    }
  }, 60_000);
});
