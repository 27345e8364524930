import type { Nanos } from '../time/units.js';
import { TIMER_ORDER, type TimerName } from './types.js';

/** The earliest armed timer; among equal deadlines the first in TIMER_ORDER. */
export function earliestTimer(
  timers: Readonly<Record<TimerName, Nanos | undefined>>,
): { at: Nanos; timer: TimerName } | undefined {
  let best: { at: Nanos; timer: TimerName } | undefined;
  for (const name of TIMER_ORDER) {
    const at = timers[name];
    if (at !== undefined && (best === undefined || at < best.at)) best = { at, timer: name };
  }
  return best;
}
