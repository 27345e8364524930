import type { Nanos } from '../../time/units.js';
import { controlBufPut, deleteStream, setResetPingStrikes, type CleanupStream, type LiteralServer, type LiteralServerStream } from './server-transport.js';
import type { Http2ErrCode } from './wire.js';

/**
 * The server application's side of a stream (`ServerStream` writes, http2_server.go): response
 * headers, messages, the status (trailers), and `finishStream`/`closeStream`. Each call is what
 * grpc-go does when the handler calls it at `now`.
 */

/** `(*http2Server).write` for one message of `size` bytes (gRPC prefix included). */
export function serverWrite(t: LiteralServer, now: Nanos, s: LiteralServerStream, size: number): void {
  if (!s.headerSent) {
    // writeHeader(s, nil): the response headers go first.
    if (s.state === 'streamDone') return;
    s.headerSent = true;
    controlBufPut(t, now, { kind: 'serverHeaders', streamID: s.id, endStream: false, onWrite: () => setResetPingStrikes(t), cleanup: undefined });
  } else if (s.state === 'streamDone') {
    return; // streamContextErr
  }
  controlBufPut(t, now, { kind: 'dataFrame', streamID: s.id, size, onEachWrite: () => setResetPingStrikes(t) });
}

/** `(*http2Server).writeStatus`: the handler returned; trailers (or a trailers-only response). */
export function serverWriteStatus(t: LiteralServer, now: Nanos, s: LiteralServerStream): void {
  if (s.state === 'streamDone') return;
  // !s.updateHeaderSent(): without headers sent (and none set) this is a trailers-only response.
  s.headerSent = true;
  // Send a RST_STREAM after the trailers if the client has not already half-closed.
  const rst = s.state === 'streamActive';
  finishStream(t, now, s, rst, 'NO_ERROR');
}

function finishStream(t: LiteralServer, now: Nanos, s: LiteralServerStream, rst: boolean, rstCode: Http2ErrCode): void {
  const oldState = s.state;
  s.state = 'streamDone';
  if (oldState === 'streamDone') return;
  const cleanup: CleanupStream = { streamID: s.id, rst, rstCode, onWrite: () => deleteStream(t, now, s) };
  controlBufPut(t, now, { kind: 'serverHeaders', streamID: s.id, endStream: true, onWrite: () => setResetPingStrikes(t), cleanup });
}

/** `closeStream`: the stream is not needed any more (RST_STREAM read, or DATA after END_STREAM). */
export function closeStream(t: LiteralServer, now: Nanos, s: LiteralServerStream, rst: boolean, rstCode: Http2ErrCode): void {
  s.state = 'streamDone';
  deleteStream(t, now, s);
  controlBufPut(t, now, { kind: 'cleanupStream', streamID: s.id, rst, rstCode, onWrite: () => {} });
}
