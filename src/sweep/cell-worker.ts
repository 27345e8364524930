import { parentPort, workerData } from 'node:worker_threads';
import type { CellEvaluator } from './cell-evaluator.js';
import type { CellTask, WorkerInit, WorkerMessage } from './worker-protocol.js';

/**
 * Entry point of a sweep worker thread (loaded through ./worker-bootstrap.mjs, which registers
 * tsx first). Imports the evaluator named in `workerData`, then answers one task at a time.
 */
const init = workerData as WorkerInit;
const port = parentPort;
if (port === null) throw new Error('cell-worker.ts must run in a worker thread');

const mod = (await import(init.ref.module)) as Record<string, unknown>;
const fn = mod[init.ref.exportName];
if (typeof fn !== 'function') throw new Error(`${init.ref.module} has no function export ${JSON.stringify(init.ref.exportName)}`);
const evaluate = fn as CellEvaluator;

const post = (m: WorkerMessage): void => port.postMessage(m);
port.on('message', (task: CellTask) => {
  try {
    post({ type: 'done', index: task.index, figures: evaluate(init.scenario, task.setting, init.options) });
  } catch (e) {
    post({ type: 'failed', index: task.index, errorName: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) });
  }
});
post({ type: 'ready' });
