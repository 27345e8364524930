import type { Actor } from '../../src/conn/types.js';
import { kernelCase } from './cases.js';
import { loadFixture } from './fixtures.js';
import { modelRun } from './model-run.js';
import { runKernelCase } from './run-case.js';
import { modelWireEvents, realWireEvents, type WireEvent } from './wire-events.js';

/**
 * Prints, per direction, every segment a host sent (pure ACKs left out), the real run's beside
 * kpsim's, then both ends' application events: for looking into a disagreement.
 */
export async function showCase(name: string, live: boolean, from?: string): Promise<void> {
  const c = kernelCase(name);
  const run = live ? await runKernelCase(c, 1) : from !== undefined ? loadFixture(name, from) : loadFixture(name);
  const model = modelRun(c, run);
  const fmt = (e: WireEvent | undefined): string =>
    e === undefined ? ''.padEnd(52) : `${(e.t / 1e9).toFixed(4).padStart(8)} ${e.kind.padEnd(5)} ${e.retransmission ? 're ' : '   '}${(e.frames + (e.fin ? '+FIN' : '')).slice(0, 34).padEnd(34)}`;
  for (const side of ['client', 'server'] as Actor[]) {
    const real = realWireEvents(run, side).filter((e) => e.kind !== 'ack');
    const mod = modelWireEvents(model.packets, side).filter((e) => e.kind !== 'ack');
    console.log(`\n== sent by the ${side}: real | kpsim`);
    for (let i = 0; i < Math.max(real.length, mod.length); i++) console.log(`${fmt(real[i])} | ${fmt(mod[i])}`);
  }
  console.log('\n== real application and socket events');
  const shown = new Set(['recv-error', 'handler-ctx', 'conn-end', 'send', 'syscall-error']);
  for (const e of run.events) {
    if (!shown.has(e.ev) || (e.ev === 'send' && e['error'] === null)) continue;
    const what = e.ev === 'syscall-error' ? `${String(e['call'])}(fd ${String(e['fd'])}) ${String(e['errno'])}` : String(e['error'] ?? '');
    console.log(`${(e.t / 1e9).toFixed(4).padStart(8)} ${e.side} ${e.ev} ${what}`);
  }
  const o = model.result.outcome;
  console.log('\n== kpsim');
  for (const side of ['server', 'client'] as const) {
    const s = o[side];
    console.log(`${side}: ${s.state}${s.closedAt === undefined ? '' : ` at ${(s.closedAt / 1e9).toFixed(4)}s`} ${s.cause ?? ''} ${s.failedStreams[0]?.error ?? ''}`);
  }
}
