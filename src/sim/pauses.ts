import type { Actor } from '../conn/types.js';
import type { Scenario } from '../scenario/schema.js';
import type { Rng } from '../time/rng.js';
import type { Nanos } from '../time/units.js';
import { createDelaySampler } from '../transport/impairments/delay.js';

/**
 * A busy process, as the world sees it: the reader goroutine takes time per frame and can be
 * starved (readerStall), the whole process can stop (pause: a stop-the-world GC or a frozen VM,
 * during which nothing runs, not the reader, not the timers, not the application), and timers can
 * fire late (a Go timer fires when the runtime gets to it, not at its deadline).
 */
export type Pauses = {
  /** Time the reader needs for the next frame. */
  readerLatency(): Nanos;
  /** The first instant at or after `t` at which the reader runs. */
  readerResumes(t: Nanos): Nanos;
  /** The first instant at or after `t` at which the process runs at all. */
  processResumes(t: Nanos): Nanos;
  /** When a timer due at `deadline` actually fires (stable for a given deadline). */
  timerFires(deadline: Nanos): Nanos;
  /** Timers fire at their deadlines (no lateness, no process pauses): `timerFires` is the identity. */
  readonly timersExact: boolean;
};

type Interval = { readonly from: Nanos; readonly until: Nanos };

export function createPauses(sc: Scenario, actor: Actor, rng: Rng): Pauses {
  const side = sc[actor];
  const processPauses: Interval[] = sc.faults.flatMap((f) => (f.type === 'pause' && f.peer === actor ? [{ from: f.from, until: f.until }] : []));
  const readerStops: Interval[] = [
    ...processPauses,
    ...sc.faults.flatMap((f) => (f.type === 'readerStall' && f.peer === actor ? [{ from: f.from, until: f.until }] : [])),
  ];
  const reader = createDelaySampler(side.readerLatency, rng.fork(1));
  const lateness = side.timerLateness.base === 0 && side.timerLateness.jitter === 0 ? undefined : createDelaySampler(side.timerLateness, rng.fork(2));
  const fired = new Map<Nanos, Nanos>();
  const timersExact = lateness === undefined && processPauses.length === 0;
  return {
    timersExact,
    readerLatency: () => reader.sample(),
    readerResumes: (t) => (readerStops.length === 0 ? t : resumeAfter(t, readerStops)),
    processResumes: (t) => (processPauses.length === 0 ? t : resumeAfter(t, processPauses)),
    timerFires(deadline) {
      if (timersExact) return deadline;
      const known = fired.get(deadline);
      if (known !== undefined) return known;
      const late = lateness === undefined ? deadline : deadline + lateness.sample();
      const at = resumeAfter(late, processPauses);
      if (fired.size > 64) fired.clear();
      fired.set(deadline, at);
      return at;
    },
  };
}

/** Pushes `t` past every interval it falls in (intervals may chain). */
function resumeAfter(t: Nanos, intervals: readonly Interval[]): Nanos {
  let moved = true;
  while (moved) {
    moved = false;
    for (const i of intervals) {
      if (t >= i.from && t < i.until) {
        t = i.until;
        moved = true;
      }
    }
  }
  return t;
}
