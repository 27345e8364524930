import type { Nanos } from '../../time/units.js';

/**
 * HTTP/2 frames as the literal model reads and writes them: its own small vocabulary, independent
 * of src/frames, so a mistake there cannot hide in both models at once. A PING carries its 8-byte
 * payload as 16 hex digits, compared the way Go compares `[8]byte` arrays.
 */
export type PingData = string;

/** `p := &ping{}` in keepalive(): eight zero bytes. */
export const keepalivePingData: PingData = '0000000000000000';
/** `goAwayPing` (http2_server.go). */
export const goAwayPingData: PingData = '0106010800030309';
/** `bdpPing` (bdp_estimator.go). */
export const bdpPingData: PingData = '02041010090e0707';

export type Http2ErrCode = 'NO_ERROR' | 'PROTOCOL_ERROR' | 'CANCEL' | 'STREAM_CLOSED' | 'ENHANCE_YOUR_CALM';

export type LiteralFrame =
  | { readonly type: 'SETTINGS'; readonly ack: boolean }
  | { readonly type: 'PING'; readonly ack: boolean; readonly data: PingData }
  | { readonly type: 'HEADERS'; readonly streamId: number; readonly endStream: boolean; readonly kind: 'request' | 'response' | 'trailers' }
  | { readonly type: 'DATA'; readonly streamId: number; readonly length: number; readonly endStream: boolean }
  | { readonly type: 'RST_STREAM'; readonly streamId: number; readonly code: Http2ErrCode }
  | { readonly type: 'GOAWAY'; readonly lastStreamId: number; readonly code: Http2ErrCode; readonly debugData: string }
  | { readonly type: 'WINDOW_UPDATE'; readonly streamId: number; readonly increment: number };

/** A frame the framer wrote, and when. */
export type Written = { readonly at: Nanos; readonly frame: LiteralFrame };

/** `http2MaxFrameLen`: loopy cuts DATA at 16 KiB (the peer's default SETTINGS_MAX_FRAME_SIZE). */
export const http2MaxFrameLen = 16384;
/** `defaultWindowSize` (internal/transport/defaults.go). */
export const defaultWindowSize = 65535;
