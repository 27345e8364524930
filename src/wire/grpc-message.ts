/**
 * gRPC's Length-Prefixed-Message framing (PROTOCOL-HTTP2.md): a 1-octet Compressed-Flag, a 4-octet
 * big-endian Message-Length, then the message. A message of n octets is n + 5 octets of DATA
 * payload, cut into DATA frames of at most 16384 octets (grpc-go's http2MaxFrameLen).
 */
import { DEFAULT_MAX_FRAME_SIZE } from './frame-header.js';
import type { DataFrame } from './wire-frame.js';

export const GRPC_PREFIX_LENGTH = 5;
const MAX_MESSAGE_LENGTH = 0xffff_ffff;

export type GrpcMessagePrefix = { readonly compressed: boolean; readonly length: number };

export const encodeGrpcPrefix = (p: GrpcMessagePrefix): Uint8Array => {
  if (!Number.isInteger(p.length) || p.length < 0 || p.length > MAX_MESSAGE_LENGTH) {
    throw new RangeError(`gRPC message length must be an integer in 0..${MAX_MESSAGE_LENGTH}, got ${p.length}`);
  }
  const out = new Uint8Array(GRPC_PREFIX_LENGTH);
  const view = new DataView(out.buffer);
  view.setUint8(0, p.compressed ? 1 : 0);
  view.setUint32(1, p.length);
  return out;
};

/** Reads a prefix at `offset`; undefined when fewer than 5 octets remain or the flag is not 0/1. */
export const decodeGrpcPrefix = (bytes: Uint8Array, offset = 0): GrpcMessagePrefix | undefined => {
  if (bytes.length - offset < GRPC_PREFIX_LENGTH) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, GRPC_PREFIX_LENGTH);
  const flag = view.getUint8(0);
  if (flag > 1) return undefined;
  return { compressed: flag === 1, length: view.getUint32(1) };
};

/** Prefix + message octets: the DATA payload one message becomes. */
export const grpcMessagePayload = (message: Uint8Array, compressed = false): Uint8Array => {
  const out = new Uint8Array(GRPC_PREFIX_LENGTH + message.length);
  out.set(encodeGrpcPrefix({ compressed, length: message.length }));
  out.set(message, GRPC_PREFIX_LENGTH);
  return out;
};

/**
 * The DATA frames that carry one message: cut every `maxFrameSize` octets, END_STREAM on the last
 * when `endStream`.
 */
export const grpcMessageFrames = (
  streamId: number,
  message: Uint8Array,
  options: { readonly endStream?: boolean; readonly compressed?: boolean; readonly maxFrameSize?: number } = {},
): DataFrame[] => {
  const payload = grpcMessagePayload(message, options.compressed ?? false);
  const max = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
  const frames: DataFrame[] = [];
  for (let at = 0; at < payload.length; at += max) {
    const data = payload.subarray(at, Math.min(at + max, payload.length));
    frames.push({ type: 'DATA', streamId, endStream: (options.endStream ?? false) && at + max >= payload.length, data });
  }
  return frames;
};
