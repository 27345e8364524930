import { MAX_STREAM_ID, dataFrames, type Frame } from '../frames/frame.js';
import { formatDuration } from '../time/duration.js';
import type { Nanos } from '../time/units.js';
import { initialEnforcement, judgePing, type EnforcementState } from '../keepalive/enforcement.js';
import type { ServerKeepaliveConfig } from '../keepalive/params.js';
import { stampRead, type ReadMarks } from '../keepalive/read-marks.js';
import { serverKpTimerFired, startServerKeepalive, type ServerKeepaliveState } from '../keepalive/server-keepalive.js';
import type { GrpcGoFeatures } from '../keepalive/versions.js';
import { DEFAULT_FLOW, initialFlow, onDataRead, type FlowSettings, type FlowState } from './bdp.js';
import { assertNever } from '../lib/assert-never.js';
import { makeMachine } from './machine.js';
import { SEND_KEEPALIVE_PING, sendPingAck } from './ping-actions.js';
import type { ConnActionSink, ConnEvent, ConnMachine, TimerName } from './types.js';

/**
 * grpc-go's `http2Server` as far as keepalive is concerned: the reader (HandleStreams stamping
 * lastRead and dispatching frames), `keepalive()` (idle, age and PING timers), `handlePing`
 * (enforcement), and the drain (`Drain` + `outgoingGoAwayHandler`). The writer is immediate:
 * frames are handed to the network in the order upstream queues them on controlBuf.
 */
export type ServerConnState = {
  readonly features: GrpcGoFeatures;
  readonly cfg: ServerKeepaliveConfig;
  readonly marks: ReadMarks;
  readonly ka: ServerKeepaliveState;
  readonly enf: EnforcementState;
  readonly flow: FlowState;
  /** Active streams: whether response headers went out, and whether the client's END_STREAM was read. */
  readonly activeStreams: Map<number, { readDone: boolean; headersSent: boolean }>;
  maxStreamID: number;
  /** When the connection last became idle (no active streams); `undefined` while streams are active. */
  idle: Nanos | undefined;
  idleTimer: Nanos | undefined;
  ageTimer: Nanos | undefined;
  /** The age timer has fired once and now counts MaxConnectionAgeGrace. */
  ageGrace: boolean;
  /** Drain() was called (upstream: drainEvent != nil); first GOAWAY and drain PING sent. */
  drainStarted: boolean;
  drainDebugData: string;
  /** Deadline for the drain PING's ACK before the second GOAWAY goes anyway. */
  drainTimer: Nanos | undefined;
  /** Second GOAWAY written: upstream's `state = draining`. */
  draining: boolean;
  closed: boolean;
};

/** Transport creation: the client's preface and first SETTINGS have just been read at `now`. */
export function createServerConn(features: GrpcGoFeatures, cfg: ServerKeepaliveConfig, now: Nanos, flow: FlowSettings = DEFAULT_FLOW): ServerConnState {
  return {
    features,
    cfg,
    // newHTTP2Server stamps lastRead (activity before v1.26) after reading the client's SETTINGS,
    // before keepalive() starts: lastRead == prevNano, but the activity flag is already set.
    marks: { lastRead: now, activity: true },
    ka: startServerKeepalive(cfg, now),
    enf: initialEnforcement(),
    flow: initialFlow(flow),
    activeStreams: new Map(),
    maxStreamID: 0,
    idle: now,
    idleTimer: cfg.maxConnectionIdle === undefined ? undefined : now + cfg.maxConnectionIdle,
    ageTimer: cfg.maxConnectionAge === undefined ? undefined : now + cfg.maxConnectionAge,
    ageGrace: false,
    drainStarted: false,
    drainDebugData: '',
    drainTimer: undefined,
    draining: false,
    closed: false,
  };
}

/** Frames the server writes when the transport is created (newHTTP2Server). */
export function serverPrefaceFrames(): Frame[] {
  return [{ type: 'SETTINGS', ack: false }];
}

export function stepServer(s: ServerConnState, event: ConnEvent, now: Nanos, out: ConnActionSink): void {
  if (s.closed) return;
  switch (event.type) {
    case 'frameRead':
      stampRead(s.marks, now);
      onFrame(s, event.frame, now, out);
      return;
    case 'timerFired':
      onTimer(s, event.timer, now, out);
      return;
    case 'messageWritten': {
      const st = s.activeStreams.get(event.streamId);
      if (st === undefined) return;
      if (!st.headersSent) {
        st.headersSent = true;
        send(s, out, { type: 'HEADERS', streamId: event.streamId, endStream: false, kind: 'response' });
      }
      for (const f of dataFrames(event.streamId, event.size, false)) send(s, out, f);
      return;
    }
    case 'handlerReturned': {
      const st = s.activeStreams.get(event.streamId);
      if (st === undefined) return;
      send(s, out, { type: 'HEADERS', streamId: event.streamId, endStream: true, kind: 'trailers' });
      // writeStatus: a stream the client has not half-closed is also reset, with NO_ERROR.
      if (!st.readDone) send(s, out, { type: 'RST_STREAM', streamId: event.streamId, code: 'NO_ERROR' });
      deleteStream(s, event.streamId, now, out);
      return;
    }
    case 'eofRead':
      closeTransport(s, out, 'eof', 'EOF');
      return;
    case 'resetReceived':
      closeTransport(s, out, 'reset', 'read: connection reset by peer');
      return;
    case 'socketTimedOut':
      closeTransport(s, out, 'tcp_abort', 'read: connection timed out');
      return;
    case 'streamStarted':
      return; // Streams are started by clients; the server learns of them from HEADERS.
    default:
      return assertNever(event, 'event');
  }
}

function onFrame(s: ServerConnState, f: Frame, now: Nanos, out: ConnActionSink): void {
  switch (f.type) {
    case 'SETTINGS':
      if (!f.ack) send(s, out, { type: 'SETTINGS', ack: true });
      return;
    case 'PING':
      if (f.ack) {
        if (f.payload === 'drain' && s.drainStarted && s.drainTimer !== undefined) secondGoAway(s, now, out);
        else if (f.payload === 'bdp') s.flow.bdpPingSent = false;
        return;
      }
      // handlePing: the ACK is queued before the policy check.
      out.push(sendPingAck(f.payload));
      if (judgePing(s.enf, s.cfg, s.activeStreams.size, now)) {
        out.push({ type: 'log', text: `pingStrikes=${s.enf.pingStrikes} > maxPingStrikes=2` });
        send(s, out, { type: 'GOAWAY', lastStreamId: s.maxStreamID, code: 'ENHANCE_YOUR_CALM', debugData: 'too_many_pings' });
        closeTransport(s, out, 'too_many_pings', s.features.text.serverTooManyPings);
      }
      return;
    case 'HEADERS':
      if (f.kind !== 'request' || s.draining) return;
      s.activeStreams.set(f.streamId, { readDone: f.endStream, headersSent: false });
      if (f.streamId > s.maxStreamID) s.maxStreamID = f.streamId;
      if (s.activeStreams.size === 1) s.idle = undefined;
      if (f.endStream) out.push({ type: 'requestReceived', streamId: f.streamId });
      return;
    case 'DATA': {
      for (const frame of onDataRead(s.flow, f.length)) send(s, out, frame);
      const st = s.activeStreams.get(f.streamId);
      if (f.endStream && st !== undefined) {
        st.readDone = true;
        out.push({ type: 'requestReceived', streamId: f.streamId });
      }
      return;
    }
    case 'RST_STREAM':
      deleteStream(s, f.streamId, now, out);
      return;
    case 'GOAWAY':
    case 'WINDOW_UPDATE':
      return;
    default:
      return assertNever(f, 'frame');
  }
}

function onTimer(s: ServerConnState, timer: TimerName, now: Nanos, out: ConnActionSink): void {
  switch (timer) {
    case 'idleTimer': {
      const maxIdle = s.cfg.maxConnectionIdle as Nanos;
      if (s.idle === undefined) {
        s.idleTimer = now + maxIdle;
        return;
      }
      const val = maxIdle - (now - s.idle);
      if (val <= 0) {
        drain(s, 'max_idle', now, out);
        // keepalive() returns: the age and PING timers stop with it.
        stopKeepaliveGoroutine(s);
        s.ageTimer = undefined;
        return;
      }
      s.idleTimer = now + val;
      return;
    }
    case 'ageTimer':
      if (!s.ageGrace) {
        drain(s, 'max_age', now, out);
        // keepalive() now blocks on the grace timer alone: no more idle checks or PINGs.
        stopKeepaliveGoroutine(s);
        s.ageGrace = true;
        const grace = s.cfg.maxConnectionAgeGrace;
        s.ageTimer = grace === undefined ? undefined : now + grace;
        return;
      }
      s.ageTimer = undefined;
      closeTransport(s, out, 'max_age', s.features.text.serverMaxAge);
      return;
    case 'kpTimer': {
      const outcome = serverKpTimerFired(s.ka, s.marks, s.cfg, s.features.serverLoop, now);
      if (outcome === 'ping') out.push(SEND_KEEPALIVE_PING);
      else if (outcome === 'close') {
        stopKeepaliveGoroutine(s);
        // A keepalive close writes no GOAWAY: the transport is closed at once.
        closeTransport(s, out, 'keepalive', s.features.text.serverKeepalive(s.cfg.timeout, formatDuration));
      }
      return;
    }
    case 'drainTimer':
      secondGoAway(s, now, out);
      return;
    default:
      return assertNever(timer, 'timer');
  }
}

/** Drain(): first GOAWAY (stream id 2^31-1) and the drain PING, then wait for its ACK. */
function drain(s: ServerConnState, debugData: 'max_idle' | 'max_age', now: Nanos, out: ConnActionSink): void {
  if (s.drainStarted) return;
  s.drainStarted = true;
  s.drainDebugData = s.features.drainDebugData ? debugData : '';
  send(s, out, { type: 'GOAWAY', lastStreamId: MAX_STREAM_ID, code: 'NO_ERROR', debugData: s.drainDebugData });
  send(s, out, { type: 'PING', ack: false, payload: 'drain' });
  s.drainTimer = now + s.features.drainAckWait;
}

/** The drain PING was acked (or the wait ran out): second GOAWAY with the highest stream id seen. */
function secondGoAway(s: ServerConnState, _now: Nanos, out: ConnActionSink): void {
  s.drainTimer = undefined;
  s.draining = true;
  send(s, out, { type: 'GOAWAY', lastStreamId: s.maxStreamID, code: 'NO_ERROR', debugData: s.drainDebugData });
  if (s.activeStreams.size === 0) closeTransport(s, out, 'drained', s.features.text.serverDrainedNoStreams);
}

function deleteStream(s: ServerConnState, id: number, now: Nanos, out: ConnActionSink): void {
  if (!s.activeStreams.delete(id)) return;
  if (s.activeStreams.size === 0) {
    s.idle = now;
    if (s.draining) closeTransport(s, out, 'drained', s.features.text.serverDrainedStreamsDone);
  }
}

function stopKeepaliveGoroutine(s: ServerConnState): void {
  s.ka.kpTimer = undefined;
  s.idleTimer = undefined;
}

function send(s: ServerConnState, out: ConnActionSink, frame: Frame): void {
  // loopy's onWrite callbacks for HEADERS and DATA set resetPingStrikes.
  if (frame.type === 'HEADERS' || frame.type === 'DATA') s.enf.resetPingStrikes = true;
  out.push({ type: 'sendFrame', frame });
}

function closeTransport(s: ServerConnState, out: ConnActionSink, cause: ServerCloseCause, reason: string): void {
  if (s.closed) return;
  s.closed = true;
  s.ka.kpTimer = undefined;
  s.idleTimer = undefined;
  s.ageTimer = undefined;
  s.drainTimer = undefined;
  for (const id of s.activeStreams.keys()) out.push({ type: 'streamFailed', streamId: id, error: 'context canceled' });
  // A GOAWAY that ends the connection stops the writer with a non-I/O error: from v1.62 the
  // socket then lingers until the reader is done or 1 s has passed.
  const lingerFor = cause === 'too_many_pings' || cause === 'drained' ? s.features.socketLingerAfterGoAway : undefined;
  out.push({ type: 'close', cause, reason, ...(lingerFor === undefined ? {} : { lingerFor }) });
}

type ServerCloseCause = 'keepalive' | 'too_many_pings' | 'max_age' | 'drained' | 'eof' | 'reset' | 'tcp_abort';

export function serverNextTimer(s: ServerConnState): { at: Nanos; timer: TimerName } | undefined {
  // earliestTimer over the four, written out: this runs after every server step.
  let at: Nanos | undefined;
  let timer: TimerName = 'idleTimer';
  // TIMER_ORDER: idleTimer, ageTimer, kpTimer, drainTimer; the first wins among equals.
  if (s.idleTimer !== undefined) at = s.idleTimer;
  if (s.ageTimer !== undefined && (at === undefined || s.ageTimer < at)) {
    at = s.ageTimer;
    timer = 'ageTimer';
  }
  if (s.ka.kpTimer !== undefined && (at === undefined || s.ka.kpTimer < at)) {
    at = s.ka.kpTimer;
    timer = 'kpTimer';
  }
  if (s.drainTimer !== undefined && (at === undefined || s.drainTimer < at)) {
    at = s.drainTimer;
    timer = 'drainTimer';
  }
  return at === undefined ? undefined : { at, timer };
}

/** The variables a server trace line shows, under upstream's names. */
export function watchServer(s: ServerConnState): Record<string, string | number | boolean | null> {
  const w: Record<string, string | number | boolean | null> = {
    kpTimer: s.ka.kpTimer ?? null,
    lastRead: s.marks.lastRead,
  };
  if (s.features.serverLoop === 'last-read') {
    w['prevNano'] = s.ka.prevNano;
    w['outstandingPing'] = s.ka.outstandingPing;
    w['kpTimeoutLeft'] = s.ka.kpTimeoutLeft;
  } else {
    w['activity'] = s.marks.activity;
    w['pingSent'] = s.ka.pingSent;
  }
  w['pingStrikes'] = s.enf.pingStrikes;
  w['lastPingAt'] = s.enf.lastPingAt ?? null;
  w['resetPingStrikes'] = s.enf.resetPingStrikes;
  w['activeStreams'] = s.activeStreams.size;
  w['idle'] = s.idle ?? null;
  if (s.cfg.maxConnectionIdle !== undefined) w['idleTimer'] = s.idleTimer ?? null;
  if (s.cfg.maxConnectionAge !== undefined) w['ageTimer'] = s.ageTimer ?? null;
  w['drainTimer'] = s.drainTimer ?? null;
  return w;
}

export function serverMachine(s: ServerConnState): ConnMachine<ServerConnState> {
  return makeMachine('server', s, { step: stepServer, nextTimer: serverNextTimer, watch: watchServer });
}
