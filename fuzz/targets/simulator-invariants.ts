import fc from 'fast-check';
import { checkInvariants } from '../../src/analysis/invariants.js';
import { scenarioArbitrary } from '../../src/arbitraries/scenario.js';
import { parseScenario } from '../../src/scenario/load.js';
import { EventBudgetError, runScenario } from '../../src/sim/world.js';
import type { FuzzTarget } from '../target.js';

/** Random scenarios validate, run without throwing, satisfy every invariant, and replay identically. */
function check(input: unknown): void {
  const s = parseScenario(input, 'fuzz');
  let a: ReturnType<typeof runScenario>;
  try {
    a = runScenario(s, { maxEvents: MAX_EVENTS });
  } catch (e) {
    // Beyond the fuzz budget per input: not a defect (the budget itself is tested elsewhere).
    if (e instanceof EventBudgetError) return;
    throw e;
  }
  const violations = checkInvariants(a);
  if (violations.length > 0) throw new Error(violations.join('; '));
  // The replay is compared record by record as it streams, so only one trace is held at a time.
  let i = 0;
  let differs = false;
  runScenario(s, {
    maxEvents: MAX_EVENTS,
    onTrace: (r) => {
      if (!differs && JSON.stringify(r) !== JSON.stringify(a.trace[i])) differs = true;
      i++;
    },
  });
  if (differs || i !== a.trace.length) throw new Error('the same seed gave a different trace');
}

/**
 * Events per run: a traced record is about a kilobyte, so this bounds one input's memory to a few
 * hundred megabytes (at 2,000,000 a 30-minute campaign reached 1.4 GB).
 */
const MAX_EVENTS = 300_000;

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
