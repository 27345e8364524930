import type { Nanos } from '../../time/units.js';
import { clientCloseStream, clientControlBufPut, type LiteralClient } from './client-transport.js';
import { bdpAdd, bdpCalculate, trInFlowOnData, trInFlowReset } from './flow.js';
import { unreachable } from './unreachable.js';
import { bdpPingData, type LiteralFrame } from './wire.js';

/**
 * The client's reader (`(*http2Client).reader`): the server preface first, then one turn of the
 * loop per frame, and the handlers it dispatches to.
 */
export function clientReadFrame(t: LiteralClient, now: Nanos, frame: LiteralFrame): void {
  if (t.connClosed) return;
  if (!t.prefaceRead) {
    // readServerPreface: the first frame must be the server's SETTINGS.
    if (frame.type !== 'SETTINGS' || frame.ack) throw new Error('literal model: the first frame read must be the server SETTINGS');
    t.prefaceRead = true;
    controlBufSettings(t, now, frame);
    if (t.keepaliveEnabled) t.lastRead = now;
    return;
  }
  if (t.keepaliveEnabled) t.lastRead = now;
  switch (frame.type) {
    case 'HEADERS':
      operateHeaders(t, now, frame);
      return;
    case 'DATA':
      handleData(t, now, frame);
      return;
    case 'RST_STREAM': {
      const s = t.activeStreams?.get(frame.streamId);
      if (s !== undefined) clientCloseStream(t, now, s, false, 'NO_ERROR');
      return;
    }
    case 'SETTINGS':
      controlBufSettings(t, now, frame);
      return;
    case 'PING':
      // handlePing: ACKs feed the BDP estimator; a PING is answered.
      if (frame.ack) bdpCalculate(t.bdpEst, frame.data);
      else clientControlBufPut(t, now, { kind: 'ping', ack: true, data: frame.data });
      return;
    case 'WINDOW_UPDATE':
      clientControlBufPut(t, now, { kind: 'incomingWindowUpdate' });
      return;
    case 'GOAWAY':
      throw new Error('literal model: handleGoAway is not modelled');
    default:
      return unreachable(frame);
  }
}

/** handleSettings: a SETTINGS (not an ACK) is acknowledged by loopy. */
function controlBufSettings(t: LiteralClient, now: Nanos, f: Extract<LiteralFrame, { type: 'SETTINGS' }>): void {
  if (f.ack) return;
  clientControlBufPut(t, now, { kind: 'incomingSettings' });
}

function operateHeaders(t: LiteralClient, now: Nanos, f: Extract<LiteralFrame, { type: 'HEADERS' }>): void {
  const s = t.activeStreams?.get(f.streamId);
  if (s === undefined) return;
  if (!f.endStream) return;
  // If client received END_STREAM from server while stream was still active, send RST_STREAM.
  const rstStream = s.state === 'streamActive';
  clientCloseStream(t, now, s, rstStream, 'NO_ERROR');
}

function handleData(t: LiteralClient, now: Nanos, f: Extract<LiteralFrame, { type: 'DATA' }>): void {
  const size = f.length;
  const sendBDPPing = bdpAdd(t.bdpEst, size);
  const w = trInFlowOnData(t.fc, size);
  if (w > 0) clientControlBufPut(t, now, { kind: 'outgoingWindowUpdate', streamID: 0, increment: w });
  if (sendBDPPing) {
    const w2 = trInFlowReset(t.fc);
    if (w2 > 0) clientControlBufPut(t, now, { kind: 'outgoingWindowUpdate', streamID: 0, increment: w2 });
    clientControlBufPut(t, now, { kind: 'ping', ack: false, data: bdpPingData });
  }
  const s = t.activeStreams?.get(f.streamId);
  if (s === undefined) return;
  // size > 0: the stream's own window (not modelled) and the message handed to the application.
  if (f.endStream) {
    // The server has closed the stream without sending trailers.
    const rstStream = s.state === 'streamActive';
    clientCloseStream(t, now, s, rstStream, 'NO_ERROR');
  }
}
