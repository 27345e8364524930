/**
 * The trace-off fast path (reused buffers, shared events, the network's quiet mode, the loop that
 * takes the network's internal events in a row) must compute the same run as a traced one: same
 * outcome, event count included, and the same budget errors at the same event.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { scenarioArbitrary } from '../../src/arbitraries/scenario.js';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario, type RunOptions } from '../../src/sim/world.js';

const outcomeOf = (sc: ReturnType<typeof parseScenario>, options: RunOptions): string => {
  try {
    return JSON.stringify(runScenario(sc, options).outcome);
  } catch (e) {
    return `threw ${String(e)}`;
  }
};

describe('trace off computes the traced run', () => {
  it.each(Object.keys(BUILTIN_SCENARIOS))('%s, seeds 1-3: same outcome, event count included', (name) => {
    const sc = parseScenario(BUILTIN_SCENARIOS[name], name);
    for (const seed of [1, 2, 3]) {
      const on = runScenario(sc, { seed, trace: true });
      expect(outcomeOf(sc, { seed, trace: false })).toBe(JSON.stringify(on.outcome));
      expect(on.outcome.events).toBeGreaterThan(0);
    }
  });

  test.prop([scenarioArbitrary({ horizon: '20m' })], { numRuns: 60 })('generated scenarios: same outcome with trace on, off, and observed', (input) => {
    const sc = parseScenario(input, 'generated');
    const on = outcomeOf(sc, { trace: true });
    expect(outcomeOf(sc, { trace: false })).toBe(on);
    expect(outcomeOf(sc, { trace: false, onPacket: () => {} })).toBe(on);
  });

  test.prop([fc.constantFrom(...Object.keys(BUILTIN_SCENARIOS)), fc.integer({ min: 1, max: 400 })], { numRuns: 60 })(
    'an event budget stops both at the same event, with the same message',
    (name, maxEvents) => {
      const sc = parseScenario(BUILTIN_SCENARIOS[name], name);
      const on = outcomeOf(sc, { trace: true, maxEvents });
      expect(outcomeOf(sc, { trace: false, maxEvents })).toBe(on);
    },
  );
});
