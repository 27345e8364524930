import fc from 'fast-check';
import type { FuzzTarget } from './target.js';

/**
 * One target's fuzz campaign: its property run in chunks of `chunkRuns` inputs, each chunk one
 * `fc.check` with its own seed, and a turn of the event loop between chunks. A synchronous
 * `fc.check` never lets the loop turn, so anything the code under test leaves to `nextTick`,
 * `setImmediate` or a FinalizationRegistry would pile up for the whole campaign (hpack.js's
 * streams did, ~2 KB an input); the turn bounds that to one chunk, whatever the campaign's length.
 *
 * Chunks have a fixed size, so the inputs depend on the seed only, never on timing: input n is
 * input n % chunkRuns of chunk ⌊n / chunkRuns⌋, whose seed is chunkSeed(seed, chunk), and its
 * run id (fast-check's bias schedule) is n, as in one unbroken run.
 */

export type CampaignConstraints = {
  /** fast-check seed of chunk 0; later chunks derive theirs from it (chunkSeed). */
  readonly seed: number;
  /** Wall-clock budget in milliseconds. */
  readonly budgetMs: number;
  /** Inputs per chunk, between two turns of the event loop. @default 1000 */
  readonly chunkRuns?: number;
  /** Called about every `progressEveryMs` with the campaign so far. */
  readonly onProgress?: (p: CampaignProgress) => void;
  /** @default 10000 */
  readonly progressEveryMs?: number;
  /** Milliseconds on some monotonic clock. @default performance.now */
  readonly now?: () => number;
  /** The process's memory now. @default process.memoryUsage */
  readonly memory?: () => MemorySample;
};

export type MemorySample = { readonly rss: number; readonly heapUsed: number };

export type CampaignProgress = {
  readonly inputs: number;
  readonly elapsedMs: number;
  readonly memory: MemorySample;
};

export type CampaignFailure = {
  /** 0-based number of the failing input in the campaign. */
  readonly input: number;
  readonly chunk: number;
  /** What replays it: `fc.check(chunkProperty(target, offset), { seed, path })`. */
  readonly seed: number;
  readonly offset: number;
  readonly path: string;
  readonly counterexample: unknown;
  readonly error: unknown;
};

export type CampaignResult = {
  readonly target: string;
  readonly inputs: number;
  readonly elapsedMs: number;
  /** Memory of the whole process, sampled about every 100 ms: at the start, the highest, at the end. */
  readonly rss: { readonly start: number; readonly peak: number; readonly end: number };
  readonly heapUsed: { readonly start: number; readonly peak: number; readonly end: number };
  /** The input whose property run took longest (generation excluded), its 0-based number and time. */
  readonly slowest: { readonly input: number; readonly ms: number; readonly value: unknown } | undefined;
  readonly failure: CampaignFailure | undefined;
};

const SAMPLE_EVERY_MS = 100;

/** Seed of chunk k: the campaign seed for chunk 0, then a murmur3-finalizer hash of (seed, k). */
export function chunkSeed(seed: number, chunk: number): number {
  if (chunk === 0) return seed;
  let z = (seed ^ Math.imul(chunk, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) & 0x7fffffff;
}

/**
 * The target's property with run ids shifted by `offset` (chunk k's first input is input
 * `offset`, and fast-check biases by run id), calling `observe` after each run with the input,
 * how long the run took (generation excluded) and whether it failed.
 */
export function chunkProperty<T>(
  t: FuzzTarget<T>,
  offset: number,
  observe: (value: [T], ms: number, failed: boolean) => void = () => undefined,
  now: () => number = () => performance.now(),
): fc.IRawProperty<[T], false> {
  return shifted(syncProperty(t), offset, observe, now);
}

function syncProperty<T>(t: FuzzTarget<T>): fc.IRawProperty<[T], false> {
  const p = t.property(() => undefined) as fc.IRawProperty<[T], boolean>;
  if (p.isAsync()) throw new Error(`fuzz target ${t.name}: async properties are not supported`);
  return p as fc.IRawProperty<[T], false>;
}

function shifted<T>(inner: fc.IRawProperty<[T], false>, offset: number, observe: (value: [T], ms: number, failed: boolean) => void, now: () => number): fc.IRawProperty<[T], false> {
  return {
    isAsync: () => false,
    generate: (mrng, runId) => inner.generate(mrng, runId === undefined ? undefined : offset + runId),
    shrink: (value) => inner.shrink(value),
    run: (value) => {
      const started = now();
      const out = inner.run(value);
      observe(value, now() - started, out !== null && !fc.PreconditionFailure.isFailure(out));
      return out;
    },
    runBeforeEach: () => inner.runBeforeEach(),
    runAfterEach: () => inner.runAfterEach(),
  };
}

const turnEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `t` until `budgetMs` is spent or an input fails (then fast-check shrinks it; those runs are
 * not counted). Memory is sampled about every 100 ms and after every chunk.
 */
export async function runCampaign<T>(t: FuzzTarget<T>, c: CampaignConstraints): Promise<CampaignResult> {
  const now = c.now ?? (() => performance.now());
  const memory = c.memory ?? (() => process.memoryUsage());
  const chunkRuns = c.chunkRuns ?? 1000;
  const progressEveryMs = c.progressEveryMs ?? 10_000;
  const started = now();
  const first = memory();
  const rss = { start: first.rss, peak: first.rss, end: first.rss };
  const heapUsed = { start: first.heapUsed, peak: first.heapUsed, end: first.heapUsed };
  const sample = (): MemorySample => {
    const m = memory();
    rss.peak = Math.max(rss.peak, m.rss);
    heapUsed.peak = Math.max(heapUsed.peak, m.heapUsed);
    rss.end = m.rss;
    heapUsed.end = m.heapUsed;
    return m;
  };
  let inputs = 0;
  let lastSample = started;
  let lastProgress = started;
  let slowest: CampaignResult['slowest'];
  // After the first failing run fast-check shrinks: those runs are not campaign inputs.
  let failedAt: number | undefined;
  const observe = (value: [T], ms: number, failed: boolean): void => {
    if (failedAt !== undefined) return;
    if (failed) failedAt = inputs;
    if (slowest === undefined || ms > slowest.ms) slowest = { input: inputs, ms, value: value[0] };
    inputs++;
    const at = now();
    if (at - lastSample < SAMPLE_EVERY_MS) return;
    lastSample = at;
    const m = sample();
    if (c.onProgress !== undefined && at - lastProgress >= progressEveryMs) {
      lastProgress = at;
      c.onProgress({ inputs, elapsedMs: at - started, memory: m });
    }
  };
  const inner = syncProperty(t);
  let failure: CampaignFailure | undefined;
  for (let chunk = 0; failure === undefined; chunk++) {
    const left = c.budgetMs - (now() - started);
    if (left <= 0) break;
    const offset = chunk * chunkRuns;
    const seed = chunkSeed(c.seed, chunk);
    const details = fc.check(shifted(inner, offset, observe, now), { seed, numRuns: chunkRuns, interruptAfterTimeLimit: Math.ceil(left), markInterruptAsFailure: false });
    if (details.failed && details.counterexample !== null) {
      failure = { input: failedAt ?? inputs, chunk, seed, offset, path: details.counterexamplePath ?? '', counterexample: details.counterexample[0], error: details.errorInstance };
    } else if (details.interrupted) {
      break;
    }
    sample();
    await turnEventLoop();
  }
  sample();
  return { target: t.name, inputs, elapsedMs: now() - started, rss, heapUsed, slowest, failure };
}
