import type { Nanos } from '../../time/units.js';
import { kernelTimerFiresAt, jiffiesAt, jiffiesToUsecs, tcpClockUs, tcpTimeStampMs, usecsToJiffies } from './kernel-clock.js';
import { rtoBounds } from './rtt-estimator.js';
import type { Segment, SegmentWhy } from './segment.js';
import { NOT_ARMED, type Skb, type SocketOut, type TcpSocket, type XmitTimer } from './socket-types.js';

/**
 * The sending half of a socket: queueing what the application writes, tcp_write_xmit's decision
 * of what may leave now, transmission (every segment carries the current ACK, so a pending
 * delayed ACK rides on it), retransmission with collapsing, the tail loss probe, resets and
 * keepalive probes, and the retransmission timer's arming (net/ipv4/tcp_output.c and the
 * timer helpers of tcp_input.c / include/net/tcp.h, read at 6.1 and 6.12).
 *
 * SIMPLIFICATIONS (docs/transport.md): no receive window (never the limit here), no Nagle (Go
 * sets TCP_NODELAY), no pacing, TSQ or autocorking (CUBIC without fq does not pace; a veth or a
 * real NIC frees transmitted buffers within microseconds), no MTU probing, no TSO: every skb is
 * at most one MSS.
 */

/** tcp_packets_in_flight. */
export function packetsInFlight(s: TcpSocket): number {
  return s.packetsOut - (s.sackedOut + s.lostOut) + s.retransOut;
}

/**
 * The SACK blocks this socket would send now (tcp_build_sack_ooo / selective_acks): a D-SACK
 * first, then the out-of-order ranges, the most recently changed first, at most 3 in all (the
 * option space left beside timestamps).
 */
function sackBlocks(s: TcpSocket): number[] | undefined {
  if (s.dsack === undefined && s.ofo.length === 0) return undefined;
  const blocks: number[] = [];
  if (s.dsack !== undefined) blocks.push(s.dsack[0], s.dsack[1]);
  // The most recently touched ranges first (their `touched` ticks are distinct): picked by
  // repeated maximum, not by sorting every range for each segment sent.
  let below = Number.POSITIVE_INFINITY;
  while (blocks.length < 6) {
    let pick: { start: number; end: number; touched: number } | undefined;
    for (let i = 0; i < s.ofo.length; i++) {
      const r = s.ofo[i] as { start: number; end: number; touched: number };
      if (r.touched < below && (pick === undefined || r.touched > pick.touched)) pick = r;
    }
    if (pick === undefined) break;
    blocks.push(pick.start, pick.end);
    below = pick.touched;
  }
  return blocks;
}

/** Builds a segment with this socket's current ACK, SACK and timestamps. */
function makeSegment(s: TcpSocket, now: Nanos, seq: number, len: number, fin: boolean, why: SegmentWhy, tx: number): Segment {
  const sack = s.dsack === undefined && s.ofo.length === 0 ? undefined : sackBlocks(s);
  return { seq, len, fin, rst: false, hasAck: true, ack: s.rcvNxt, sack, tsval: tcpTimeStampMs(now), tsecr: s.tsRecent, why, tx };
}

/**
 * __tcp_transmit_skb's bookkeeping for any segment with the ACK flag: it acknowledges everything
 * received, so the pending ACK is done (tcp_event_ack_sent: quickack credit used, delayed ACK
 * cancelled, a one-shot D-SACK consumed).
 */
function ackSent(s: TcpSocket): void {
  if (s.ackQuick > 0) {
    const pkts = s.ackPending & ACK_SCHED ? 1 : 0;
    if (pkts >= s.ackQuick) {
      s.ackQuick = 0;
      s.ackAto = atoMin(s);
    } else s.ackQuick -= pkts;
  }
  s.ackPending = 0;
  s.delackFiresAt = NOT_ARMED;
  s.rcvWup = s.rcvNxt;
  s.dsack = undefined;
}

/** tcp_event_data_sent: a data segment left (new or retransmitted). */
function dataSent(s: TcpSocket, now: Nanos): void {
  const j = jiffiesAt(s.cfg.clock, now);
  s.lsndtime = j;
  // A reply within ato of the last data received counts toward pingpong (interactive) mode.
  if (j - s.ackLrcvtime < s.ackAto) s.ackPingpong = Math.min(255, s.ackPingpong + 1);
}

/** Puts a data skb on the wire (a first transmission or a retransmission). */
function transmit(s: TcpSocket, skb: Skb, now: Nanos, out: SocketOut, why: SegmentWhy): void {
  skb.sentAt = now;
  skb.tx++;
  out.segments.push(makeSegment(s, now, skb.seq, skb.len, skb.fin, why, skb.tx));
  ackSent(s);
  if (skb.len > 0) dataSent(s, now);
}

export const ACK_SCHED = 1;
export const ACK_TIMER = 2;
export const ACK_PUSHED = 4;
export const ACK_PUSHED2 = 8;
export const ACK_NOW = 16;

export function atoMin(s: TcpSocket): number {
  return s.cfg.clock.hz / 25;
}

/** tcp_send_ack: a pure ACK now. */
export function sendAck(s: TcpSocket, now: Nanos, out: SocketOut, why: SegmentWhy = 'ack'): void {
  if (s.state === 'CLOSE') return;
  out.segments.push(makeSegment(s, now, s.sndNxt, 0, false, why, 0));
  ackSent(s);
}

/** tcp_send_active_reset: RST|ACK at snd_nxt (tcp_acceptable_seq), never retransmitted. */
export function sendActiveReset(s: TcpSocket, now: Nanos, out: SocketOut, why: SegmentWhy): void {
  out.segments.push({ seq: s.sndNxt, len: 0, fin: false, rst: true, hasAck: true, ack: s.rcvNxt, sack: undefined, tsval: tcpTimeStampMs(now), tsecr: s.tsRecent, why, tx: 0 });
  s.stats.rstsSent++;
}

/** tcp_xmit_probe_skb: a keepalive probe, one sequence number below snd_una, so the peer must answer it. */
export function sendKeepaliveProbe(s: TcpSocket, now: Nanos, out: SocketOut): void {
  out.segments.push(makeSegment(s, now, s.sndUna - 1, 0, false, 'keepalive-probe', 0));
  ackSent(s);
  s.stats.probes++;
}

// ---------------------------------------------------------------- the retransmission timer

/**
 * inet_csk_reset_xmit_timer for RETRANS / LOSS_PROBE / REO_TIMEOUT: `deltaJ` ticks from now (at
 * most `maxJ`), on the timer wheel.
 */
export function resetXmitTimer(s: TcpSocket, what: XmitTimer, deltaJ: number, now: Nanos, maxJ = rtoBounds(s.cfg.clock).max): void {
  const c = s.cfg.clock;
  const d = Math.min(deltaJ, maxJ);
  s.xmitTimer = what;
  s.xmitExpires = jiffiesAt(c, now) + (d > 0 ? Math.ceil(d) : 0);
  s.xmitFiresAt = kernelTimerFiresAt(c, now, d);
}

export function clearXmitTimer(s: TcpSocket): void {
  s.xmitTimer = undefined;
  s.xmitFiresAt = NOT_ARMED;
}

/** tcp_rto_delta_us: how far in the future the RTO of the oldest unacknowledged skb is. */
export function rtoDeltaUs(s: TcpSocket, now: Nanos): number {
  const head = s.rtxQueue.first();
  const rtoUs = jiffiesToUsecs(s.cfg.clock, s.rtt.rto);
  if (head === undefined) return rtoUs;
  return tcpClockUs(head.sentAt) + rtoUs - tcpClockUs(now);
}

/** tcp_rearm_rto: RTO from the head's (re)transmission, or a full RTO after a probe/REO timer. */
export function rearmRto(s: TcpSocket, now: Nanos): void {
  if (s.packetsOut === 0) {
    clearXmitTimer(s);
    return;
  }
  let rto = s.rtt.rto;
  if (s.xmitTimer === 'REO_TIMEOUT' || s.xmitTimer === 'LOSS_PROBE') {
    rto = usecsToJiffies(s.cfg.clock, Math.max(1, rtoDeltaUs(s, now)));
  }
  resetXmitTimer(s, 'RETRANS', rto, now);
}

/**
 * tcp_schedule_loss_probe (RACK-TLP, tcp_early_retrans 3): in the Open or CWR state with data
 * out, probe after 2 SRTT, plus TCP_RTO_MIN when one packet is out (a delayed ACK allowance) or
 * 2 ms otherwise; 1 s before any RTT sample; never later than the RTO would fire.
 */
export function scheduleLossProbe(s: TcpSocket, now: Nanos, advancingRto: boolean): boolean {
  if (s.packetsOut === 0 || (s.caState !== 'Open' && s.caState !== 'CWR')) return false;
  const c = s.cfg.clock;
  let timeout: number;
  if (s.rtt.srttUs !== 0) {
    let us = s.rtt.srttUs >> 2;
    us += s.packetsOut === 1 ? jiffiesToUsecs(c, rtoBounds(c).min) : 2000;
    timeout = usecsToJiffies(c, us);
  } else timeout = rtoBounds(c).init;
  const rtoDelta = advancingRto ? jiffiesToUsecs(c, s.rtt.rto) : rtoDeltaUs(s, now);
  if (rtoDelta > 0) timeout = Math.min(timeout, usecsToJiffies(c, rtoDelta));
  resetXmitTimer(s, 'LOSS_PROBE', timeout, now);
  return true;
}

/** tcp_set_xmit_timer: TLP if it may, otherwise the RTO. */
export function setXmitTimer(s: TcpSocket, now: Nanos): void {
  if (!scheduleLossProbe(s, now, true)) rearmRto(s, now);
}

// ---------------------------------------------------------------- writing and sending

/**
 * tcp_sendmsg: `len` bytes join the write queue, filling the unsent tail skb up to one MSS first
 * (so writes made while the window is closed coalesce), then tcp_push sends what it may.
 */
export function queueBytes(s: TcpSocket, len: number): void {
  let left = len;
  const mss = s.cfg.mss;
  const tail = s.writeQueue.last();
  if (tail !== undefined && !tail.fin && tail.len < mss) {
    const add = Math.min(mss - tail.len, left);
    tail.len += add;
    tail.end += add;
    left -= add;
  }
  let seq = s.writeSeq + (len - left);
  while (left > 0) {
    const n = Math.min(mss, left);
    s.writeQueue.push(newSkb(seq, n, false));
    seq += n;
    left -= n;
  }
  s.writeSeq += len;
}

export function newSkb(seq: number, len: number, fin: boolean): Skb {
  return { seq, end: seq + len + (fin ? 1 : 0), len, fin, sentAt: 0, sackedAcked: false, sackedRetrans: false, lost: false, everRetrans: false, retrans: false, tx: 0 };
}

/** tcp_send_fin: the FIN rides on the unsent tail skb, or is an skb of its own. */
export function queueFin(s: TcpSocket): void {
  const tail = s.writeQueue.last();
  if (tail !== undefined) {
    tail.fin = true;
    tail.end++;
  } else s.writeQueue.push(newSkb(s.writeSeq, 0, true));
  s.writeSeq++;
}

/** tcp_cwnd_test: room in the congestion window (a lone FIN is exempt before 6.10). */
function cwndQuota(s: TcpSocket, skb: Skb): number {
  if (s.cfg.features.finIgnoresCwnd && skb.fin && skb.len <= s.cfg.mss) return 1;
  const inFlight = packetsInFlight(s);
  if (inFlight >= s.cwnd) return 0;
  return Math.min(Math.max(s.cwnd >> 1, 1), s.cwnd - inFlight);
}

/**
 * tcp_write_xmit: sends queued skbs while the congestion window allows. `pushOne`: 1 sends at
 * most one, 2 forces one out for a loss probe. Returns how many were sent.
 */
export function writeXmit(s: TcpSocket, now: Nanos, out: SocketOut, pushOne: 0 | 1 | 2): number {
  if (s.state === 'CLOSE') return 0;
  let sent = 0;
  while (s.writeQueue.length > 0) {
    const skb = s.writeQueue.first() as Skb;
    let quota = cwndQuota(s, skb);
    if (quota === 0) {
      if (pushOne === 2) quota = 1;
      else break;
    }
    s.writeQueue.shift();
    const priorPackets = s.packetsOut;
    transmit(s, skb, now, out, 'data');
    // tcp_event_new_data_sent
    s.sndNxt = skb.end;
    s.rtxQueue.push(skb);
    s.packetsOut++;
    if (priorPackets === 0 || s.xmitTimer === 'LOSS_PROBE') rearmRto(s, now);
    sent++;
    if (pushOne !== 0) break;
  }
  const cwndLimited = packetsInFlight(s) >= s.cwnd;
  if (sent > 0 || cwndLimited) cwndValidate(s, cwndLimited);
  if (sent > 0 && pushOne !== 2) scheduleLossProbe(s, now, false);
  return sent;
}

/**
 * tcp_cwnd_validate's record of how far the window is used: whether the window was the limit,
 * and the most packets out in the current window (slow start only grows a window that is used).
 * SIMPLIFICATION: tcp_cwnd_application_limited (shrinking an unused window above 10 after an
 * idle RTO) is left out; it never acts on a window of 10 or less.
 */
function cwndValidate(s: TcpSocket, cwndLimited: boolean): void {
  if (s.sndUna >= s.cwndUsageSeq || cwndLimited || (!s.isCwndLimited && s.packetsOut > s.maxPacketsOut)) {
    s.isCwndLimited = cwndLimited;
    s.maxPacketsOut = s.packetsOut;
    s.cwndUsageSeq = s.sndNxt;
  }
}

/** tcp_push / __tcp_push_pending_frames after a write or an ACK (tcp_data_snd_check). */
export function pushPending(s: TcpSocket, now: Nanos, out: SocketOut): void {
  if (s.writeQueue.length > 0) writeXmit(s, now, out, 0);
}

// ---------------------------------------------------------------- retransmission

/**
 * tcp_retrans_try_collapse: a short skb being retransmitted swallows the skbs after it (not
 * SACKed) while they fit in one MSS; its flags take theirs (the FIN included).
 */
function collapseFollowing(s: TcpSocket, i: number): void {
  const to = s.rtxQueue.at(i) as Skb;
  let space = s.cfg.mss - to.len;
  while (i + 1 < s.rtxQueue.length) {
    const next = s.rtxQueue.at(i + 1) as Skb;
    if (next.sackedAcked) break;
    space -= next.len;
    if (space < 0) break;
    // tcp_collapse_retrans: merge, and account for the skb that disappears.
    if (next.lost) s.lostOut--;
    if (next.sackedRetrans) s.retransOut--;
    s.packetsOut--;
    to.len += next.len;
    to.end = next.end;
    to.fin = to.fin || next.fin;
    to.everRetrans = to.everRetrans || next.everRetrans;
    s.rtxQueue.removeAt(i + 1);
  }
}

/**
 * __tcp_retransmit_skb / tcp_retransmit_skb for the skb at `i` of the retransmission queue.
 * `marked`: tcp_retransmit_skb's accounting (RETRANS bits, retrans_out, retrans_stamp); the tail
 * loss probe calls the inner function and so sets none of it, only EVER_RETRANS.
 */
export function retransmitAt(s: TcpSocket, i: number, now: Nanos, out: SocketOut, why: SegmentWhy, marked: boolean): void {
  const skb = s.rtxQueue.at(i) as Skb;
  if (skb.len < s.cfg.mss) collapseFollowing(s, i);
  transmit(s, skb, now, out, why);
  skb.everRetrans = true;
  s.stats.retransmissions++;
  if (!marked) return;
  if (!skb.sackedRetrans) {
    skb.sackedRetrans = true;
    s.retransOut++;
  }
  skb.retrans = true;
  if (s.retransStamp === 0) s.retransStamp = Math.max(1, tcpTimeStampMs(skb.sentAt));
  if (s.undoRetrans < 0) s.undoRetrans = 0;
  s.undoRetrans++;
}

/**
 * tcp_xmit_retransmit_queue: resend skbs marked lost, in order, while the congestion window has
 * room; restarting the RTO when the head went out again.
 */
export function xmitRetransmitQueue(s: TcpSocket, now: Nanos, out: SocketOut): void {
  if (s.packetsOut === 0) return;
  let rearm = false;
  for (let i = 0; i < s.rtxQueue.length; i++) {
    if (s.cwnd - packetsInFlight(s) <= 0) break;
    if (s.retransOut >= s.lostOut) break;
    const skb = s.rtxQueue.at(i) as Skb;
    if (!skb.lost) continue;
    if (skb.sackedAcked || skb.sackedRetrans) continue;
    retransmitAt(s, i, now, out, s.caState === 'Loss' ? 'retransmit-rto' : 'retransmit-fast', true);
    if (i === 0 && s.xmitTimer !== 'REO_TIMEOUT') rearm = true;
  }
  if (rearm) resetXmitTimer(s, 'RETRANS', s.rtt.rto, now);
}

/**
 * tcp_send_loss_probe: new data if there is some the window allows, else the last skb sent
 * again; one probe outstanding at a time (tlp_high_seq). Then the RTO restarts from now.
 */
export function sendLossProbe(s: TcpSocket, now: Nanos, out: SocketOut): void {
  let probed = false;
  if (s.tlpHighSeq === 0) {
    s.tlpRetrans = false;
    if (s.writeQueue.length > 0) {
      const before = s.packetsOut;
      writeXmit(s, now, out, 2);
      probed = s.packetsOut > before;
    } else if (s.rtxQueue.length > 0) {
      retransmitAt(s, s.rtxQueue.length - 1, now, out, 'retransmit-tlp', false);
      s.tlpRetrans = true;
      probed = true;
    }
    if (probed) {
      s.tlpHighSeq = s.sndNxt;
      s.stats.tlps++;
      // "Reset s.t. tcp_rearm_rto will restart timer from now".
      s.xmitTimer = undefined;
    }
  }
  rearmRto(s, now);
}
