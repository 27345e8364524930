import { assertNever } from '../lib/assert-never.js';

/**
 * HTTP/2 frames as the simulator moves them (RFC 9113 section 6), reduced to the fields that
 * keepalive behaviour depends on. Sizes are true wire sizes: a 9-byte frame header plus the
 * payload length the frame would have on the wire.
 *
 * HEADERS carry a `kind` instead of an HPACK block. The network sizes every frame with its side's
 * wire writer (src/sim/frame-wire.ts, real HPACK with a dynamic table), so what goes over the
 * modelled link is exact. `frameSize` here is the writer-free size: exact for every frame but
 * HEADERS (an estimate, HEADER_BLOCK_BYTES) and the client's first SETTINGS (no preface); the
 * analysis closed forms use it where those two do not matter.
 */
export type PingPayloadKind = 'keepalive' | 'drain' | 'bdp' | 'other';

export type Frame =
  | { readonly type: 'SETTINGS'; readonly ack: boolean }
  | { readonly type: 'PING'; readonly ack: boolean; readonly payload: PingPayloadKind }
  | { readonly type: 'HEADERS'; readonly streamId: number; readonly endStream: boolean; readonly kind: HeadersKind }
  | { readonly type: 'DATA'; readonly streamId: number; readonly length: number; readonly endStream: boolean }
  | { readonly type: 'RST_STREAM'; readonly streamId: number; readonly code: ErrorCodeName }
  | {
      readonly type: 'GOAWAY';
      readonly lastStreamId: number;
      readonly code: ErrorCodeName;
      readonly debugData: string;
    }
  | { readonly type: 'WINDOW_UPDATE'; readonly streamId: number; readonly increment: number };

export type FrameType = Frame['type'];
export type HeadersKind = 'request' | 'response' | 'trailers';


/** RFC 9113 section 7 error codes used by grpc-go's keepalive paths. */
export type ErrorCodeName = 'NO_ERROR' | 'PROTOCOL_ERROR' | 'CANCEL' | 'ENHANCE_YOUR_CALM';

/** 2^31 - 1: the stream id grpc-go puts in the first GOAWAY of a graceful drain. */
export const MAX_STREAM_ID = 0x7fffffff;

/**
 * The 8-byte PING payloads grpc-go uses (internal/transport): keepalive pings carry zeros, the
 * drain ping a fixed pattern (`goAwayPing`), BDP pings another fixed pattern (`bdpPing`).
 */
export const PING_PAYLOAD_BYTES: Readonly<Record<PingPayloadKind, readonly number[]>> = {
  keepalive: [0, 0, 0, 0, 0, 0, 0, 0],
  drain: [1, 6, 1, 8, 0, 3, 3, 9],
  bdp: [2, 4, 16, 16, 9, 14, 7, 7],
  other: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
};

const FRAME_HEADER_BYTES = 9;
/** Estimated HPACK block sizes for gRPC header blocks (first use, no dynamic-table hits). */
const HEADER_BLOCK_BYTES: Readonly<Record<HeadersKind, number>> = { request: 120, response: 40, trailers: 30 };
/** SETTINGS_MAX_FRAME_SIZE default (RFC 9113 6.5.2); grpc-go's writer cuts DATA at this size (http2MaxFrameLen). */
export const MAX_FRAME_PAYLOAD = 16384;

/** The DATA frames one message of `length` payload bytes becomes; END_STREAM on the last one. */
export function dataFrames(streamId: number, length: number, endStream: boolean): Frame[] {
  if (length <= MAX_FRAME_PAYLOAD) return [{ type: 'DATA', streamId, length, endStream }];
  const out: Frame[] = [];
  for (let left = length; left > 0; left -= MAX_FRAME_PAYLOAD) {
    const n = Math.min(MAX_FRAME_PAYLOAD, left);
    out.push({ type: 'DATA', streamId, length: n, endStream: endStream && left === n });
  }
  return out;
}

/** gRPC's length-prefixed message framing: 1 flag byte + 4 length bytes. */
export const GRPC_MESSAGE_PREFIX_BYTES = 5;

export function frameSize(f: Frame): number {
  switch (f.type) {
    case 'SETTINGS':
      return FRAME_HEADER_BYTES + (f.ack ? 0 : 18);
    case 'PING':
      return FRAME_HEADER_BYTES + 8;
    case 'HEADERS':
      return FRAME_HEADER_BYTES + HEADER_BLOCK_BYTES[f.kind];
    case 'DATA':
      return FRAME_HEADER_BYTES + f.length;
    case 'RST_STREAM':
      return FRAME_HEADER_BYTES + 4;
    case 'GOAWAY':
      return FRAME_HEADER_BYTES + 8 + f.debugData.length;
    case 'WINDOW_UPDATE':
      return FRAME_HEADER_BYTES + 4;
    default:
      return assertNever(f);
  }
}

/** A short human label: `PING`, `PING[ack]`, `HEADERS s=1`, `GOAWAY ENHANCE_YOUR_CALM "too_many_pings"`. */
export function describeFrame(f: Frame): string {
  switch (f.type) {
    case 'SETTINGS':
      return f.ack ? 'SETTINGS[ack]' : 'SETTINGS';
    case 'PING':
      return `PING${f.ack ? '[ack]' : ''} (${f.payload})`;
    case 'HEADERS':
      return `HEADERS s=${f.streamId} ${f.kind}${f.endStream ? ' END_STREAM' : ''}`;
    case 'DATA':
      return `DATA s=${f.streamId} ${f.length}B${f.endStream ? ' END_STREAM' : ''}`;
    case 'RST_STREAM':
      return `RST_STREAM s=${f.streamId} ${f.code}`;
    case 'GOAWAY':
      return `GOAWAY last=${f.lastStreamId} ${f.code}${f.debugData ? ` "${f.debugData}"` : ''}`;
    case 'WINDOW_UPDATE':
      return `WINDOW_UPDATE s=${f.streamId} +${f.increment}`;
    default:
      return assertNever(f);
  }
}

/** Key used for per-type frame counts in run summaries, e.g. `PING`, `PING_ACK`, `SETTINGS_ACK`. */
export function frameCountKey(f: Frame): string {
  if ((f.type === 'PING' || f.type === 'SETTINGS') && f.ack) return `${f.type}_ACK`;
  return f.type;
}
