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
const pingsOf = (r: ReturnType<typeof runScenario>): number => r.outcome.framesSent.server['PING'] ?? 0;
const cycles = timeIt(() => pingsOf(runScenario(idle, { trace: false })));
const tcpRate = cycles.units / cycles.seconds;
console.log(JSON.stringify({ name: 'keepalive_cycles_per_sec_idle', value: Math.round(tcpRate), unit: 'cycles/s', network: 'tcp', cycles: cycles.units, medianSeconds: cycles.seconds, reps }));

// The same traffic over TCP without Go's kernel keepalive probes, against the foundation's
// scripted network: what the TCP layer itself costs.
const bare = parseScenario({ ...idleInput, name: 'bench-idle-bare', server: { ...idleInput.server, tcpKeepalive: 'off' as const }, client: { tcpKeepalive: 'off' as const } }, 'bench');
const br = timeIt(() => pingsOf(runScenario(bare, { trace: false })));
const tcpBareRate = br.units / br.seconds;
console.log(JSON.stringify({ name: 'keepalive_cycles_per_sec_idle_tcp_no_probes', value: Math.round(tcpBareRate), unit: 'cycles/s', network: 'tcp', tcpKeepalive: 'off', cycles: br.units, medianSeconds: br.seconds, reps }));
const scripted = parseScenario({ ...idleInput, name: 'bench-idle-scripted', network: { model: 'scripted' as const } }, 'bench');
const sc = timeIt(() => pingsOf(runScenario(scripted, { trace: false })));
const scriptedRate = sc.units / sc.seconds;
console.log(JSON.stringify({ name: 'keepalive_cycles_per_sec_idle_scripted', value: Math.round(scriptedRate), unit: 'cycles/s', network: 'scripted', cycles: sc.units, medianSeconds: sc.seconds, reps }));
console.log(JSON.stringify({ name: 'tcp_cost_ratio_idle', value: Number((scriptedRate / tcpBareRate).toFixed(2)), unit: 'x', note: 'scripted cycles/s divided by TCP (no kernel keepalive) cycles/s, same traffic, same run' }));

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
console.log(JSON.stringify({ name: 'keepalive_cycles_per_sec_idle_lossy', value: Math.round(ly.units / ly.seconds), unit: 'cycles/s', network: 'tcp', loss: 0.02, cycles: ly.units, medianSeconds: ly.seconds, reps }));

const events = timeIt(() => runScenario(idle, { trace: false }).outcome.events);
console.log(JSON.stringify({ name: 'events_per_sec_idle', value: Math.round(events.units / events.seconds), unit: 'events/s', events: events.units, medianSeconds: events.seconds, reps }));

const traced = parseScenario({ ...idleInput, name: 'bench-idle-traced', horizon: '24h' }, 'bench');
const tr = timeIt(() => runScenario(traced, { trace: true }).trace.length);
console.log(JSON.stringify({ name: 'trace_records_per_sec', value: Math.round(tr.units / tr.seconds), unit: 'records/s', records: tr.units, medianSeconds: tr.seconds, reps }));
