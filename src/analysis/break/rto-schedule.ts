import type { Nanos } from '../../time/units.js';
import { LINUX_TCP } from '../../transport/tcp/linux-constants.js';

/**
 * The retransmission arithmetic the closed forms need, as src/transport/tcp computes it, for a
 * link whose delays are constant (no jitter, no loss, no rate).
 */

/**
 * The RTO a sender has on a constant round trip `rtt`, whatever number of samples it took, or
 * `undefined` when that number matters. Every sample is `rtt`: the first sets SRTT = rtt and
 * RTTVAR = rtt/2, later ones keep SRTT and shrink RTTVAR by 3/4, so RTO = rtt + max(4·RTTVAR,
 * TCP_RTO_MIN) (rtt.ts) is rtt + TCP_RTO_MIN for every sample count exactly when the first
 * variance term 4·(rtt/2) = 2·rtt is at most TCP_RTO_MIN (rtt <= 100 ms). Above that it depends on
 * the sample count, which the run does not expose.
 */
export function constantLinkRto(rtt: Nanos): Nanos | undefined {
  if (2 * rtt > LINUX_TCP.minRto) return undefined;
  return Math.min(LINUX_TCP.maxRto, Math.max(LINUX_TCP.minRto, Math.round(rtt + LINUX_TCP.minRto)));
}

/**
 * When the i-th transmission of a segment leaves, after the first (i = 0: the first itself),
 * with every earlier one lost: the RTO doubles per expiry up to TCP_RTO_MAX and the timer restarts
 * at each retransmission, so the offset is the sum of RTO·2^j, capped, for j < i.
 */
export function retransmitOffset(rto: Nanos, i: number): Nanos {
  let sum = 0;
  for (let j = 0; j < i; j++) sum += Math.min(LINUX_TCP.maxRto, rto * 2 ** j);
  return sum;
}
