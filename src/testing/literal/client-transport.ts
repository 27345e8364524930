import type { Nanos } from '../../time/units.js';
import type { BdpEstimator, TrInFlow } from './flow.js';
import type { GoTimer } from './go-runtime.js';
import { unreachable } from './unreachable.js';
import { http2MaxFrameLen, type Http2ErrCode, type LiteralFrame, type PingData, type Written } from './wire.js';

/**
 * The literal model's `http2Client` (grpc-go internal/transport/http2_client.go at v1.83.1 and
 * v1.25.0): fields under upstream's names, `controlBuf` with
 * loopy writing each item the moment it is put, stream close, and `Close`. The keepalive goroutine
 * is in ./client-keepalive.ts, the reader in ./client-reader.ts, the API in ./client-literal.ts.
 *
 * SIMPLIFICATION (shared with kpsim): loopy ignores the peer's flow-control windows; stream-level
 * inbound windows are not tracked; GOAWAY from the server is not modelled.
 */
export type ClientTag = 'v1.83.1' | 'v1.25.0';

/** `keepalive.ClientParameters` after newHTTP2Client's defaults (Time `infinity`: keepalive off). */
export type LiteralClientParameters = { readonly Time: Nanos; readonly Timeout: Nanos; readonly PermitWithoutStream: boolean };

export type ClientStreamState = 'streamActive' | 'streamWriteDone' | 'streamDone';
export type LiteralClientStream = { readonly id: number; state: ClientStreamState };

export type ClientKeepaliveGoroutine = {
  returned: boolean;
  /** Where the goroutine is blocked: in its `select`, or in `kpDormancyCond.Wait()`. */
  blockedIn: 'select' | 'kpDormancyCond';
  /** `kpDormancyCond.Signal()` was called while it waited. */
  signalled: boolean;
  outstandingPing: boolean;
  timeoutLeft: Nanos;
  prevNano: Nanos;
  /** The timer case's local `lastRead`, which lives on across the dormancy wait. */
  lastRead: Nanos;
  timer: GoTimer;
  /** The deferred `t.Close(err)` runs with this when the goroutine returns. */
  err: string | undefined;
};

export type LiteralClient = {
  readonly tag: ClientTag;
  readonly kp: LiteralClientParameters;
  readonly keepaliveEnabled: boolean;
  /** Stamped by the reader after the server preface and after every frame, when keepalive is on. */
  lastRead: Nanos;
  /** readServerPreface has run. */
  prefaceRead: boolean;
  state: 'reachable' | 'draining' | 'closing';
  /** `nil` once Close ran. */
  activeStreams: Map<number, LiteralClientStream> | undefined;
  nextID: number;
  kpDormant: boolean;
  readonly bdpEst: BdpEstimator;
  readonly fc: TrInFlow;
  /** `t.ctx` is done (`t.cancel()` ran). */
  ctxDone: boolean;
  controlBufFinished: boolean;
  connClosed: boolean;
  readonly estdStreams: Set<number>;
  closed: { at: Nanos; err: string; cause: 'keepalive' } | undefined;
  readonly ka: ClientKeepaliveGoroutine | undefined;
  readonly written: Written[];
};

export type ClientControlItem =
  | { readonly kind: 'ping'; readonly ack: boolean; readonly data: PingData }
  | { readonly kind: 'incomingSettings' }
  | { readonly kind: 'incomingWindowUpdate' }
  | { readonly kind: 'outgoingWindowUpdate'; readonly streamID: number; readonly increment: number }
  | { readonly kind: 'clientHeaders'; readonly streamID: number; readonly initStream: () => string | undefined }
  | { readonly kind: 'dataFrame'; readonly streamID: number; readonly size: number; readonly endStream: boolean }
  | { readonly kind: 'cleanupStream'; readonly streamID: number; readonly rst: boolean; readonly rstCode: Http2ErrCode; readonly onWrite: () => void };

export function allocClient(tag: ClientTag, kp: LiteralClientParameters, ka: ClientKeepaliveGoroutine | undefined): LiteralClient {
  return {
    tag,
    kp,
    keepaliveEnabled: ka !== undefined,
    lastRead: 0, // Go's zero int64
    prefaceRead: false,
    state: 'reachable',
    activeStreams: new Map(),
    nextID: 1,
    kpDormant: false,
    bdpEst: { bdp: 65535, isSent: false, sample: 0 },
    fc: { limit: 65535, unacked: 0 },
    ctxDone: false,
    controlBufFinished: false,
    connClosed: false,
    estdStreams: new Set(),
    closed: undefined,
    ka,
    written: [],
  };
}

/** `t.kpDormancyCond.Signal()`: wakes the keepalive goroutine if it waits on the condition. */
export function kpDormancySignal(t: LiteralClient): void {
  if (t.ka !== undefined && t.ka.blockedIn === 'kpDormancyCond') t.ka.signalled = true;
}

/** `t.controlBuf.put(item)`: loopy handles it at once. */
export function clientControlBufPut(t: LiteralClient, now: Nanos, item: ClientControlItem): void {
  if (t.controlBufFinished) return;
  const err = loopyHandle(t, now, item);
  // A loopy error ends the transport; the only one this model can meet is initStream's after Close.
  if (err !== undefined) throw new Error(`literal model: loopy error not modelled: ${err}`);
}

function write(t: LiteralClient, now: Nanos, frame: LiteralFrame): void {
  if (t.connClosed) return;
  t.written.push({ at: now, frame });
}

function loopyHandle(t: LiteralClient, now: Nanos, item: ClientControlItem): string | undefined {
  switch (item.kind) {
    case 'ping':
      write(t, now, { type: 'PING', ack: item.ack, data: item.data });
      return undefined;
    case 'incomingSettings':
      write(t, now, { type: 'SETTINGS', ack: true });
      return undefined;
    case 'incomingWindowUpdate':
      return undefined;
    case 'outgoingWindowUpdate':
      write(t, now, { type: 'WINDOW_UPDATE', streamId: item.streamID, increment: item.increment });
      return undefined;
    case 'clientHeaders': {
      // clientHeaderHandler: initStream (which may wake the keepalive goroutine), then the HEADERS.
      const err = item.initStream();
      if (err !== undefined) return err;
      write(t, now, { type: 'HEADERS', streamId: item.streamID, endStream: false, kind: 'request' });
      t.estdStreams.add(item.streamID);
      return undefined;
    }
    case 'dataFrame': {
      if (!t.estdStreams.has(item.streamID)) return undefined;
      let remaining = item.size;
      do {
        const size = Math.min(http2MaxFrameLen, remaining);
        remaining -= size;
        write(t, now, { type: 'DATA', streamId: item.streamID, length: size, endStream: item.endStream && remaining === 0 });
      } while (remaining > 0);
      return undefined;
    }
    case 'cleanupStream':
      item.onWrite();
      t.estdStreams.delete(item.streamID);
      if (item.rst) write(t, now, { type: 'RST_STREAM', streamId: item.streamID, code: item.rstCode });
      return undefined;
    default:
      return unreachable(item);
  }
}

/** `(*http2Client).closeStream`. */
export function clientCloseStream(t: LiteralClient, now: Nanos, s: LiteralClientStream, rst: boolean, rstCode: Http2ErrCode): void {
  const old = s.state;
  s.state = 'streamDone';
  if (old === 'streamDone') return;
  const onWrite = (): void => {
    t.activeStreams?.delete(s.id);
  };
  clientControlBufPut(t, now, { kind: 'cleanupStream', streamID: s.id, rst, rstCode, onWrite });
}

/** `(*http2Client).Close(err)`. */
export function closeClient(t: LiteralClient, now: Nanos, err: string, cause: 'keepalive'): void {
  if (t.state === 'closing') return;
  t.state = 'closing';
  t.activeStreams = undefined;
  if (t.kpDormant) kpDormancySignal(t);
  t.controlBufFinished = true;
  t.ctxDone = true;
  t.connClosed = true;
  t.closed = { at: now, err, cause };
}
