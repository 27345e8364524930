import type { Nanos } from '../../time/units.js';
import { earliestWhen, timerExpire, timerRecv } from './go-runtime.js';
import { runServerKeepalive, serverKeepaliveTimers, startServerKeepalive } from './server-keepalive.js';
import { serverReadFrame } from './server-reader.js';
import { serverWrite, serverWriteStatus } from './server-streams.js';
import {
  allocServer,
  controlBufPut,
  lingerOver,
  type LiteralEnforcementPolicy,
  type LiteralServer,
  type LiteralServerParameters,
  type ServerCloseCause,
  type ServerTag,
} from './server-transport.js';
import type { LiteralFrame } from './wire.js';

/**
 * A second, deliberately unoptimised model of grpc-go's server keepalive, written against the Go
 * source (internal/transport/http2_server.go at v1.83.1 and v1.25.0) without looking at kpsim's
 * own machines: it must not import src/keepalive or src/conn, so that a misreading of upstream
 * can only agree with kpsim's by accident. Model-based tests drive both and compare what they
 * write, when they close, and when they next need the clock (test/model-based/).
 *
 * Time is passed in; nothing here reads a clock or draws a random number. Calls at one instant
 * run in the order the caller makes them (the harness reads before it fires timers).
 */
export type LiteralServerConfig = {
  readonly tag: ServerTag;
  readonly kp: LiteralServerParameters;
  readonly kep: LiteralEnforcementPolicy;
};

export type { LiteralServer, ServerCloseCause } from './server-transport.js';

/**
 * `newHTTP2Server` at `now`: the server's SETTINGS is written, the client's preface and SETTINGS
 * are read (stamping `lastRead`, or setting `activity`), loopy starts and acknowledges them, and
 * `go t.keepalive()` runs.
 */
export function newLiteralServer(cfg: LiteralServerConfig, now: Nanos): LiteralServer {
  const t = allocServer(cfg.tag, cfg.kp, cfg.kep, now, startServerKeepalive(cfg.kp, now));
  t.written.push({ at: now, frame: { type: 'SETTINGS', ack: false } });
  if (t.tag === 'v1.83.1') t.lastRead = now;
  else t.activity = 1;
  controlBufPut(t, now, { kind: 'incomingSettings' });
  runServerKeepalive(t, now);
  return t;
}

/** The reader read `frame` at `now`. */
export function literalServerRead(t: LiteralServer, now: Nanos, frame: LiteralFrame): void {
  serverReadFrame(t, now, frame);
  runServerKeepalive(t, now);
}

/** The handler of stream `streamId` sends a message of `size` bytes. */
export function literalServerSendMsg(t: LiteralServer, now: Nanos, streamId: number, size: number): void {
  const s = t.activeStreams?.get(streamId);
  if (s !== undefined) serverWrite(t, now, s, size);
  runServerKeepalive(t, now);
}

/** The handler of stream `streamId` returned: grpc-go writes its status. */
export function literalServerHandlerReturned(t: LiteralServer, now: Nanos, streamId: number): void {
  const s = t.activeStreams?.get(streamId);
  if (s !== undefined) serverWriteStatus(t, now, s);
  runServerKeepalive(t, now);
}

/** The earliest instant a timer of this transport is armed for. */
export function literalServerNextDeadline(t: LiteralServer): Nanos | undefined {
  const timers = [...serverKeepaliveTimers(t.ka)];
  if (t.lingerTimer !== undefined) timers.push(t.lingerTimer);
  return earliestWhen(timers);
}

/** The runtime fires every timer due at `at`; the goroutines waiting on them run. */
export function literalServerFireTimers(t: LiteralServer, at: Nanos): void {
  for (const timer of serverKeepaliveTimers(t.ka)) timerExpire(timer, at);
  runServerKeepalive(t, at);
  const linger = t.lingerTimer;
  if (linger !== undefined) {
    timerExpire(linger, at);
    if (timerRecv(linger)) lingerOver(t, at);
  }
  runServerKeepalive(t, at);
}

/**
 * When the transport stopped writing, and why: loopy exited (too_many_pings: the GOAWAY was its
 * last frame) or Close ran, whichever came first.
 */
export function literalServerEnded(t: LiteralServer): { at: Nanos; cause: ServerCloseCause } | undefined {
  const first = t.loopyExit ?? t.closed;
  return first === undefined ? undefined : { at: first.at, cause: first.cause };
}
