import { createServerConn, serverNextTimer, serverPrefaceFrames, stepServer, type ServerConnState } from '../../src/conn/server-conn.js';
import type { ConnAction, ConnEvent } from '../../src/conn/types.js';
import type { Frame } from '../../src/frames/frame.js';
import { normalizeServer } from '../../src/keepalive/params.js';
import { featuresOf, parseGrpcGoVersion } from '../../src/keepalive/versions.js';
import {
  literalServerEnded,
  literalServerFireTimers,
  literalServerHandlerReturned,
  literalServerNextDeadline,
  literalServerRead,
  literalServerSendMsg,
  newLiteralServer,
  type LiteralServer,
} from '../../src/testing/literal/server-literal.js';
import { createRng } from '../../src/time/rng.js';
import { MINUTE, SECOND, type Nanos } from '../../src/time/units.js';
import { assertAgree, stuck, type Observation } from './agreement.js';
import { kpsimFrameText, literalFrameText, timed } from './frame-text.js';
import { toLiteralFrame } from './literal-frames.js';

/**
 * Drives kpsim's server machine (src/conn/server-conn.ts) and the literal model
 * (src/testing/literal/server-literal.ts) side by side on one virtual clock.
 *
 * Tie rule: a command that reads a frame or runs the application at `now` goes before any timer
 * due at that same `now`; those timers fire at the start of the next clock advance, at their own
 * deadline. (kpsim's world calls this `tieOrder: reads-first`, its default.)
 */
export type ServerSettings = {
  readonly version: '1.83.1' | '1.25.0';
  /** Scale of the generated durations (1 ns or 1 min), printed so a script reads in its unit. */
  readonly unit: Nanos;
  readonly time: Nanos;
  /** `undefined`: grpc-go's default (20 s). */
  readonly timeout: Nanos | undefined;
  /** `undefined`: grpc-go's default (5 min). */
  readonly minTime: Nanos | undefined;
  readonly permitWithoutStream: boolean;
};

export type ServerModel = {
  readonly settings: ServerSettings;
  readonly lit: LiteralServer;
  now: Nanos;
  /** Every stream id the client opened, in order. */
  readonly streams: number[];
  readonly script: string[];
  readonly litFrames: string[];
};

export type ServerReal = {
  readonly conn: ServerConnState;
  readonly frames: string[];
  ended: { at: Nanos; cause: string } | undefined;
};

export type AgreementOptions = {
  /**
   * Compare the literal's `Close` (socket closed) instead of the instant it stopped writing, and
   * compare timers after the end too. Off by default: see KNOWN DISAGREEMENT 1 in the test file.
   */
  readonly strictClose: boolean;
};

const GUARD = 100_000;

export function setupServer(settings: ServerSettings): { model: ServerModel; real: ServerReal } {
  const features = featuresOf(parseGrpcGoVersion(settings.version));
  const cfg = normalizeServer(
    { time: settings.time, timeout: settings.timeout },
    { minTime: settings.minTime, permitWithoutStream: settings.permitWithoutStream },
    features,
    createRng(1),
    { clamp: false },
  );
  const real: ServerReal = { conn: createServerConn(features, cfg, 0), frames: [], ended: undefined };
  for (const f of serverPrefaceFrames()) real.frames.push(timed(0, kpsimFrameText(f)));
  // The world creates the server when it reads the client's SETTINGS, and hands it that frame.
  stepReal(real, { type: 'frameRead', frame: { type: 'SETTINGS', ack: false } }, 0);
  const lit = newLiteralServer(
    {
      tag: settings.version === '1.83.1' ? 'v1.83.1' : 'v1.25.0',
      // newHTTP2Server's defaults, written out here rather than taken from kpsim's normalizeServer.
      kp: { Time: settings.time, Timeout: settings.timeout ?? 20 * SECOND },
      kep: { MinTime: settings.minTime ?? 5 * MINUTE, PermitWithoutStream: settings.permitWithoutStream },
    },
    0,
  );
  const model: ServerModel = { settings, lit, now: 0, streams: [], script: [`settings ${JSON.stringify(settings)}`], litFrames: [] };
  return { model, real };
}

function stepReal(r: ServerReal, event: ConnEvent, now: Nanos): void {
  const out: ConnAction[] = [];
  stepServer(r.conn, event, now, out);
  for (const a of out) {
    if (a.type === 'sendFrame') r.frames.push(timed(now, kpsimFrameText(a.frame)));
    else if (a.type === 'close' && r.ended === undefined) r.ended = { at: now, cause: a.cause };
  }
}

/** Move the clock to `target`, firing on each side, in deadline order, every timer due before it. */
export function advanceServer(m: ServerModel, r: ServerReal, target: Nanos): void {
  for (let i = 0; ; i++) {
    const next = serverNextTimer(r.conn);
    if (i > GUARD) throw stuck('kpsim', next?.at, m.script);
    if (next === undefined || next.at >= target) break;
    stepReal(r, { type: 'timerFired', timer: next.timer }, next.at);
  }
  for (let i = 0; ; i++) {
    if (i > GUARD) throw stuck('literal model', literalServerNextDeadline(m.lit), m.script);
    const at = literalServerNextDeadline(m.lit);
    if (at === undefined || at >= target) break;
    literalServerFireTimers(m.lit, at);
  }
  m.now = target;
}

export function readByServer(m: ServerModel, r: ServerReal, frame: Frame): void {
  stepReal(r, { type: 'frameRead', frame }, m.now);
  literalServerRead(m.lit, m.now, toLiteralFrame(frame));
  if (frame.type === 'HEADERS' && frame.kind === 'request') m.streams.push(frame.streamId);
}

export function serverSendsMessage(m: ServerModel, r: ServerReal, streamId: number, size: number): void {
  stepReal(r, { type: 'messageWritten', streamId, size, endStream: false }, m.now);
  literalServerSendMsg(m.lit, m.now, streamId, size);
}

export function serverHandlerReturns(m: ServerModel, r: ServerReal, streamId: number): void {
  stepReal(r, { type: 'handlerReturned', streamId }, m.now);
  literalServerHandlerReturned(m.lit, m.now, streamId);
}

/** The transport has stopped (either side says so): commands stop applying. */
export function serverEnded(m: Readonly<ServerModel>): boolean {
  return literalServerEnded(m.lit) !== undefined;
}

export function checkServerAgreement(m: ServerModel, r: ServerReal, opts: AgreementOptions): void {
  for (let i = m.litFrames.length; i < m.lit.written.length; i++) {
    const w = m.lit.written[i];
    if (w !== undefined) m.litFrames.push(timed(w.at, literalFrameText(w.frame)));
  }
  const litEnd = opts.strictClose ? m.lit.closed : literalServerEnded(m.lit);
  const literal: Observation = {
    frames: m.litFrames,
    ended: litEnd === undefined ? undefined : { at: litEnd.at, cause: litEnd.cause },
    nextDeadline: literalServerNextDeadline(m.lit),
  };
  const kpsim: Observation = { frames: r.frames, ended: r.ended, nextDeadline: serverNextTimer(r.conn)?.at };
  assertAgree(kpsim, literal, m.script, { compareDeadline: opts.strictClose || literalServerEnded(m.lit) === undefined });
}
