import type { Nanos } from '../../time/units.js';
import { runClientKeepalive, startClientKeepalive } from './client-keepalive.js';
import { clientReadFrame } from './client-reader.js';
import {
  allocClient,
  clientControlBufPut,
  kpDormancySignal,
  type ClientTag,
  type LiteralClient,
  type LiteralClientParameters,
} from './client-transport.js';
import { infinity, timerExpire } from './go-runtime.js';
import type { LiteralFrame } from './wire.js';

/**
 * The literal model of grpc-go's client keepalive (internal/transport/http2_client.go at v1.83.1
 * and v1.25.0), independent of kpsim's machines like its server counterpart (./server-literal.ts).
 */
export type LiteralClientConfig = { readonly tag: ClientTag; readonly kp: LiteralClientParameters };

export type { LiteralClient } from './client-transport.js';

/** `newHTTP2Client` at `now`: the keepalive goroutine starts (when Time is set), the preface and SETTINGS are written. */
export function newLiteralClient(cfg: LiteralClientConfig, now: Nanos): LiteralClient {
  const t = allocClient(cfg.tag, cfg.kp, cfg.kp.Time === infinity ? undefined : startClientKeepalive(cfg.kp, now));
  t.written.push({ at: now, frame: { type: 'SETTINGS', ack: false } });
  runClientKeepalive(t, now);
  return t;
}

/** The reader read `frame` at `now` (the first one must be the server's SETTINGS). */
export function literalClientRead(t: LiteralClient, now: Nanos, frame: LiteralFrame): void {
  clientReadFrame(t, now, frame);
  runClientKeepalive(t, now);
}

/** `NewStream` at `now`: returns the stream id loopy gives it. */
export function literalClientNewStream(t: LiteralClient, now: Nanos): number | undefined {
  const streams = t.activeStreams;
  if (t.state === 'draining' || streams === undefined) return undefined;
  const id = t.nextID;
  t.nextID += 2;
  streams.set(id, { id, state: 'streamActive' });
  clientControlBufPut(t, now, {
    kind: 'clientHeaders',
    streamID: id,
    initStream: () => {
      if (t.state === 'closing') return 'transport is closing';
      // If the keepalive goroutine has gone dormant, wake it up.
      if (t.kpDormant) kpDormancySignal(t);
      return undefined;
    },
  });
  runClientKeepalive(t, now);
  return id;
}

/** `(*http2Client).write`: one message of `size` bytes; `last` half-closes the stream. */
export function literalClientSendMsg(t: LiteralClient, now: Nanos, streamId: number, size: number, last: boolean): void {
  const s = t.activeStreams?.get(streamId);
  if (s !== undefined) {
    if (last) {
      if (s.state === 'streamActive') {
        s.state = 'streamWriteDone';
        clientControlBufPut(t, now, { kind: 'dataFrame', streamID: streamId, size, endStream: true });
      }
    } else if (s.state === 'streamActive') {
      clientControlBufPut(t, now, { kind: 'dataFrame', streamID: streamId, size, endStream: false });
    }
  }
  runClientKeepalive(t, now);
}

export function literalClientNextDeadline(t: LiteralClient): Nanos | undefined {
  return t.ka?.timer.when;
}

export function literalClientFireTimers(t: LiteralClient, at: Nanos): void {
  if (t.ka !== undefined) timerExpire(t.ka.timer, at);
  runClientKeepalive(t, at);
}

export function literalClientClosed(t: LiteralClient): { at: Nanos; cause: 'keepalive' } | undefined {
  return t.closed === undefined ? undefined : { at: t.closed.at, cause: t.closed.cause };
}
