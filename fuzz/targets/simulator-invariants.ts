import fc from 'fast-check';
import { checkInvariants } from '../../src/analysis/invariants.js';
import { scenarioArbitrary } from '../../src/arbitraries/scenario.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/sim/world.js';
import type { FuzzTarget } from '../target.js';

/** Random scenarios validate, run without throwing, satisfy every invariant, and replay identically. */
function check(input: unknown): void {
  const s = parseScenario(input, 'fuzz');
  const a = runScenario(s, { maxEvents: 2_000_000 });
  const violations = checkInvariants(a);
  if (violations.length > 0) throw new Error(violations.join('; '));
  const b = runScenario(s, { maxEvents: 2_000_000 });
  if (JSON.stringify(a.trace) !== JSON.stringify(b.trace)) throw new Error('the same seed gave a different trace');
}

export const target: FuzzTarget<unknown> = {
  name: 'simulator-invariants',
  description: 'random whole scenarios run without throwing, keep every invariant, and replay byte-identically',
  property: (onRun) =>
    fc.property(scenarioArbitrary(), (input) => {
      onRun();
      check(input);
    }),
  save: (input) => new TextEncoder().encode(`${JSON.stringify(input, null, 2)}\n`),
  load: (bytes) => JSON.parse(new TextDecoder().decode(bytes)) as unknown,
  check,
};
