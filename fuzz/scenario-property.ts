import fc from 'fast-check';
import { checkInvariants } from '../src/analysis/invariants.js';
import { scenarioArbitrary } from '../src/arbitraries/scenario.js';
import { parseScenario } from '../src/scenario/load.js';
import { runScenario } from '../src/sim/world.js';

/** Random scenarios validate, run without throwing, satisfy every invariant, and replay identically. */
export function scenarioProperty(onRun: () => void = () => undefined) {
  return fc.property(scenarioArbitrary(), (input) => {
    onRun();
    const s = parseScenario(input, 'fuzz');
    const a = runScenario(s, { maxEvents: 2_000_000 });
    const violations = checkInvariants(a);
    if (violations.length > 0) throw new Error(violations.join('; '));
    const b = runScenario(s, { maxEvents: 2_000_000 });
    if (JSON.stringify(a.trace) !== JSON.stringify(b.trace)) throw new Error('the same seed gave a different trace');
  });
}
