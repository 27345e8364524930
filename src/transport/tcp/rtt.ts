import type { Nanos } from '../../time/units.js';
import { LINUX_TCP } from './linux-constants.js';

/**
 * Round-trip estimation and the retransmission timeout (RFC 6298 section 2, with Linux's floor):
 * the first sample R sets SRTT = R and RTTVAR = R/2; later samples
 * RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R| and SRTT = 7/8 SRTT + 1/8 R.
 * RTO = SRTT + max(4 RTTVAR, TCP_RTO_MIN), clamped to [TCP_RTO_MIN, TCP_RTO_MAX]: Linux keeps its
 * variance term at least TCP_RTO_MIN (tcp_rtt_estimator's mdev_max), so on a fast link the RTO is
 * about SRTT + 200 ms rather than RFC 6298's 1 s floor.
 */
export type RttState = {
  /** Smoothed RTT; meaningful once `sampled` (a plain number field, so updating it allocates nothing). */
  srtt: Nanos;
  /** At least one RTT sample has been taken. */
  sampled: boolean;
  rttvar: Nanos;
  /** Current RTO before backoff. */
  baseRto: Nanos;
};

export function initialRtt(): RttState {
  return { srtt: 0, sampled: false, rttvar: 0, baseRto: LINUX_TCP.initialRto };
}

export function sampleRtt(s: RttState, r: Nanos): void {
  if (!s.sampled) {
    s.sampled = true;
    s.srtt = r;
    s.rttvar = r / 2;
  } else {
    s.rttvar = 0.75 * s.rttvar + 0.25 * Math.abs(s.srtt - r);
    s.srtt = 0.875 * s.srtt + 0.125 * r;
  }
  const rto = Math.round(s.srtt + Math.max(4 * s.rttvar, LINUX_TCP.minRto));
  s.baseRto = Math.min(LINUX_TCP.maxRto, Math.max(LINUX_TCP.minRto, rto));
}
