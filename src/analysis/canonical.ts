import { worstDelayMs, type FaultTimelineConstraints, type HuntFault } from '../arbitraries/fault-timeline.js';

/**
 * Turns a shrunk counterexample into its simplest telling. fast-check's shrinking leaves a locally
 * minimal timeline; this goes further, deterministically:
 * 1. drop every fault the kill does not need;
 * 2. prefer a single fault of the simplest kind that kills on its own within the budget, in the
 *    order late reply, reader stall, pause, outage, lost ACK, each at its smallest killing size
 *    (ms, or losses), found by bisection and checked at both ends; if none does, keep the
 *    reduced combination from step 1.
 * The result still kills (it is only ever replaced by timelines that were run and killed).
 */
export function canonicalize(
  faults: readonly HuntFault[],
  kills: (faults: readonly HuntFault[]) => boolean,
  c: FaultTimelineConstraints,
): { faults: HuntFault[]; runs: number } {
  let runs = 0;
  const test = (fs: readonly HuntFault[]): boolean => {
    runs++;
    return kills(fs);
  };
  let current = [...faults];
  for (let i = 0; i < current.length; ) {
    const without = current.filter((_, j) => j !== i);
    if (without.length > 0 && test(without)) current = without;
    else i++;
  }
  const only = current[0] as HuntFault;
  const maxMs = Math.floor(c.maxDelay / 1e6);
  const rtMs = Math.ceil(c.roundTrip / 1e6);
  const anchorOf = (f: HuntFault): number => ('offsetMs' in f ? f.offsetMs : 0);
  const candidates: ((size: number) => HuntFault)[] = [
    (size) => ({ kind: 'late-reply', nth: 1, replyMs: size }),
    (size) => ({ kind: 'reader-stall', peer: 'server', offsetMs: anchorOf(only), lengthMs: size }),
    (size) => ({ kind: 'pause', peer: 'client', offsetMs: anchorOf(only), lengthMs: size }),
    (size) => ({ kind: 'outage', direction: 'clientToServer', offsetMs: anchorOf(only), lengthMs: size }),
    (size) => ({ kind: 'lost-ack', nth: 1, times: size }),
  ];
  for (const make of candidates) {
    const probe = make(1);
    const lo = probe.kind === 'late-reply' ? rtMs : 1;
    const hi = probe.kind === 'lost-ack' ? 12 : probe.kind === 'late-reply' ? maxMs + rtMs : maxMs;
    const within = (size: number): boolean => worstDelayMs(make(size), c) <= maxMs;
    let top = hi;
    while (top > lo && !within(top)) top--;
    if (top < lo || !test([make(top)])) continue;
    let bad = top;
    let good = lo - 1;
    if (lo <= top && test([make(lo)])) bad = lo;
    else {
      good = lo;
      while (bad - good > 1) {
        const mid = Math.floor((good + bad) / 2);
        if (test([make(mid)])) bad = mid;
        else good = mid;
      }
    }
    return { faults: [make(bad)], runs };
  }
  return { faults: current, runs };
}
