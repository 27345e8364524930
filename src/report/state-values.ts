import type { StateValue } from '../sim/trace.js';
import { formatDuration } from '../time/duration.js';
import { formatInstant } from './clock-format.js';

/**
 * How the watched state variables of a trace are shown. Names are upstream's (`kpTimer`,
 * `lastRead`, `prevNano`, ...), so a line can be held next to grpc-go's source.
 */

/** Variables holding an absolute virtual instant (ns since the start of the run). */
export const INSTANT_VARS = ['kpTimer', 'lastRead', 'prevNano', 'lastPingAt', 'idle', 'idleTimer', 'ageTimer', 'drainTimer', 'timer'] as const;
/** Variables holding a duration (ns). */
export const DURATION_VARS = ['kpTimeoutLeft', 'timeoutLeft'] as const;

const INSTANTS: ReadonlySet<string> = new Set(INSTANT_VARS);
const DURATIONS: ReadonlySet<string> = new Set(DURATION_VARS);

/** `60.010s` for instants, `5s` for durations, `none` for unset (a stopped timer), the value itself otherwise. */
export function formatStateValue(name: string, value: StateValue): string {
  if (value === null) return 'none';
  if (typeof value === 'number' && INSTANTS.has(name)) return formatInstant(value);
  if (typeof value === 'number' && DURATIONS.has(name)) return formatDuration(value);
  return String(value);
}

/** `outstandingPing false->true  kpTimeoutLeft 0s->5s`, in the order the trace lists them. */
export function formatChanges(changes: Readonly<Record<string, readonly [StateValue, StateValue]>>): string {
  return Object.entries(changes)
    .map(([name, [before, after]]) => `${name} ${formatStateValue(name, before)}->${formatStateValue(name, after)}`)
    .join('  ');
}

/** A full state snapshot: `kpTimer=60.010s lastRead=0.010s ...`. */
export function formatState(state: Readonly<Record<string, StateValue>>): string {
  return Object.entries(state)
    .map(([name, value]) => `${name}=${formatStateValue(name, value)}`)
    .join(' ');
}
