/**
 * HTTP/2 on top of reassembled TCP. The direction whose bytes start with the client preface
 * (RFC 9113 section 3.4) is the client; each direction's bytes are then decoded frame by frame
 * with the wire codec. A frame is stamped with the capture time at which its last byte became
 * readable. A frame that breaks an RFC 9113 rule stops that direction: the frames before it are
 * kept and the error is reported with its stream offset.
 *
 * SIMPLIFICATION: a connection captured mid-stream has no preface and is listed as 'unknown',
 * without trying to find a frame boundary.
 * SIMPLIFICATION: frames are decoded with the largest SETTINGS_MAX_FRAME_SIZE the protocol allows
 * (2^24-1), not the value the receiver advertised, so 'frame-too-large' is never reported here.
 */
import type { Nanos } from '../time/units.js';
import { CLIENT_PREFACE, decodeFrame, FrameError, type FrameRule, type WireFrame } from '../wire/frame-codec.js';
import { startsWithPreface } from '../wire/preface.js';
import type { BackwardTimestamps } from './monotone-clock.js';
import type { DeliveredChunk, DirectionStream, StreamCounts, StreamGap } from './stream-reassembler.js';
import type { Endpoint, TcpConnection } from './tcp-connections.js';

import type { Side } from './side.js';

export type { Side };

export type CapturedFrame = {
  /** Capture time at which the frame's last byte became contiguous (readable by the application). */
  readonly at: Nanos;
  readonly from: Side;
  readonly frame: WireFrame;
  /** Offset of the frame's first byte in the sender's byte stream (the client's first frame is at 24, after the preface). */
  readonly offset: number;
  /** RawPacket.index of the packet that completed the frame. */
  readonly packet: number;
};

/** A frame that breaks an RFC 9113 rule; decoding of that direction stopped there. */
export type CapturedDecodeError = {
  readonly from: Side;
  readonly offset: number;
  readonly at: Nanos;
  readonly rule: FrameRule;
  readonly error: FrameError;
};

export type DirectionReport = {
  /** Bytes delivered in order (cut at the first gap). */
  readonly bytes: number;
  readonly counts: StreamCounts;
  readonly gap?: StreamGap;
  readonly undeliveredBytes: number;
  /** Delivered bytes after the last whole frame: a frame cut by the gap or the end of the capture. */
  readonly trailingBytes: number;
  readonly fin?: Nanos;
  readonly rst?: Nanos;
};

export type ConnectionEnd = {
  /** `open`: no FIN or RST; `half-closed`: one FIN; `closed`: both FINs; `reset`: an RST was seen. */
  readonly state: 'open' | 'half-closed' | 'closed' | 'reset';
  /** The first FIN or RST: who ended the connection, how, and when. */
  readonly first?: { readonly by: Side; readonly kind: 'fin' | 'rst'; readonly at: Nanos };
};

export type Http2Connection = {
  readonly id: number;
  /** `unknown`: neither direction begins with the client preface (not HTTP/2, or captured mid-stream). */
  readonly protocol: 'http2' | 'unknown';
  /** For `unknown` connections, the TCP initiator. */
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly startedAt: Nanos;
  readonly endedAt: Nanos;
  readonly end: ConnectionEnd;
  /** Both directions merged in capture-time order (then packet, then offset). */
  readonly frames: readonly CapturedFrame[];
  readonly errors: readonly CapturedDecodeError[];
  readonly directions: { readonly client: DirectionReport; readonly server: DirectionReport };
  readonly tcp: TcpConnection;
  /** This connection's packets stamped earlier than a packet before them in the file (set by analyzeCapture; see monotone-clock.ts). */
  readonly backwardTimestamps?: BackwardTimestamps;
};

/** The chunk that holds stream offset `offset` (chunks are contiguous and sorted). */
const chunkAt = (chunks: readonly DeliveredChunk[], offset: number): DeliveredChunk | undefined => {
  let lo = 0;
  let hi = chunks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = chunks[mid];
    if (c === undefined) return undefined;
    if (offset < c.offset) hi = mid - 1;
    else if (offset >= c.offset + c.bytes.length) lo = mid + 1;
    else return c;
  }
  return undefined;
};

const MAX_FRAME_SIZE = 0xff_ffff;

const decodeDirection = (
  stream: DirectionStream,
  from: Side,
  start: number,
): { frames: CapturedFrame[]; error?: CapturedDecodeError; trailingBytes: number } => {
  const frames: CapturedFrame[] = [];
  let offset = start;
  while (offset < stream.bytes.length) {
    let result;
    try {
      result = decodeFrame(stream.bytes, offset, { maxFrameSize: MAX_FRAME_SIZE });
    } catch (e) {
      if (!(e instanceof FrameError)) throw e;
      const at = chunkAt(stream.chunks, offset)?.at ?? 0;
      return { frames, error: { from, offset, at, rule: e.rule, error: e }, trailingBytes: stream.bytes.length - offset };
    }
    if ('needMore' in result) break;
    const last = chunkAt(stream.chunks, offset + result.bytesRead - 1);
    frames.push({ at: last?.at ?? 0, from, frame: result.frame, offset, packet: last?.packet ?? 0 });
    offset += result.bytesRead;
  }
  return { frames, trailingBytes: stream.bytes.length - offset };
};

const report = (s: DirectionStream, trailingBytes: number): DirectionReport => ({
  bytes: s.bytes.length,
  counts: s.counts,
  ...(s.gap === undefined ? {} : { gap: s.gap }),
  undeliveredBytes: s.undeliveredBytes,
  trailingBytes,
  ...(s.fin === undefined ? {} : { fin: s.fin.at }),
  ...(s.rst === undefined ? {} : { rst: s.rst.at }),
});

const connectionEnd = (client: DirectionStream, server: DirectionStream): ConnectionEnd => {
  const events: { by: Side; kind: 'fin' | 'rst'; at: Nanos; packet: number }[] = [];
  for (const [by, s] of [['client', client], ['server', server]] as const) {
    if (s.fin !== undefined) events.push({ by, kind: 'fin', at: s.fin.at, packet: s.fin.packet });
    if (s.rst !== undefined) events.push({ by, kind: 'rst', at: s.rst.at, packet: s.rst.packet });
  }
  events.sort((a, b) => a.packet - b.packet);
  const e = events[0];
  const state =
    client.rst !== undefined || server.rst !== undefined ? 'reset'
    : client.fin !== undefined && server.fin !== undefined ? 'closed'
    : e !== undefined ? 'half-closed'
    : 'open';
  return e === undefined ? { state } : { state, first: { by: e.by, kind: e.kind, at: e.at } };
};

export const decodeHttp2Connection = (tcp: TcpConnection): Http2Connection => {
  const responderIsClient = !startsWithPreface(tcp.fromInitiator.bytes) && startsWithPreface(tcp.fromResponder.bytes);
  const http2 = responderIsClient || startsWithPreface(tcp.fromInitiator.bytes);
  const [clientStream, serverStream] = responderIsClient ? [tcp.fromResponder, tcp.fromInitiator] : [tcp.fromInitiator, tcp.fromResponder];
  const c = http2 ? decodeDirection(clientStream, 'client', CLIENT_PREFACE.length) : { frames: [], trailingBytes: clientStream.bytes.length };
  const s = http2 ? decodeDirection(serverStream, 'server', 0) : { frames: [], trailingBytes: serverStream.bytes.length };
  const frames = [...c.frames, ...s.frames].sort((a, b) => a.at - b.at || a.packet - b.packet || a.offset - b.offset);
  const errors = [c, s].flatMap((d) => ('error' in d && d.error !== undefined ? [d.error] : []));
  return {
    id: tcp.id,
    protocol: http2 ? 'http2' : 'unknown',
    client: responderIsClient ? tcp.responder : tcp.initiator,
    server: responderIsClient ? tcp.initiator : tcp.responder,
    startedAt: tcp.firstAt,
    endedAt: tcp.lastAt,
    end: connectionEnd(clientStream, serverStream),
    frames,
    errors,
    directions: { client: report(clientStream, c.trailingBytes), server: report(serverStream, s.trailingBytes) },
    tcp,
  };
};
