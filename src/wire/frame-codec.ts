/**
 * RFC 9113 HTTP/2 frame codec: bytes <-> WireFrame, with the section 4/6 checks a receiver makes
 * on a single frame. No connection state: stream states, CONTINUATION sequencing, and flow-control
 * windows belong to the layer above.
 */
import { decodeFrame, type DecodeFrameOptions } from './frame-decode.js';
import type { WireFrame } from './wire-frame.js';

export { encodeFrame } from './frame-encode.js';
export { decodeFrame, type DecodeFrameOptions, type DecodeFrameResult } from './frame-decode.js';
export { CLIENT_PREFACE, startsWithPreface } from './preface.js';
export { FrameError } from './frame-error.js';
export { FRAME_RULES, FRAME_RULE_NAMES, type FrameRule, type ErrorScope } from './frame-rule.js';
export { FLAGS, FRAME_TYPE_CODES } from './wire-frame.js';
export type * from './wire-frame.js';

export type DecodeFramesResult = {
  /** Every whole frame, in order. */
  readonly frames: readonly WireFrame[];
  /** Octets consumed by `frames`; the rest is an incomplete frame to keep for later. */
  readonly bytesRead: number;
  /** Octets still missing for the trailing partial frame; 0 when the buffer ends on a frame boundary. */
  readonly needMore: number;
};

/** Decodes a run of back-to-back frames; throws FrameError on the first malformed one. */
export const decodeFrames = (buffer: Uint8Array, options: DecodeFrameOptions = {}): DecodeFramesResult => {
  const frames: WireFrame[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const result = decodeFrame(buffer, offset, options);
    if ('needMore' in result) return { frames, bytesRead: offset, needMore: result.needMore };
    frames.push(result.frame);
    offset += result.bytesRead; // always >= 9, so the loop ends
  }
  return { frames, bytesRead: offset, needMore: 0 };
};
