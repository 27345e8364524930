import type { Nanos } from '../../time/units.js';

/**
 * The few pieces of Go's runtime that grpc-go's keepalive goroutines lean on, on a virtual clock
 * of integer nanoseconds. Part of the literal reference model (see ./server-literal.ts): written
 * to read like the Go it stands for, not to be fast.
 */

/** grpc-go's `infinity` (`time.Duration(math.MaxInt64)`): a timer armed with it never fires. */
export const infinity: Nanos = Number.POSITIVE_INFINITY;

/**
 * Go's zero `time.Time` (January 1, year 1), far before any instant of a run. `t.Add(d).After(now)`
 * is then false for every duration grpc-go adds to it, as in Go; no special case is needed.
 */
export const goZeroTime: Nanos = Number.MIN_SAFE_INTEGER;

/**
 * A `*time.Timer`. `when` is the instant the runtime sends on `C` (`undefined`: stopped, fired, or
 * armed with `infinity`); `c` says a value waits in `C`. Go 1.23+ semantics: `Reset` and `Stop`
 * discard a value nobody received.
 */
export type GoTimer = { when: Nanos | undefined; c: boolean };

/** `time.NewTimer(d)`. */
export function newTimer(now: Nanos, d: Nanos): GoTimer {
  const t: GoTimer = { when: undefined, c: false };
  timerReset(t, now, d);
  return t;
}

/** `t.Reset(d)`: a duration of zero or less fires the timer at once, as Go's runtime does. */
export function timerReset(t: GoTimer, now: Nanos, d: Nanos): void {
  t.c = false;
  if (d === infinity) {
    t.when = undefined;
    return;
  }
  if (d <= 0) {
    t.when = undefined;
    t.c = true;
    return;
  }
  t.when = now + d;
}

/** `t.Stop()`: true if the call stopped a timer that had not fired yet. */
export function timerStop(t: GoTimer): boolean {
  const wasActive = t.when !== undefined;
  t.when = undefined;
  t.c = false;
  return wasActive;
}

/** The runtime's timer check at `now`: a timer whose instant has come sends on its channel. */
export function timerExpire(t: GoTimer, now: Nanos): void {
  if (t.when !== undefined && t.when <= now) {
    t.when = undefined;
    t.c = true;
  }
}

/** `<-t.C` as a `select` case: ready when a value waits; receiving it empties the channel. */
export function timerRecv(t: GoTimer): boolean {
  if (!t.c) return false;
  t.c = false;
  return true;
}

/** The earliest instant among armed timers; `undefined` when none is armed. */
export function earliestWhen(timers: readonly GoTimer[]): Nanos | undefined {
  let best: Nanos | undefined;
  for (const t of timers) if (t.when !== undefined && (best === undefined || t.when < best)) best = t.when;
  return best;
}
