import type { Http2Connection } from '../capture/capture.js';
import type { Actor } from '../conn/types.js';
import type { Scenario } from '../scenario/schema.js';
import { hostKernel, tcpKeepaliveOf } from '../sim/build-network.js';
import { runScenario, type RunResult } from '../sim/world.js';
import { createRng } from '../time/rng.js';
import { formatDuration } from '../time/duration.js';
import { MILLISECOND, SECOND, type Nanos } from '../time/units.js';
import { createAckModel } from './ack-model.js';
import { createCaptureNetwork } from './capture-network.js';
import { replayKernel, type KernelReplay } from './kernel-replay.js';
import type { ReplayInput } from './replay-input.js';

export type ReplayOptions = {
  /** Which side grpc-go's model plays; the other side is the capture. */
  readonly side: Actor;
  /** Gives the modelled side's version, keepalive and enforcement; its network, workload and faults are not used. */
  readonly scenario: Scenario;
  /** How far apart a model PING and a real one may be for the real one's round trip to carry over. @default 1s */
  readonly matchWindow?: Nanos;
  /** Round trip for model PINGs with no real PING nearby. @default the capture's measured round trip, else 1 ms */
  readonly ackDelay?: Nanos;
  /** Apply grpc-go's public-API floors to Time. @default true */
  readonly clamp?: boolean;
  /** The captured connection's TCP segments: with them, the side's kernel is replayed too (kernel-replay.ts). */
  readonly tcp?: Http2Connection;
};

/** What the model did with the capture, and what the capture itself shows. */
export type ReplayResult = {
  readonly run: RunResult;
  readonly side: Actor;
  /** The model closed the connection on its own (keepalive, enforcement, age, idle), before the capture's end. */
  readonly verdict: ReplayVerdict;
  readonly captured: CapturedEnd;
  readonly assumptions: readonly string[];
  /** What the side's kernel would have done with the capture; `undefined` with the reason when not modelled. */
  readonly kernel: KernelReplay | { readonly notModelled: string };
};

export type ReplayVerdict =
  | { readonly closed: true; readonly at: Nanos; readonly cause: string; readonly reason: string }
  | { readonly closed: false; readonly why: string };

/** How the real connection ended in the capture, seen from the modelled side. */
export type CapturedEnd = {
  /** The real modelled side's first close signal (GOAWAY, FIN or RST), if it sent one. */
  readonly modelledSideClosed: { readonly at: Nanos; readonly how: string } | undefined;
  /** The real peer's first FIN or RST, if any. */
  readonly peerClosed: { readonly at: Nanos; readonly how: string } | undefined;
  readonly end: Nanos;
};

const OWN_DECISIONS = new Set(['keepalive', 'too_many_pings', 'max_age', 'drained', 'tcp_abort']);

/**
 * Drives grpc-go's model for `side` with a captured connection: the real peer's frames reach it at
 * their capture times, its PINGs are answered as the capture suggests (ack-model.ts), and the run
 * stops where the capture ends. Everything else is the simulator's own machinery, so the timeline
 * and the verdict read as for `kpsim run`.
 */
export function replayCapture(input: ReplayInput, options: ReplayOptions): ReplayResult {
  const side = options.side;
  const matchWindow = options.matchWindow ?? SECOND;
  const fallback = options.ackDelay ?? input.rtt ?? MILLISECOND;
  const assumptions: string[] = [
    `the capture is taken at the ${side}'s host: a frame's capture time is when it reached the ${side}`,
    `a model PING within ${formatDuration(matchWindow)} of a real one borrows that one's round trip; others assume ${formatDuration(fallback)}${options.ackDelay !== undefined ? ' (--ack-delay)' : input.rtt !== undefined ? ' (measured in the capture)' : ' (nothing to measure in the capture)'}`,
    `the ${side}'s own application writes come from the model (a stream handler that returns at the request's end), not from the capture`,
  ];
  const acks = createAckModel(input.frames, side, matchWindow, fallback);
  const network = createCaptureNetwork(input, side, acks);
  // The real peer is the capture: its model stays silent (no keepalive, no workload).
  const sc: Scenario = {
    ...options.scenario,
    name: options.scenario.name,
    workload: [],
    faults: [],
    horizon: input.end,
    ...(side === 'server' ? { client: { ...options.scenario.client, keepalive: undefined } } : {}),
  };
  const run = runScenario(sc, { network, clamp: options.clamp ?? true });
  return { run, side, verdict: verdictOf(run, side, input), captured: capturedEnd(input, side), assumptions, kernel: kernelOf(run, side, options) };
}

/** How long the kernel model may run past the capture's end to see whether it would give up. */
const BEYOND_CAPTURE = 120e9;

function kernelOf(run: RunResult, side: Actor, options: ReplayOptions): ReplayResult['kernel'] {
  if (options.tcp === undefined) return { notModelled: 'no TCP segments given: only the frames were replayed' };
  const sc = run.scenario;
  if (sc.network.model !== 'tcp') return { notModelled: 'the scenario\'s network is "scripted": no kernel is modelled' };
  const cfg = side === 'server' ? run.serverConfig : run.clientConfig;
  const o = run.outcome[side];
  const appClose = o.state === 'closed' && o.closedAt !== undefined && o.kernelAbort === undefined ? { at: o.closedAt, rst: o.socketSent === 'RST' } : undefined;
  return replayKernel(options.tcp, {
    appClose,
    side,
    kernel: hostKernel(sc, side, createRng(run.seed).fork(31)),
    kernelName: sc[side].kernel.version,
    userTimeout: cfg.tcpUserTimeout,
    keepalive: tcpKeepaliveOf(sc, side),
    mss: sc.network.tcp.mss,
    retries2: sc.network.tcp.retries2,
    beyond: BEYOND_CAPTURE,
    // The scenario may fix the host's tick grid; otherwise it is read from the capture.
    fitGrid: sc[side].kernel.jiffies === undefined && sc[side].kernel.tickPhase === undefined,
  });
}

function verdictOf(run: RunResult, side: Actor, input: ReplayInput): ReplayVerdict {
  const o = run.outcome[side];
  if (o.state === 'closed' && o.closedAt !== undefined && o.cause !== undefined && OWN_DECISIONS.has(o.cause)) {
    return { closed: true, at: o.closedAt, cause: o.cause, reason: o.error ?? o.cause };
  }
  if (o.state === 'closed' && o.closedAt !== undefined) {
    return { closed: false, why: `the real peer ended the connection first (${o.cause ?? 'closed'} at ${formatDuration(o.closedAt)}); the model had not closed it` };
  }
  return { closed: false, why: `the model keeps the connection open to the end of the capture (${formatDuration(input.end)})` };
}

function capturedEnd(input: ReplayInput, side: Actor): CapturedEnd {
  let modelledSideClosed: CapturedEnd['modelledSideClosed'];
  let peerClosed: CapturedEnd['peerClosed'];
  for (const f of input.frames) {
    if (f.from === side && f.frame.type === 'GOAWAY' && modelledSideClosed === undefined) {
      modelledSideClosed = { at: f.at, how: `GOAWAY ${f.frame.code}${f.frame.debugData === '' ? '' : ` "${f.frame.debugData}"`}` };
    }
  }
  for (const s of input.signals) {
    if (s.from === side && (modelledSideClosed === undefined || s.at < modelledSideClosed.at)) modelledSideClosed = { at: s.at, how: s.signal };
    if (s.from !== side && peerClosed === undefined) peerClosed = { at: s.at, how: s.signal };
  }
  return { modelledSideClosed, peerClosed, end: input.end };
}
