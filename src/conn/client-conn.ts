import { dataFrames, type Frame } from '../frames/frame.js';
import type { Nanos } from '../time/units.js';
import {
  clientKeepaliveWoken,
  clientKpTimerFired,
  startClientKeepalive,
  type ClientKeepaliveState,
  type ClientTimerOutcome,
} from '../keepalive/client-keepalive.js';
import type { ClientKeepaliveConfig } from '../keepalive/params.js';
import { stampRead, type ReadMarks } from '../keepalive/read-marks.js';
import type { GrpcGoFeatures } from '../keepalive/versions.js';
import { assertNever } from '../lib/assert-never.js';
import { DEFAULT_FLOW, initialFlow, onDataRead, type FlowSettings, type FlowState } from './bdp.js';
import { clientStreamCloseError, goAwayReasonText } from './client-stream-error.js';
import { makeMachine } from './machine.js';
import { SEND_KEEPALIVE_PING, sendPingAck } from './ping-actions.js';
import type { ConnActionSink, ConnEvent, ConnMachine, TimerName } from './types.js';

/**
 * grpc-go's `http2Client` as far as keepalive is concerned: the reader, `keepalive()` with
 * dormancy, GOAWAY handling (including `too_many_pings`, after which the ClientConn doubles the
 * keepalive Time for its next transport: addrConn.adjustParams), and stream bookkeeping.
 */
export type ClientConnState = {
  readonly features: GrpcGoFeatures;
  readonly cfg: ClientKeepaliveConfig;
  readonly marks: ReadMarks;
  /** `undefined` when keepalive is off (no goroutine runs). */
  readonly ka: ClientKeepaliveState | undefined;
  readonly flow: FlowState;
  readonly activeStreams: Set<number>;
  /** Streams on which the client has sent END_STREAM. */
  readonly halfClosed: Set<number>;
  /** A GOAWAY was read: no new streams on this transport (upstream `state = draining`). */
  goAwayReceived: { code: string; debugData: string; lastStreamId: number } | undefined;
  /** Upstream `goAwayDebugMessage`: set from the first GOAWAY only, quoted in the close error of active RPCs. */
  goAwayDebugMessage: string | undefined;
  /** Keepalive Time the ClientConn will use for its next transport, when a GOAWAY changed it. */
  nextKeepaliveTime: Nanos | undefined;
  closed: boolean;
};

/** The client dials at `now` and writes its preface and SETTINGS. */
export function createClientConn(features: GrpcGoFeatures, cfg: ClientKeepaliveConfig, now: Nanos, flow: FlowSettings = DEFAULT_FLOW): ClientConnState {
  const time = cfg.time;
  return {
    features,
    cfg,
    marks: { lastRead: now, activity: false },
    ka: time === undefined ? undefined : startClientKeepalive({ time, timeout: cfg.timeout, permitWithoutStream: cfg.permitWithoutStream }, now),
    flow: initialFlow(flow),
    activeStreams: new Set(),
    halfClosed: new Set(),
    goAwayReceived: undefined,
    goAwayDebugMessage: undefined,
    nextKeepaliveTime: undefined,
    closed: false,
  };
}

/** The client preface (24 bytes, carried with the first SETTINGS) and SETTINGS. */
export function clientPrefaceFrames(): Frame[] {
  return [{ type: 'SETTINGS', ack: false }];
}

export function stepClient(s: ClientConnState, event: ConnEvent, now: Nanos, out: ConnActionSink): void {
  if (s.closed) return;
  switch (event.type) {
    case 'frameRead':
      stampRead(s.marks, now);
      onFrame(s, event.frame, now, out);
      return;
    case 'timerFired': {
      if (event.timer !== 'kpTimer' || s.ka === undefined) return;
      const t = s.cfg.time as Nanos;
      const settings = { time: t, timeout: s.cfg.timeout, permitWithoutStream: s.cfg.permitWithoutStream };
      applyOutcome(s, clientKpTimerFired(s.ka, s.marks, settings, s.features.clientLoop, s.activeStreams.size, now), out);
      return;
    }
    case 'streamStarted': {
      if (s.goAwayReceived !== undefined) {
        out.push({ type: 'streamFailed', streamId: event.streamId, error: 'transport is draining (GOAWAY received): the RPC goes to a new connection' });
        return;
      }
      s.activeStreams.add(event.streamId);
      out.push({ type: 'sendFrame', frame: { type: 'HEADERS', streamId: event.streamId, endStream: false, kind: 'request' } });
      // NewStream signals kpDormancyCond when the keepalive goroutine is dormant.
      if (s.ka?.kpDormant === true) {
        const t = s.cfg.time as Nanos;
        const settings = { time: t, timeout: s.cfg.timeout, permitWithoutStream: s.cfg.permitWithoutStream };
        applyOutcome(s, clientKeepaliveWoken(s.ka, settings, s.features.clientLoop, now), out);
      }
      return;
    }
    case 'messageWritten':
      if (!s.activeStreams.has(event.streamId)) return;
      for (const frame of dataFrames(event.streamId, event.size, event.endStream)) out.push({ type: 'sendFrame', frame });
      if (event.endStream) s.halfClosed.add(event.streamId);
      return;
    case 'handlerReturned':
      return;
    case 'eofRead':
      closeTransport(s, out, 'eof', 'error reading from server: EOF');
      return;
    case 'resetReceived':
      closeTransport(s, out, 'reset', 'error reading from server: read: connection reset by peer');
      return;
    case 'socketTimedOut':
      closeTransport(s, out, 'tcp_abort', 'error reading from server: read: connection timed out');
      return;
    default:
      return assertNever(event, 'event');
  }
}

function applyOutcome(s: ClientConnState, outcome: ClientTimerOutcome, out: ConnActionSink): void {
  if (outcome === 'ping') out.push(SEND_KEEPALIVE_PING);
  else if (outcome === 'close') closeTransport(s, out, 'keepalive', s.features.text.clientKeepalive);
}

function onFrame(s: ClientConnState, f: Frame, now: Nanos, out: ConnActionSink): void {
  switch (f.type) {
    case 'SETTINGS':
      if (!f.ack) out.push({ type: 'sendFrame', frame: { type: 'SETTINGS', ack: true } });
      return;
    case 'PING':
      if (f.ack) {
        if (f.payload === 'bdp') s.flow.bdpPingSent = false;
        return;
      }
      // The client answers every PING and enforces no policy.
      out.push(sendPingAck(f.payload));
      return;
    case 'HEADERS':
      if (f.endStream) serverEndedStream(s, f.streamId, now, out);
      return;
    case 'DATA': {
      for (const frame of onDataRead(s.flow, f.length)) out.push({ type: 'sendFrame', frame });
      if (f.endStream) serverEndedStream(s, f.streamId, now, out);
      return;
    }
    case 'RST_STREAM':
      if (s.activeStreams.has(f.streamId)) {
        out.push({ type: 'streamFailed', streamId: f.streamId, error: `stream reset by server: ${f.code}` });
        endStream(s, f.streamId, now, out);
      }
      return;
    case 'GOAWAY':
      onGoAway(s, f, out);
      return;
    case 'WINDOW_UPDATE':
      return;
    default:
      return assertNever(f, 'frame');
  }
}

/** http2Client.handleGoAway + loopy's incomingGoAwayHandler. */
function onGoAway(s: ClientConnState, f: Extract<Frame, { type: 'GOAWAY' }>, out: ConnActionSink): void {
  if (s.goAwayReceived === undefined && f.code === 'ENHANCE_YOUR_CALM' && f.debugData === 'too_many_pings') {
    out.push({ type: 'log', text: 'Client received GoAway with error code ENHANCE_YOUR_CALM and debug data equal to ASCII "too_many_pings".' });
    // addrConn.adjustParams: the next transport uses twice the dialled keepalive Time.
    if (s.cfg.time !== undefined) s.nextKeepaliveTime = 2 * s.cfg.time;
  }
  if (s.goAwayReceived === undefined) s.goAwayDebugMessage = goAwayReasonText(s.features.version, f.code, f.debugData);
  s.goAwayReceived = { code: f.code, debugData: f.debugData, lastStreamId: f.lastStreamId };
  // Streams above the GOAWAY's last stream id were not processed: they fail (and may be retried).
  for (const id of [...s.activeStreams]) {
    if (id > f.lastStreamId) {
      s.activeStreams.delete(id);
      out.push({ type: 'streamFailed', streamId: id, error: 'the connection is draining due to GOAWAY; stream not processed (retryable)' });
    }
  }
  if (s.activeStreams.size === 0) closeTransport(s, out, 'goaway', 'received GOAWAY with no active streams');
}

/** The server ended a stream (trailers, or DATA with END_STREAM); one the client had not half-closed is reset with NO_ERROR (closeStream with rst). */
function serverEndedStream(s: ClientConnState, id: number, now: Nanos, out: ConnActionSink): void {
  if (s.activeStreams.has(id) && !s.halfClosed.has(id)) {
    out.push({ type: 'sendFrame', frame: { type: 'RST_STREAM', streamId: id, code: 'NO_ERROR' } });
  }
  endStream(s, id, now, out);
}

function endStream(s: ClientConnState, id: number, _now: Nanos, out: ConnActionSink): void {
  s.halfClosed.delete(id);
  if (!s.activeStreams.delete(id)) return;
  if (s.goAwayReceived !== undefined && s.activeStreams.size === 0) {
    closeTransport(s, out, 'goaway', 'finished processing active streams while in draining mode');
  }
}

function closeTransport(s: ClientConnState, out: ConnActionSink, cause: 'keepalive' | 'goaway' | 'eof' | 'reset' | 'tcp_abort', reason: string): void {
  if (s.closed) return;
  s.closed = true;
  if (s.ka !== undefined) {
    s.ka.timer = undefined;
    s.ka.kpDormant = false;
  }
  const error = clientStreamCloseError(s.features.version, reason, s.goAwayDebugMessage);
  for (const id of s.activeStreams) out.push({ type: 'streamFailed', streamId: id, error });
  out.push({ type: 'close', cause, reason });
}

export function clientNextTimer(s: ClientConnState): { at: Nanos; timer: TimerName } | undefined {
  const at = s.ka?.timer;
  return at === undefined ? undefined : { at, timer: 'kpTimer' };
}

export function watchClient(s: ClientConnState): Record<string, string | number | boolean | null> {
  const w: Record<string, string | number | boolean | null> = {};
  const ka = s.ka;
  if (ka !== undefined) {
    w['timer'] = ka.timer ?? null;
    w['lastRead'] = s.marks.lastRead;
    if (s.features.clientLoop === 'last-read') {
      w['prevNano'] = ka.prevNano;
      w['outstandingPing'] = ka.outstandingPing;
      w['timeoutLeft'] = ka.timeoutLeft;
    } else {
      w['activity'] = s.marks.activity;
    }
    w['kpDormant'] = ka.kpDormant;
  }
  w['activeStreams'] = s.activeStreams.size;
  return w;
}

export function clientMachine(s: ClientConnState): ConnMachine<ClientConnState> {
  return makeMachine('client', s, { step: stepClient, nextTimer: clientNextTimer, watch: watchClient });
}
