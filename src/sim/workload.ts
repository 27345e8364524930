import type { Actor, ConnEvent } from '../conn/types.js';
import { assertNever } from '../lib/assert-never.js';
import type { Scenario } from '../scenario/schema.js';
import type { Nanos } from '../time/units.js';

/**
 * The applications on both ends: the device's streams and unary calls, and the server's handlers.
 * Jobs are scheduled on the world's queue; each turns into events for one connection machine.
 */
export type Job =
  | { readonly j: 'openStream'; readonly handle: number; readonly handler: Handler; readonly requestSize: number }
  /** A message, then the next one `every` later (undefined: no next; listed times are jobs of their own). */
  | { readonly j: 'message'; readonly from: Actor; readonly handle: number; readonly size: number; readonly every: Nanos | undefined; readonly until: Nanos | undefined }
  | { readonly j: 'closeSend'; readonly handle: number }
  | { readonly j: 'respond'; readonly streamId: number; readonly size: number }
  | { readonly j: 'handlerReturn'; readonly streamId: number };

export type ScheduledJob = { readonly at: Nanos; readonly job: Job };

/** The server handler of a stream: unary calls respond after handlerTime, streams return at END_STREAM. */
export type Handler = { readonly unary: boolean; readonly handlerTime: Nanos; readonly responseSize: number };
const STREAM_HANDLER: Handler = { unary: false, handlerTime: 0, responseSize: 0 };

/**
 * A unary workload's `count` calls, `every` apart, with consecutive handles from `firstHandle`.
 * It is planned as one entry, not `count` jobs: call `i + 1` is built (`callJob`) when call
 * `i` is taken from the queue, so a series of 10^9 calls holds one job at a time.
 */
export type UnarySeries = {
  readonly at: Nanos;
  readonly every: Nanos;
  readonly count: number;
  readonly firstHandle: number;
  readonly handler: Handler;
  readonly requestSize: number;
};

/**
 * What planWorkload schedules, in the order it is to be queued: a job, or a series of calls.
 * A series holds `count` places in that order (EventQueue.reserve), one per call, so that the
 * queue orders its calls as if every one had been pushed at the start.
 */
export type PlannedEntry = { readonly kind: 'job'; readonly at: Nanos; readonly job: Job } | { readonly kind: 'series'; readonly series: UnarySeries };

export type WorkloadState = {
  /** Client stream id assigned to each stream workload's handle when its stream opened. */
  readonly streamIds: Map<number, number>;
  /** Per stream id, its server handler, until the handler returns. */
  readonly handlers: Map<number, Handler>;
  nextStreamId: number;
};

export function planWorkload(sc: Scenario): { state: WorkloadState; entries: PlannedEntry[] } {
  const state: WorkloadState = { streamIds: new Map(), handlers: new Map(), nextStreamId: 1 };
  const entries: PlannedEntry[] = [];
  const job = (at: Nanos, j: Job): void => void entries.push({ kind: 'job', at, job: j });
  let handle = 0;
  for (const w of sc.workload) {
    if (w.type === 'stream') {
      const h = handle++;
      job(w.at, { j: 'openStream', handle: h, handler: STREAM_HANDLER, requestSize: 0 });
      for (const from of ['client', 'server'] as const) {
        const m = w[from];
        if (m === undefined) continue;
        const starts = m.times ?? [m.first];
        for (const t of starts) {
          const at = w.at + t;
          if (w.until === undefined || at < w.until) job(at, { j: 'message', from, handle: h, size: m.size, every: m.every, until: w.until });
        }
      }
      if (w.until !== undefined) job(w.until, { j: 'closeSend', handle: h });
    } else {
      const handler: Handler = { unary: true, handlerTime: w.handlerTime, responseSize: w.responseSize };
      entries.push({ kind: 'series', series: { at: w.at, every: w.every ?? 0, count: w.count, firstHandle: handle, handler, requestSize: w.requestSize } });
      handle += w.count;
    }
  }
  return { state, entries };
}

/** When call `i` of a series (0 first) starts. */
export function callAt(series: UnarySeries, i: number): Nanos {
  return series.at + i * series.every;
}

/** The job of call `i` of a series. */
export function callJob(series: UnarySeries, i: number): Job {
  return { j: 'openStream', handle: series.firstHandle + i, handler: series.handler, requestSize: series.requestSize };
}

/** Which side's application runs a job. */
export function jobActor(job: Job): Actor {
  switch (job.j) {
    case 'openStream':
    case 'closeSend':
      return 'client';
    case 'message':
      return job.from;
    case 'respond':
    case 'handlerReturn':
      return 'server';
    default:
      return assertNever(job, 'job');
  }
}

/** Turns a due job into the events it causes on one side, and the job to schedule next, if any. */
export function runJob(
  state: WorkloadState,
  job: Job,
  now: Nanos,
): { actor: Actor; events: ConnEvent[]; next?: ScheduledJob } {
  switch (job.j) {
    case 'openStream': {
      const id = state.nextStreamId;
      state.nextStreamId += 2;
      // Only a stream workload's later jobs (messages, closeSend) look their stream up by handle.
      if (!job.handler.unary) state.streamIds.set(job.handle, id);
      state.handlers.set(id, job.handler);
      const events: ConnEvent[] = [{ type: 'streamStarted', streamId: id, unary: job.handler.unary }];
      if (job.handler.unary) events.push({ type: 'messageWritten', streamId: id, size: grpcLength(job.requestSize), endStream: true });
      return { actor: 'client', events };
    }
    case 'message': {
      const id = state.streamIds.get(job.handle);
      const nextAt = job.every === undefined ? undefined : now + job.every;
      const next = nextAt !== undefined && (job.until === undefined || nextAt < job.until) ? { at: nextAt, job } : undefined;
      const events: ConnEvent[] = id === undefined ? [] : [{ type: 'messageWritten', streamId: id, size: grpcLength(job.size), endStream: false }];
      return next === undefined ? { actor: job.from, events } : { actor: job.from, events, next };
    }
    case 'closeSend': {
      const id = state.streamIds.get(job.handle);
      return { actor: 'client', events: id === undefined ? [] : [{ type: 'messageWritten', streamId: id, size: 0, endStream: true }] };
    }
    case 'respond':
      return { actor: 'server', events: [{ type: 'messageWritten', streamId: job.streamId, size: grpcLength(job.size), endStream: false }] };
    case 'handlerReturn':
      // The handler is done with its stream (requestReceived comes once per stream).
      state.handlers.delete(job.streamId);
      return { actor: 'server', events: [{ type: 'handlerReturned', streamId: job.streamId }] };
    default:
      return assertNever(job);
  }
}

/** The server read a request's END_STREAM: unary handlers answer after handlerTime, stream handlers return. */
export function onRequestReceived(state: WorkloadState, streamId: number, now: Nanos): ScheduledJob[] {
  const h = state.handlers.get(streamId);
  if (h === undefined || !h.unary) return [{ at: now, job: { j: 'handlerReturn', streamId } }];
  const at = now + h.handlerTime;
  return [
    { at, job: { j: 'respond', streamId, size: h.responseSize } },
    { at, job: { j: 'handlerReturn', streamId } },
  ];
}

/** DATA payload length of one gRPC message: 5-byte prefix + message (an empty END_STREAM stays 0). */
function grpcLength(size: number): number {
  return 5 + size;
}

