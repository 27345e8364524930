import type { Actor } from '../../src/conn/types.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import type { PacketRecord } from '../../src/sim/packet-record.js';
import { runScenario, type RunResult } from '../../src/sim/world.js';
import type { KernelCase } from './case.js';
import { caseScenario, type RunFacts } from './case-scenario.js';
import type { KernelRun } from './run-case.js';
import { firstFrames, modelWireEvents, realWireEvents } from './wire-events.js';

/**
 * kpsim on a recorded run's setup: the result, every packet its TCP network put on the wire, and
 * the application timing taken from the run.
 *
 * The kernel's timers count from when the applications wrote, and a real write comes a little
 * after kpsim's exact one (Go timers and goroutines wake late on a busy machine, by 1-5 ms here).
 * That matters: a write a few ms later can fall in the next 4 ms tick, and a retransmission
 * timer armed one tick later can land in the next bucket of the timer wheel, 32 ms later. So the
 * scenario takes the run's own timing as input: when the client opened its stream and wrote each
 * message, and how late each side's Go runtime fired its keepalive timer (fitted to the real
 * keepalive PINGs before the first outage against kpsim's, in a first run without lateness).
 * That first run's first PING is kpsim's own prediction, and is compared too (`predictedPing`).
 */
export type ModelRun = {
  readonly result: RunResult;
  readonly packets: PacketRecord[];
  /** The Go timer lateness measured per side, ns (0: none measured). */
  readonly timerLateness: Readonly<Record<Actor, number>>;
  /** Each side's first keepalive PING as kpsim predicts it without lateness, beside the real one (ns). */
  readonly predictedPing: Readonly<Record<Actor, { readonly real: number | undefined; readonly model: number | undefined }>>;
};

const KEEPALIVE_PING = 'PING(keepalive)';

function pings(events: ReturnType<typeof realWireEvents>): number[] {
  return firstFrames(events)
    .filter((f) => f.label === KEEPALIVE_PING)
    .map((f) => f.t);
}

/**
 * The Go timer lateness that best fits a side's keepalive PINGs sent before the first outage:
 * each keepalive cycle adds one lateness, so the k-th PING is k of them late against kpsim's
 * prediction without lateness; least squares over the PINGs gives it (one PING: its own
 * lateness). PINGs after an outage began are the kernel's to time, not an input.
 */
function fitLateness(real: readonly number[], model: readonly number[], before: number): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < Math.min(real.length, model.length); k++) {
    const r = real[k] as number;
    if (r >= before && k > 0) break;
    num += (k + 1) * (r - (model[k] as number));
    den += (k + 1) * (k + 1);
  }
  return den === 0 ? 0 : Math.max(0, Math.round(num / den));
}

/** What the run tells the scenario: versions, tick grid, the client's stream and writes, and when the outages really began. */
export function runFacts(run: KernelRun): RunFacts {
  const client = (ev: string): typeof run.events => run.events.filter((e) => e.side === 'client' && e.ev === ev);
  // Each write's time: when Send was called, or, if earlier (the event is logged after Send
  // returns), when its DATA frame first left the host.
  const dataOut = firstFrames(realWireEvents(run, 'client')).filter((f) => f.label === 'DATA');
  const sends = client('send').map((e, i) => Math.min(e.t, dataOut[i]?.t ?? Number.POSITIVE_INFINITY));
  return {
    grpcGo: run.recorded.grpcGo,
    kernel: run.recorded.kernel,
    jiffiesAtConnect: run.clock?.jiffiesAtConnect,
    streamAt: client('stream-open')[0]?.t,
    clientSendTimes: sends,
    faults: run.faults,
  };
}

/** `tweak` edits the scenario first (tests use it to show a comparison fails for a wrong model). */
export function modelRun(c: KernelCase, run: KernelRun, tweak: (sc: ScenarioInput) => ScenarioInput = (sc) => sc): ModelRun {
  const facts = runFacts(run);
  const simulate = (f: RunFacts): { result: RunResult; packets: PacketRecord[] } => {
    const sc = parseScenario(tweak(caseScenario(c, f)), `real-kernel case ${c.name}`);
    const packets: PacketRecord[] = [];
    const result = runScenario(sc, { onPacket: (p) => packets.push(p) });
    return { result, packets };
  };
  const first = simulate(facts);
  const predictedPing = {} as Record<Actor, { real: number | undefined; model: number | undefined }>;
  const timerLateness: Record<Actor, number> = { server: 0, client: 0 };
  const firstFault = Math.min(Number.POSITIVE_INFINITY, ...run.faults.map((f) => f.at));
  for (const side of ['server', 'client'] as const) {
    const real = pings(realWireEvents(run, side));
    const model = pings(modelWireEvents(first.packets, side));
    predictedPing[side] = { real: real[0], model: model[0] };
    timerLateness[side] = fitLateness(real, model, firstFault);
  }
  if (timerLateness.server === 0 && timerLateness.client === 0) return { ...first, timerLateness, predictedPing };
  return { ...simulate({ ...facts, timerLateness }), timerLateness, predictedPing };
}
