/**
 * Work grows with the workload, not faster (the robustness issue: messages every 1 ns, unary
 * calls 1 ns apart). Wall time is the bench's business (bench/workload-scaling.ts); here the
 * deterministic figure is the number of events a run takes at n and at 2n, which must stay
 * below 3x, and a workload of 10^9 calls must be planned without expanding it.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { parseScenario } from '../../src/scenario/load.js';
import { planWorkload } from '../../src/sim/workload.js';
import { runScenario, startRun } from '../../src/sim/world.js';

const flaw = { ...BUILTIN_SCENARIOS['seed-flaw'], faults: [] };
type ScalingCase = { readonly name: string; readonly input: (n: number) => object; readonly n: number; /** Fewest events at n (one per message or call at least). */ readonly atLeast: number };
const cases: readonly ScalingCase[] = [
  {
    name: 'a 10-byte message every 1 ns for n ns (all of it stays queued)',
    input: (n) => ({ ...flaw, horizon: `${n}ns`, workload: [{ type: 'stream', at: '0s', client: { every: '1ns', size: 10 } }] }),
    n: 20_000,
    atLeast: 20_000,
  },
  {
    // Past slow start: below ~300 ms the window is still opening and the events per message grow.
    name: 'a 10-byte message every 10 µs for n ms (the link drains)',
    input: (n) => ({ ...flaw, horizon: `${n}ms`, workload: [{ type: 'stream', at: '0s', client: { every: '10us', size: 10 } }] }),
    n: 500,
    atLeast: 50_000,
  },
  {
    name: 'n unary calls 1 ns apart',
    input: (n) => ({ ...flaw, workload: [{ type: 'unary', at: '1s', every: '1ns', count: n }] }),
    n: 2_000,
    atLeast: 2_000,
  },
];

const eventsAt = (c: ScalingCase, n: number): number => runScenario(parseScenario(c.input(n), 'test'), { trace: false }).outcome.events;

describe('workload scaling', () => {
  it.each(cases)('$name: doubling n less than triples the events', (c) => {
    const a = eventsAt(c, c.n);
    const b = eventsAt(c, 2 * c.n);
    expect(a).toBeGreaterThanOrEqual(c.atLeast);
    expect(b / a).toBeLessThan(3);
  });

  it('plans 10^9 unary calls as one series, and runs its first calls without expanding it', () => {
    const sc = parseScenario({ ...flaw, workload: [{ type: 'unary', at: '1s', every: '1ns', count: 1_000_000_000 }] }, 'test');
    const plan = planWorkload(sc);
    expect(plan.entries).toHaveLength(1);
    expect(plan.entries[0]).toMatchObject({ kind: 'series', series: { at: 1e9, every: 1, count: 1e9, firstHandle: 0 } });
    const run = startRun(sc, { trace: false });
    expect(run.advance(20_000)).toBe(true);
    expect(run.now()).toBeGreaterThanOrEqual(1e9);
    expect(run.finish().outcome.framesSent.client['HEADERS']).toBeGreaterThan(5_000);
  });

  it('numbers the calls of later workloads after the series, as when every call was planned', () => {
    const sc = parseScenario({ ...flaw, workload: [{ type: 'unary', at: '1s', every: '1ms', count: 3 }, { type: 'stream', at: '2s', client: { every: '1s', size: 1 } }] }, 'test');
    const plan = planWorkload(sc);
    expect(plan.entries.map((e) => (e.kind === 'job' ? e.job.j : e.kind))).toEqual(['series', 'openStream', 'message']);
    expect(plan.entries[1]).toMatchObject({ job: { handle: 3 } });
  });
});
