import { DEFAULT_MAX_FRAME_SIZE } from './frame-header.js';
import type { ContinuationFrame, HeadersFrame } from './wire-frame.js';

/**
 * A header block as HEADERS followed by CONTINUATION frames when it is longer than `maxFrameSize`
 * (RFC 9113 section 4.3, 6.10); END_HEADERS on the last, END_STREAM on the HEADERS frame. grpc-go's
 * loopy writer cuts at http2MaxFrameLen (16384) whatever the peer allows, hence the default.
 */
export const headerBlockFrames = (
  streamId: number,
  block: Uint8Array,
  endStream: boolean,
  maxFrameSize = DEFAULT_MAX_FRAME_SIZE,
): [HeadersFrame, ...ContinuationFrame[]] => {
  const first = block.subarray(0, maxFrameSize);
  const head: HeadersFrame = { type: 'HEADERS', streamId, endStream, endHeaders: block.length <= maxFrameSize, headerBlockFragment: first };
  const rest: ContinuationFrame[] = [];
  for (let at = maxFrameSize; at < block.length; at += maxFrameSize) {
    const end = Math.min(at + maxFrameSize, block.length);
    rest.push({ type: 'CONTINUATION', streamId, endHeaders: end === block.length, headerBlockFragment: block.subarray(at, end) });
  }
  return [head, ...rest];
};
