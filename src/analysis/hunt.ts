import fc from 'fast-check';
import { describeHuntFault, faultTimelineArbitrary, huntFaultSize, toScenarioFault, type FaultTimelineConstraints, type HuntFault } from '../arbitraries/fault-timeline.js';
import type { Scenario } from '../scenario/schema.js';
import { runScenario, type RunResult } from '../sim/world.js';
import type { Nanos } from '../time/units.js';
import { findBreakAnchor } from './break/anchor.js';
import { canonicalize } from './canonical.js';
import { isKill } from './kill.js';

export type HuntOptions = {
  /** Random fault timelines to try. @default 300 */
  readonly runs?: number;
  /** Seed of the search (not of the scenario). @default 1 */
  readonly seed?: number;
  /** The most the faults together may hold up a frame (see FaultTimelineConstraints). @default the scenario's hunt.maxDelay, else twice the larger keepalive Timeout */
  readonly maxDelay?: Nanos;
  /** @default 3 */
  readonly maxFaults?: number;
};

export type HuntResult = {
  readonly found: boolean;
  /** Fault timelines tried before the first kill (or all of them). */
  readonly runs: number;
  /** Simulations spent shrinking the counterexample. */
  readonly shrinks: number;
  readonly seed: number;
  readonly constraints: FaultTimelineConstraints;
  readonly counterexample:
    | {
        readonly faults: readonly HuntFault[];
        readonly story: readonly string[];
        /** The scenario with the counterexample's faults (and no others). */
        readonly scenario: Scenario;
        readonly result: RunResult;
      }
    | undefined;
};

export class HuntError extends Error {
  override readonly name = 'HuntError';
}

/**
 * Searches for fault timelines that kill a connection whose peers are alive, with fast-check:
 * random timelines from `faultTimelineArbitrary`, and the first kill shrunk to a minimal one
 * (fewest faults, smallest sizes). The scenario's own faults are set aside: the hunt works on its
 * settings, network and workload.
 */
export function hunt(base: Scenario, options: HuntOptions = {}): HuntResult {
  const clean: Scenario = { ...base, faults: [] };
  const baseline = runScenario(clean);
  if (isKill(baseline)) {
    throw new HuntError(`the scenario already dies without any fault (${baseline.outcome.reason ?? 'closed'} at ${(baseline.outcome.closedAt ?? 0) / 1e9}s): nothing to hunt`);
  }
  const { anchor } = findBreakAnchor(baseline);
  if (anchor === undefined) throw new HuntError('the server never sends a keepalive PING in this scenario within its horizon (or never reads its ACK), so there is nothing for faults to break');
  const timeout = Math.max(baseline.serverConfig.timeout, baseline.clientConfig.time === undefined ? 0 : baseline.clientConfig.timeout);
  const constraints: FaultTimelineConstraints = {
    anchor: anchor.firstPingAt,
    roundTrip: anchor.baselineRoundTrip,
    maxDelay: options.maxDelay ?? base.hunt.maxDelay ?? 2 * timeout,
    maxFaults: options.maxFaults ?? base.hunt.maxFaults,
    tcp: base.network.model === 'tcp',
  };
  const seed = options.seed ?? 1;
  const runs = options.runs ?? 300;
  const withFaults = (faults: readonly HuntFault[]): Scenario => ({ ...clean, faults: faults.map((f) => toScenarioFault(f, constraints)) });
  const property = fc.property(faultTimelineArbitrary(constraints), (faults) => !isKill(runScenario(withFaults(faults), { trace: false })));
  const details = fc.check(property, { numRuns: runs, seed, endOnFailure: false });
  if (!details.failed || details.counterexample === null) {
    return { found: false, runs: details.numRuns, shrinks: 0, seed, constraints, counterexample: undefined };
  }
  const kills = (fs: readonly HuntFault[]): boolean => isKill(runScenario(withFaults(fs), { trace: false }));
  const shrunk = [...details.counterexample[0]].sort((a, b) => huntFaultSize(b) - huntFaultSize(a));
  const canonical = canonicalize(shrunk, kills, constraints);
  const faults = canonical.faults;
  const story = faults.map(describeHuntFault);
  const scenario: Scenario = { ...withFaults(faults), name: `${base.name}-counterexample`, description: `Found by kpsim hunt on ${base.name}: ${story.join('; ')}.` };
  const result = runScenario(scenario);
  return {
    found: true,
    runs: details.numRuns,
    shrinks: details.numShrinks + canonical.runs,
    seed,
    constraints,
    counterexample: { faults, story, scenario, result },
  };
}
