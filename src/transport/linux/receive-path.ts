import type { Nanos } from '../../time/units.js';
import { processAck } from './ack-path.js';
import { kernelTimerFiresAt, jiffiesAt, msecsToJiffies, tcpTimeStampMs, usecsToJiffies } from './kernel-clock.js';
import { segEnd, type Segment } from './segment.js';
import { ACK_NOW, ACK_PUSHED, ACK_PUSHED2, ACK_SCHED, ACK_TIMER, atoMin, pushPending, sendAck, sendActiveReset } from './send-path.js';
import { NOT_ARMED, type SocketOut, type TcpSocket, type TcpState } from './socket-types.js';

/**
 * The receiving half: validating a segment (RFC 5961 RST and out-of-window checks), the ACK,
 * data in order and out of order (with SACK and D-SACK), the peer's FIN and the state changes
 * of closing, data arriving for a socket the application has closed (answered with RST), and
 * the delayed-ACK engine (quickack, pingpong, ato) that decides when a pure ACK goes out
 * (net/ipv4/tcp_input.c tcp_rcv_established, tcp_rcv_state_process, tcp_validate_incoming,
 * tcp_data_queue, tcp_event_data_recv, __tcp_ack_snd_check, tcp_fin, tcp_reset;
 * net/ipv4/tcp_output.c tcp_send_delayed_ack; net/ipv4/tcp.c tcp_cleanup_rbuf. Read at 6.1 and
 * 6.12.)
 *
 * SIMPLIFICATIONS: no PAWS (timestamps only move forward here); SACK compression's sub-ms
 * delay is skipped (out-of-order data is acknowledged at once); the receive window is never
 * full.
 */

const TCP_MSS_DEFAULT = 536;
const TCP_HEADER_LEN = 32; // 20 + the 12-byte timestamp option
const TCP_MAX_QUICKACKS = 16;
const INITIAL_RCV_WND = 64240;

function inPingpong(s: TcpSocket): boolean {
  return s.ackPingpong >= 1;
}

function incrQuickack(s: TcpSocket, max: number): void {
  let q = Math.floor(INITIAL_RCV_WND / (2 * s.rcvMss));
  if (q === 0) q = 2;
  q = Math.min(q, max);
  if (q > s.ackQuick) s.ackQuick = q;
}

/** tcp_enter_quickack_mode. */
function enterQuickack(s: TcpSocket): void {
  incrQuickack(s, TCP_MAX_QUICKACKS);
  s.ackPingpong = 0;
  s.ackAto = atoMin(s);
}

function inQuickack(s: TcpSocket): boolean {
  return s.ackQuick > 0 && !inPingpong(s);
}

/** tcp_measure_rcv_mss for a segment of `len` payload bytes (Go's writes always end with PSH). */
function measureRcvMss(s: TcpSocket, len: number): void {
  const lss = s.lastSegSize;
  s.lastSegSize = 0;
  if (len >= s.rcvMss) {
    s.rcvMss = Math.min(len, s.cfg.mss);
    s.ackPending |= ACK_PUSHED;
    return;
  }
  const withHeader = len + TCP_HEADER_LEN;
  if (withHeader >= TCP_MSS_DEFAULT + 20) {
    const l = withHeader - TCP_HEADER_LEN;
    s.lastSegSize = l;
    if (l === lss) {
      s.rcvMss = l;
      return;
    }
  }
  if (s.ackPending & ACK_PUSHED) s.ackPending |= ACK_PUSHED2;
  s.ackPending |= ACK_PUSHED;
}

/** tcp_event_data_recv: new data in order. */
function eventDataRecv(s: TcpSocket, len: number, now: Nanos): void {
  s.ackPending |= ACK_SCHED;
  measureRcvMss(s, len);
  const j = jiffiesAt(s.cfg.clock, now);
  const ATO_MIN = atoMin(s);
  if (s.ackAto === 0) {
    incrQuickack(s, TCP_MAX_QUICKACKS);
    s.ackAto = ATO_MIN;
  } else {
    const m = j - s.ackLrcvtime;
    if (m <= ATO_MIN / 2) s.ackAto = (s.ackAto >> 1) + ATO_MIN / 2;
    else if (m < s.ackAto) s.ackAto = Math.min((s.ackAto >> 1) + m, s.rtt.rto, s.cfg.clock.hz / 5);
    else if (m > s.rtt.rto) incrQuickack(s, TCP_MAX_QUICKACKS);
  }
  s.ackLrcvtime = j;
}

/** tcp_send_delayed_ack. */
function sendDelayedAck(s: TcpSocket, now: Nanos, out: SocketOut): void {
  const c = s.cfg.clock;
  const DELACK_MIN = c.hz / 25;
  let ato = s.ackAto;
  if (ato > DELACK_MIN) {
    let maxAto = c.hz / 2;
    if (inPingpong(s) || s.ackPending & ACK_PUSHED) maxAto = c.hz / 5;
    if (s.rtt.srttUs !== 0) {
      const rtt = Math.max(usecsToJiffies(c, s.rtt.srttUs >> 3), DELACK_MIN);
      if (rtt < maxAto) maxAto = rtt;
    }
    ato = Math.min(ato, maxAto);
  }
  ato = Math.min(ato, c.hz / 5);
  const j = jiffiesAt(c, now);
  let timeout = j + ato;
  if (s.ackPending & ACK_TIMER) {
    if (s.ackTimeout <= j + (ato >> 2)) {
      sendAck(s, now, out, 'ack');
      return;
    }
    if (timeout >= s.ackTimeout) timeout = s.ackTimeout;
  }
  s.ackPending |= ACK_SCHED | ACK_TIMER;
  s.ackTimeout = timeout;
  s.delackFiresAt = kernelTimerFiresAt(c, now, timeout - j);
}

/** __tcp_ack_snd_check / tcp_ack_snd_check. */
function ackSndCheck(s: TcpSocket, now: Nanos, out: SocketOut): void {
  if (!(s.ackPending & ACK_SCHED)) return;
  if (s.rcvNxt - s.rcvWup > s.rcvMss || inQuickack(s) || s.ackPending & ACK_NOW || s.ofo.length > 0) {
    sendAck(s, now, out, s.ofo.length > 0 || s.ackPending & ACK_NOW ? 'dupack' : 'ack');
    return;
  }
  sendDelayedAck(s, now, out);
}

/** The delayed-ACK timer (tcp_delack_timer_handler). */
export function delackTimerFired(s: TcpSocket, now: Nanos, out: SocketOut): void {
  s.delackFiresAt = NOT_ARMED;
  if (s.state === 'CLOSE' || !(s.ackPending & ACK_TIMER)) return;
  s.ackPending &= ~ACK_TIMER;
  if (s.ackPending & ACK_SCHED) {
    if (!inPingpong(s)) s.ackAto = Math.min(s.ackAto << 1, s.rtt.rto, s.cfg.clock.hz / 5);
    else {
      s.ackPingpong = 0;
      s.ackAto = atoMin(s);
    }
    sendAck(s, now, out, 'ack-delayed');
  }
}

/**
 * tcp_cleanup_rbuf: the application read up to `upTo`. An ACK still owed goes out now when a
 * full segment is unacknowledged, or, out of pingpong mode, when the data read came with PSH.
 */
export function appRead(s: TcpSocket, upTo: number, now: Nanos, out: SocketOut): void {
  const copied = upTo - s.copiedSeq;
  if (copied > 0) s.copiedSeq = upTo;
  if (s.state === 'CLOSE' || !(s.ackPending & ACK_SCHED)) return;
  const drained = s.copiedSeq >= s.rcvNxt;
  if (s.rcvNxt - s.rcvWup > s.rcvMss || (copied > 0 && (s.ackPending & ACK_PUSHED2 || (s.ackPending & ACK_PUSHED && !inPingpong(s))) && drained)) {
    sendAck(s, now, out, 'ack');
  }
}

/** Adds [start, end) to the out-of-order ranges (tcp_data_queue_ofo, tcp_sack_new_ofo_skb). */
function addOfo(s: TcpSocket, start: number, end: number): void {
  const r = { start, end, touched: ++s.ofoTick };
  let i = 0;
  while (i < s.ofo.length && (s.ofo[i] as { start: number }).start < start) i++;
  s.ofo.splice(i, 0, r);
  for (let j = 0; j + 1 < s.ofo.length; ) {
    const a = s.ofo[j] as { start: number; end: number; touched: number };
    const b = s.ofo[j + 1] as { start: number; end: number; touched: number };
    if (b.start <= a.end) {
      a.end = Math.max(a.end, b.end);
      a.touched = Math.max(a.touched, b.touched);
      s.ofo.splice(j + 1, 1);
    } else j++;
  }
}

/** tcp_fin: the peer's FIN is in order. */
function fin(s: TcpSocket, now: Nanos, out: SocketOut): void {
  s.ackPending |= ACK_SCHED;
  s.rcvShutdown = true;
  out.events.push({ kind: 'fin' });
  switch (s.state) {
    case 'ESTABLISHED':
      s.state = 'CLOSE_WAIT';
      s.ackPingpong = 1;
      break;
    case 'FIN_WAIT1':
      sendAck(s, now, out);
      s.state = 'CLOSING';
      break;
    case 'FIN_WAIT2':
      sendAck(s, now, out);
      s.state = 'TIME_WAIT';
      break;
    default:
      break;
  }
  s.ofo.length = 0;
}

/**
 * tcp_data_queue: payload and FIN. In order: the bytes are the application's (delivered up to
 * the new rcv_nxt), the out-of-order ranges it reaches join, and filling a hole forces an ACK.
 * Already received: a D-SACK and an immediate ACK. Beyond rcv_nxt: held, with SACK.
 */
function dataQueue(s: TcpSocket, seg: Segment, now: Nanos, out: SocketOut): void {
  const start = seg.seq;
  const end = seg.seq + seg.len;
  const finSeq = seg.fin ? end : undefined;
  if (end <= s.rcvNxt && !(seg.fin && end === s.rcvNxt && s.finSeq === undefined)) {
    // A retransmission of what we have: D-SACK it, ACK at once (tcp_data_queue's out_of_window path).
    if (seg.len > 0) s.dsack = [start, end];
    enterQuickack(s);
    s.ackPending |= ACK_SCHED;
    return;
  }
  if (start <= s.rcvNxt) {
    if (start < s.rcvNxt && seg.len > 0) s.dsack = [start, s.rcvNxt];
    const prior = s.rcvNxt;
    s.rcvNxt = Math.max(s.rcvNxt, end);
    const hadOfo = s.ofo.length > 0;
    while (s.ofo.length > 0 && (s.ofo[0] as { start: number }).start <= s.rcvNxt) {
      const r = s.ofo.shift() as { end: number };
      if (r.end > s.rcvNxt) s.rcvNxt = r.end;
    }
    if (hadOfo && s.ofo.length === 0) s.ackPending |= ACK_NOW;
    if (s.rcvNxt > prior) {
      eventDataRecv(s, s.rcvNxt - prior, now);
      out.events.push({ kind: 'data', upTo: s.rcvNxt });
    }
    const pendingFin = finSeq ?? s.oooFin;
    if (pendingFin !== undefined && pendingFin === s.rcvNxt && s.finSeq === undefined) {
      s.finSeq = pendingFin;
      s.rcvNxt++;
      s.oooFin = undefined;
      fin(s, now, out);
    }
    return;
  }
  // Out of order.
  if (seg.len > 0) addOfo(s, start, end);
  if (finSeq !== undefined) s.oooFin = finSeq;
  s.ackPending |= ACK_SCHED;
}

/** tcp_reset: a valid RST arrived. */
function reset(s: TcpSocket, out: SocketOut): void {
  if (s.state === 'CLOSE') return;
  s.err = s.state === 'CLOSE_WAIT' ? 'EPIPE' : 'ECONNRESET';
  done(s);
  out.events.push({ kind: 'reset' });
}

/** tcp_done: the socket is gone (CLOSE); the host answers anything more with RST. */
export function done(s: TcpSocket): void {
  s.state = 'CLOSE';
  s.writeQueue.clear();
  s.rtxQueue.clear();
  s.packetsOut = 0;
  s.xmitTimer = undefined;
  s.xmitFiresAt = NOT_ARMED;
  s.delackFiresAt = NOT_ARMED;
  s.keepaliveFiresAt = NOT_ARMED;
}

/** tcp_send_challenge_ack (per-socket limit: tcp_invalid_ratelimit, 500 ms). */
function challengeAck(s: TcpSocket, now: Nanos, out: SocketOut, why: 'challenge-ack' | 'dupack'): void {
  const j = jiffiesAt(s.cfg.clock, now);
  if (s.lastOowAck !== 0 && j - s.lastOowAck < msecsToJiffies(s.cfg.clock, 500)) return;
  s.lastOowAck = j;
  sendAck(s, now, out, why);
}

function resetCheck(s: TcpSocket, seg: Segment): boolean {
  return seg.seq === s.rcvNxt - 1 && (s.state === 'CLOSE_WAIT' || s.state === 'LAST_ACK' || s.state === 'CLOSING');
}

/**
 * A segment for this socket, which still exists (a host answers segments for sockets it no
 * longer has with `resetFor`).
 */
export function segmentArrived(s: TcpSocket, seg: Segment, now: Nanos, out: SocketOut): void {
  if (s.state === 'CLOSE') return;
  // Step 1 (tcp_sequence): a segment wholly before the last window sent (a keepalive probe, a
  // repeated retransmission) is answered with a duplicate ACK and otherwise ignored: it does not
  // even count as something received for TCP keepalive.
  const end = segEnd(seg);
  if (end < s.rcvWup || seg.seq > s.rcvNxt + INITIAL_RCV_WND) {
    if (seg.rst) {
      if (resetCheck(s, seg)) reset(s, out);
    } else if (seg.len > 0 || seg.fin) {
      // tcp_send_dupack: data we have already, D-SACKed, ACKed at once.
      if (seg.len > 0 && seg.seq < s.rcvNxt) s.dsack = [seg.seq, Math.min(seg.seq + seg.len, s.rcvNxt)];
      enterQuickack(s);
      sendAck(s, now, out, 'dupack');
    } else challengeAck(s, now, out, 'dupack');
    return;
  }
  // Step 2 (RFC 5961 3.2): a reset counts only at exactly rcv_nxt; anywhere else in the window
  // it draws a challenge ACK.
  if (seg.rst) {
    if (seg.seq === s.rcvNxt || resetCheck(s, seg)) reset(s, out);
    else challengeAck(s, now, out, 'challenge-ack');
    return;
  }
  if (seg.seq <= s.rcvWup && seg.tsval >= s.tsRecent) s.tsRecent = seg.tsval;
  const predicted = s.state === 'ESTABLISHED' && seg.seq === s.rcvNxt && seg.sack === undefined && !seg.fin && s.ofo.length === 0;
  if (predicted && seg.len === 0) {
    // Header prediction, a pure ACK.
    if (seg.hasAck) processAck(s, seg, now, out, false);
    pushPending(s, now, out);
    return;
  }
  if (predicted) {
    // Header prediction with data: the data first, then the ACK (tcp_rcv_established).
    dataQueue(s, seg, now, out);
    if (seg.hasAck && seg.ack !== s.sndUna) {
      processAck(s, seg, now, out, false);
      pushPending(s, now, out);
    }
    ackSndCheck(s, now, out);
    return;
  }
  if (seg.hasAck && !processAck(s, seg, now, out, true)) return;
  // tcp_rcv_state_process: the closing states move on as our FIN is acknowledged.
  switch (s.state) {
    case 'FIN_WAIT1':
      if (s.sndUna === s.writeSeq) {
        s.state = 'FIN_WAIT2';
        if (s.orphan && seg.len > 0 && seg.seq + seg.len > s.rcvNxt) {
          // Data after close(): the orphan is done and the segment draws RST.
          done(s);
          replyReset(s, seg, now, out);
          return;
        }
        if (s.orphan) armFinWait2(s, now);
      }
      break;
    case 'CLOSING':
      if (s.sndUna === s.writeSeq) s.state = 'TIME_WAIT';
      break;
    case 'LAST_ACK':
      if (s.sndUna === s.writeSeq) {
        done(s);
        return;
      }
      break;
    default:
      break;
  }
  // Step 7: the segment's text.
  if (seg.len > 0 || seg.fin) {
    const closedByPeer = s.state === 'CLOSE_WAIT' || s.state === 'CLOSING' || s.state === 'LAST_ACK' || s.state === 'TIME_WAIT';
    if (closedByPeer && seg.seq >= s.rcvNxt) {
      // The peer already sent its FIN: anything more is ignored.
    } else if ((s.state === 'FIN_WAIT1' || s.state === 'FIN_WAIT2') && s.rcvShutdown && seg.len > 0 && seg.seq + seg.len > s.rcvNxt) {
      // RFC 1122: data for a socket the application has closed resets the connection
      // (tcp_reset, and the segment is answered by tcp_v4_send_reset).
      s.err = 'ECONNRESET';
      done(s);
      replyReset(s, seg, now, out);
      return;
    } else dataQueue(s, seg, now, out);
  }
  // dataQueue may have moved the state on (a FIN into TIME_WAIT).
  if ((s.state as TcpState) === 'CLOSE') return;
  pushPending(s, now, out);
  ackSndCheck(s, now, out);
}

/**
 * tcp_v4_send_reset: the RST a host sends for a segment it has no socket for (or one that
 * killed it): at the segment's ACK number if it had one, else ACKing its sequence space.
 */
export function resetFor(seg: Segment, now: Nanos): Segment | undefined {
  if (seg.rst) return undefined;
  const base = { len: 0, fin: false, rst: true, sack: undefined, tsval: tcpTimeStampMs(now), tsecr: 0, why: 'rst-reply' as const, tx: 0 };
  return seg.hasAck ? { ...base, seq: seg.ack, hasAck: false, ack: 0 } : { ...base, seq: 0, hasAck: true, ack: segEnd(seg) };
}

function replyReset(s: TcpSocket, seg: Segment, now: Nanos, out: SocketOut): void {
  const r = resetFor(seg, now);
  if (r !== undefined) {
    out.segments.push(r);
    s.stats.rstsSent++;
  }
}

/** An orphan in FIN_WAIT2 waits tcp_fin_timeout for the peer's FIN (on the keepalive timer). */
function armFinWait2(s: TcpSocket, now: Nanos): void {
  const c = s.cfg.clock;
  s.keepaliveFiresAt = kernelTimerFiresAt(c, now, msecsToJiffies(c, s.cfg.finTimeout / 1e6));
}

/** close(2) (tcp_close): RST when unread data is thrown away, otherwise the FIN queued behind unsent data. */
export function closeSocket(s: TcpSocket, unread: boolean, now: Nanos, out: SocketOut): 'rst' | 'fin' | 'none' {
  s.rcvShutdown = true;
  s.orphan = true;
  if (s.state === 'CLOSE') return 'none';
  if (unread) {
    sendActiveReset(s, now, out, 'rst-close');
    done(s);
    return 'rst';
  }
  switch (s.state) {
    case 'ESTABLISHED':
      s.state = 'FIN_WAIT1';
      break;
    case 'CLOSE_WAIT':
      s.state = 'LAST_ACK';
      break;
    default:
      return 'none';
  }
  return 'fin';
}
