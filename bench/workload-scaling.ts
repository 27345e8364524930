/**
 * How a run grows with its workload: each case at size n and 2n in the same process, trace off.
 * The figure is time(2n) / time(n): about 2 for linear work, about 4 for quadratic. Beside it,
 * the events each run took (deterministic: their ratio is the model's own growth, the rest is
 * the simulator's) and, for the stream whose messages all stay queued, the live heap per queued
 * message.
 *
 *   stream_1ns:  seed-flaw's connection, one stream, a 10-byte client message every 1 ns, for n ns.
 *                Nothing is acknowledged within 10 ms, so every message stays queued in the
 *                client (the application outruns the link: the case of the issue).
 *   stream_10ns: the same every 10 ns for n µs: past 20 ms ACKs come back and the window opens,
 *                but the queue still grows (the socket's write queue is drained from its head).
 *   stream_1us:  the same every 1 µs for n µs: the link keeps up, ACKs and windows move.
 *   stream_1us_lossy: stream_1us with 1% random loss each way (recovery, SACK, retransmission).
 *   unary_1ns:   n unary calls 1 ns apart from 1 s (each its own stream, request and response).
 *
 * `root` times another source tree instead of this one (a checkout of an older commit, with
 * node_modules resolvable from it). Wall-clock reads are allowed here (bench/ is outside src/).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';

export const WORKLOAD_SCALING_CASES = ['stream_1ns', 'stream_10ns', 'stream_1us', 'stream_1us_lossy', 'unary_1ns'] as const;
export type WorkloadScalingCase = (typeof WORKLOAD_SCALING_CASES)[number];

export type WorkloadScalingOptions = {
  /** Timed repetitions per size, after one warm-up at a tenth of n; medians are reported. @default 3 */
  readonly reps?: number;
  /** Source tree to time. @default this checkout */
  readonly root?: string;
  /** @default all of WORKLOAD_SCALING_CASES */
  readonly cases?: readonly WorkloadScalingCase[];
  /** n per case (the larger run is 2n). @default DEFAULT_SIZES */
  readonly sizes?: Partial<Readonly<Record<WorkloadScalingCase, number>>>;
};

/**
 * n per case: a few seconds at most at n on this tree (stream_10ns and stream_1us past their
 * first round trips and slow start, where the events per message still grow; unary_1ns the
 * issue's 20,000 and 40,000 calls).
 */
export const DEFAULT_SIZES: Readonly<Record<WorkloadScalingCase, number>> = { stream_1ns: 1_000_000, stream_10ns: 30_000, stream_1us: 500_000, stream_1us_lossy: 500_000, unary_1ns: 20_000 };

export type WorkloadScalingEntry = {
  readonly name: string;
  /** Median wall ms at 2n divided by those at n. */
  readonly value: number;
  readonly unit: 'x';
  readonly note: string;
  readonly case: WorkloadScalingCase;
  readonly sizes: readonly [number, number];
  readonly wallMs: readonly [number, number];
  readonly cpuSeconds: readonly [number, number];
  /** Events taken at n and 2n, and their ratio. */
  readonly events: readonly [number, number];
  readonly eventsRatio: number;
  readonly reps: number;
  /** stream_1ns only: live heap (after a forced GC) per message still queued, from the runs at n and 2n. */
  readonly bytesPerQueuedMessage?: number;
};

type Scenario = unknown;
type Run = { advance(max: number): boolean; events(): number; finish(): { outcome: { events: number; framesSent: { client: Record<string, number> } } } };
type Tree = { parse: (raw: unknown) => Scenario; start: (sc: Scenario) => Run; seedFlaw: Record<string, unknown> };

/** The scenario input of a case at size `n`. */
export function workloadScalingInput(seedFlaw: Readonly<Record<string, unknown>>, c: WorkloadScalingCase, n: number): Record<string, unknown> {
  const base = { ...seedFlaw, name: `scaling-${c}-${n}`, faults: [] };
  switch (c) {
    case 'stream_1ns':
      return { ...base, horizon: `${n}ns`, workload: [{ type: 'stream', at: '0s', client: { every: '1ns', size: 10 } }] };
    case 'stream_10ns':
      return { ...base, horizon: `${n}us`, workload: [{ type: 'stream', at: '0s', client: { every: '10ns', size: 10 } }] };
    case 'stream_1us':
      return { ...base, horizon: `${n}us`, workload: [{ type: 'stream', at: '0s', client: { every: '1us', size: 10 } }] };
    case 'stream_1us_lossy': {
      const dir = { delay: '10ms', loss: { model: 'bernoulli', p: 0.01 } };
      return { ...base, horizon: `${n}us`, network: { clientToServer: dir, serverToClient: dir }, workload: [{ type: 'stream', at: '0s', client: { every: '1us', size: 10 } }] };
    }
    case 'unary_1ns':
      return { ...base, workload: [{ type: 'unary', at: '1s', every: '1ns', count: n }] };
  }
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function loadTree(root: string): Promise<Tree> {
  const url = (p: string): string => pathToFileURL(join(root, p)).href;
  const { startRun } = (await import(url('src/sim/world.ts'))) as { startRun: (sc: Scenario, o: { trace: boolean }) => Run };
  const { parseScenario } = (await import(url('src/scenario/load.ts'))) as { parseScenario: (raw: unknown, source: string) => Scenario };
  const { BUILTIN_SCENARIOS } = (await import(url('src/scenario/builtins.ts'))) as { BUILTIN_SCENARIOS: Record<string, Record<string, unknown>> };
  return { parse: (raw) => parseScenario(raw, 'bench'), start: (sc) => startRun(sc, { trace: false }), seedFlaw: BUILTIN_SCENARIOS['seed-flaw'] as Record<string, unknown> };
}

function timeRun(tree: Tree, sc: Scenario, reps: number): { ms: number; cpu: number; events: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  let events = 0;
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const run = tree.start(sc);
    run.advance(Number.POSITIVE_INFINITY);
    events = run.finish().outcome.events;
    const c = process.cpuUsage(c0);
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { ms: median(wall), cpu: median(cpu), events };
}

/** Live heap with a run's state held (its queues full), after a forced GC, and the messages it wrote. */
function liveHeapOf(tree: Tree, sc: Scenario, gc: () => void): { bytes: number; messages: number } {
  gc();
  const base = getHeapStatistics().used_heap_size;
  const run = tree.start(sc);
  run.advance(Number.POSITIVE_INFINITY);
  gc();
  const bytes = getHeapStatistics().used_heap_size - base;
  // `run` is live up to here: its world, sockets and queues were counted.
  const messages = run.finish().outcome.framesSent.client['DATA'] ?? 0;
  return { bytes, messages };
}

export async function benchWorkloadScaling(options: WorkloadScalingOptions = {}): Promise<WorkloadScalingEntry[]> {
  const reps = options.reps ?? 3;
  const root = resolve(options.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const tree = await loadTree(root);
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const out: WorkloadScalingEntry[] = [];
  for (const c of options.cases ?? WORKLOAD_SCALING_CASES) {
    const n = options.sizes?.[c] ?? DEFAULT_SIZES[c];
    const sc = (k: number): Scenario => tree.parse(workloadScalingInput(tree.seedFlaw, c, k));
    timeRun(tree, sc(Math.max(1, Math.round(n / 10))), 1); // warm-up
    const a = timeRun(tree, sc(n), reps);
    const b = timeRun(tree, sc(2 * n), reps);
    let perMessage: number | undefined;
    if (c === 'stream_1ns') {
      const ha = liveHeapOf(tree, sc(n), gc);
      const hb = liveHeapOf(tree, sc(2 * n), gc);
      perMessage = Math.round((hb.bytes - ha.bytes) / (hb.messages - ha.messages));
    }
    out.push({
      name: `workload_doubling_${c}`,
      value: Number((b.ms / a.ms).toFixed(2)),
      unit: 'x',
      note: 'wall time of the run at 2n divided by n (trace off): about 2 is linear, 4 quadratic; eventsRatio is the model\'s own growth',
      case: c,
      sizes: [n, 2 * n],
      wallMs: [Math.round(a.ms), Math.round(b.ms)],
      cpuSeconds: [Number(a.cpu.toFixed(3)), Number(b.cpu.toFixed(3))],
      events: [a.events, b.events],
      eventsRatio: Number((b.events / a.events).toFixed(3)),
      reps,
      ...(perMessage === undefined ? {} : { bytesPerQueuedMessage: perMessage }),
    });
  }
  return out;
}
