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
  // The earliest timer only changes when the machine steps: compute it once per step, and keep
  // its parts as plain values so the world's per-event check allocates nothing.
  let cached: { at: Nanos; timer: TimerName } | undefined;
  let cachedAt = Number.POSITIVE_INFINITY;
  let stale = true;
  const refresh = (): void => {
    cached = fns.nextTimer(s);
    cachedAt = cached === undefined ? Number.POSITIVE_INFINITY : cached.at;
    stale = false;
  };
  const step = fns.step;
  return {
    actor,
    state: s,
    step: (e, now, out) => {
      stale = true;
      step(s, e, now, out);
    },
    nextTimer: () => {
      if (stale) refresh();
      return cached;
    },
    nextTimerAt: () => {
      if (stale) refresh();
      return cachedAt;
    },
    watch: () => fns.watch(s),
    get closed() {
      return s.closed;
    },
  };
}
