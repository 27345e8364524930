import { minNanos, type Nanos } from '../../time/units.js';
import { newTimer, timerRecv, timerReset, timerStop } from './go-runtime.js';
import { clientControlBufPut, closeClient, type ClientKeepaliveGoroutine, type LiteralClient } from './client-transport.js';
import { keepalivePingData } from './wire.js';

/**
 * `(*http2Client).keepalive()` at v1.83.1 and v1.25.0, statement by statement, including
 * dormancy: with no active stream and PermitWithoutStream false the goroutine waits on
 * `kpDormancyCond` inside the timer case, and a new stream's `initStream` signals it.
 * v1.25.0 differs in one line: after arming the sleep it also sets `prevNano = lastRead` (the
 * case's value, which can only equal prevNano, or be Go's zero before the server's preface was
 * read; nothing observable changes, but the line is kept).
 */

/** A goroutine that runs this many select turns at one instant is spinning (a timer Reset to 0 forever). */
const SPIN_LIMIT = 100_000;

/** The prologue, at the instant `go t.keepalive()` runs. */
export function startClientKeepalive(kp: { readonly Time: Nanos }, now: Nanos): ClientKeepaliveGoroutine {
  return {
    returned: false,
    blockedIn: 'select',
    signalled: false,
    outstandingPing: false,
    timeoutLeft: 0,
    prevNano: now,
    lastRead: 0,
    timer: newTimer(now, kp.Time),
    err: undefined,
  };
}

/** Run the goroutine at `now` until it blocks (select or condition variable) or returns. */
export function runClientKeepalive(t: LiteralClient, now: Nanos): void {
  const ka = t.ka;
  if (ka === undefined) return;
  for (let turns = 0; ; turns++) {
    if (turns > SPIN_LIMIT) throw new Error(`literal model: keepalive goroutine spins at t=${now} (a Reset(0) loop)`);
    if (ka.returned) return;
    if (ka.blockedIn === 'kpDormancyCond') {
      if (!ka.signalled) return; // still in kpDormancyCond.Wait()
      ka.signalled = false;
      ka.blockedIn = 'select';
      afterDormancyCheck(t, ka, now);
      continue;
    }
    // select {
    if (timerRecv(ka.timer)) {
      const next = timerCase(t, ka, now);
      if (next === 'return') return goroutineReturns(t, ka, now);
      if (next === 'wait') ka.blockedIn = 'kpDormancyCond';
      continue;
    } else if (t.ctxDone) {
      if (!timerStop(ka.timer)) timerRecv(ka.timer);
      return goroutineReturns(t, ka, now);
    }
    return; // blocked in select
  }
}

/** `case <-timer.C:` up to (and including) the dormancy check. */
function timerCase(t: LiteralClient, ka: ClientKeepaliveGoroutine, now: Nanos): 'continue' | 'return' | 'wait' {
  const lastRead = t.lastRead;
  ka.lastRead = lastRead;
  if (lastRead > ka.prevNano) {
    // There has been read activity since the last time we were here.
    ka.outstandingPing = false;
    timerReset(ka.timer, now, lastRead + t.kp.Time - now);
    ka.prevNano = lastRead;
    return 'continue';
  }
  if (ka.outstandingPing && ka.timeoutLeft <= 0) {
    ka.err = 'keepalive ping failed to receive ACK within timeout';
    return 'return';
  }
  // t.mu.Lock()
  if (t.state === 'closing') return 'return';
  if ((t.activeStreams?.size ?? 0) < 1 && !t.kp.PermitWithoutStream) {
    // A PING sent while streams were active and not yet acked is forgotten: the goroutine sends
    // one unconditionally when it wakes.
    ka.outstandingPing = false;
    t.kpDormant = true;
    return 'wait'; // t.kpDormancyCond.Wait()
  }
  afterDormancyCheck(t, ka, now);
  return 'continue';
}

/** From `t.kpDormant = false` to `timer.Reset(sleepDuration)`. */
function afterDormancyCheck(t: LiteralClient, ka: ClientKeepaliveGoroutine, now: Nanos): void {
  t.kpDormant = false;
  // t.mu.Unlock()
  if (!ka.outstandingPing) {
    clientControlBufPut(t, now, { kind: 'ping', ack: false, data: keepalivePingData });
    ka.timeoutLeft = t.kp.Timeout;
    ka.outstandingPing = true;
  }
  const sleepDuration = minNanos(t.kp.Time, ka.timeoutLeft);
  ka.timeoutLeft -= sleepDuration;
  // v1.25.0 only (gone by v1.83.1): the case's `lastRead`, loaded before any dormancy, becomes prevNano.
  if (t.tag === 'v1.25.0') ka.prevNano = ka.lastRead;
  timerReset(ka.timer, now, sleepDuration);
}

/** The deferred function: `close(t.keepaliveDone)`, then `t.Close(err)` when err is set. */
function goroutineReturns(t: LiteralClient, ka: ClientKeepaliveGoroutine, now: Nanos): void {
  ka.returned = true;
  if (ka.err !== undefined) closeClient(t, now, ka.err, 'keepalive');
}
