import type { Frame } from '../../src/frames/frame.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { TraceRecord } from '../../src/sim/trace.js';
import { runScenario, type RunOptions, type RunResult } from '../../src/sim/world.js';

export const MS = 1_000_000;
export const S = 1_000_000_000;

/** Runs an input-form scenario (validated as a file would be). */
export function run(input: Omit<ScenarioInput, 'name'> & { name?: string }, options: RunOptions = {}): RunResult {
  return runScenario(parseScenario({ name: 'test', server: {}, client: {}, ...input }, 'test'), options);
}

export type SentFrame = { at: number; actor: string; frame: Frame; arrivesAt: number | undefined };

/** Every frame sent, in order, with its send time. */
export function sentFrames(r: RunResult, actor?: 'server' | 'client'): SentFrame[] {
  const out: SentFrame[] = [];
  for (const rec of r.trace) {
    if (actor !== undefined && rec.actor !== actor) continue;
    for (const a of rec.actions) if (a.type === 'sendFrame') out.push({ at: rec.at, actor: rec.actor, frame: a.frame, arrivesAt: a.arrivesAt });
  }
  return out;
}

export const isKeepalivePing = (f: Frame): boolean => f.type === 'PING' && !f.ack && f.payload === 'keepalive';
export const isGoAway = (f: Frame): boolean => f.type === 'GOAWAY';

/** Times (ns) at which `actor` sent frames matching `pred`. */
export function sendTimes(r: RunResult, actor: 'server' | 'client', pred: (f: Frame) => boolean): number[] {
  return sentFrames(r, actor)
    .filter((s) => pred(s.frame))
    .map((s) => s.at);
}

/** Trace records of timer fires for an actor. */
export function timerFires(r: RunResult, actor: 'server' | 'client', timer = 'kpTimer'): TraceRecord[] {
  return r.trace.filter((t) => t.actor === actor && t.event.type === 'timerFired' && t.event.timer === timer);
}

/** Times at which `actor` read frames matching `pred`. */
export function readTimes(r: RunResult, actor: 'server' | 'client', pred: (f: Frame) => boolean): number[] {
  return r.trace.filter((t) => t.actor === actor && t.event.type === 'frameRead' && pred(t.event.frame)).map((t) => t.at);
}
