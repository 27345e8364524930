import type { Nanos } from '../../time/units.js';
import { goZeroTime } from './go-runtime.js';
import { bdpAdd, bdpCalculate, trInFlowOnData, trInFlowReset } from './flow.js';
import { closeStream } from './server-streams.js';
import { controlBufPut, type LiteralServer } from './server-transport.js';
import { unreachable } from './unreachable.js';
import { bdpPingData, goAwayPingData, type LiteralFrame } from './wire.js';

/**
 * The server's reader: one turn of `HandleStreams`' loop for a frame read at `now`, and the
 * handlers it dispatches to (`operateHeaders`, `handleData`, `handleRSTStream`, `handleSettings`,
 * `handlePing`, `handleWindowUpdate`).
 */

/** `maxPingStrikes` and `defaultPingTimeout` (http2_server.go). */
export const maxPingStrikes = 2;
export const defaultPingTimeout: Nanos = 2 * 60 * 60 * 1_000_000_000;

export function serverReadFrame(t: LiteralServer, now: Nanos, frame: LiteralFrame): void {
  if (t.connClosed) return; // the read fails; the reader has exited
  // Right after ReadFrame returns: v1.26.0+ stamps lastRead, older versions set activity.
  if (t.tag === 'v1.83.1') t.lastRead = now;
  else t.activity = 1;
  switch (frame.type) {
    case 'HEADERS':
      operateHeaders(t, now, frame);
      return;
    case 'DATA':
      handleData(t, now, frame);
      return;
    case 'RST_STREAM':
      handleRSTStream(t, now, frame.streamId);
      return;
    case 'SETTINGS':
      if (!frame.ack) controlBufPut(t, now, { kind: 'incomingSettings' });
      return;
    case 'PING':
      handlePing(t, now, frame);
      return;
    case 'WINDOW_UPDATE':
      controlBufPut(t, now, { kind: 'incomingWindowUpdate' });
      return;
    case 'GOAWAY':
      return; // upstream: "TODO: Handle GoAway from the client appropriately."
    default:
      return unreachable(frame);
  }
}

/** `operateHeaders`, for a well-formed request (the harness sends no other). */
function operateHeaders(t: LiteralServer, now: Nanos, f: Extract<LiteralFrame, { type: 'HEADERS' }>): void {
  const streamID = f.streamId;
  const s = { id: streamID, state: f.endStream ? ('streamReadDone' as const) : ('streamActive' as const), headerSent: false };
  // v1.83.1 checks the id (and records it) before the transport state; v1.25.0 the other way round.
  if (t.tag === 'v1.83.1') {
    checkStreamID(t, streamID);
    t.maxStreamID = streamID;
    if (t.state !== 'reachable') return; // s.cancel()
  } else {
    if (t.state !== 'reachable') return;
    checkStreamID(t, streamID);
    t.maxStreamID = streamID;
  }
  const streams = t.activeStreams;
  if (streams === undefined) return;
  streams.set(streamID, s);
  if (streams.size === 1) t.idle = goZeroTime; // time.Time{}: not idle
  controlBufPut(t, now, { kind: 'registerStream', streamID });
}

function checkStreamID(t: LiteralServer, streamID: number): void {
  if (streamID % 2 !== 1 || streamID <= t.maxStreamID) {
    throw new Error(`literal model: illegal stream id ${streamID} (the connection error path is not modelled)`);
  }
}

function handleData(t: LiteralServer, now: Nanos, f: Extract<LiteralFrame, { type: 'DATA' }>): void {
  const size = f.length;
  const sendBDPPing = bdpAdd(t.bdpEst, size);
  const w = trInFlowOnData(t.fc, size);
  if (w > 0) controlBufPut(t, now, { kind: 'outgoingWindowUpdate', streamID: 0, increment: w });
  if (sendBDPPing) {
    // Avoid excessive ping detection (e.g. in an L7 proxy): the window update goes first.
    const w2 = trInFlowReset(t.fc);
    if (w2 > 0) controlBufPut(t, now, { kind: 'outgoingWindowUpdate', streamID: 0, increment: w2 });
    controlBufPut(t, now, { kind: 'ping', ack: false, data: bdpPingData });
  }
  const s = t.activeStreams?.get(f.streamId);
  if (s === undefined) return;
  // v1.83.1 only: v1.25.0's handleData has no such check.
  if (t.tag === 'v1.83.1' && s.state === 'streamReadDone') {
    closeStream(t, now, s, true, 'STREAM_CLOSED');
    return;
  }
  // size > 0: the stream's own window (not modelled) and the message handed to the application.
  if (f.endStream) {
    // Received the end of stream from the client.
    if (s.state === 'streamActive') s.state = 'streamReadDone';
  }
}

function handleRSTStream(t: LiteralServer, now: Nanos, streamId: number): void {
  const s = t.activeStreams?.get(streamId);
  if (s !== undefined) {
    closeStream(t, now, s, false, 'NO_ERROR');
    return;
  }
  controlBufPut(t, now, { kind: 'cleanupStream', streamID: streamId, rst: false, rstCode: 'NO_ERROR', onWrite: () => {} });
}

/** `handlePing`: the ACK first, then the policy (the same code at v1.25.0 and v1.83.1). */
function handlePing(t: LiteralServer, now: Nanos, f: Extract<LiteralFrame, { type: 'PING' }>): void {
  if (f.ack) {
    if (f.data === goAwayPingData && t.drainEvent !== undefined) {
      throw new Error('literal model: Drain is not modelled');
    }
    // Maybe it's a BDP ping.
    bdpCalculate(t.bdpEst, f.data);
    return;
  }
  controlBufPut(t, now, { kind: 'ping', ack: true, data: f.data });
  try {
    // A reset ping strikes means that we don't need to check for policy violation for this ping.
    if (t.resetPingStrikes === 1) {
      t.resetPingStrikes = 0;
      t.pingStrikes = 0;
      return;
    }
    const ns = t.activeStreams?.size ?? 0;
    if (ns < 1 && !t.kep.PermitWithoutStream) {
      // lastPingAt.Add(defaultPingTimeout).After(now)
      if (t.lastPingAt + defaultPingTimeout > now) t.pingStrikes++;
    } else if (t.lastPingAt + t.kep.MinTime > now) {
      t.pingStrikes++;
    }
    if (t.pingStrikes > maxPingStrikes) {
      controlBufPut(t, now, {
        kind: 'goAway',
        code: 'ENHANCE_YOUR_CALM',
        debugData: 'too_many_pings',
        closeConn: t.tag === 'v1.83.1' ? 'got too many pings from the client' : 'transport: Connection closing',
        cause: 'too_many_pings',
      });
    }
  } finally {
    // defer func() { t.lastPingAt = now }()
    t.lastPingAt = now;
  }
}
