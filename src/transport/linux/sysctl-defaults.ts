import { SECOND } from '../../time/units.js';

/**
 * The Linux defaults a host runs with unless it was tuned (include/net/tcp.h,
 * Documentation/networking/ip-sysctl.rst). Scenario defaults come from here.
 */
export const LINUX_TCP = {
  /** MSS on Ethernet with TCP timestamps (1500 - 20 IP - 20 TCP - 12 options). */
  mss: 1448,
  /** net.ipv4.tcp_retries2: how much backoff before an established connection is aborted. */
  retries2: 15,
  /** net.ipv4.tcp_keepalive_time / _intvl / _probes. */
  keepaliveTime: 7200 * SECOND,
  keepaliveIntvl: 75 * SECOND,
  keepaliveProbes: 9,
} as const;
