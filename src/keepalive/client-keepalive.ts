import { minNanos, type Nanos } from '../time/units.js';
import type { ReadMarks } from './read-marks.js';
import type { KeepaliveTimerOutcome } from './server-keepalive.js';
import type { KeepaliveLoop } from './versions.js';

/**
 * grpc-go's client `keepalive()` goroutine (internal/transport/http2_client.go). Same countdown as
 * the server's last-read loop (upstream calls the countdown `timeoutLeft` here), plus dormancy:
 * with no active stream and `PermitWithoutStream` false the goroutine waits on `kpDormancyCond`
 * until a stream is created, then sends a PING at once.
 *
 * activity-flag loop (before v1.25.0): timer(Time) -> activity? re-arm : (dormant?) PING,
 * timer(Timeout) -> activity? re-arm Time : close.
 */
export type ClientKeepaliveState = {
  outstandingPing: boolean;
  /** Upstream's `timeoutLeft` (the server's `kpTimeoutLeft`). */
  timeoutLeft: Nanos;
  prevNano: Nanos;
  /** Waiting on kpDormancyCond: no timer armed until a stream opens. */
  kpDormant: boolean;
  /** activity-flag loop: waiting in the inner `Timeout` select after a PING. */
  awaitingAck: boolean;
  timer: Nanos | undefined;
};

export type ClientKeepaliveSettings = {
  readonly time: Nanos;
  readonly timeout: Nanos;
  readonly permitWithoutStream: boolean;
};

export type ClientTimerOutcome = KeepaliveTimerOutcome | 'dormant';

export function startClientKeepalive(cfg: ClientKeepaliveSettings, now: Nanos): ClientKeepaliveState {
  return { outstandingPing: false, timeoutLeft: 0, prevNano: now, kpDormant: false, awaitingAck: false, timer: now + cfg.time };
}

export function clientKpTimerFired(
  ka: ClientKeepaliveState,
  marks: ReadMarks,
  cfg: ClientKeepaliveSettings,
  loop: KeepaliveLoop,
  activeStreams: number,
  now: Nanos,
): ClientTimerOutcome {
  if (loop === 'activity-flag') {
    // http2_client.go keepalive(), v1.20.0..v1.24.x
    if (marks.activity) {
      marks.activity = false;
      ka.awaitingAck = false;
      ka.timer = now + cfg.time;
      return 'activity';
    }
    if (ka.awaitingAck) {
      ka.timer = undefined;
      return 'close';
    }
    if (activeStreams < 1 && !cfg.permitWithoutStream) {
      ka.kpDormant = true;
      ka.timer = undefined;
      return 'dormant';
    }
    return sendFlagPing(ka, cfg, now);
  }
  // http2_client.go keepalive(), v1.25.0 and later
  const lastRead = marks.lastRead;
  if (lastRead > ka.prevNano) {
    ka.outstandingPing = false;
    ka.timer = Math.max(now, lastRead + cfg.time);
    ka.prevNano = lastRead;
    return 'activity';
  }
  if (ka.outstandingPing && ka.timeoutLeft <= 0) {
    ka.timer = undefined;
    return 'close';
  }
  if (activeStreams < 1 && !cfg.permitWithoutStream) {
    // A PING sent while streams were active, not yet acked, is forgotten: the goroutine will
    // send a fresh one unconditionally when it wakes.
    ka.outstandingPing = false;
    ka.kpDormant = true;
    ka.timer = undefined;
    return 'dormant';
  }
  return sendOrWait(ka, cfg, now);
}

/** A stream was created while dormant: `kpDormancyCond.Signal()` wakes the goroutine. */
export function clientKeepaliveWoken(
  ka: ClientKeepaliveState,
  cfg: ClientKeepaliveSettings,
  loop: KeepaliveLoop,
  now: Nanos,
): ClientTimerOutcome {
  ka.kpDormant = false;
  return loop === 'activity-flag' ? sendFlagPing(ka, cfg, now) : sendOrWait(ka, cfg, now);
}

// Upstream keeps the client and server loops as two functions with their own names (timeoutLeft vs
// kpTimeoutLeft); kpsim mirrors that rather than sharing one countdown helper.
function sendOrWait(ka: ClientKeepaliveState, cfg: ClientKeepaliveSettings, now: Nanos): ClientTimerOutcome {
  let outcome: ClientTimerOutcome = 'waiting';
  if (!ka.outstandingPing) {
    ka.timeoutLeft = cfg.timeout;
    ka.outstandingPing = true;
    outcome = 'ping';
  }
  const sleepDuration = minNanos(cfg.time, ka.timeoutLeft);
  ka.timeoutLeft -= sleepDuration;
  ka.timer = now + sleepDuration;
  return outcome;
}

function sendFlagPing(ka: ClientKeepaliveState, cfg: ClientKeepaliveSettings, now: Nanos): ClientTimerOutcome {
  ka.awaitingAck = true;
  ka.timer = now + cfg.timeout;
  return 'ping';
}
