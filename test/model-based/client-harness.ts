import { clientNextTimer, clientPrefaceFrames, createClientConn, stepClient, type ClientConnState } from '../../src/conn/client-conn.js';
import type { ConnAction, ConnEvent } from '../../src/conn/types.js';
import type { Frame } from '../../src/frames/frame.js';
import { normalizeClient } from '../../src/keepalive/params.js';
import { featuresOf, parseGrpcGoVersion } from '../../src/keepalive/versions.js';
import {
  literalClientClosed,
  literalClientFireTimers,
  literalClientNewStream,
  literalClientNextDeadline,
  literalClientRead,
  literalClientSendMsg,
  newLiteralClient,
  type LiteralClient,
} from '../../src/testing/literal/client-literal.js';
import { SECOND, type Nanos } from '../../src/time/units.js';
import { assertAgree, stuck, type Observation } from './agreement.js';
import { kpsimFrameText, literalFrameText, timed } from './frame-text.js';
import { toLiteralFrame } from './literal-frames.js';

/**
 * Drives kpsim's client machine (src/conn/client-conn.ts) and the literal model
 * (src/testing/literal/client-literal.ts) side by side on one virtual clock. Same tie rule as the
 * server harness: reads and application calls at `now` go before timers due at `now`.
 */
export type ClientSettings = {
  readonly version: '1.83.1' | '1.25.0';
  readonly time: Nanos;
  /** `undefined`: grpc-go's default (20 s). */
  readonly timeout: Nanos | undefined;
  readonly permitWithoutStream: boolean;
  /** When the client reads the server's SETTINGS (its first frame) after dialling at 0. */
  readonly prefaceAt: Nanos;
};

export type ClientModel = {
  readonly settings: ClientSettings;
  readonly lit: LiteralClient;
  now: Nanos;
  /** Every stream id the client opened, in order. */
  readonly streams: number[];
  readonly script: string[];
  readonly litFrames: string[];
};

export type ClientReal = {
  readonly conn: ClientConnState;
  readonly frames: string[];
  ended: { at: Nanos; cause: string } | undefined;
};

const GUARD = 100_000;

export function setupClient(settings: ClientSettings): { model: ClientModel; real: ClientReal } {
  const features = featuresOf(parseGrpcGoVersion(settings.version));
  const cfg = normalizeClient({ time: settings.time, timeout: settings.timeout, permitWithoutStream: settings.permitWithoutStream }, features, { clamp: false });
  const real: ClientReal = { conn: createClientConn(features, cfg, 0), frames: [], ended: undefined };
  for (const f of clientPrefaceFrames()) real.frames.push(timed(0, kpsimFrameText(f)));
  const lit = newLiteralClient(
    {
      tag: settings.version === '1.83.1' ? 'v1.83.1' : 'v1.25.0',
      // newHTTP2Client's default Timeout, written out here rather than taken from normalizeClient.
      kp: { Time: settings.time, Timeout: settings.timeout ?? 20 * SECOND, PermitWithoutStream: settings.permitWithoutStream },
    },
    0,
  );
  const model: ClientModel = { settings, lit, now: 0, streams: [], script: [`settings ${JSON.stringify(settings)}`], litFrames: [] };
  advanceClient(model, real, settings.prefaceAt);
  readByClient(model, real, { type: 'SETTINGS', ack: false });
  model.script.push(`t=${settings.prefaceAt} read the server's SETTINGS (preface)`);
  return { model, real };
}

function stepReal(r: ClientReal, event: ConnEvent, now: Nanos): void {
  const out: ConnAction[] = [];
  stepClient(r.conn, event, now, out);
  for (const a of out) {
    if (a.type === 'sendFrame') r.frames.push(timed(now, kpsimFrameText(a.frame)));
    else if (a.type === 'close' && r.ended === undefined) r.ended = { at: now, cause: a.cause };
  }
}

export function advanceClient(m: ClientModel, r: ClientReal, target: Nanos): void {
  for (let i = 0; ; i++) {
    const next = clientNextTimer(r.conn);
    if (i > GUARD) throw stuck('kpsim', next?.at, m.script);
    if (next === undefined || next.at >= target) break;
    stepReal(r, { type: 'timerFired', timer: next.timer }, next.at);
  }
  for (let i = 0; ; i++) {
    const at = literalClientNextDeadline(m.lit);
    if (i > GUARD) throw stuck('literal model', at, m.script);
    if (at === undefined || at >= target) break;
    literalClientFireTimers(m.lit, at);
  }
  m.now = target;
}

export function readByClient(m: ClientModel, r: ClientReal, frame: Frame): void {
  stepReal(r, { type: 'frameRead', frame }, m.now);
  literalClientRead(m.lit, m.now, toLiteralFrame(frame));
}

export function clientOpensStream(m: ClientModel, r: ClientReal): void {
  const id = literalClientNewStream(m.lit, m.now);
  if (id === undefined) throw new Error('literal model refused a stream on an open transport');
  m.streams.push(id);
  stepReal(r, { type: 'streamStarted', streamId: id, unary: false }, m.now);
}

export function clientSendsMessage(m: ClientModel, r: ClientReal, streamId: number, size: number, last: boolean): void {
  stepReal(r, { type: 'messageWritten', streamId, size, endStream: last }, m.now);
  literalClientSendMsg(m.lit, m.now, streamId, size, last);
}

export function clientEnded(m: Readonly<ClientModel>): boolean {
  return literalClientClosed(m.lit) !== undefined;
}

export function checkClientAgreement(m: ClientModel, r: ClientReal): void {
  for (let i = m.litFrames.length; i < m.lit.written.length; i++) {
    const w = m.lit.written[i];
    if (w !== undefined) m.litFrames.push(timed(w.at, literalFrameText(w.frame)));
  }
  const literal: Observation = { frames: m.litFrames, ended: literalClientClosed(m.lit), nextDeadline: literalClientNextDeadline(m.lit) };
  const kpsim: Observation = { frames: r.frames, ended: r.ended, nextDeadline: clientNextTimer(r.conn)?.at };
  assertAgree(kpsim, literal, m.script, { compareDeadline: true });
}
