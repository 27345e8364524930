import { Worker } from 'node:worker_threads';
import type { CellFigures, EvaluateOptions, KeepaliveSetting } from '../analysis/rates/types.js';
import type { Scenario } from '../scenario/schema.js';
import type { SweepEvaluator } from './cell-evaluator.js';
import type { CellTask, WorkerInit, WorkerMessage } from './worker-protocol.js';

/**
 * Runs the cells of a sweep, in this thread (`workers: 1`) or on worker threads, and returns the
 * figures in the order of `settings`. Cells are handed to whichever worker is free, so the
 * schedule varies; the figures do not, because the evaluator is a pure function of the scenario,
 * the setting and the options (each cell's seeds derive from `options.seed` and the setting).
 */
export type RunCellsOptions = {
  readonly scenario: Scenario;
  readonly settings: readonly KeepaliveSetting[];
  readonly options: EvaluateOptions;
  readonly evaluator: SweepEvaluator;
  /** Worker threads; 1 runs every cell in the calling thread. @default 1 */
  readonly workers?: number;
  /** Called after each cell completes, with how many have. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops the sweep: workers are terminated and runCells rejects with SweepInterrupted. */
  readonly signal?: AbortSignal;
};

/** The sweep was stopped through its signal after `done` of `total` cells. */
export class SweepInterrupted extends Error {
  override readonly name = 'SweepInterrupted';
  constructor(
    readonly done: number,
    readonly total: number,
  ) {
    super(`sweep stopped after ${done} of ${total} cells`);
  }
}

/** A cell's evaluation threw. Keeps the original error's name so callers can classify it. */
export class SweepCellError extends Error {
  override readonly name = 'SweepCellError';
  constructor(
    readonly setting: KeepaliveSetting,
    readonly causeName: string,
    readonly causeMessage: string,
  ) {
    super(causeMessage);
  }
}

/** URL of the worker entry (plain JS: it registers tsx, then loads ./cell-worker.ts). */
const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

export async function runCells(o: RunCellsOptions): Promise<readonly CellFigures[]> {
  const workers = Math.max(1, Math.min(o.workers ?? 1, o.settings.length));
  return workers === 1 ? runInThread(o) : runOnWorkers(o, workers);
}

async function runInThread(o: RunCellsOptions): Promise<readonly CellFigures[]> {
  const out: CellFigures[] = [];
  for (const setting of o.settings) {
    if (o.signal?.aborted === true) throw new SweepInterrupted(out.length, o.settings.length);
    try {
      out.push(o.evaluator.fn(o.scenario, setting, o.options));
    } catch (e) {
      throw new SweepCellError(setting, e instanceof Error ? e.name : 'Error', e instanceof Error ? e.message : String(e));
    }
    o.onProgress?.(out.length, o.settings.length);
    // Let the event loop breathe (signals, a progress redraw) between cells.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (o.signal?.aborted === true) throw new SweepInterrupted(out.length, o.settings.length);
  return out;
}

function runOnWorkers(o: RunCellsOptions, count: number): Promise<readonly CellFigures[]> {
  const total = o.settings.length;
  const results: (CellFigures | undefined)[] = new Array<CellFigures | undefined>(total);
  const init: WorkerInit = { ref: o.evaluator.ref, scenario: o.scenario, options: o.options };
  return new Promise((resolve, reject) => {
    const pool: Worker[] = [];
    let next = 0;
    let done = 0;
    let settled = false;
    const finish = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener('abort', onAbort);
      for (const w of pool) void w.terminate();
      if (error !== undefined) reject(error);
      else resolve(results as CellFigures[]);
    };
    const onAbort = (): void => finish(new SweepInterrupted(done, total));
    if (o.signal?.aborted === true) {
      onAbort();
      return;
    }
    o.signal?.addEventListener('abort', onAbort);
    const feed = (w: Worker): void => {
      if (next >= total) return;
      const index = next++;
      const task: CellTask = { index, setting: o.settings[index] as KeepaliveSetting };
      w.postMessage(task);
    };
    for (let k = 0; k < count; k++) {
      // execArgv: [] so that a parent running under tsx's CLI does not load its loader twice.
      const w = new Worker(BOOTSTRAP, { workerData: init, execArgv: [] });
      pool.push(w);
      w.on('message', (m: WorkerMessage) => {
        switch (m.type) {
          case 'ready':
            feed(w);
            return;
          case 'done':
            results[m.index] = m.figures;
            done++;
            o.onProgress?.(done, total);
            if (done === total) finish(undefined);
            else feed(w);
            return;
          case 'failed':
            finish(new SweepCellError(o.settings[m.index] as KeepaliveSetting, m.errorName, m.message));
            return;
        }
      });
      w.on('error', (e) => finish(e instanceof Error ? e : new Error(String(e))));
      w.on('exit', (code) => {
        if (!settled) finish(new Error(`a sweep worker exited early (code ${code})`));
      });
    }
  });
}
