import type { Scenario, Workload } from '../scenario/schema.js';
import type { Nanos } from '../time/units.js';

/** The most a DATA frame carries at grpc-go's default SETTINGS_MAX_FRAME_SIZE. */
const MAX_FRAME = 16_384;
/**
 * Events each message costs at least: the application's job, and one read per DATA frame at the
 * peer (a unary call adds its HEADERS, the handler's job and the response).
 */
const EVENTS_PER_MESSAGE = 1;
const EVENTS_PER_UNARY_CALL = 4;

/** A lower bound on the events of a run, and where most of them come from. */
export type WorkEstimate = { readonly events: number; readonly largest: { readonly index: number; readonly events: number; readonly what: string } | undefined };

/**
 * A lower bound on how many events a run of `sc` takes, from its workload alone (keepalive,
 * kernel timers and packets add more), so that a run far beyond a budget can be refused before
 * it starts. Never more than the run really takes: a run refused on it would have crossed the
 * budget too.
 */
export function estimateWork(sc: Scenario): WorkEstimate {
  let events = 0;
  let largest: WorkEstimate['largest'];
  sc.workload.forEach((w, index) => {
    const e = workloadEvents(w, sc.horizon);
    events += e.events;
    if (largest === undefined || e.events > largest.events) largest = { index, ...e };
  });
  return { events, largest };
}

function workloadEvents(w: Workload, horizon: Nanos): { events: number; what: string } {
  if (w.type === 'unary') {
    const calls = w.at > horizon ? 0 : w.count === 1 || w.every === undefined ? 1 : Math.min(w.count, Math.floor((horizon - w.at) / w.every) + 1);
    const frames = framesOf(w.requestSize) + framesOf(w.responseSize);
    return { events: calls * (EVENTS_PER_UNARY_CALL + frames), what: `${calls.toLocaleString('en-US')} unary calls` };
  }
  const end = Math.min(w.until ?? horizon, horizon);
  let messages = 0;
  let events = 0;
  for (const m of [w.client, w.server]) {
    if (m === undefined) continue;
    const n = m.times !== undefined ? m.times.filter((t) => w.at + t < end).length : periodic(w.at + m.first, end, m.every as Nanos);
    messages += n;
    events += n * (EVENTS_PER_MESSAGE + framesOf(m.size));
  }
  return { events, what: `${messages.toLocaleString('en-US')} stream messages` };
}

/** How many of start, start + every, ... fall before `end`. */
function periodic(start: Nanos, end: Nanos, every: Nanos): number {
  return start >= end ? 0 : Math.floor((end - 1 - start) / every) + 1;
}

/** DATA frames a gRPC message of `size` bytes (plus its 5-byte prefix) takes. */
function framesOf(size: number): number {
  return Math.ceil((size + 5) / MAX_FRAME);
}
