/**
 * Virtual time is an integer count of nanoseconds (Go's `time.Duration` unit) held in a `number`.
 * A `number` is exact up to 2^53 ns, about 104 days of virtual time: `MAX_VIRTUAL_TIME` guards it.
 * "Never" is `undefined`, not a sentinel value.
 */
export type Nanos = number;

export const NANOSECOND = 1;
export const MICROSECOND = 1_000;
export const MILLISECOND = 1_000_000;
export const SECOND = 1_000_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** Largest instant the simulator accepts: 2^53 - 1 ns (about 104 days). */
export const MAX_VIRTUAL_TIME: Nanos = Number.MAX_SAFE_INTEGER;

export const ms = (n: number): Nanos => Math.round(n * MILLISECOND);
export const sec = (n: number): Nanos => Math.round(n * SECOND);
export const toMs = (ns: Nanos): number => ns / MILLISECOND;

/** Go's `min` on durations, kept as a named helper to mirror upstream's `minTime`. */
export const minNanos = (a: Nanos, b: Nanos): Nanos => (a < b ? a : b);
