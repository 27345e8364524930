import type { Nanos } from '../../time/units.js';
import { jiffiesAt, msecsToJiffies } from './kernel-clock.js';
import { appRead, closeSocket, segmentArrived } from './receive-path.js';
import { RingQueue } from './ring-queue.js';
import { createRttEstimator } from './rtt-estimator.js';
import type { Segment } from './segment.js';
import { pushPending, queueBytes, queueFin, writeXmit } from './send-path.js';
import { fireDueTimer, nextSocketTimer, resetKeepaliveTimer, type SocketTimer } from './socket-timers.js';
import { NOT_ARMED, type SocketConfig, type SocketOut, type TcpSocket } from './socket-types.js';

/**
 * A Linux TCP socket, the public face of src/transport/linux: created ESTABLISHED (the model
 * has no handshake), then driven by the application (write, read, close), by segments from the
 * path, and by its own timers. Every call appends what the host sends to `out.segments`, in
 * order, and what the application learns to `out.events`.
 */
export function createSocket(cfg: SocketConfig, now: Nanos = 0): TcpSocket {
  const j = jiffiesAt(cfg.clock, now);
  const s: TcpSocket = {
    cfg,
    state: 'ESTABLISHED',
    orphan: false,
    rcvShutdown: false,
    err: undefined,
    sndUna: 0,
    sndNxt: 0,
    writeSeq: 0,
    writeQueue: new RingQueue(),
    rtxQueue: new RingQueue(),
    packetsOut: 0,
    sackedOut: 0,
    lostOut: 0,
    retransOut: 0,
    cwnd: 10,
    ssthresh: 0x7fffffff,
    cwndCnt: 0,
    priorCwnd: 0,
    priorSsthresh: 0,
    caState: 'Open',
    highSeq: 0,
    undoMarker: 0,
    undoRetrans: 0,
    frto: false,
    prrDelivered: 0,
    prrOut: 0,
    reordering: 3,
    maxPacketsOut: 0,
    cwndUsageSeq: 0,
    isCwndLimited: false,
    lsndtime: j,
    rtt: createRttEstimator(cfg.clock),
    backoff: 0,
    retransmits: 0,
    retransStamp: 0,
    tlpHighSeq: 0,
    tlpRetrans: false,
    rackMstamp: 0,
    rackEndSeq: 0,
    rackRttUs: 0,
    rackAdvanced: false,
    rackReoWndSteps: 1,
    xmitTimer: undefined,
    xmitFiresAt: NOT_ARMED,
    xmitExpires: 0,
    delackFiresAt: NOT_ARMED,
    keepaliveFiresAt: NOT_ARMED,
    ackPending: 0,
    ackQuick: 0,
    ackPingpong: 0,
    ackAto: 0,
    ackLrcvtime: j,
    ackTimeout: 0,
    rcvMss: 536,
    lastSegSize: 0,
    rcvTstamp: j,
    probesOut: 0,
    lastOowAck: 0,
    rcvNxt: 0,
    rcvWup: 0,
    copiedSeq: 0,
    ofo: [],
    ofoTick: 0,
    finSeq: undefined,
    dsack: undefined,
    tsRecent: 0,
    oooFin: undefined,
    stats: { retransmissions: 0, tlps: 0, rtos: 0, probes: 0, rstsSent: 0 },
  };
  if (cfg.keepalive !== undefined) resetKeepaliveTimer(s, now, msecsToJiffies(cfg.clock, cfg.keepalive.idle / 1e6));
  return s;
}

/** What write(2) returns: the bytes are queued (`ok`), or the error the socket holds. */
export type WriteResult = 'ok' | 'EPIPE' | 'ECONNRESET' | 'ETIMEDOUT';

/** write(2) of `len` bytes (tcp_sendmsg), then tcp_push. */
export function socketWrite(s: TcpSocket, len: number, now: Nanos, out: SocketOut): WriteResult {
  if (s.err !== undefined && s.state === 'CLOSE') {
    // sk_stream_error: the pending error once (sock_error clears it), then EPIPE.
    const e = s.err;
    s.err = 'EPIPE';
    return e;
  }
  if (s.state !== 'ESTABLISHED' && s.state !== 'CLOSE_WAIT') return 'EPIPE';
  queueBytes(s, len);
  writeXmit(s, now, out, 0);
  return 'ok';
}

/** close(2): `unread` when the application leaves received bytes unread (then RST instead of FIN). */
export function socketClose(s: TcpSocket, unread: boolean, now: Nanos, out: SocketOut): 'rst' | 'fin' | 'none' {
  const r = closeSocket(s, unread, now, out);
  if (r === 'fin') {
    queueFin(s);
    pushPending(s, now, out);
  }
  return r;
}

/** The application has read everything up to `upTo` (tcp_recvmsg's tcp_cleanup_rbuf). */
export function socketRead(s: TcpSocket, upTo: number, now: Nanos, out: SocketOut): void {
  appRead(s, upTo, now, out);
}

export function socketInput(s: TcpSocket, seg: Segment, now: Nanos, out: SocketOut): void {
  segmentArrived(s, seg, now, out);
}

export function socketNextTimer(s: TcpSocket): Nanos {
  return nextSocketTimer(s);
}

export function socketFireTimer(s: TcpSocket, now: Nanos, out: SocketOut): SocketTimer | undefined {
  return fireDueTimer(s, now, out);
}

/** Bytes written and not yet acknowledged. */
export function unackedBytes(s: TcpSocket): number {
  return s.writeSeq - s.sndUna;
}
