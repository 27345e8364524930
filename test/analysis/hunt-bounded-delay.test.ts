import { describe, expect, it } from 'vitest';
import { toScenarioFault, worstDelayMs } from '../../src/arbitraries/fault-timeline.js';
import { isKill } from '../../src/analysis/kill.js';
import { runScenario } from '../../src/sim/world.js';
import { hunt } from '../../src/analysis/hunt.js';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { parseScenario } from '../../src/scenario/load.js';

describe('hunt on bounded-delay: faults compose through the kernel RTO', () => {
  const sc = parseScenario(BUILTIN_SCENARIOS['bounded-delay'], 'builtin:bounded-delay');

  it('finds no kill in the default 300 timelines', () => {
    expect(hunt(sc).found).toBe(false);
  });

  it('finds one with more: a late reply, then two losses of the next ACK, each within the per-fault bound', { timeout: 60_000 }, () => {
    const r = hunt(sc, { runs: 1000 });
    expect(r.found).toBe(true);
    expect(r.runs).toBe(485);
    const faults = r.counterexample?.faults ?? [];
    expect(faults.map((f) => f.kind)).toEqual(['late-reply', 'lost-ack']);
    // Within the bound as the hunt counts it (steady-link RTO), yet a kill of a live connection.
    const total = faults.reduce((sum, f) => sum + worstDelayMs(f, r.constraints), 0);
    expect(total).toBeLessThanOrEqual(r.constraints.maxDelay / 1e6);
    expect(r.counterexample?.result.outcome.cause).toBe('keepalive');
    // Each alone is harmless: the late reply's RTT sample is what makes the losses kill.
    for (const f of faults) {
      const alone = runScenario({ ...sc, faults: [toScenarioFault(f, r.constraints)] }, { trace: false });
      expect(isKill(alone), JSON.stringify(f)).toBe(false);
    }
  });
});
