/** The 9-octet frame header (RFC 9113 section 4.1) and raw frame assembly. */

export const FRAME_HEADER_LENGTH = 9;
/** Largest length the 24-bit length field can hold. */
export const MAX_FRAME_LENGTH_FIELD = 0xff_ffff;
/** Initial and minimum SETTINGS_MAX_FRAME_SIZE (section 6.5.2). */
export const DEFAULT_MAX_FRAME_SIZE = 0x4000;
export const MAX_STREAM_ID = 0x7fff_ffff;

export type FrameHeader = {
  readonly length: number;
  readonly typeCode: number;
  readonly flags: number;
  /** Reserved bit masked off (section 4.1: "MUST be ignored when receiving"). */
  readonly streamId: number;
};

/** Reads a header at `offset`; the caller guarantees 9 octets are present. */
export const readFrameHeader = (bytes: Uint8Array, offset: number): FrameHeader => {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, FRAME_HEADER_LENGTH);
  return {
    length: (view.getUint8(0) << 16) | view.getUint16(1),
    typeCode: view.getUint8(3),
    flags: view.getUint8(4),
    streamId: view.getUint32(5) & MAX_STREAM_ID,
  };
};

export const checkUint = (name: string, value: number, max: number): void => {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in 0..${max}, got ${value}`);
  }
};

/** Builds header + payload. Checks only that each field fits its wire width. */
export const encodeRawFrame = (typeCode: number, flags: number, streamId: number, payload: Uint8Array): Uint8Array => {
  checkUint('frame type', typeCode, 0xff);
  checkUint('flags', flags, 0xff);
  checkUint('stream id', streamId, MAX_STREAM_ID);
  checkUint('payload length', payload.length, MAX_FRAME_LENGTH_FIELD);
  const out = new Uint8Array(FRAME_HEADER_LENGTH + payload.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, payload.length >>> 16);
  view.setUint16(1, payload.length & 0xffff);
  view.setUint8(3, typeCode);
  view.setUint8(4, flags);
  view.setUint32(5, streamId);
  out.set(payload, FRAME_HEADER_LENGTH);
  return out;
};
