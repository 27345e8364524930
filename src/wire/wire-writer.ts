/**
 * Turns the simulator's reduced Frames into real RFC 9113 bytes, as one side of a grpc-go
 * connection would write them: one HPACK encoder (dynamic table) for the direction, so a second
 * request's HEADERS are smaller than the first; gRPC header lists for each HEADERS kind; gRPC
 * message prefixes in DATA; grpc-go's PING payloads; its SETTINGS (after the client preface).
 */
import type { Frame } from '../frames/frame.js';
import { assertNever } from '../lib/assert-never.js';
import { encodeFrame } from './frame-encode.js';
import { DEFAULT_MAX_FRAME_SIZE } from './frame-header.js';
import { grpcRequestHeaders, grpcResponseHeaders, grpcTrailers, grpcUserAgent, type GrpcStatus } from './grpc-headers.js';
import { GRPC_PREFIX_LENGTH, encodeGrpcPrefix } from './grpc-message.js';
import { pingPayload } from './grpc-ping.js';
import { grpcInitialConnWindowIncrement, grpcInitialSettings, type WireSide } from './grpc-settings.js';
import { headerBlockFrames } from './header-block-frames.js';
import type { HeaderList } from './header-list.js';
import { createHpackEncoder } from './hpack-codec.js';
import { CLIENT_PREFACE } from './preface.js';
import { SIM_ERROR_CODES } from './sim-mapping.js';
import { DEFAULT_AUTHORITY, DEFAULT_GRPC_GO_VERSION, DEFAULT_PATH, type WireWriterOptions } from './wire-options.js';
import type { WireFrame } from './wire-frame.js';
import { concatBytes } from '../lib/bytes.js';

export type EncodeHint = {
  /**
   * Length of the gRPC message that starts in this DATA frame (prefix excluded), when it runs on
   * into later frames. Without it a message starting in a frame ends in that frame.
   */
  readonly messageLength?: number;
};

export type WireWriter = {
  readonly side: WireSide;
  /**
   * The octets for one sim Frame: usually one wire frame; HEADERS + CONTINUATIONs for a large
   * block; on the client's first SETTINGS the 24-octet preface before it; after the first SETTINGS
   * a connection WINDOW_UPDATE when the connection window is raised (as grpc-go does).
   */
  readonly encode: (frame: Frame, hint?: EncodeHint) => Uint8Array;
  /** The same, as codec frames (the preface, not a frame, is left out). */
  readonly encodeFrames: (frame: Frame, hint?: EncodeHint) => WireFrame[];
  /** The header list a HEADERS frame of this kind on this stream gets (no state changes). */
  readonly headerList: (kind: 'request' | 'response' | 'trailers', streamId: number) => HeaderList;
};

const OK: GrpcStatus = { code: 0, message: '' };

export const createWireWriter = (side: WireSide, opts: WireWriterOptions = {}): WireWriter => {
  const encoder = createHpackEncoder(opts.peerHeaderTableSize === undefined ? {} : { tableSize: opts.peerHeaderTableSize });
  const maxFrameSize = opts.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
  const userAgent = opts.userAgent ?? grpcUserAgent(opts.version ?? DEFAULT_GRPC_GO_VERSION);
  const request = grpcRequestHeaders({
    path: opts.path ?? DEFAULT_PATH,
    authority: opts.authority ?? DEFAULT_AUTHORITY,
    userAgent,
    ...(opts.timeout === undefined ? {} : { timeout: opts.timeout }),
  });
  /** Streams whose response headers were written (else trailers are Trailers-Only). */
  const responded = new Set<number>();
  /** Per stream, octets of the current gRPC message still to come. */
  const messageLeft = new Map<number, number>();
  let settingsSent = false;
  let prefacePending = side === 'client';

  const headerList = (kind: 'request' | 'response' | 'trailers', streamId: number): HeaderList => {
    switch (kind) {
      case 'request':
        return request;
      case 'response':
        return grpcResponseHeaders();
      case 'trailers':
        return grpcTrailers(opts.status ?? OK, !responded.has(streamId));
      default:
        return assertNever(kind);
    }
  };

  /**
   * DATA payload: continues the stream's open message, then starts messages with a 5-octet prefix.
   * SIMPLIFICATION: the body is zeros, and a tail of 1-4 octets with no open message (too short for
   * a prefix; the simulator never makes one) is written as zeros.
   */
  const dataPayload = (streamId: number, length: number, hint: EncodeHint | undefined): Uint8Array => {
    const out = new Uint8Array(length);
    let left = messageLeft.get(streamId) ?? 0;
    let at = 0;
    let hinted = hint?.messageLength;
    while (at < length) {
      if (left > 0) {
        const n = Math.min(left, length - at);
        at += n;
        left -= n;
      } else if (length - at < GRPC_PREFIX_LENGTH) {
        at = length;
      } else {
        const messageLength = hinted ?? length - at - GRPC_PREFIX_LENGTH;
        hinted = undefined;
        out.set(encodeGrpcPrefix({ compressed: false, length: messageLength }), at);
        at += GRPC_PREFIX_LENGTH;
        left = messageLength;
      }
    }
    messageLeft.set(streamId, left);
    return out;
  };

  const encodeFrames = (f: Frame, hint?: EncodeHint): WireFrame[] => {
    switch (f.type) {
      case 'SETTINGS': {
        if (f.ack) return [{ type: 'SETTINGS', ack: true, settings: [] }];
        const out: WireFrame[] = [{ type: 'SETTINGS', ack: false, settings: grpcInitialSettings(side, opts) }];
        const increment = settingsSent ? undefined : grpcInitialConnWindowIncrement(opts);
        if (increment !== undefined) out.push({ type: 'WINDOW_UPDATE', streamId: 0, increment });
        settingsSent = true;
        return out;
      }
      case 'PING':
        return [{ type: 'PING', ack: f.ack, opaqueData: pingPayload(f.payload) }];
      case 'HEADERS': {
        const block = encoder.encode(headerList(f.kind, f.streamId));
        if (f.kind === 'response') responded.add(f.streamId);
        if (f.endStream) {
          responded.delete(f.streamId);
          messageLeft.delete(f.streamId);
        }
        return headerBlockFrames(f.streamId, block, f.endStream, maxFrameSize);
      }
      case 'DATA': {
        const data = dataPayload(f.streamId, f.length, hint);
        if (f.endStream) messageLeft.delete(f.streamId);
        return [{ type: 'DATA', streamId: f.streamId, endStream: f.endStream, data }];
      }
      case 'RST_STREAM':
        responded.delete(f.streamId);
        messageLeft.delete(f.streamId);
        return [{ type: 'RST_STREAM', streamId: f.streamId, errorCode: SIM_ERROR_CODES[f.code] }];
      case 'GOAWAY':
        return [{ type: 'GOAWAY', lastStreamId: f.lastStreamId, errorCode: SIM_ERROR_CODES[f.code], debugData: new TextEncoder().encode(f.debugData) }];
      case 'WINDOW_UPDATE':
        return [{ type: 'WINDOW_UPDATE', streamId: f.streamId, increment: f.increment }];
      default:
        return assertNever(f);
    }
  };

  return {
    side,
    encodeFrames,
    headerList,
    encode: (f, hint) => {
      const bytes = encodeFrames(f, hint).map(encodeFrame);
      if (prefacePending && f.type === 'SETTINGS' && !f.ack) {
        prefacePending = false;
        return concatBytes([CLIENT_PREFACE, ...bytes]);
      }
      return concatBytes(bytes);
    },
  };
};
