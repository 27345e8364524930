import type { Nanos } from '../../time/units.js';

/**
 * Linux TCP keepalive (SO_KEEPALIVE, net/ipv4/tcp_timer.c tcp_keepalive_timer): after `idle`
 * without receiving anything, send a probe every `interval`; give up after `count` unanswered
 * probes, or, when TCP_USER_TIMEOUT is set, once nothing has been received for that long and at
 * least one probe is out. While data is unacknowledged the retransmission timer is in charge and
 * keepalive only re-arms. Any packet received resets the probe count.
 *
 * Go enables it on every TCP connection it dials or accepts unless told otherwise, with idle and
 * interval 15 s (net.Dialer / net.ListenConfig KeepAlive default) and the system's probe count.
 */
export type TcpKeepaliveConfig = { readonly idle: Nanos; readonly interval: Nanos; readonly count: number };

export type TcpKeepaliveState = {
  readonly cfg: TcpKeepaliveConfig;
  lastRecv: Nanos;
  probesOut: number;
  deadline: Nanos | undefined;
};

export function createKeepaliveProbe(cfg: TcpKeepaliveConfig, now: Nanos): TcpKeepaliveState {
  return { cfg, lastRecv: now, probesOut: 0, deadline: now + cfg.idle };
}

export function keepaliveAckSeen(ka: TcpKeepaliveState, now: Nanos): void {
  ka.lastRecv = now;
  ka.probesOut = 0;
}

export function keepaliveTimerFired(
  ka: TcpKeepaliveState,
  now: Nanos,
  dataOutstanding: boolean,
  userTimeout: Nanos | undefined,
): 'probe' | 'abort' | 'none' {
  if (dataOutstanding) {
    ka.deadline = now + ka.cfg.interval;
    return 'none';
  }
  const elapsed = now - ka.lastRecv;
  if (elapsed >= ka.cfg.idle) {
    const expired = userTimeout !== undefined ? elapsed >= userTimeout && ka.probesOut > 0 : ka.probesOut >= ka.cfg.count;
    if (expired) {
      ka.deadline = undefined;
      return 'abort';
    }
    ka.probesOut++;
    ka.deadline = now + ka.cfg.interval;
    return 'probe';
  }
  ka.deadline = ka.lastRecv + ka.cfg.idle;
  return 'none';
}
