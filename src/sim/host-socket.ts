import type { Nanos } from '../time/units.js';
import { createKernelClock } from '../transport/linux/kernel-clock.js';
import type { LinuxTcpFeatures } from '../transport/linux/kernel-version.js';
import type { KeepaliveSettings, SocketConfig } from '../transport/linux/socket-types.js';

/** One host's kernel: its TCP version, tick rate and where virtual time 0 falls on its tick grid. */
export type HostKernel = { readonly features: LinuxTcpFeatures; readonly hz: number; readonly jiffiesAtStart: number; readonly phaseNs: number };

/** Linux's tcp_fin_timeout default. */
const FIN_TIMEOUT: Nanos = 60e9;

/**
 * The socket options a host's connection runs with: its kernel, and what grpc-go and Go set on
 * the socket (TCP_USER_TIMEOUT, SO_KEEPALIVE with its timings), with the host's sysctls.
 */
export function hostSocketConfig(
  k: HostKernel,
  o: { readonly mss: number; readonly userTimeout: Nanos | undefined; readonly keepalive: KeepaliveSettings | undefined; readonly retries2: number },
): SocketConfig {
  return {
    features: k.features,
    clock: createKernelClock(k.hz, k.jiffiesAtStart, k.phaseNs),
    mss: o.mss,
    userTimeoutMs: o.userTimeout === undefined ? 0 : Math.floor(o.userTimeout / 1e6),
    keepalive: o.keepalive,
    retries2: o.retries2,
    orphanRetries: 0,
    finTimeout: FIN_TIMEOUT,
  };
}
