import { MILLISECOND, toMs, type Nanos } from '../time/units.js';

/**
 * Virtual instants as people read them in a timeline: seconds since the start of the run with
 * millisecond precision (`65.010s`). Integer arithmetic only, so the text never depends on
 * floating-point rounding.
 */
export function formatInstant(ns: Nanos): string {
  const totalMs = Math.round(ns / MILLISECOND);
  const sign = totalMs < 0 ? '-' : '';
  const abs = Math.abs(totalMs);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}s`;
}

/** The gap since the previous timeline line: `+5.000s`. */
export function formatDelta(ns: Nanos): string {
  return ns < 0 ? formatInstant(ns) : `+${formatInstant(ns)}`;
}

/** Nanoseconds to (virtual) milliseconds for JSON outputs; `undefined` becomes `null`. */
export function toMsOrNull(ns: Nanos | undefined): number | null {
  return ns === undefined ? null : toMs(ns);
}
