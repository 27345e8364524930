import { parseScenario } from '../../src/scenario/load.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import type { PacketRecord } from '../../src/sim/packet-record.js';
import { runScenario, type RunResult } from '../../src/sim/world.js';
import type { KernelCase } from './case.js';
import { caseScenario } from './case-scenario.js';
import type { KernelRun } from './run-case.js';

/** kpsim on a recorded run's setup: the result, and every packet its TCP network put on the wire. */
/** `tweak` edits the scenario first (tests use it to show a comparison fails for a wrong model). */
export function modelRun(c: KernelCase, run: Pick<KernelRun, 'recorded' | 'clock' | 'events'>, tweak: (sc: ScenarioInput) => ScenarioInput = (sc) => sc): { result: RunResult; packets: PacketRecord[] } {
  const at = (ev: string): number | undefined => run.events.find((e) => e.side === 'client' && e.ev === ev)?.t;
  const facts = { grpcGo: run.recorded.grpcGo, kernel: run.recorded.kernel, jiffiesAtConnect: run.clock?.jiffiesAtConnect, streamAt: at('stream-open'), firstSendAt: at('send') };
  const sc = parseScenario(tweak(caseScenario(c, facts)), `real-kernel case ${c.name}`);
  const packets: PacketRecord[] = [];
  const result = runScenario(sc, { onPacket: (p) => packets.push(p) });
  return { result, packets };
}
