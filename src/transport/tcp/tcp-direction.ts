import type { Nanos } from '../../time/units.js';
import { serializationTime } from '../impairments/rate.js';
import { LINUX_TCP, retransmissionBudget } from './linux-constants.js';
import { initialRtt, sampleRtt, type RttState } from './rtt.js';

/**
 * One direction of a TCP connection: the sender's half (send queue, retransmission queue, RTO
 * timer) and the receiver's half (in-order reassembly, cumulative ACKs). Bytes are counted, not
 * stored; what they carry is an `item` (an HTTP/2 frame, or the FIN) that is delivered to the
 * receiving application once every byte up to its end has arrived in order.
 *
 * What is modelled: segmentation at the MSS, serialization at the link rate (a FIFO in front of
 * the link), RFC 6298 RTO with Linux's floor, exponential backoff to TCP_RTO_MAX, Karn's rule,
 * fast retransmit on three duplicate ACKs, abort after tcp_retries2 worth of backoff or at
 * TCP_USER_TIMEOUT, immediate cumulative ACKs, and the timestamp option (RFC 7323, on by default in
 * Linux) for RTT samples: an ACK echoes the send time of the segment that last advanced the
 * receiver's left edge, and when the data it acknowledges includes a retransmission the sender
 * measures from that echo instead of taking no sample (Linux tcp_ack_update_rtt).
 * SIMPLIFICATION: no congestion window, slow start or SACK (keepalive traffic is a few small
 * segments; bulk transfers are limited by the link rate instead); no delayed ACKs; a retransmission
 * waits behind whatever is queued for the link.
 */
export type TcpItem<P> = { readonly end: number; readonly payload: P; readonly writtenAt: Nanos };

export type Segment = {
  readonly seq: number;
  readonly len: number;
  /** When this transmission leaves the link (after queueing and serialization). */
  departAt: Nanos;
  /** When the first transmission left: TCP_USER_TIMEOUT and tcp_retries2 count from here. */
  readonly firstDepartAt: Nanos;
  tx: number;
};

export type TcpDirectionConfig = {
  readonly mss: number;
  /** Link rate in bits per second; `undefined`: unlimited. */
  readonly bitsPerSecond: number | undefined;
  /** The sending socket's TCP_USER_TIMEOUT; `undefined`: not set. */
  readonly userTimeout: Nanos | undefined;
  readonly retries2: number;
};

/** IPv4 + TCP headers with the timestamp option, counted for serialization. */
export const HEADER_BYTES = 52;

export type TcpDirection<P> = {
  readonly cfg: TcpDirectionConfig;
  /** Items written and not yet delivered, in stream order. */
  readonly items: TcpItem<P>[];
  writeOffset: number;
  sndNxt: number;
  sndUna: number;
  readonly outstanding: Segment[];
  linkFreeAt: Nanos;
  readonly rtt: RttState;
  /** Number of consecutive RTO expiries (the backoff exponent). */
  backoff: number;
  rtoDeadline: Nanos | undefined;
  dupAcks: number;
  rcvNxt: number;
  /**
   * Receiver: TS.Recent, the send time (TSval) of the last segment that reached the left edge of
   * the window; every ACK echoes it (TSecr). `undefined` until a segment has.
   */
  tsRecent: Nanos | undefined;
  /** Out-of-order byte ranges held by the receiver, sorted and disjoint. */
  readonly ooo: { start: number; end: number }[];
  aborted: 'retransmissions' | 'user-timeout' | undefined;
  retransmissions: number;
};

export function createTcpDirection<P>(cfg: TcpDirectionConfig): TcpDirection<P> {
  return {
    cfg,
    items: [],
    writeOffset: 0,
    sndNxt: 0,
    sndUna: 0,
    outstanding: [],
    linkFreeAt: 0,
    rtt: initialRtt(),
    backoff: 0,
    rtoDeadline: undefined,
    dupAcks: 0,
    rcvNxt: 0,
    tsRecent: undefined,
    ooo: [],
    aborted: undefined,
    retransmissions: 0,
  };
}

/** The current RTO: the estimator's value doubled per backoff, capped at TCP_RTO_MAX. */
export function currentRto(d: TcpDirection<unknown>): Nanos {
  return Math.min(LINUX_TCP.maxRto, d.rtt.baseRto * 2 ** d.backoff);
}

/** Bytes written but not yet acknowledged, and bytes still waiting for the link at `now`. */
export function queuedBytes(d: TcpDirection<unknown>, now: Nanos): { unacked: number; waitingForLink: number } {
  let waiting = 0;
  for (const s of d.outstanding) if (s.departAt > now) waiting += s.len;
  return { unacked: d.writeOffset - d.sndUna, waitingForLink: waiting };
}

/** The application writes `len` bytes carrying `payload`; returns the new segments to put on the link. */
export function tcpWrite<P>(d: TcpDirection<P>, payload: P, len: number, now: Nanos): Segment[] {
  d.writeOffset += len;
  d.items.push({ end: d.writeOffset, payload, writtenAt: now });
  const sent: Segment[] = [];
  while (d.sndNxt < d.writeOffset) {
    const segLen = Math.min(d.cfg.mss, d.writeOffset - d.sndNxt);
    const departAt = Math.max(now, d.linkFreeAt) + serializationTime(segLen + HEADER_BYTES, d.cfg.bitsPerSecond);
    d.linkFreeAt = departAt;
    const seg: Segment = { seq: d.sndNxt, len: segLen, departAt, firstDepartAt: departAt, tx: 1 };
    d.sndNxt += segLen;
    d.outstanding.push(seg);
    sent.push(seg);
  }
  if (d.rtoDeadline === undefined && d.outstanding.length > 0) armRto(d, now);
  return sent;
}

function armRto(d: TcpDirection<unknown>, now: Nanos): void {
  const head = d.outstanding[0];
  if (head === undefined) {
    d.rtoDeadline = undefined;
    return;
  }
  // The timer runs from the (re)transmission of the oldest unacknowledged segment; if that moment
  // plus the RTO has already passed, a full RTO from now (Linux tcp_rearm_rto).
  const rto = currentRto(d);
  let deadline = head.departAt + rto;
  if (deadline <= now) deadline = now + rto;
  const ut = d.cfg.userTimeout;
  // Linux clamps the RTO so the timer fires when TCP_USER_TIMEOUT runs out (tcp_clamp_rto_to_user_timeout).
  if (ut !== undefined) deadline = Math.min(deadline, Math.max(now, head.firstDepartAt + ut));
  d.rtoDeadline = deadline;
}

export type ArrivalResult<P> = {
  /** Items now complete in order, for the receiving application. */
  readonly delivered: TcpItem<P>[];
  /** The cumulative ACK the receiver sends back. */
  readonly ack: number;
};

/** A segment reaches the receiver. */
export function tcpSegmentArrived<P>(d: TcpDirection<P>, seq: number, len: number, tsval?: Nanos): ArrivalResult<P> {
  const delivered: TcpItem<P>[] = [];
  const ack = tcpSegmentArrivedInto(d, seq, len, delivered, tsval);
  return { delivered, ack };
}

/**
 * `tcpSegmentArrived` without its result object: appends the items now complete to `delivered`
 * and returns the cumulative ACK (the simulator's per-packet path; it reuses one array).
 */
export function tcpSegmentArrivedInto<P>(d: TcpDirection<P>, seq: number, len: number, delivered: TcpItem<P>[], tsval?: Nanos): number {
  const end = seq + len;
  // RFC 7323 section 4.3 as Linux does it (tcp_replace_ts_recent): a segment starting at or before
  // the last ACK sent (immediate ACKs: rcvNxt) records its TSval, if not older than the one held.
  if (tsval !== undefined && seq <= d.rcvNxt && (d.tsRecent === undefined || tsval >= d.tsRecent)) d.tsRecent = tsval;
  if (end > d.rcvNxt) {
    if (seq <= d.rcvNxt) {
      d.rcvNxt = end;
      // Pull in out-of-order ranges that are now contiguous.
      while (d.ooo.length > 0 && (d.ooo[0] as { start: number }).start <= d.rcvNxt) {
        const r = d.ooo.shift() as { start: number; end: number };
        if (r.end > d.rcvNxt) d.rcvNxt = r.end;
      }
    } else {
      insertRange(d.ooo, seq, end);
    }
  }
  while (d.items.length > 0 && (d.items[0] as TcpItem<P>).end <= d.rcvNxt) delivered.push(d.items.shift() as TcpItem<P>);
  return d.rcvNxt;
}

function insertRange(ranges: { start: number; end: number }[], start: number, end: number): void {
  let i = 0;
  while (i < ranges.length && (ranges[i] as { start: number }).start < start) i++;
  ranges.splice(i, 0, { start, end });
  // Merge overlaps.
  for (let j = 0; j < ranges.length - 1; ) {
    const a = ranges[j] as { start: number; end: number };
    const b = ranges[j + 1] as { start: number; end: number };
    if (b.start <= a.end) {
      a.end = Math.max(a.end, b.end);
      ranges.splice(j + 1, 1);
    } else j++;
  }
}

export type AckResult = {
  /** A segment to retransmit now (fast retransmit), if any. */
  readonly retransmit: Segment | undefined;
  /**
   * An RTT sample taken from this ACK: from the oldest newly acknowledged segment sent once; when a
   * retransmitted one is among them, from the echoed timestamp if there is one, else none (Karn).
   */
  readonly rttSample: Nanos | undefined;
};

/** The answer to most ACKs: nothing to retransmit, no sample (shared, so the common case allocates nothing). */
const NOTHING: AckResult = Object.freeze({ retransmit: undefined, rttSample: undefined });

/**
 * A cumulative ACK reaches the sender; `tsecr` is the timestamp it echoes (absent: no timestamp
 * option, and Karn's rule alone decides).
 */
export function tcpAckArrived(d: TcpDirection<unknown>, ack: number, now: Nanos, tsecr?: Nanos): AckResult {
  if (d.aborted !== undefined) return NOTHING;
  if (ack > d.sndUna) {
    // Linux tcp_clean_rtx_queue: the sequence sample runs from the oldest acknowledged segment
    // sent only once, and is void when any acknowledged segment was retransmitted.
    let firstAcked: Nanos | undefined;
    let retransAcked = false;
    while (d.outstanding.length > 0) {
      const s = d.outstanding[0] as Segment;
      if (s.seq + s.len > ack) break;
      if (s.tx > 1) retransAcked = true;
      else if (firstAcked === undefined) firstAcked = s.departAt;
      d.outstanding.shift();
    }
    d.sndUna = ack;
    const sample = !retransAcked && firstAcked !== undefined ? now - firstAcked : tsecr === undefined ? undefined : timestampRtt(now, tsecr);
    if (sample !== undefined) sampleRtt(d.rtt, sample);
    d.backoff = 0;
    d.dupAcks = 0;
    armRto(d, now);
    return sample === undefined ? NOTHING : { retransmit: undefined, rttSample: sample };
  }
  if (ack === d.sndUna && d.outstanding.length > 0) {
    d.dupAcks++;
    if (d.dupAcks === LINUX_TCP.dupAckThreshold) {
      const head = d.outstanding[0] as Segment;
      retransmit(d, head, now);
      armRto(d, now);
      return { retransmit: head, rttSample: undefined };
    }
  }
  return NOTHING;
}

export type RtoResult =
  | { readonly kind: 'retransmit'; readonly segment: Segment }
  | { readonly kind: 'abort'; readonly why: 'retransmissions' | 'user-timeout' }
  | { readonly kind: 'none' };

/** The retransmission timer fires: give up (tcp_write_timeout) or retransmit the head and back off. */
export function tcpRtoFired(d: TcpDirection<unknown>, now: Nanos): RtoResult {
  d.rtoDeadline = undefined;
  const head = d.outstanding[0];
  if (head === undefined || d.aborted !== undefined) return { kind: 'none' };
  const elapsed = now - head.firstDepartAt;
  const ut = d.cfg.userTimeout;
  if (ut !== undefined ? elapsed >= ut : elapsed >= retransmissionBudget(d.cfg.retries2)) {
    d.aborted = ut !== undefined ? 'user-timeout' : 'retransmissions';
    return { kind: 'abort', why: d.aborted };
  }
  retransmit(d, head, now);
  d.backoff++;
  armRto(d, now);
  return { kind: 'retransmit', segment: head };
}

function retransmit(d: TcpDirection<unknown>, s: Segment, now: Nanos): void {
  s.departAt = Math.max(now, d.linkFreeAt) + serializationTime(s.len + HEADER_BYTES, d.cfg.bitsPerSecond);
  d.linkFreeAt = s.departAt;
  s.tx++;
  d.retransmissions++;
}

/**
 * An RTT sample from an echoed timestamp (Linux tcp_ack_update_rtt): the TCP timestamp clock ticks
 * in milliseconds, so the sample is whole milliseconds between the two ticks, at least one.
 */
export function timestampRtt(now: Nanos, tsecr: Nanos): Nanos {
  const ticks = Math.floor(now / TS_TICK) - Math.floor(tsecr / TS_TICK);
  return Math.max(1, ticks) * TS_TICK;
}

/** Linux's TCP timestamp clock: 1 ms (TCP_TS_HZ = 1000). */
const TS_TICK: Nanos = 1_000_000;
