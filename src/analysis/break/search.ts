import { faultSchema, type Scenario } from '../../scenario/schema.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { formatDuration } from '../../time/duration.js';
import { MILLISECOND, type Nanos } from '../../time/units.js';
import { findBreakAnchor, type BreakAnchor } from './anchor.js';
import { BreakError } from './break-error.js';
import { closedFormThreshold } from './closed-forms.js';
import { FAMILIES, type FamilyContext, type FamilySpec, type FaultFamily } from './families.js';
import { isServerKill } from './kill.js';

export type BreakSearchOptions = {
  /** Seed of every run of the search. @default the scenario's seed */
  readonly seed?: number;
  /** Apply grpc-go's public-API floors on Time (RunOptions.clamp). @default true */
  readonly clamp?: boolean;
};

/** One size the search simulated, and whether that run killed. */
export type BreakProbe = { readonly size: number; readonly kills: boolean };

type BreakCommon = {
  readonly fault: FaultFamily;
  /** Sizes are integer nanoseconds, or a count (consecutive-losses). */
  readonly unit: 'ns' | 'count';
  /** The largest size tried that did not kill. */
  readonly lastSurviving: number;
  /** The traced run at `lastSurviving` (the baseline run when that size is no fault at all). */
  readonly pass: RunResult;
  /** Simulations run, the baseline and the two traced final runs included. */
  readonly runs: number;
  /** The closed-form threshold (closed-forms.ts), or `null` where its conditions fail. */
  readonly exact: number | null;
  /** The closed form's formula, or why there is none. */
  readonly exactNote: string;
  readonly anchor: BreakAnchor;
  /** Every size simulated by the probe and the bisection, in order. */
  readonly probes: readonly BreakProbe[];
};

export type BreakFound = BreakCommon & {
  readonly kills: true;
  /** The smallest killing size (ns or count): `lastSurviving + 1`. */
  readonly threshold: number;
  /** The traced run at `threshold`. */
  readonly witness: RunResult;
};

export type BreakNotFound = BreakCommon & {
  readonly kills: false;
  /** The largest size tried (the cap: the horizon for time families, 64 losses), equal to `lastSurviving`. */
  readonly largestTried: number;
};

export type BreakResult = BreakFound | BreakNotFound;

/**
 * The exact size at which a fault family starts to kill a live connection: the smallest x whose
 * run "kills" (see `isServerKill`: the server closes by keepalive or by its kernel, `closedBy`
 * `'server'`, cause `'keepalive'` or `'tcp_abort'`, both peers alive).
 *
 * The scenario's own faults are set aside: `break` measures the family alone, on the scenario's
 * settings, network and workload. A baseline run without faults finds the anchor (the server's
 * first keepalive PING, T0); it must not already be killed. Then the search, on the simulator:
 * an exponential probe upward from the family's lower bound (1 ms, 2 ms, 4 ms, ... or twice the
 * baseline round trip for reply-delay; 1, 2, 4, ... losses) until a size kills or the cap (the
 * horizon, or 64 losses) survives, then bisection between the last surviving and the first
 * killing size down to 1 ns (or 1 loss).
 *
 * Monotonicity is not guaranteed in general (a longer stall can let a later read count), so the
 * result is a boundary, `lastSurviving` surviving and `threshold = lastSurviving + 1` killing,
 * both re-run with a trace and checked; it is THE smallest killing size only if killing is
 * monotone between the probe bounds, which the search assumes. The closed form (`exact`), where
 * one holds, is computed independently.
 */
export function findBreakThreshold(scenario: Scenario, family: FaultFamily, options: BreakSearchOptions = {}): BreakResult {
  const spec: FamilySpec = FAMILIES[family];
  const clean: Scenario = { ...scenario, faults: [] };
  const refusal = spec.unsupported(clean);
  if (refusal !== undefined) throw new BreakError(refusal);

  let runs = 0;
  const simulate = (sc: Scenario, trace: boolean): RunResult => {
    runs++;
    return runScenario(sc, { trace, ...(options.seed === undefined ? {} : { seed: options.seed }), ...(options.clamp === undefined ? {} : { clamp: options.clamp }) });
  };

  const baseline = simulate(clean, true);
  const anchor = baselineAnchor(baseline, family);
  const ctx: FamilyContext = { scenario: clean, baseline, anchor };
  const unmet = spec.precondition(ctx);
  if (unmet !== undefined) throw new BreakError(unmet);

  const withSize = (x: number): Scenario => {
    const f = spec.fault(x, anchor);
    return f === undefined ? clean : { ...clean, faults: [faultSchema.parse(f)] };
  };
  /** The traced run at x (the baseline itself when x is no fault). */
  const traced = (x: number): RunResult => (spec.fault(x, anchor) === undefined ? baseline : simulate(withSize(x), true));
  const probes: BreakProbe[] = [];
  const kills = (x: number): boolean => {
    const k = isServerKill(simulate(withSize(x), false));
    probes.push({ size: x, kills: k });
    return k;
  };

  const lower = spec.lowerBound(anchor);
  const cap = spec.cap(clean);
  if (spec.fault(lower, anchor) !== undefined && kills(lower)) {
    throw new BreakError(`${family} already kills at its smallest meaningful size (${sizeText(spec, lower)}): the connection has no margin to measure`);
  }

  // Exponential probe upward.
  let lo = lower;
  let hi: number | undefined;
  for (let p = firstProbe(spec, lower); ; p *= 2) {
    const size = Math.min(p, cap);
    if (kills(size)) {
      hi = size;
      break;
    }
    lo = size;
    if (size >= cap) break;
  }
  const closed = closedFormThreshold(family, ctx);
  const common = {
    fault: family,
    unit: spec.unit,
    exact: closed.value,
    exactNote: closed.value === null ? closed.why : closed.formula,
    anchor,
    probes,
  } as const;
  if (hi === undefined) {
    const pass = traced(lo);
    if (isServerKill(pass)) throw new BreakError(`internal: the run at ${sizeText(spec, lo)} killed when traced but not untraced`);
    return { ...common, kills: false, largestTried: lo, lastSurviving: lo, pass, runs };
  }

  // Bisection to the exact boundary: lo survives, top kills.
  let top: number = hi;
  while (top - lo > 1) {
    const mid: number = lo + Math.floor((top - lo) / 2);
    if (kills(mid)) top = mid;
    else lo = mid;
  }
  const witness = traced(top);
  const pass = traced(lo);
  if (!isServerKill(witness) || isServerKill(pass)) {
    throw new BreakError(`internal: the traced runs at ${sizeText(spec, lo)} and ${sizeText(spec, top)} disagree with the search`);
  }
  return { ...common, kills: true, threshold: top, lastSurviving: lo, witness, pass, runs };
}

/** The anchor of the baseline run, or the reason there is nothing to break. */
function baselineAnchor(baseline: RunResult, family: FaultFamily): BreakAnchor {
  const found = findBreakAnchor(baseline);
  if (found.anchor === undefined && found.pingAt === undefined) {
    throw new BreakError(`the server never sends a keepalive PING in this scenario, so ${family} has nothing to break (none within its ${formatDuration(baseline.scenario.horizon)} horizon)`);
  }
  const o = baseline.outcome;
  if (isServerKill(baseline)) {
    throw new BreakError(
      `without any fault the server already closes the connection at ${formatDuration(o.closedAt ?? 0)} (${o.cause ?? 'closed'}: ${o.reason ?? ''}), so there is no live connection for ${family} to break (a shorter horizon measures what comes before)`,
    );
  }
  if (found.anchor === undefined) {
    throw new BreakError(
      `the ACK of the server's first keepalive PING (sent at ${formatDuration(found.pingAt ?? 0)}) is never read in the baseline run${o.closed ? ` (closed at ${formatDuration(o.closedAt ?? 0)}: ${o.cause ?? ''})` : ''}, so ${family} has nothing to break`,
    );
  }
  return found.anchor;
}

/** The first size the upward probe tries. */
function firstProbe(spec: FamilySpec, lower: number): number {
  if (spec.unit === 'count') return lower + 1;
  return lower === 0 ? MILLISECOND : 2 * lower;
}

function sizeText(spec: FamilySpec, x: number): string {
  return spec.unit === 'ns' ? formatDuration(x as Nanos) : `${x}`;
}
