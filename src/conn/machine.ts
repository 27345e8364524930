import type { Nanos } from '../time/units.js';
import type { Actor, ConnActionSink, ConnEvent, ConnMachine, TimerName } from './types.js';

/** Wraps one side's state and functions as the uniform machine the world drives. */
export function makeMachine<S extends { closed: boolean }>(
  actor: Actor,
  s: S,
  fns: {
    readonly step: (s: S, e: ConnEvent, now: Nanos, out: ConnActionSink) => void;
    readonly nextTimer: (s: S) => { at: Nanos; timer: TimerName } | undefined;
    readonly watch: (s: S) => Record<string, string | number | boolean | null>;
  },
): ConnMachine<S> {
  // The earliest timer only changes when the machine steps: compute it once per step.
  let cached: { at: Nanos; timer: TimerName } | undefined;
  let stale = true;
  return {
    actor,
    state: s,
    step: (e, now, out) => {
      stale = true;
      fns.step(s, e, now, out);
    },
    nextTimer: () => {
      if (stale) {
        cached = fns.nextTimer(s);
        stale = false;
      }
      return cached;
    },
    watch: () => fns.watch(s),
    get closed() {
      return s.closed;
    },
  };
}
