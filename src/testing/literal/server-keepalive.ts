import { minNanos, type Nanos } from '../../time/units.js';
import { infinity, newTimer, timerRecv, timerReset, timerStop, type GoTimer } from './go-runtime.js';
import { closeServer, controlBufPut, type LiteralServer, type ServerKeepaliveGoroutine } from './server-transport.js';
import { keepalivePingData } from './wire.js';

/**
 * `(*http2Server).keepalive()`, statement by statement, for both loop generations:
 * - v1.83.1 (the `lastRead` loop, since v1.26.0): `outstandingPing`, `kpTimeoutLeft`, `prevNano`;
 * - v1.25.0 (the `activity` loop): `pingSent` and the reader's `activity` flag.
 *
 * The goroutine is a loop around a `select`; here `runServerKeepalive` runs it until it blocks
 * (no case ready) or returns. Go picks at random among ready cases; this model takes them in
 * kpsim's fixed order (idle, age, keepalive, done), which only matters if two are ready at once.
 * `MaxConnectionIdle` and `MaxConnectionAge` are infinity in this model, so their timers never fire.
 */

/** A goroutine that runs this many select turns at one instant is spinning (a timer Reset to 0 forever). */
const SPIN_LIMIT = 100_000;

/** The prologue of keepalive(), at the instant `go t.keepalive()` runs. */
export function startServerKeepalive(kp: { readonly Time: Nanos }, now: Nanos): ServerKeepaliveGoroutine {
  return {
    returned: false,
    outstandingPing: false,
    kpTimeoutLeft: 0,
    prevNano: now,
    pingSent: false,
    idleTimer: newTimer(now, infinity),
    ageTimer: newTimer(now, infinity),
    kpTimer: newTimer(now, kp.Time),
  };
}

export function serverKeepaliveTimers(ka: ServerKeepaliveGoroutine): readonly GoTimer[] {
  return [ka.idleTimer, ka.ageTimer, ka.kpTimer];
}

/** Run the goroutine at `now` until it blocks in its select or returns. */
export function runServerKeepalive(t: LiteralServer, now: Nanos): void {
  const ka = t.ka;
  for (let turns = 0; ; turns++) {
    if (turns > SPIN_LIMIT) throw new Error(`literal model: keepalive goroutine spins at t=${now} (a Reset(0) loop)`);
    if (ka.returned) return;
    // select {
    if (timerRecv(ka.idleTimer)) {
      throw new Error('literal model: MaxConnectionIdle is infinity here; the idle branch is not modelled');
    } else if (timerRecv(ka.ageTimer)) {
      throw new Error('literal model: MaxConnectionAge is infinity here; the age branch is not modelled');
    } else if (timerRecv(ka.kpTimer)) {
      const next = t.tag === 'v1.83.1' ? kpTimerCaseLastRead(t, ka, now) : kpTimerCaseActivity(t, ka, now);
      if (next === 'return') return goroutineReturns(ka);
      continue;
    } else if (t.done) {
      return goroutineReturns(ka);
    }
    return; // blocked in select
  }
}

/** v1.83.1, `case <-kpTimer.C:`. */
function kpTimerCaseLastRead(t: LiteralServer, ka: ServerKeepaliveGoroutine, now: Nanos): 'continue' | 'return' {
  const lastRead = t.lastRead;
  if (lastRead > ka.prevNano) {
    ka.outstandingPing = false;
    timerReset(ka.kpTimer, now, lastRead + t.kp.Time - now);
    ka.prevNano = lastRead;
    return 'continue';
  }
  if (ka.outstandingPing && ka.kpTimeoutLeft <= 0) {
    closeServer(t, now, 'keepalive ping not acked within timeout <Timeout>', 'keepalive');
    return 'return';
  }
  if (!ka.outstandingPing) {
    controlBufPut(t, now, { kind: 'ping', ack: false, data: keepalivePingData });
    ka.kpTimeoutLeft = t.kp.Timeout;
    ka.outstandingPing = true;
  }
  const sleepDuration = minNanos(t.kp.Time, ka.kpTimeoutLeft);
  ka.kpTimeoutLeft -= sleepDuration;
  timerReset(ka.kpTimer, now, sleepDuration);
  return 'continue';
}

/** v1.25.0, `case <-keepalive.C:`. */
function kpTimerCaseActivity(t: LiteralServer, ka: ServerKeepaliveGoroutine, now: Nanos): 'continue' | 'return' {
  // atomic.CompareAndSwapUint32(&t.activity, 1, 0)
  if (t.activity === 1) {
    t.activity = 0;
    ka.pingSent = false;
    timerReset(ka.kpTimer, now, t.kp.Time);
    return 'continue';
  }
  if (ka.pingSent) {
    closeServer(t, now, 'transport: closing server transport due to idleness.', 'keepalive');
    timerReset(ka.kpTimer, now, infinity);
    return 'return';
  }
  ka.pingSent = true;
  controlBufPut(t, now, { kind: 'ping', ack: false, data: keepalivePingData });
  timerReset(ka.kpTimer, now, t.kp.Timeout);
  return 'continue';
}

/** The deferred Stop of every timer as the goroutine returns. */
function goroutineReturns(ka: ServerKeepaliveGoroutine): void {
  ka.returned = true;
  timerStop(ka.idleTimer);
  timerStop(ka.ageTimer);
  timerStop(ka.kpTimer);
}
