import type { Nanos } from '../../time/units.js';
import type { BdpEstimator, TrInFlow } from './flow.js';
import { goZeroTime, newTimer, timerStop, type GoTimer } from './go-runtime.js';
import { unreachable } from './unreachable.js';
import { http2MaxFrameLen, type Http2ErrCode, type LiteralFrame, type PingData, type Written } from './wire.js';

/**
 * The literal model's `http2Server` (grpc-go internal/transport/http2_server.go at v1.83.1 and
 * v1.25.0): its fields under upstream's names, `controlBuf` with loopy writing each item the moment
 * it is put, `outgoingGoAwayHandler`, and `Close`. The reader lives in ./server-reader.ts, the
 * keepalive goroutine in ./server-keepalive.ts, the harness-facing API in ./server-literal.ts.
 *
 * SIMPLIFICATION (shared with kpsim): loopy writes at once and ignores the peer's flow-control
 * windows (outbound quota), and stream-level inbound windows are not tracked.
 */
export type ServerTag = 'v1.83.1' | 'v1.25.0';

/** `keepalive.ServerParameters` after newHTTP2Server applied its defaults (idle and age are infinity here). */
export type LiteralServerParameters = { readonly Time: Nanos; readonly Timeout: Nanos };
/** `keepalive.EnforcementPolicy`. */
export type LiteralEnforcementPolicy = { readonly MinTime: Nanos; readonly PermitWithoutStream: boolean };

export type ServerStreamState = 'streamActive' | 'streamReadDone' | 'streamDone';
export type LiteralServerStream = { readonly id: number; state: ServerStreamState; headerSent: boolean };

export type ServerCloseCause =
  /** keepalive() closed the transport: no ACK (nor anything else) read within Timeout of its PING. */
  | 'keepalive'
  /** handlePing's GOAWAY ENHANCE_YOUR_CALM ended loopy. */
  | 'too_many_pings'
  /** The socket was closed under the reader (v1.62+: the second after a loopy error ran out). */
  | 'conn_closed';

export type ServerKeepaliveGoroutine = {
  returned: boolean;
  // last-read loop (v1.26.0+)
  outstandingPing: boolean;
  kpTimeoutLeft: Nanos;
  prevNano: Nanos;
  // activity-flag loop (before v1.26.0)
  pingSent: boolean;
  /** `idleTimer` / `maxIdle`: armed with MaxConnectionIdle, infinity in this model. */
  idleTimer: GoTimer;
  /** `ageTimer` / `maxAge`: armed with MaxConnectionAge, infinity in this model. */
  ageTimer: GoTimer;
  /** `kpTimer` (v1.26.0+) / `keepalive` (before). */
  kpTimer: GoTimer;
};

export type LiteralServer = {
  readonly tag: ServerTag;
  readonly kp: LiteralServerParameters;
  readonly kep: LiteralEnforcementPolicy;
  /** v1.26.0+: stamped by the reader after every frame (atomic int64 upstream). */
  lastRead: Nanos;
  /** Before v1.26.0: set to 1 by the reader after every frame, swapped to 0 by keepalive(). */
  activity: 0 | 1;
  state: 'reachable' | 'draining' | 'closing';
  /** `nil` once Close ran. */
  activeStreams: Map<number, LiteralServerStream> | undefined;
  maxStreamID: number;
  idle: Nanos;
  pingStrikes: number;
  lastPingAt: Nanos;
  resetPingStrikes: 0 | 1;
  readonly bdpEst: BdpEstimator;
  readonly fc: TrInFlow;
  /** `drainEvent` (v1.25.0: `drainChan`): Drain is never called in this model. */
  readonly drainEvent: undefined;
  /** `close(t.done)` happened. */
  done: boolean;
  /** `controlBuf.finish()` happened: puts fail. */
  controlBufFinished: boolean;
  /** loopy's streams (`estdStreams`). */
  readonly estdStreams: Set<number>;
  /** `loopy.run()` returned with this error: nothing more is written. */
  loopyExit: { at: Nanos; err: string; cause: ServerCloseCause } | undefined;
  /** v1.62.0+: after a non-I/O loopy error, the socket is closed when the reader is done or after a second. */
  lingerTimer: GoTimer | undefined;
  connClosed: boolean;
  /** Close(err) ran: `state = closing`. */
  closed: { at: Nanos; err: string; cause: ServerCloseCause } | undefined;
  readonly ka: ServerKeepaliveGoroutine;
  /** Every frame the framer wrote, in order. */
  readonly written: Written[];
};

/** The items upstream puts on `controlBuf` that this model uses. */
export type ServerControlItem =
  | { readonly kind: 'ping'; readonly ack: boolean; readonly data: PingData }
  | { readonly kind: 'goAway'; readonly code: Http2ErrCode; readonly debugData: string; readonly closeConn: string; readonly cause: ServerCloseCause }
  | { readonly kind: 'incomingSettings' }
  | { readonly kind: 'incomingWindowUpdate' }
  | { readonly kind: 'outgoingWindowUpdate'; readonly streamID: number; readonly increment: number }
  | { readonly kind: 'registerStream'; readonly streamID: number }
  | {
      readonly kind: 'serverHeaders';
      readonly streamID: number;
      readonly endStream: boolean;
      readonly onWrite: () => void;
      readonly cleanup: CleanupStream | undefined;
    }
  | { readonly kind: 'dataFrame'; readonly streamID: number; readonly size: number; readonly onEachWrite: () => void }
  | ({ readonly kind: 'cleanupStream' } & CleanupStream);

export type CleanupStream = { readonly streamID: number; readonly rst: boolean; readonly rstCode: Http2ErrCode; readonly onWrite: () => void };

/** Go's `time.Second`: how long v1.62+ waits for the reader before closing the socket. */
const lingerAfterLoopyError: Nanos = 1_000_000_000;

/** The transport as newHTTP2Server leaves it, before the client's SETTINGS is read. */
export function allocServer(tag: ServerTag, kp: LiteralServerParameters, kep: LiteralEnforcementPolicy, now: Nanos, ka: ServerKeepaliveGoroutine): LiteralServer {
  return {
    tag,
    kp,
    kep,
    lastRead: 0,
    activity: 0,
    state: 'reachable',
    activeStreams: new Map(),
    maxStreamID: 0,
    idle: now,
    pingStrikes: 0,
    lastPingAt: goZeroTime,
    resetPingStrikes: 0,
    bdpEst: { bdp: 65535, isSent: false, sample: 0 },
    fc: { limit: 65535, unacked: 0 },
    drainEvent: undefined,
    done: false,
    controlBufFinished: false,
    estdStreams: new Set(),
    loopyExit: undefined,
    lingerTimer: undefined,
    connClosed: false,
    closed: undefined,
    ka,
    written: [],
  };
}

/** `t.setResetPingStrikes`: loopy calls it as the onWrite of HEADERS and onEachWrite of DATA. */
export function setResetPingStrikes(t: LiteralServer): void {
  t.resetPingStrikes = 1;
}

/** `t.controlBuf.put(item)`: loopy handles it at once (it is never behind in this model). */
export function controlBufPut(t: LiteralServer, now: Nanos, item: ServerControlItem): void {
  if (t.controlBufFinished) return; // put returns ErrConnClosing
  if (t.loopyExit !== undefined) return; // nobody will ever take it
  const err = loopyHandle(t, now, item);
  if (err !== undefined) loopyExited(t, now, err.err, err.cause);
}

type LoopyError = { err: string; cause: ServerCloseCause };

function write(t: LiteralServer, now: Nanos, frame: LiteralFrame): void {
  if (t.connClosed) return;
  t.written.push({ at: now, frame });
}

/** loopyWriter.handle for the server side. */
function loopyHandle(t: LiteralServer, now: Nanos, item: ServerControlItem): LoopyError | undefined {
  switch (item.kind) {
    case 'ping':
      write(t, now, { type: 'PING', ack: item.ack, data: item.data });
      return undefined;
    case 'goAway':
      // goAwayHandler -> ssGoAwayHandler (outgoingGoAwayHandler); only the non-headsUp path is modelled.
      return outgoingGoAwayHandler(t, now, item);
    case 'incomingSettings':
      write(t, now, { type: 'SETTINGS', ack: true });
      return undefined;
    case 'incomingWindowUpdate':
      return undefined;
    case 'outgoingWindowUpdate':
      write(t, now, { type: 'WINDOW_UPDATE', streamId: item.streamID, increment: item.increment });
      return undefined;
    case 'registerStream':
      t.estdStreams.add(item.streamID);
      return undefined;
    case 'serverHeaders': {
      // serverHeaderHandler
      if (!t.estdStreams.has(item.streamID)) return undefined;
      item.onWrite();
      write(t, now, { type: 'HEADERS', streamId: item.streamID, endStream: item.endStream, kind: item.endStream ? 'trailers' : 'response' });
      if (!item.endStream || item.cleanup === undefined) return undefined;
      cleanupStreamHandler(t, now, item.cleanup);
      return undefined;
    }
    case 'dataFrame': {
      // preprocessData + processData, without outbound flow control (see the SIMPLIFICATION above).
      if (!t.estdStreams.has(item.streamID)) return undefined;
      let remaining = item.size;
      do {
        const size = Math.min(http2MaxFrameLen, remaining);
        remaining -= size;
        item.onEachWrite();
        write(t, now, { type: 'DATA', streamId: item.streamID, length: size, endStream: false });
      } while (remaining > 0);
      return undefined;
    }
    case 'cleanupStream':
      cleanupStreamHandler(t, now, item);
      return undefined;
    default:
      return unreachable(item);
  }
}

function cleanupStreamHandler(t: LiteralServer, now: Nanos, c: CleanupStream): void {
  c.onWrite();
  t.estdStreams.delete(c.streamID);
  if (c.rst) write(t, now, { type: 'RST_STREAM', streamId: c.streamID, code: c.rstCode });
}

/** `outgoingGoAwayHandler` for a GOAWAY that is not the drain's heads-up. */
function outgoingGoAwayHandler(t: LiteralServer, now: Nanos, g: Extract<ServerControlItem, { kind: 'goAway' }>): LoopyError | undefined {
  if (t.state === 'closing') return { err: 'transport is closing', cause: g.cause };
  t.state = 'draining';
  const sid = t.maxStreamID;
  let retErr = g.closeConn;
  if (t.tag === 'v1.83.1') {
    if ((t.activeStreams?.size ?? 0) === 0) retErr = 'second GOAWAY written and no active streams left to process';
  } else {
    // v1.25.0: closeConn is a bool; handlePing always sets it.
    retErr = 'transport: Connection closing';
  }
  write(t, now, { type: 'GOAWAY', lastStreamId: sid, code: g.code, debugData: g.debugData });
  return { err: retErr, cause: g.cause };
}

/** What newHTTP2Server's loopy goroutine does once `loopy.run()` returns an error. */
function loopyExited(t: LiteralServer, now: Nanos, err: string, cause: ServerCloseCause): void {
  t.loopyExit = { at: now, err, cause };
  if (t.tag === 'v1.83.1') {
    // Not an I/O error: wait for the reader to finish, or one second, then close the socket.
    t.lingerTimer = newTimer(now, lingerAfterLoopyError);
    return;
  }
  // v1.25.0: `t.conn.Close()` at once; the reader's next read fails and it calls t.Close().
  t.connClosed = true;
  closeServer(t, now, err, cause);
}

/** The loopy goroutine's wait: the second ran out, or the reader finished. */
export function lingerOver(t: LiteralServer, now: Nanos): void {
  if (t.lingerTimer !== undefined) timerStop(t.lingerTimer);
  t.lingerTimer = undefined;
  if (t.connClosed) return;
  t.connClosed = true;
  // The reader's blocked read fails on the closed socket: HandleStreams calls t.Close(err).
  closeServer(t, now, 'read: use of closed network connection', 'conn_closed');
}

/** `(*http2Server).Close(err)`. */
export function closeServer(t: LiteralServer, now: Nanos, err: string, cause: ServerCloseCause): void {
  if (t.state === 'closing') return;
  t.state = 'closing';
  t.activeStreams = undefined;
  t.controlBufFinished = true;
  t.done = true;
  t.connClosed = true;
  t.closed = { at: now, err, cause };
  // The reader's read fails, so it is done: the loopy goroutine's wait (v1.62+) ends.
  if (t.lingerTimer !== undefined) {
    timerStop(t.lingerTimer);
    t.lingerTimer = undefined;
  }
}

/** `deleteStream`: drop the stream from activeStreams; the transport goes idle with the last one. */
export function deleteStream(t: LiteralServer, now: Nanos, s: LiteralServerStream): void {
  const streams = t.activeStreams;
  if (streams === undefined || !streams.has(s.id)) return;
  streams.delete(s.id);
  if (streams.size === 0) t.idle = now;
}
