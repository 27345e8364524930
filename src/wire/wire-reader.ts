/**
 * Reads one direction of a connection: octets in, codec frames out, with the header blocks
 * (HEADERS/PUSH_PROMISE + CONTINUATION) reassembled and decoded by this direction's HPACK decoder,
 * and each frame mapped back to a sim Frame where one fits (see sim-mapping.ts).
 */
import type { Frame } from '../frames/frame.js';
import { decodeFrame } from './frame-decode.js';
import { FrameError } from './frame-error.js';
import type { WireSide } from './grpc-settings.js';
import { checkFieldSection, type HeaderList } from './header-list.js';
import { DEFAULT_MAX_HEADER_LIST_SIZE, createHpackDecoder, type HpackDecoderOptions } from './hpack-codec.js';
import { HpackError } from './hpack-error.js';
import { CLIENT_PREFACE } from './preface.js';
import { headerBlockToSim, wireFrameToSim, type SimMapping } from './sim-mapping.js';
import type { WireFrame } from './wire-frame.js';
import { concatBytes } from '../lib/bytes.js';

export type WireReaderOptions = HpackDecoderOptions & {
  /** Our SETTINGS_MAX_FRAME_SIZE. @default 16384 */
  readonly maxFrameSize?: number;
  /** Expect the 24-octet client preface first. @default true when the sender is the client */
  readonly preface?: boolean;
  /** Largest header block, all fragments together. @default maxHeaderListSize (16 MiB) */
  readonly maxHeaderBlockSize?: number;
};

export type WireReadItem = {
  /** Offset of the frame's first octet in all octets pushed so far (the preface counts). */
  readonly offset: number;
  readonly frame: WireFrame;
  /** On the frame that ends a header block (END_HEADERS): the decoded header list. */
  readonly headers?: HeaderList;
  readonly sim: SimMapping;
};

export type WireReader = {
  /** Whose octets these are. */
  readonly sender: WireSide;
  /**
   * Feeds octets (any split); returns the frames they complete. Throws FrameError or HpackError on
   * a connection error; the reader is then finished and every later call throws the same error.
   * A stream-level problem (a malformed field section) maps to `unmapped` with the HpackError.
   */
  readonly push: (bytes: Uint8Array) => WireReadItem[];
  /** Octets held back: an incomplete frame or preface. */
  readonly buffered: () => number;
};

type OpenBlock = {
  readonly streamId: number;
  readonly endStream: boolean;
  readonly pushPromise: boolean;
  readonly fragments: Uint8Array[];
  size: number;
};

const joinFragments = (parts: readonly Uint8Array[]): Uint8Array => concatBytes(parts);

export const createWireReader = (sender: WireSide, opts: WireReaderOptions = {}): WireReader => {
  const decoder = createHpackDecoder(opts);
  const maxBlock = opts.maxHeaderBlockSize ?? opts.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST_SIZE;
  const decodeOptions = opts.maxFrameSize === undefined ? {} : { maxFrameSize: opts.maxFrameSize };
  let prefaceLeft = (opts.preface ?? sender === 'client') ? CLIENT_PREFACE.length : 0;
  let pending: Uint8Array = new Uint8Array(0);
  let consumed = 0; // octets before `pending`
  let open: OpenBlock | undefined;
  let failed: unknown;

  const finishBlock = (b: OpenBlock): { headers: HeaderList; sim: SimMapping } => {
    const headers = decoder.decode(joinFragments(b.fragments), b.streamId);
    try {
      checkFieldSection(headers, b.streamId);
    } catch (e) {
      if (!(e instanceof HpackError)) throw e;
      return { headers, sim: { type: 'unmapped', reason: e.message, error: e } };
    }
    if (b.pushPromise) return { headers, sim: { type: 'unmapped', reason: 'PUSH_PROMISE is not simulated (gRPC never pushes)' } };
    return { headers, sim: headerBlockToSim({ streamId: b.streamId, endStream: b.endStream, headers }) };
  };

  /** Header-block bookkeeping for one frame (RFC 9113 section 6.10); the item it becomes. */
  const onFrame = (frame: WireFrame, offset: number): WireReadItem => {
    if (open !== undefined && (frame.type !== 'CONTINUATION' || frame.streamId !== open.streamId)) {
      const got = frame.type === 'CONTINUATION' ? `CONTINUATION on stream ${frame.streamId}` : frame.type;
      throw new HpackError('continuation-expected', { streamId: open.streamId, detail: `got ${got}` });
    }
    let block: OpenBlock | undefined;
    let ends = false;
    switch (frame.type) {
      case 'HEADERS':
      case 'PUSH_PROMISE':
        block = { streamId: frame.streamId, endStream: frame.type === 'HEADERS' && frame.endStream, pushPromise: frame.type === 'PUSH_PROMISE', fragments: [], size: 0 };
        ends = frame.endHeaders;
        break;
      case 'CONTINUATION':
        if (open === undefined) throw new HpackError('continuation-unexpected', { streamId: frame.streamId });
        block = open;
        ends = frame.endHeaders;
        break;
      default:
        return { offset, frame, sim: wireFrameToSim(frame) };
    }
    block.fragments.push(frame.headerBlockFragment);
    block.size += frame.headerBlockFragment.length;
    if (block.size > maxBlock) {
      throw new HpackError('header-block-too-large', { streamId: block.streamId, detail: `more than ${maxBlock} octets` });
    }
    if (!ends) {
      open = block;
      return { offset, frame, sim: { type: 'pending', reason: 'the header block continues in a CONTINUATION frame' } };
    }
    open = undefined;
    return { offset, frame, ...finishBlock(block) };
  };

  const readAll = (bytes: Uint8Array): WireReadItem[] => {
    let buf = pending.length === 0 ? bytes : concatBytes([pending, bytes]);
    if (prefaceLeft > 0) {
      const start = CLIENT_PREFACE.length - prefaceLeft;
      const n = Math.min(prefaceLeft, buf.length);
      for (let i = 0; i < n; i++) {
        if (buf[i] !== CLIENT_PREFACE[start + i]) {
          throw new FrameError('preface-invalid', { streamId: 0, detail: `octet ${start + i} is 0x${(buf[i] ?? 0).toString(16)}` });
        }
      }
      prefaceLeft -= n;
      consumed += n;
      buf = buf.subarray(n);
    }
    const items: WireReadItem[] = [];
    let at = 0;
    while (at < buf.length) {
      const r = decodeFrame(buf, at, decodeOptions);
      if ('needMore' in r) break;
      items.push(onFrame(r.frame, consumed + at));
      at += r.bytesRead;
    }
    consumed += at;
    pending = buf.slice(at);
    return items;
  };

  return {
    sender,
    buffered: () => pending.length,
    push: (bytes) => {
      if (failed !== undefined) throw failed;
      try {
        return readAll(bytes);
      } catch (e) {
        failed = e;
        throw e;
      }
    },
  };
};

/** The sim Frames among read items, in order (pending and unmapped items left out). */
export const simFrames = (items: readonly WireReadItem[]): Frame[] =>
  items.flatMap((i) => (i.sim.type === 'frame' ? [i.sim.frame] : []));
