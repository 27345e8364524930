/**
 * Benchmarks: one JSON object per line, {name, value, unit, ...}. Wall-clock reads are allowed
 * here (bench/ is outside src/). Medians of several repetitions; the machine is shared and noisy,
 * so each entry also gives the median CPU time of the process (user + system, which includes V8's
 * parallel GC threads), less disturbed by other work on the machine than wall time.
 */
import { runInNewContext } from 'node:vm';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { parseScenario } from '../src/scenario/load.js';
import type { PacketRecord } from '../src/sim/packet-record.js';
import { runScenario, type RunOptions } from '../src/sim/world.js';

const reps = Number(process.env['KPSIM_BENCH_REPS'] ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function timeIt(fn: () => number): { seconds: number; cpuSeconds: number; units: number } {
  const samples: { seconds: number; cpu: number; units: number }[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const units = fn();
    const c = process.cpuUsage(c0);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    samples.push({ seconds, cpu: (c.user + c.system) / 1e6, units });
  }
  return { seconds: median(samples.map((s) => s.seconds)), cpuSeconds: median(samples.map((s) => s.cpu)), units: samples[0]?.units ?? 0 };
}

const emit = (o: Record<string, unknown>): void => console.log(JSON.stringify(o));
const rate = (units: number, seconds: number): number => Math.round(units / seconds);

// An idle connection with an open stream: the server pings every Time, the client acks. Kernel TCP
// keepalive as grpc-go leaves it (tcpKeepalive "grpc-default"): Go's 15 s idle and interval on the
// server's accepted socket; on the v1.83 client's own dial, SO_KEEPALIVE with the OS's 2 h idle,
// so no client probe within a 60 s cycle.
const idleInput = {
  name: 'bench-idle',
  horizon: '2400h',
  server: { keepalive: { time: '60s', timeout: '20s' } },
  client: {},
  workload: [{ type: 'stream' as const, at: '0s' }],
};
const idle = parseScenario(idleInput, 'bench');
type Run = ReturnType<typeof runScenario>;
const pingsOf = (r: Run): number => r.outcome.framesSent.server['PING'] ?? 0;
const cycles = timeIt(() => pingsOf(runScenario(idle, { trace: false })));
const tcpRate = rate(cycles.units, cycles.seconds);
emit({ name: 'keepalive_cycles_per_sec_idle', value: tcpRate, unit: 'cycles/s', network: 'tcp', tcpKeepalive: 'grpc-default', cycles: cycles.units, medianSeconds: cycles.seconds, cpuSeconds: cycles.cpuSeconds, perCpuSecond: rate(cycles.units, cycles.cpuSeconds), reps });

// The same traffic over TCP without Go's kernel keepalive probes, against the foundation's
// scripted network: what the TCP layer itself costs.
const bare = parseScenario({ ...idleInput, name: 'bench-idle-bare', server: { ...idleInput.server, tcpKeepalive: 'off' as const }, client: { tcpKeepalive: 'off' as const } }, 'bench');
const br = timeIt(() => pingsOf(runScenario(bare, { trace: false })));
const tcpBareRate = br.units / br.seconds;
emit({ name: 'keepalive_cycles_per_sec_idle_tcp_no_probes', value: Math.round(tcpBareRate), unit: 'cycles/s', network: 'tcp', tcpKeepalive: 'off', cycles: br.units, medianSeconds: br.seconds, cpuSeconds: br.cpuSeconds, perCpuSecond: rate(br.units, br.cpuSeconds), reps });
const scripted = parseScenario({ ...idleInput, name: 'bench-idle-scripted', network: { model: 'scripted' as const } }, 'bench');
const sc = timeIt(() => pingsOf(runScenario(scripted, { trace: false })));
const scriptedRate = sc.units / sc.seconds;
emit({ name: 'keepalive_cycles_per_sec_idle_scripted', value: Math.round(scriptedRate), unit: 'cycles/s', network: 'scripted', cycles: sc.units, medianSeconds: sc.seconds, cpuSeconds: sc.cpuSeconds, perCpuSecond: rate(sc.units, sc.cpuSeconds), reps });
emit({ name: 'tcp_cost_ratio_idle', value: Number((scriptedRate / tcpBareRate).toFixed(2)), unit: 'x', note: 'scripted cycles/s divided by TCP (no kernel keepalive) cycles/s, same traffic, same run' });

// An idle lossy link (2% each way), TCP keepalive off so that only keepalive cycles are counted.
const lossy = parseScenario(
  {
    ...idleInput,
    name: 'bench-idle-lossy',
    server: { ...idleInput.server, keepalive: { time: '60s', timeout: '1h' }, tcpKeepalive: 'off' as const },
    client: { tcpKeepalive: 'off' as const },
    network: { clientToServer: { loss: { model: 'bernoulli' as const, p: 0.02 } }, serverToClient: { loss: { model: 'bernoulli' as const, p: 0.02 } } },
  },
  'bench',
);
const ly = timeIt(() => pingsOf(runScenario(lossy, { trace: false })));
emit({ name: 'keepalive_cycles_per_sec_idle_lossy', value: rate(ly.units, ly.seconds), unit: 'cycles/s', network: 'tcp', tcpKeepalive: 'off', loss: 0.02, cycles: ly.units, medianSeconds: ly.seconds, cpuSeconds: ly.cpuSeconds, perCpuSecond: rate(ly.units, ly.cpuSeconds), reps });

const events = timeIt(() => runScenario(idle, { trace: false }).outcome.events);
emit({ name: 'events_per_sec_idle', value: rate(events.units, events.seconds), unit: 'events/s', network: 'tcp', tcpKeepalive: 'grpc-default', events: events.units, medianSeconds: events.seconds, cpuSeconds: events.cpuSeconds, perCpuSecond: rate(events.units, events.cpuSeconds), reps });

// The packet observer (pcap export) on the same idle run: what observing costs; without one the
// entry above is the cost.
let packets = 0;
const observed = timeIt(() => pingsOf(runScenario(idle, { trace: false, onPacket: () => void packets++ })));
emit({ name: 'keepalive_cycles_per_sec_idle_observed', value: rate(observed.units, observed.seconds), unit: 'cycles/s', network: 'tcp', tcpKeepalive: 'grpc-default', packetsPerRun: packets / reps, medianSeconds: observed.seconds, cpuSeconds: observed.cpuSeconds, perCpuSecond: rate(observed.units, observed.cpuSeconds), reps });

const traced = parseScenario({ ...idleInput, name: 'bench-idle-traced', horizon: '24h' }, 'bench');
const tr = timeIt(() => runScenario(traced, { trace: true }).trace.length);
emit({ name: 'trace_records_per_sec', value: rate(tr.units, tr.seconds), unit: 'records/s', records: tr.units, medianSeconds: tr.seconds, cpuSeconds: tr.cpuSeconds, reps });

// Memory with tracing off must not grow with the run: the live heap, sampled with a forced GC
// every 200,000 packets during a run, at its largest, for 10 days and for 100 days of the idle
// connection (the observer is only the sampling hook; it keeps nothing).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const peakLiveHeap = (horizon: string): { peak: number; cycles: number } => {
  const sc10 = parseScenario({ ...idleInput, name: `bench-memory-${horizon}`, horizon }, 'bench');
  let n = 0;
  let peak = 0;
  const sample = (_p: PacketRecord): void => {
    if (++n % 200_000 !== 0) return;
    gc();
    peak = Math.max(peak, getHeapStatistics().used_heap_size);
  };
  const options: RunOptions = { trace: false, onPacket: sample };
  gc();
  const base = getHeapStatistics().used_heap_size;
  const r = runScenario(sc10, options);
  return { peak: Math.max(peak, base), cycles: pingsOf(r) };
};
const short = peakLiveHeap('240h');
const long = peakLiveHeap('2400h');
emit({ name: 'memory_growth_idle_trace_off', value: Number((long.peak / short.peak).toFixed(3)), unit: 'x', note: 'largest live heap (after forced GC) during a 10x longer run, divided by the shorter run\'s; 1.0 is flat', shortCycles: short.cycles, longCycles: long.cycles, shortPeakBytes: short.peak, longPeakBytes: long.peak });

// The wall time of a sweep at 1 and 2 worker threads (bench/sweep-bench.ts). KPSIM_BENCH_SWEEP
// picks it: `quick` (default, 6 x 6 settings, 10,000 cycles, 20 dead-peer replicas: a minute or
// two), `reference` (issue 5's 24 x 24 settings, 100,000 cycles, 100 replicas: long), `off`.
const sweepMode = process.env['KPSIM_BENCH_SWEEP'] ?? 'quick';
if (sweepMode !== 'off') {
  if (sweepMode !== 'quick' && sweepMode !== 'reference') {
    console.error(`bench: KPSIM_BENCH_SWEEP must be quick, reference or off, got "${sweepMode}"`);
    process.exit(2);
  }
  const { benchSweep, benchSweepQuick } = await import('./sweep-bench.js');
  const r = sweepMode === 'reference' ? await benchSweep() : await benchSweepQuick();
  for (const run of r.runs) {
    emit({ name: `${r.name}_wall_seconds_${run.workers}w`, value: run.seconds, unit: 's', variant: sweepMode, scenario: r.scenario, cells: r.cells, cycles: r.cycles, detectReplicas: r.detectReplicas, workers: run.workers, cellsPerSecond: run.cellsPerSecond });
  }
  emit({ name: `${r.name}_worker_speedup`, value: r.speedup, unit: 'x', variant: sweepMode, note: 'wall time at the first worker count divided by the last', workers: r.runs.map((x) => x.workers), identical: r.identical });
}

// The new Linux TCP model against the model it replaced, same run, alternating child processes
// (bench/tcp-model-cost.ts). KPSIM_BENCH_BASELINE=off skips it.
if (process.env['KPSIM_BENCH_BASELINE'] !== 'off') {
  const { benchTcpModelCost } = await import('./tcp-model-cost.js');
  const cost = benchTcpModelCost(idleInput, 5, reps);
  if ('unavailable' in cost) emit({ name: 'tcp_model_cost_vs_baseline', value: null, unit: 'x', note: `baseline not measured: ${cost.unavailable}` });
  else emit({ name: 'tcp_model_cost_vs_baseline', value: cost.slowdown, unit: 'x', note: 'idle trace-off cycle: the baseline commit\'s cycles per CPU second divided by this tree\'s (median over alternating child processes); the bar is 1.5', ...cost });
}

// Work that must grow linearly with its input: time(2n) / time(n) for capture reassembly
// (bench/capture-scaling.ts) and for workloads (bench/workload-scaling.ts); about 2 is linear or
// n log n, about 4 quadratic.
// KPSIM_BENCH_SCALING=off skips it.
if (process.env['KPSIM_BENCH_SCALING'] !== 'off') {
  const { benchCaptureScaling } = await import('./capture-scaling.js');
  for (const e of await benchCaptureScaling({ reps })) emit(e);
  const { benchWorkloadScaling } = await import('./workload-scaling.js');
  for (const e of await benchWorkloadScaling({ reps: Math.min(reps, 3) })) emit(e);
}
