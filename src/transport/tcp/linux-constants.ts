import { MILLISECOND, SECOND, type Nanos } from '../../time/units.js';

/**
 * Linux TCP constants (include/net/tcp.h, Documentation/networking/ip-sysctl.rst), the values a
 * grpc-go server on Linux runs with unless the host was tuned.
 */
export const LINUX_TCP = {
  /** TCP_TIMEOUT_INIT: RTO before the first RTT sample (RFC 6298 2.1). */
  initialRto: 1 * SECOND,
  /** TCP_RTO_MIN: floor of the RTO (RFC 6298 says 1 s; Linux uses 200 ms). */
  minRto: 200 * MILLISECOND,
  /** TCP_RTO_MAX: ceiling of the backed-off RTO. */
  maxRto: 120 * SECOND,
  /** net.ipv4.tcp_retries2: how much backoff before an established connection is aborted. */
  retries2: 15,
  /** Typical MSS on Ethernet with TCP timestamps (1500 - 20 IP - 20 TCP - 12 options). */
  mss: 1448,
  /** Duplicate ACKs that trigger fast retransmit (RFC 5681 3.2). */
  dupAckThreshold: 3,
  /** net.ipv4.tcp_keepalive_time / _intvl / _probes defaults. */
  keepaliveTime: 7200 * SECOND,
  keepaliveIntvl: 75 * SECOND,
  keepaliveProbes: 9,
} as const;

/**
 * How long retransmissions may go on before the connection is aborted, as Linux computes it from
 * tcp_retries2 (net/ipv4/tcp_timer.c, tcp_model_timeout): the RTO sequence that starts at
 * TCP_RTO_MIN and doubles up to TCP_RTO_MAX, summed over `boundary` retransmissions.
 * For the default 15: 924.6 s.
 */
export function retransmissionBudget(boundary: number = LINUX_TCP.retries2, rtoBase: Nanos = LINUX_TCP.minRto): Nanos {
  const thresh = Math.floor(Math.log2(LINUX_TCP.maxRto / rtoBase));
  if (boundary <= thresh) return ((2 << boundary) - 1) * rtoBase;
  return ((2 << thresh) - 1) * rtoBase + (boundary - thresh) * LINUX_TCP.maxRto;
}
