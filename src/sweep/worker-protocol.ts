import type { CellFigures, EvaluateOptions, KeepaliveSetting } from '../analysis/rates/types.js';
import type { Scenario } from '../scenario/schema.js';
import type { EvaluatorRef } from './cell-evaluator.js';

/** Messages between the pool (src/sweep/pool.ts) and a cell worker (src/sweep/cell-worker.ts). */

/** Sent once, as the worker's `workerData`. */
export type WorkerInit = { readonly ref: EvaluatorRef; readonly scenario: Scenario; readonly options: EvaluateOptions };

/** Pool to worker: evaluate one cell. */
export type CellTask = { readonly index: number; readonly setting: KeepaliveSetting };

/** Worker to pool: the worker has loaded the evaluator and waits for tasks. */
export type WorkerReady = { readonly type: 'ready' };
export type CellDone = { readonly type: 'done'; readonly index: number; readonly figures: CellFigures };
export type CellFailed = { readonly type: 'failed'; readonly index: number; readonly errorName: string; readonly message: string };
export type WorkerMessage = WorkerReady | CellDone | CellFailed;
