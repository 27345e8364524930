import type { Nanos } from '../time/units.js';

/**
 * What the reader goroutine leaves for the keepalive goroutine after every frame it reads:
 * - `lastRead`: the time of the last frame read (`last-read` loops, atomic int64 upstream);
 * - `activity`: a flag set on every read and cleared by the timer (`activity-flag` loops).
 * Both are written on every read, whichever loop the version runs, exactly as upstream's reader
 * writes only the one its loop uses; the unused one is simply never consulted.
 */
export type ReadMarks = { lastRead: Nanos; activity: boolean };

export function stampRead(marks: ReadMarks, now: Nanos): void {
  marks.lastRead = now;
  marks.activity = true;
}
