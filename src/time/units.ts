/**
 * Virtual time is an integer count of nanoseconds (Go's `time.Duration` unit) held in a `number`.
 * A `number` is exact up to 2^53 ns, about 104 days of virtual time: the scenario schema caps
 * `horizon` at 100 days (MAX_HORIZON) to stay inside it.
 * "Never" is `undefined`, not a sentinel value.
 */
export type Nanos = number;

export const NANOSECOND = 1;
export const MICROSECOND = 1_000;
export const MILLISECOND = 1_000_000;
export const SECOND = 1_000_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

export const toMs = (ns: Nanos): number => ns / MILLISECOND;

/** Go's `min` on durations, kept as a named helper to mirror upstream's `minTime`. */
export const minNanos = (a: Nanos, b: Nanos): Nanos => (a < b ? a : b);
