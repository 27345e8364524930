import { jiffiesToUsecs, usecsToJiffies, type KernelClock, type RtoBounds } from './kernel-clock.js';

/**
 * Linux's RTT estimator and RTO, in the kernel's own integer units (net/ipv4/tcp_input.c
 * tcp_rtt_estimator, tcp_set_rto, tcp_bound_rto; include/net/tcp.h __tcp_set_rto; read at 6.1
 * and 6.12, the same in both):
 *
 * - `srttUs` is 8 x SRTT in microseconds, `mdevUs` 4 x the mean deviation;
 * - `rttvarUs` is the largest deviation seen over the last round trip, never below
 *   TCP_RTO_MIN (200 ms): `mdevMaxUs` restarts at TCP_RTO_MIN once an ACK passes `rttSeq`
 *   (the snd_nxt of the last restart), and `rttvarUs` then decays toward it by a quarter;
 * - RTO = usecs_to_jiffies(SRTT + rttvar), at most TCP_RTO_MAX (120 s). On a fast path it is
 *   therefore about SRTT + 200 ms, rounded up to a tick: 204 ms on HZ 250 at an SRTT of 43 us,
 *   as a real 6.18 kernel reports in TCP_INFO.
 */
export type RttEstimator = {
  srttUs: number;
  mdevUs: number;
  mdevMaxUs: number;
  rttvarUs: number;
  rttSeq: number;
  /** icsk_rto in jiffies, before backoff. */
  rto: number;
  /** Windowed minimum RTT (tcp_min_rtt), in microseconds; 0: none yet. */
  minRttUs: number;
  minRttAt: number;
};

/** TCP_RTO_MIN and TCP_RTO_MAX in jiffies, TCP_TIMEOUT_INIT (1 s) too. */
export function rtoBounds(c: KernelClock): RtoBounds {
  return c.rtoBounds;
}

export function createRttEstimator(c: KernelClock): RttEstimator {
  return { srttUs: 0, mdevUs: 0, mdevMaxUs: 0, rttvarUs: 0, rttSeq: 0, rto: rtoBounds(c).init, minRttUs: 0, minRttAt: 0 };
}

/** tcp_rtt_estimator + tcp_set_rto: one sample `mUs` (microseconds, > 0); `sndUna`/`sndNxt` after the ACK. */
export function rttSample(e: RttEstimator, c: KernelClock, mUs: number, sndUna: number, sndNxt: number): void {
  const rtoMinUs = jiffiesToUsecs(c, rtoBounds(c).min);
  let m = Math.max(0, Math.floor(mUs));
  let srtt = e.srttUs;
  if (srtt !== 0) {
    m -= srtt >> 3;
    srtt += m;
    if (m < 0) {
      m = -m;
      m -= e.mdevUs >> 2;
      if (m > 0) m >>= 3;
    } else {
      m -= e.mdevUs >> 2;
    }
    e.mdevUs += m;
    if (e.mdevUs > e.mdevMaxUs) {
      e.mdevMaxUs = e.mdevUs;
      if (e.mdevMaxUs > e.rttvarUs) e.rttvarUs = e.mdevMaxUs;
    }
    if (sndUna > e.rttSeq) {
      if (e.mdevMaxUs < e.rttvarUs) e.rttvarUs -= (e.rttvarUs - e.mdevMaxUs) >> 2;
      e.rttSeq = sndNxt;
      e.mdevMaxUs = rtoMinUs;
    }
  } else {
    srtt = m << 3;
    e.mdevUs = m << 1;
    e.rttvarUs = Math.max(e.mdevUs, rtoMinUs);
    e.mdevMaxUs = e.rttvarUs;
    e.rttSeq = sndNxt;
  }
  e.srttUs = Math.max(1, srtt);
  e.rto = Math.min(usecsToJiffies(c, (e.srttUs >> 3) + e.rttvarUs), rtoBounds(c).max);
}

/**
 * tcp_update_rtt_min: the minimum RTT over the last tcp_min_rtt_wlen (300 s).
 * SIMPLIFICATION: a single-sample window (the kernel's minmax keeps three candidates), so after
 * 300 s without a new minimum the next sample replaces it outright.
 */
export function minRttSample(e: RttEstimator, us: number, nowJiffies: number, hz: number): void {
  const v = Math.max(1, Math.floor(us));
  if (e.minRttUs === 0 || v <= e.minRttUs || nowJiffies - e.minRttAt > 300 * hz) {
    e.minRttUs = v;
    e.minRttAt = nowJiffies;
  }
}
