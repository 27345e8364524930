import type { Nanos } from '../../time/units.js';
import { jiffiesAt, tcpClockUs, usecsToJiffies } from './kernel-clock.js';
import { packetsInFlight, resetXmitTimer, rearmRto, xmitRetransmitQueue } from './send-path.js';
import { CA_ORDER, type CaState, type Skb, type SocketOut, type TcpSocket } from './socket-types.js';

/**
 * Loss recovery and congestion control: the congestion states (Open, Disorder, CWR, Recovery,
 * Loss), RACK loss detection, PRR, undo, F-RTO, and CUBIC's multiplicative decrease
 * (net/ipv4/tcp_input.c tcp_fastretrans_alert and its helpers, tcp_recovery.c, tcp_cubic.c,
 * tcp_cong.c; read at 6.1 and 6.12, the same in both for what is modelled here).
 *
 * SIMPLIFICATIONS: CUBIC's window growth after a loss is Reno's one MSS per window (its ssthresh,
 * the 0.7 decrease, is exact); no ECN; no reordering detection (the model's links never reorder,
 * so reord_seen stays 0 and reo_wnd follows the no-reordering rules); SACK reneging ignored.
 */

export const FLAG_DATA = 0x01;
export const FLAG_WIN_UPDATE = 0x02;
export const FLAG_DATA_ACKED = 0x04;
export const FLAG_RETRANS_DATA_ACKED = 0x08;
export const FLAG_DATA_SACKED = 0x20;
export const FLAG_LOST_RETRANS = 0x80;
export const FLAG_SLOWPATH = 0x100;
export const FLAG_ORIG_SACK_ACKED = 0x200;
export const FLAG_SND_UNA_ADVANCED = 0x400;
export const FLAG_DSACKING_ACK = 0x800;
export const FLAG_SET_XMIT_TIMER = 0x1000;
export const FLAG_ACK_MAYBE_DELAYED = 0x10000;
export const FLAG_DSACK_TLP = 0x20000;
export const FLAG_ACKED = FLAG_DATA_ACKED;
export const FLAG_NOT_DUP = FLAG_DATA | FLAG_WIN_UPDATE | FLAG_ACKED;
export const FLAG_CA_ALERT = FLAG_DATA_SACKED | FLAG_DSACKING_ACK;
export const FLAG_FORWARD_PROGRESS = FLAG_ACKED | FLAG_DATA_SACKED;

export type Rexmit = 'none' | 'lost' | 'new';

const INFINITE_SSTHRESH = 0x7fffffff;
/** CUBIC's beta (717/1024). */
const CUBIC_BETA = 717;

export function setCaState(s: TcpSocket, st: CaState): void {
  s.caState = st;
}

/** cubictcp_recalc_ssthresh. */
function cubicSsthresh(s: TcpSocket): number {
  return Math.max(Math.floor((s.cwnd * CUBIC_BETA) / 1024), 2);
}

export function inCwndReduction(s: TcpSocket): boolean {
  return s.caState === 'CWR' || s.caState === 'Recovery';
}

/** tcp_current_ssthresh. */
function currentSsthresh(s: TcpSocket): number {
  if (inCwndReduction(s)) return s.ssthresh;
  return Math.max(s.ssthresh, (s.cwnd >> 1) + (s.cwnd >> 2));
}

export function anyRetransDone(s: TcpSocket): boolean {
  if (s.retransOut > 0) return true;
  const head = s.rtxQueue.first();
  return head !== undefined && head.everRetrans;
}

/** tcp_mark_skb_lost. */
export function markSkbLost(s: TcpSocket, skb: Skb): void {
  if (skb.sackedAcked) return;
  if (skb.lost) {
    if (skb.sackedRetrans) {
      skb.sackedRetrans = false;
      s.retransOut--;
    }
  } else {
    s.lostOut++;
    skb.lost = true;
  }
}

function initUndo(s: TcpSocket): void {
  s.undoMarker = Math.max(1, s.sndUna + 1);
  s.undoRetrans = s.retransOut + (s.tlpHighSeq !== 0 && s.tlpRetrans ? 1 : 0);
  if (s.undoRetrans === 0) s.undoRetrans = -1;
}

/** tcp_rack_skb_timeout: how long until `skb` counts as lost (RACK.rtt + reo_wnd after its send). */
function rackSkbTimeoutUs(s: TcpSocket, skb: Skb, reoWndUs: number, now: Nanos): number {
  return s.rackRttUs + reoWndUs - (tcpClockUs(now) - tcpClockUs(skb.sentAt));
}

/**
 * tcp_enter_loss, from the retransmission timer: every skb counts as lost except, with RACK,
 * ones sent within the last RACK round trip; ssthresh drops (once per episode) and the window
 * goes to what is in flight plus one (1 after an outage).
 */
export function enterLoss(s: TcpSocket, now: Nanos): void {
  const newRecovery = CA_ORDER[s.caState] < CA_ORDER.Recovery;
  // tcp_timeout_mark_lost
  for (let i = 0; i < s.rtxQueue.length; i++) {
    const skb = s.rtxQueue.at(i) as Skb;
    if (i > 0 && rackSkbTimeoutUs(s, skb, 0, now) > 0) continue;
    markSkbLost(s, skb);
  }
  if (CA_ORDER[s.caState] <= CA_ORDER.Disorder || s.highSeq <= s.sndUna || (s.caState === 'Loss' && s.retransmits === 0)) {
    s.priorSsthresh = currentSsthresh(s);
    s.priorCwnd = s.cwnd;
    s.ssthresh = cubicSsthresh(s);
    initUndo(s);
  }
  s.cwnd = packetsInFlight(s) + 1;
  s.cwndCnt = 0;
  setCaState(s, 'Loss');
  s.highSeq = s.sndNxt;
  s.tlpHighSeq = 0;
  s.frto = newRecovery || s.retransmits > 0;
}

function undoCwndReduction(s: TcpSocket, unmarkLoss: boolean): void {
  if (unmarkLoss) {
    for (let i = 0; i < s.rtxQueue.length; i++) (s.rtxQueue.at(i) as Skb).lost = false;
    s.lostOut = 0;
  }
  if (s.priorSsthresh !== 0) {
    s.cwnd = Math.max(s.cwnd, s.priorCwnd);
    if (s.priorSsthresh > s.ssthresh) s.ssthresh = s.priorSsthresh;
  }
  s.undoMarker = 0;
  s.rackAdvanced = true;
}

/** tcp_packet_delayed: the ACK echoes a timestamp older than the first retransmission (the original got through). */
function packetDelayed(s: TcpSocket, tsecr: number): boolean {
  if (s.retransStamp !== 0) return tsecr !== 0 && tsecr < s.retransStamp;
  return true;
}

function mayUndo(s: TcpSocket, tsecr: number): boolean {
  return s.undoMarker !== 0 && (s.undoRetrans === 0 || packetDelayed(s, tsecr));
}

function tryUndoRecovery(s: TcpSocket, tsecr: number): void {
  if (mayUndo(s, tsecr)) undoCwndReduction(s, false);
  setCaState(s, 'Open');
}

function tryUndoLoss(s: TcpSocket, frtoUndo: boolean, tsecr: number): boolean {
  if (frtoUndo || mayUndo(s, tsecr)) {
    undoCwndReduction(s, true);
    s.retransmits = 0;
    setCaState(s, 'Open');
    return true;
  }
  return false;
}

function tryUndoDsack(s: TcpSocket): boolean {
  if (s.undoMarker !== 0 && s.undoRetrans === 0) {
    undoCwndReduction(s, false);
    return true;
  }
  return false;
}

/** tcp_init_cwnd_reduction (PRR starts). */
function initCwndReduction(s: TcpSocket): void {
  s.highSeq = s.sndNxt;
  s.tlpHighSeq = 0;
  s.cwndCnt = 0;
  s.priorCwnd = s.cwnd;
  s.prrDelivered = 0;
  s.prrOut = 0;
  s.ssthresh = cubicSsthresh(s);
}

/** tcp_cwnd_reduction (RFC 6937 PRR). */
function cwndReduction(s: TcpSocket, newlyAckedSacked: number, newlyLost: number, flag: number): void {
  if (newlyAckedSacked <= 0 || s.priorCwnd === 0) return;
  s.prrDelivered += newlyAckedSacked;
  const delta = s.ssthresh - packetsInFlight(s);
  let sndcnt: number;
  if (delta < 0) {
    sndcnt = Math.floor((s.ssthresh * s.prrDelivered + s.priorCwnd - 1) / s.priorCwnd) - s.prrOut;
  } else {
    sndcnt = Math.max(s.prrDelivered - s.prrOut, newlyAckedSacked);
    if (flag & FLAG_SND_UNA_ADVANCED && newlyLost === 0) sndcnt++;
    sndcnt = Math.min(delta, sndcnt);
  }
  sndcnt = Math.max(sndcnt, s.prrOut > 0 ? 0 : 1);
  s.cwnd = packetsInFlight(s) + sndcnt;
}

function endCwndReduction(s: TcpSocket): void {
  if (s.ssthresh < INFINITE_SSTHRESH && (s.caState === 'CWR' || s.undoMarker !== 0)) s.cwnd = s.ssthresh;
}

export function enterRecovery(s: TcpSocket): void {
  if (!anyRetransDone(s)) s.retransStamp = 0;
  s.priorSsthresh = 0;
  initUndo(s);
  if (!inCwndReduction(s)) {
    s.priorSsthresh = currentSsthresh(s);
    initCwndReduction(s);
  }
  setCaState(s, 'Recovery');
}

function tryKeepOpen(s: TcpSocket): void {
  const st: CaState = s.lostOut + s.sackedOut > 0 || anyRetransDone(s) ? 'Disorder' : 'Open';
  if (s.caState !== st) {
    setCaState(s, st);
    s.highSeq = s.sndNxt;
  }
}

function tryToOpen(s: TcpSocket): void {
  if (!anyRetransDone(s)) s.retransStamp = 0;
  if (s.caState !== 'CWR') tryKeepOpen(s);
}

/** tcp_rack_reo_wnd (no reordering ever seen). */
function rackReoWndUs(s: TcpSocket): number {
  if (CA_ORDER[s.caState] >= CA_ORDER.Recovery) return 0;
  if (s.sackedOut >= s.reordering) return 0;
  return Math.min((s.rtt.minRttUs >> 2) * s.rackReoWndSteps, s.rtt.srttUs >> 3);
}

/**
 * tcp_rack_detect_loss: an skb is lost once something sent after it was delivered and RACK.rtt
 * plus the reordering window has passed since it was sent; returns the longest wait left (µs).
 */
function rackDetectLoss(s: TcpSocket, now: Nanos): number {
  const reo = rackReoWndUs(s);
  let wait = 0;
  // The kernel walks skbs in the order they were (re)sent (tsorted_sent_queue) and stops at the
  // first one not sent before the most recently delivered skb. What it does for an skb touches
  // only that skb, the counters and the longest wait, so visiting the same skbs (those sent
  // before (rackMstamp, rackEndSeq)) in sequence order gives the same result, without sorting
  // the retransmission queue on every ACK.
  const q = s.rtxQueue;
  for (let i = 0; i < q.length; i++) {
    const skb = q.at(i) as Skb;
    if (skb.lost && !skb.sackedRetrans) continue;
    if (skb.sackedAcked) continue;
    const sentAfter = s.rackMstamp > skb.sentAt || (s.rackMstamp === skb.sentAt && s.rackEndSeq > skb.end);
    if (!sentAfter) continue;
    const remaining = rackSkbTimeoutUs(s, skb, reo, now);
    if (remaining <= 0) markSkbLost(s, skb);
    else wait = Math.max(wait, remaining);
  }
  return wait;
}

/** tcp_rack_mark_lost: returns true when a reordering timer was armed (then no TLP/RTO re-arm). */
function rackMarkLost(s: TcpSocket, now: Nanos): boolean {
  if (!s.rackAdvanced) return false;
  s.rackAdvanced = false;
  const wait = rackDetectLoss(s, now);
  if (wait > 0) {
    resetXmitTimer(s, 'REO_TIMEOUT', usecsToJiffies(s.cfg.clock, wait + 2000), now, s.rtt.rto);
    return true;
  }
  return false;
}

/** tcp_rack_reo_timeout: the reordering window has passed. */
export function rackReoTimeout(s: TcpSocket, now: Nanos, out: SocketOut): void {
  const before = packetsInFlight(s);
  const lostBefore = s.lostOut;
  rackDetectLoss(s, now);
  if (before !== packetsInFlight(s)) {
    if (s.caState !== 'Recovery') {
      enterRecovery(s);
      cwndReduction(s, 1, s.lostOut - lostBefore, 0);
    }
    xmitRetransmitQueue(s, now, out);
  }
  if (s.xmitTimer !== 'RETRANS') rearmRto(s, now);
}

/** tcp_rack_advance: the most recently sent skb known delivered. */
export function rackAdvance(s: TcpSocket, skb: Skb, now: Nanos): void {
  const rttUs = tcpClockUs(now) - tcpClockUs(skb.sentAt);
  if (rttUs < s.rtt.minRttUs && skb.retrans) return;
  s.rackAdvanced = true;
  s.rackRttUs = rttUs;
  if (skb.sentAt > s.rackMstamp || (skb.sentAt === s.rackMstamp && skb.end > s.rackEndSeq)) {
    s.rackMstamp = skb.sentAt;
    s.rackEndSeq = skb.end;
  }
}

function identifyPacketLoss(s: TcpSocket, now: Nanos, flag: { v: number }): void {
  if (s.rtxQueue.length === 0) return;
  const priorRetrans = s.retransOut;
  if (rackMarkLost(s, now)) flag.v &= ~FLAG_SET_XMIT_TIMER;
  if (priorRetrans > s.retransOut) flag.v |= FLAG_LOST_RETRANS;
}

/** tcp_process_loss: an ACK in the Loss state, F-RTO included. */
function processLoss(s: TcpSocket, flag: number, numDupack: number, tsecr: number): Rexmit {
  const recovered = s.sndUna >= s.highSeq;
  if (flag & FLAG_SND_UNA_ADVANCED && tryUndoLoss(s, false, tsecr)) return 'none';
  if (s.frto) {
    if (flag & FLAG_ORIG_SACK_ACKED && tryUndoLoss(s, true, tsecr)) return 'none';
    if (s.sndNxt > s.highSeq) {
      if (flag & FLAG_DATA_SACKED || numDupack > 0) s.frto = false;
    } else if (flag & FLAG_SND_UNA_ADVANCED && !recovered) {
      s.highSeq = s.sndNxt;
      if (s.writeQueue.length > 0) return 'new';
      s.frto = false;
    }
  }
  if (recovered) {
    tryUndoRecovery(s, tsecr);
    return 'none';
  }
  return 'lost';
}

/**
 * tcp_fastretrans_alert, for an ACK that is a duplicate, carries SACK news, or arrives outside
 * the Open state. Returns what tcp_xmit_recovery should send.
 */
export function fastretransAlert(s: TcpSocket, numDupack: number, flagRef: { v: number }, now: Nanos, tsecr: number): Rexmit {
  const flag = flagRef.v;
  if (s.packetsOut === 0 && s.sackedOut > 0) s.sackedOut = 0;
  if (s.caState === 'Open') s.retransStamp = 0;
  else if (s.sndUna >= s.highSeq) {
    if (s.caState === 'CWR' && s.sndUna !== s.highSeq) {
      endCwndReduction(s);
      setCaState(s, 'Open');
    } else if (s.caState === 'Recovery') {
      tryUndoRecovery(s, tsecr);
      endCwndReduction(s);
    }
  }
  let rexmit: Rexmit = 'lost';
  let fallToDefault = false;
  switch (s.caState) {
    case 'Recovery': {
      // tcp_try_undo_partial: the hole was filled by a delayed original, not the retransmission.
      if (flag & FLAG_SND_UNA_ADVANCED && s.undoMarker !== 0 && packetDelayed(s, tsecr)) {
        if (s.retransOut > 0) return 'none';
        if (!anyRetransDone(s)) s.retransStamp = 0;
        undoCwndReduction(s, true);
        tryKeepOpen(s);
      }
      if (tryUndoDsack(s)) tryToOpen(s);
      identifyPacketLoss(s, now, flagRef);
      if (s.caState !== 'Recovery') {
        if (s.lostOut === 0) return 'none';
        enterRecovery(s);
      }
      break;
    }
    case 'Loss': {
      rexmit = processLoss(s, flag, numDupack, tsecr);
      identifyPacketLoss(s, now, flagRef);
      // processLoss may have left Loss (undo, recovery done).
      if (!((s.caState as CaState) === 'Open' || flagRef.v & FLAG_LOST_RETRANS)) return rexmit;
      fallToDefault = true;
      break;
    }
    default:
      fallToDefault = true;
  }
  if (fallToDefault) {
    if (CA_ORDER[s.caState] <= CA_ORDER.Disorder) tryUndoDsack(s);
    identifyPacketLoss(s, now, flagRef);
    if (s.lostOut === 0) {
      tryToOpen(s);
      return 'none';
    }
    enterRecovery(s);
  }
  return 'lost';
}

/** tcp_process_tlp_ack: the loss probe's outcome. */
export function processTlpAck(s: TcpSocket, ack: number, flag: number): void {
  if (ack < s.tlpHighSeq) return;
  if (!s.tlpRetrans) s.tlpHighSeq = 0;
  else if (flag & FLAG_DSACK_TLP) s.tlpHighSeq = 0;
  else if (ack > s.tlpHighSeq) {
    // The probe repaired a loss: reduce the window once.
    initCwndReduction(s);
    setCaState(s, 'CWR');
    endCwndReduction(s);
    tryKeepOpen(s);
  } else if (!(flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP | FLAG_DATA_SACKED))) s.tlpHighSeq = 0;
}

/** tcp_is_cwnd_limited. */
function isCwndLimited(s: TcpSocket): boolean {
  if (s.isCwndLimited) return true;
  if (s.cwnd < s.ssthresh) return s.cwnd < 2 * s.maxPacketsOut;
  return false;
}

/** tcp_cong_control with CUBIC (growth approximated by Reno, see above). */
export function congControl(s: TcpSocket, ackedSacked: number, flag: number): void {
  if (inCwndReduction(s)) {
    cwndReduction(s, ackedSacked, 0, flag);
    return;
  }
  if (!(flag & FLAG_DATA_ACKED)) return;
  if (!isCwndLimited(s)) return;
  let acked = ackedSacked;
  if (s.cwnd < s.ssthresh) {
    const cwnd = Math.min(s.cwnd + acked, s.ssthresh);
    acked -= cwnd - s.cwnd;
    s.cwnd = cwnd;
    if (acked <= 0) return;
  }
  // tcp_cong_avoid_ai with w = cwnd
  const w = s.cwnd;
  if (s.cwndCnt >= w) {
    s.cwndCnt = 0;
    s.cwnd++;
  }
  s.cwndCnt += acked;
  if (s.cwndCnt >= w) {
    const d = Math.floor(s.cwndCnt / w);
    s.cwndCnt -= d * w;
    s.cwnd += d;
  }
}

/** tcp_xmit_recovery. */
export function xmitRecovery(s: TcpSocket, rexmit: Rexmit, now: Nanos, out: SocketOut, push: (s: TcpSocket, now: Nanos, out: SocketOut) => void): void {
  if (rexmit === 'none') return;
  if (rexmit === 'new') {
    push(s, now, out);
    if (s.sndNxt > s.highSeq) return;
    s.frto = false;
  }
  xmitRetransmitQueue(s, now, out);
}

/** jiffies now on this socket's host. */
export function nowJ(s: TcpSocket, now: Nanos): number {
  return jiffiesAt(s.cfg.clock, now);
}
