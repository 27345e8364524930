import type { Scenario, ScenarioInput } from '../../scenario/schema.js';
import type { RunResult } from '../../sim/world.js';
import { formatDuration, parseDuration } from '../../time/duration.js';
import { SECOND, type Nanos } from '../../time/units.js';
import type { BreakAnchor } from './anchor.js';

/**
 * The fault families `break` can size, and how a size x of each becomes one fault added to the
 * scenario. Every family is anchored at T0, the server's first keepalive PING in a baseline run
 * (see anchor.ts), and every one stresses the same thing: whether the server reads anything from
 * the client within `Timeout` of that PING.
 */
export const FAULT_FAMILIES = ['reply-delay', 'blackhole', 'consecutive-losses', 'reader-stall', 'transfer-stall'] as const;
export type FaultFamily = (typeof FAULT_FAMILIES)[number];

/** A fault as a scenario file writes it (durations as Go strings). */
export type FaultInput = NonNullable<ScenarioInput['faults']>[number];

/** What a family may look at to decide whether it applies. */
export type FamilyContext = {
  /** The scenario with its own faults set aside. */
  readonly scenario: Scenario;
  /** The traced run of that scenario. */
  readonly baseline: RunResult;
  readonly anchor: BreakAnchor;
};

export type FamilySpec = {
  /** Sizes are integer nanoseconds (`ns`) or an integer count. */
  readonly unit: 'ns' | 'count';
  /** What a size x means, in one sentence. */
  readonly meaning: string;
  /** The smallest meaningful size: the search starts there and expects it to survive. */
  readonly lowerBound: (anchor: BreakAnchor) => number;
  /** The largest size the upward probe tries. */
  readonly cap: (scenario: Scenario) => number;
  /** The fault of size x; `undefined`: size x is no fault at all (the baseline run). */
  readonly fault: (x: number, anchor: BreakAnchor) => FaultInput | undefined;
  /** Why the family cannot be measured on this scenario at all (checked before any run). */
  readonly unsupported: (scenario: Scenario) => string | undefined;
  /** Why the family does not apply to this baseline run. */
  readonly precondition: (ctx: FamilyContext) => string | undefined;
};

/** Most losses a `loseFrame` fault takes (the scenario schema's limit). */
export const MAX_CONSECUTIVE_LOSSES = 64;
/** `transfer-stall` wants DATA sent this close before T0 (or still travelling at T0). */
export const TRANSFER_WINDOW: Nanos = SECOND;

const none = (): undefined => undefined;

/** A Go duration string that parses back to exactly `ns`. */
export function exactDuration(ns: Nanos): string {
  const text = formatDuration(ns);
  return parseDuration(text) === ns ? text : `${ns}ns`;
}

/** The table of families; a `Record` over FAULT_FAMILIES, so a missing family fails to compile. */
export const FAMILIES: Readonly<Record<FaultFamily, FamilySpec>> = {
  'reply-delay': {
    unit: 'ns',
    meaning: 'the time from the server sending its first keepalive PING to reading the ACK (the baseline round trip plus a hold on the ACK)',
    lowerBound: (a) => a.baselineRoundTrip,
    cap: (sc) => sc.horizon,
    fault: (x, a) => ({ type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, by: exactDuration(x - a.baselineRoundTrip) }),
    unsupported: none,
    precondition: none,
  },
  blackhole: {
    unit: 'ns',
    meaning: 'how long the client-to-server direction is black-holed, from the first keepalive PING',
    lowerBound: () => 0,
    cap: (sc) => sc.horizon,
    fault: (x, a) => (x === 0 ? undefined : { type: 'blackhole', direction: 'clientToServer', from: exactDuration(a.firstPingAt), until: exactDuration(a.firstPingAt + x) }),
    unsupported: none,
    precondition: none,
  },
  'consecutive-losses': {
    unit: 'count',
    meaning: 'how many transmissions in a row of the segment carrying the first keepalive PING ACK are lost',
    lowerBound: () => 0,
    cap: () => MAX_CONSECUTIVE_LOSSES,
    fault: (x) => (x === 0 ? undefined : { type: 'loseFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, times: x }),
    unsupported: (sc) =>
      sc.network.model === 'tcp' ? undefined : 'consecutive-losses needs network.model "tcp": the scripted network never loses a segment, it only delays frames',
    precondition: none,
  },
  'reader-stall': {
    unit: 'ns',
    meaning: "how long the server's reader goroutine stalls, from the first keepalive PING",
    lowerBound: () => 0,
    cap: (sc) => sc.horizon,
    fault: (x, a) => readerStall(x, a),
    unsupported: none,
    precondition: none,
  },
  'transfer-stall': {
    unit: 'ns',
    meaning: "how long the server's reader goroutine stalls, from the first keepalive PING, while DATA is in flight",
    lowerBound: () => 0,
    cap: (sc) => sc.horizon,
    fault: (x, a) => readerStall(x, a),
    unsupported: none,
    precondition: ({ baseline, anchor }) =>
      dataInFlight(baseline, anchor.firstPingAt) === undefined
        ? `transfer-stall needs DATA in flight at the server's first keepalive PING (at ${formatDuration(anchor.firstPingAt)}): no DATA frame, in either direction, was sent in the ${formatDuration(TRANSFER_WINDOW)} before it or was still travelling at it; use reader-stall for a stall without a transfer`
        : undefined,
  },
};

function readerStall(x: number, a: BreakAnchor): FaultInput | undefined {
  return x === 0 ? undefined : { type: 'readerStall', peer: 'server', from: exactDuration(a.firstPingAt), until: exactDuration(a.firstPingAt + x) };
}

/**
 * The DATA frame that makes a transfer "in flight" at T0, if any: a DATA frame, sent by either
 * peer, either written in [T0 - TRANSFER_WINDOW, T0], or written before T0 and arriving after it.
 */
export function dataInFlight(r: RunResult, t0: Nanos): { readonly at: Nanos; readonly actor: string; readonly arrivesAt: Nanos | undefined } | undefined {
  for (const t of r.trace) {
    if (t.at > t0) break;
    for (const a of t.actions) {
      if (a.type !== 'sendFrame' || a.frame.type !== 'DATA') continue;
      const recent = t.at >= t0 - TRANSFER_WINDOW;
      const travelling = a.arrivesAt !== undefined && a.arrivesAt > t0;
      if (recent || travelling) return { at: t.at, actor: t.actor, arrivesAt: a.arrivesAt };
    }
  }
  return undefined;
}
