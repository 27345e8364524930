import { minNanos, type Nanos } from '../time/units.js';
import type { ReadMarks } from './read-marks.js';
import type { KeepaliveLoop } from './versions.js';

/**
 * The PING half of grpc-go's server `keepalive()` goroutine (internal/transport/http2_server.go),
 * for both loop generations. Variable names are upstream's.
 *
 *   last-read (v1.26.0+):                 activity-flag (before v1.26.0):
 *   kpTimer fires                          keepalive timer fires
 *    ├ lastRead > prevNano: re-arm at       ├ activity (CAS 1->0): pingSent=false,
 *    │  lastRead+Time, outstandingPing=false│  re-arm Time
 *    ├ outstandingPing && kpTimeoutLeft<=0: ├ pingSent: close
 *    │  close                               └ else: PING, pingSent=true, re-arm Timeout
 *    ├ !outstandingPing: PING,
 *    │  kpTimeoutLeft=Timeout, outstandingPing=true
 *    └ sleep min(Time, kpTimeoutLeft), kpTimeoutLeft -= sleep
 */
export type ServerKeepaliveState = {
  /** last-read loop: a PING was sent and nothing has been read since. */
  outstandingPing: boolean;
  /** last-read loop: time left before the outstanding PING times out. */
  kpTimeoutLeft: Nanos;
  /** last-read loop: the value of lastRead when the timer was last armed. */
  prevNano: Nanos;
  /** activity-flag loop: a PING was sent in the previous timer period. */
  pingSent: boolean;
  /** Deadline of kpTimer; `undefined` once the goroutine has returned. */
  kpTimer: Nanos | undefined;
};

export type KeepaliveTimerOutcome =
  /** Read activity seen: timer re-armed, no PING. */
  | 'activity'
  /** A keepalive PING must be queued. */
  | 'ping'
  /** A PING is outstanding and time is left: timer re-armed for the next slice. */
  | 'waiting'
  /** Nothing read within Timeout of the PING: close the transport. */
  | 'close';

export type ServerKeepaliveSettings = { readonly time: Nanos; readonly timeout: Nanos };

/** State when `keepalive()` starts: `prevNano = now`, kpTimer armed at `now + Time`. */
export function startServerKeepalive(cfg: ServerKeepaliveSettings, now: Nanos): ServerKeepaliveState {
  return { outstandingPing: false, kpTimeoutLeft: 0, prevNano: now, pingSent: false, kpTimer: now + cfg.time };
}

/** The `case <-kpTimer.C` branch. Mutates `ka` (and `marks.activity` for the flag loop). */
export function serverKpTimerFired(
  ka: ServerKeepaliveState,
  marks: ReadMarks,
  cfg: ServerKeepaliveSettings,
  loop: KeepaliveLoop,
  now: Nanos,
): KeepaliveTimerOutcome {
  if (loop === 'activity-flag') {
    // http2_server.go keepalive(), v1.20.0..v1.25.x
    if (marks.activity) {
      marks.activity = false;
      ka.pingSent = false;
      ka.kpTimer = now + cfg.time;
      return 'activity';
    }
    if (ka.pingSent) {
      ka.kpTimer = undefined;
      return 'close';
    }
    ka.pingSent = true;
    ka.kpTimer = now + cfg.timeout;
    return 'ping';
  }
  // http2_server.go keepalive(), v1.26.0 and later
  const lastRead = marks.lastRead;
  if (lastRead > ka.prevNano) {
    ka.outstandingPing = false;
    // kpTimer.Reset(lastRead + Time - now): a non-positive duration fires at once, as Go's timers do.
    ka.kpTimer = Math.max(now, lastRead + cfg.time);
    ka.prevNano = lastRead;
    return 'activity';
  }
  if (ka.outstandingPing && ka.kpTimeoutLeft <= 0) {
    ka.kpTimer = undefined;
    return 'close';
  }
  let outcome: KeepaliveTimerOutcome = 'waiting';
  if (!ka.outstandingPing) {
    ka.kpTimeoutLeft = cfg.timeout;
    ka.outstandingPing = true;
    outcome = 'ping';
  }
  const sleepDuration = minNanos(cfg.time, ka.kpTimeoutLeft);
  ka.kpTimeoutLeft -= sleepDuration;
  ka.kpTimer = now + sleepDuration;
  return outcome;
}
