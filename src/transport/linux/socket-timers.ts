import type { Nanos } from '../../time/units.js';
import { kernelTimerFiresAt, jiffiesAt, msecsToJiffies, tcpTimeStampMs } from './kernel-clock.js';
import { delackTimerFired, done } from './receive-path.js';
import { enterLoss, rackReoTimeout } from './recovery.js';
import { rtoBounds } from './rtt-estimator.js';
import { resetXmitTimer, retransmitAt, sendActiveReset, sendKeepaliveProbe, sendLossProbe } from './send-path.js';
import { NOT_ARMED, type KernelAbort, type SocketOut, type TcpSocket } from './socket-types.js';

/**
 * A socket's three kernel timers, in one table: the retransmission timer (whose job is the RTO,
 * the tail loss probe or RACK's reordering timeout), the delayed-ACK timer, and the keepalive
 * timer (which for an orphan in FIN_WAIT2 is its fin timeout). Timers due at the same instant
 * run in that order. (net/ipv4/tcp_timer.c, read at 6.1 and 6.12.)
 */
export const SOCKET_TIMERS = ['xmit', 'delack', 'keepalive'] as const;
export type SocketTimer = (typeof SOCKET_TIMERS)[number];

/** When timer `t` fires (NOT_ARMED: never). */
export function timerDeadline(s: TcpSocket, t: SocketTimer): Nanos {
  switch (t) {
    case 'xmit':
      return s.xmitTimer === undefined ? NOT_ARMED : s.xmitFiresAt;
    case 'delack':
      return s.delackFiresAt;
    case 'keepalive':
      return s.keepaliveFiresAt;
  }
}

/** The earliest timer of this socket (`Infinity`: none). */
export function nextSocketTimer(s: TcpSocket): Nanos {
  let t = s.xmitTimer === undefined ? NOT_ARMED : s.xmitFiresAt;
  if (s.delackFiresAt < t) t = s.delackFiresAt;
  if (s.keepaliveFiresAt < t) t = s.keepaliveFiresAt;
  return t;
}

/** Runs the first timer due at `now`, in table order; returns which (undefined: none). */
export function fireDueTimer(s: TcpSocket, now: Nanos, out: SocketOut): SocketTimer | undefined {
  for (const t of SOCKET_TIMERS) {
    if (timerDeadline(s, t) > now) continue;
    switch (t) {
      case 'xmit':
        writeTimerFired(s, now, out);
        break;
      case 'delack':
        delackTimerFired(s, now, out);
        break;
      case 'keepalive':
        keepaliveTimerFired(s, now, out);
        break;
    }
    return t;
  }
  return undefined;
}

/** tcp_write_err: ETIMEDOUT for the application, and the socket is gone. */
function writeErr(s: TcpSocket, out: SocketOut, why: KernelAbort): void {
  s.err = 'ETIMEDOUT';
  done(s);
  // An orphan's abort reaches no application, but the host forgets the connection: said in the trace.
  out.events.push({ kind: 'abort', why });
}

/** tcp_model_timeout: the time `boundary` backed-off retransmissions from TCP_RTO_MIN take, in ms. */
export function modelTimeoutMs(hz: number, boundary: number): number {
  const rtoMin = hz / 5;
  const rtoMax = 120 * hz;
  const thresh = Math.floor(Math.log2(rtoMax / rtoMin));
  const j = boundary <= thresh ? (2 * 2 ** boundary - 1) * rtoMin : (2 * 2 ** thresh - 1) * rtoMin + (boundary - thresh) * rtoMax;
  return (j * 1000) / hz;
}

/** retransmits_timed_out: counted from retrans_stamp, the first RTO retransmission of this episode. */
function retransmitsTimedOut(s: TcpSocket, boundary: number, timeoutMs: number, now: Nanos): boolean {
  if (s.retransmits === 0) return false;
  const t = timeoutMs === 0 ? modelTimeoutMs(s.cfg.clock.hz, boundary) : timeoutMs;
  return tcpTimeStampMs(now) - s.retransStamp - t >= 0;
}

/** tcp_write_timeout: give up? (An orphan gets tcp_orphan_retries, 8 while its RTO is below the maximum.) */
function writeTimeout(s: TcpSocket, now: Nanos, out: SocketOut): boolean {
  let retryUntil = s.cfg.retries2;
  if (s.orphan) {
    const alive = s.rtt.rto < rtoBounds(s.cfg.clock).max;
    retryUntil = s.cfg.orphanRetries === 0 && alive ? 8 : s.cfg.orphanRetries;
  }
  if (!retransmitsTimedOut(s, retryUntil, s.cfg.userTimeoutMs, now)) return false;
  writeErr(s, out, s.cfg.userTimeoutMs !== 0 ? 'user-timeout' : 'retransmissions');
  return true;
}

/** tcp_clamp_rto_to_user_timeout: the next RTO fires no later than TCP_USER_TIMEOUT after retrans_stamp. */
function clampRtoToUserTimeout(s: TcpSocket, now: Nanos): number {
  const ut = s.cfg.userTimeoutMs;
  if (ut === 0) return s.rtt.rto;
  const remaining = ut - (tcpTimeStampMs(now) - s.retransStamp);
  if (remaining <= 0) return 1;
  return Math.min(s.rtt.rto, msecsToJiffies(s.cfg.clock, remaining));
}

/** tcp_retransmit_timer: give up, or enter Loss, resend the head and back off. */
function retransmitTimer(s: TcpSocket, now: Nanos, out: SocketOut): void {
  if (s.packetsOut === 0 || s.rtxQueue.length === 0) return;
  if (writeTimeout(s, now, out)) return;
  enterLoss(s, now);
  s.retransmits++;
  s.stats.rtos++;
  retransmitAt(s, 0, now, out, 'retransmit-rto', true);
  s.backoff++;
  s.rtt.rto = Math.min(s.rtt.rto * 2, rtoBounds(s.cfg.clock).max);
  resetXmitTimer(s, 'RETRANS', clampRtoToUserTimeout(s, now), now);
}

/** tcp_write_timer_handler. */
function writeTimerFired(s: TcpSocket, now: Nanos, out: SocketOut): void {
  const job = s.xmitTimer;
  s.xmitFiresAt = NOT_ARMED;
  if (s.state === 'CLOSE' || job === undefined) {
    s.xmitTimer = undefined;
    return;
  }
  switch (job) {
    case 'REO_TIMEOUT':
      rackReoTimeout(s, now, out);
      return;
    case 'LOSS_PROBE':
      sendLossProbe(s, now, out);
      return;
    case 'RETRANS':
      s.xmitTimer = undefined;
      retransmitTimer(s, now, out);
      return;
  }
}

/** Arms the keepalive timer `deltaJ` ticks from now (inet_csk_reset_keepalive_timer). */
export function resetKeepaliveTimer(s: TcpSocket, now: Nanos, deltaJ: number): void {
  s.keepaliveFiresAt = kernelTimerFiresAt(s.cfg.clock, now, deltaJ);
}

/**
 * tcp_keepalive_timer: with data in flight or queued it only re-arms for the idle time; once
 * nothing has been received for `idle` (keepalive_time_elapsed: since the last data or the last
 * ACK), a probe, then one per `interval`; it gives up with RST after `count` unanswered probes,
 * or, with TCP_USER_TIMEOUT, once nothing was received for that long and a probe is out.
 */
function keepaliveTimerFired(s: TcpSocket, now: Nanos, out: SocketOut): void {
  s.keepaliveFiresAt = NOT_ARMED;
  if (s.state === 'FIN_WAIT2' && s.orphan) {
    // The orphan's fin timeout (its time-wait stand-in) is over.
    done(s);
    return;
  }
  const ka = s.cfg.keepalive;
  if (ka === undefined || s.state === 'CLOSE') return;
  const c = s.cfg.clock;
  const idle = msecsToJiffies(c, ka.idle / 1e6);
  if (s.packetsOut > 0 || s.writeQueue.length > 0) {
    resetKeepaliveTimer(s, now, idle);
    return;
  }
  const j = jiffiesAt(c, now);
  const elapsed = Math.min(j - s.ackLrcvtime, j - s.rcvTstamp);
  if (elapsed >= idle) {
    const ut = s.cfg.userTimeoutMs;
    if ((ut !== 0 && elapsed >= msecsToJiffies(c, ut) && s.probesOut > 0) || (ut === 0 && s.probesOut >= ka.count)) {
      sendActiveReset(s, now, out, 'rst-keepalive');
      writeErr(s, out, 'tcp-keepalive');
      return;
    }
    sendKeepaliveProbe(s, now, out);
    s.probesOut++;
    resetKeepaliveTimer(s, now, msecsToJiffies(c, ka.interval / 1e6));
    return;
  }
  resetKeepaliveTimer(s, now, idle - elapsed);
}
