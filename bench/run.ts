/**
 * Benchmarks: one JSON object per line, {name, value, unit, ...}. Wall-clock reads are allowed
 * here (bench/ is outside src/). Medians of several repetitions; the machine is shared and noisy.
 */
import { parseScenario } from '../src/scenario/load.js';
import { runScenario } from '../src/sim/world.js';

const reps = Number(process.env['KPSIM_BENCH_REPS'] ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function timeIt(fn: () => number): { seconds: number; units: number } {
  const samples: { seconds: number; units: number }[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    const units = fn();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    samples.push({ seconds, units });
  }
  const m = median(samples.map((s) => s.seconds));
  return { seconds: m, units: samples[0]?.units ?? 0 };
}

// An idle connection with an open stream: the server pings every Time, the client acks.
const idleInput = {
  name: 'bench-idle',
  horizon: '2400h',
  server: { keepalive: { time: '60s', timeout: '20s' } },
  client: {},
  workload: [{ type: 'stream' as const, at: '0s' }],
};
const idle = parseScenario(idleInput, 'bench');
const cycles = timeIt(() => {
  const r = runScenario(idle, { trace: false });
  return r.outcome.framesSent.server['PING'] ?? 0;
});
console.log(JSON.stringify({ name: 'keepalive_cycles_per_sec_idle', value: Math.round(cycles.units / cycles.seconds), unit: 'cycles/s', cycles: cycles.units, medianSeconds: cycles.seconds, reps }));

const events = timeIt(() => runScenario(idle, { trace: false }).outcome.events);
console.log(JSON.stringify({ name: 'events_per_sec_idle', value: Math.round(events.units / events.seconds), unit: 'events/s', events: events.units, medianSeconds: events.seconds, reps }));

const traced = parseScenario({ ...idleInput, name: 'bench-idle-traced', horizon: '24h' }, 'bench');
const tr = timeIt(() => runScenario(traced, { trace: true }).trace.length);
console.log(JSON.stringify({ name: 'trace_records_per_sec', value: Math.round(tr.units / tr.seconds), unit: 'records/s', records: tr.units, medianSeconds: tr.seconds, reps }));
