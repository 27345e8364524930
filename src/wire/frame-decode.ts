import { assertNever } from '../lib/assert-never.js';
import { FrameError } from './frame-error.js';
import type { ErrorScope } from './frame-rule.js';
import {
  DEFAULT_MAX_FRAME_SIZE,
  FRAME_HEADER_LENGTH,
  MAX_FRAME_LENGTH_FIELD,
  MAX_STREAM_ID,
  readFrameHeader,
  type FrameHeader,
} from './frame-header.js';
import { decodeSettings } from './settings-payload.js';
import { FLAGS, knownFrameType, type PrioritySpec, type WireFrame } from './wire-frame.js';

export type DecodeFrameOptions = {
  /**
   * Our SETTINGS_MAX_FRAME_SIZE: larger frames are rejected with 'frame-too-large' as soon as
   * their header is read. Must lie in 2^14..2^24-1.
   * @default 16384
   */
  readonly maxFrameSize?: number;
};

/**
 * A decoded frame and the octets it took, or `needMore`: how many more octets are needed before
 * anything can be decoded (to finish the 9-octet header, or the whole frame once its length is known).
 */
export type DecodeFrameResult =
  | { readonly frame: WireFrame; readonly bytesRead: number }
  | { readonly needMore: number };

/**
 * Section 4.2: a size error is a connection error for frames that carry a field block, SETTINGS,
 * and anything on stream 0; otherwise we report it as a stream error.
 */
const sizeErrorScope = (h: FrameHeader): ErrorScope => {
  const type = knownFrameType(h.typeCode);
  const connectionWide = type === 'HEADERS' || type === 'PUSH_PROMISE' || type === 'CONTINUATION' || type === 'SETTINGS';
  return connectionWide || h.streamId === 0 ? 'connection' : 'stream';
};

const has = (h: FrameHeader, bit: number): boolean => (h.flags & bit) !== 0;

/** Reads an optional Pad Length octet; returns it and the payload end once padding is removed. */
const readPadding = (
  h: FrameHeader,
  view: DataView,
  fixedAfterPad: number,
  section: string,
): { readonly padLength?: number; readonly start: number; readonly end: number } => {
  if (!has(h, FLAGS.PADDED)) {
    if (view.byteLength < fixedAfterPad) {
      throw new FrameError('frame-too-short', { streamId: h.streamId, scope: sizeErrorScope(h), detail: `length ${view.byteLength}` });
    }
    return { start: 0, end: view.byteLength };
  }
  if (view.byteLength < 1 + fixedAfterPad) {
    throw new FrameError('frame-too-short', { streamId: h.streamId, scope: sizeErrorScope(h), detail: `length ${view.byteLength}` });
  }
  const padLength = view.getUint8(0);
  if (padLength > view.byteLength - 1 - fixedAfterPad) {
    throw new FrameError('padding-too-long', { streamId: h.streamId, section, detail: `pad length ${padLength}, payload ${view.byteLength}` });
  }
  return { padLength, start: 1, end: view.byteLength - padLength };
};

const readPriority = (h: FrameHeader, view: DataView, at: number): PrioritySpec => {
  const word = view.getUint32(at);
  const spec = { exclusive: word >>> 31 === 1, streamDependency: word & MAX_STREAM_ID, weight: view.getUint8(at + 4) + 1 };
  if (spec.streamDependency === h.streamId) {
    throw new FrameError('priority-self-dependency', { streamId: h.streamId });
  }
  return spec;
};

const requireStream = (h: FrameHeader, rule: 'data-on-stream-0' | 'headers-on-stream-0' | 'priority-on-stream-0' | 'rst-on-stream-0' | 'push-promise-on-stream-0' | 'continuation-on-stream-0'): void => {
  if (h.streamId === 0) throw new FrameError(rule, { streamId: 0 });
};

const requireStream0 = (h: FrameHeader, rule: 'settings-on-stream' | 'ping-on-stream' | 'goaway-on-stream'): void => {
  if (h.streamId !== 0) throw new FrameError(rule, { streamId: h.streamId });
};

const lengthError = (
  h: FrameHeader,
  rule: 'priority-length' | 'rst-stream-length' | 'ping-length' | 'goaway-length' | 'window-update-length',
): FrameError => new FrameError(rule, { streamId: h.streamId, detail: `length ${h.length}` });

/** Decodes a payload whose length already passed the frame-size check. Checks stream ids before lengths. */
const decodePayload = (h: FrameHeader, payload: Uint8Array): WireFrame => {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const type = knownFrameType(h.typeCode);
  const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
    (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
  switch (type) {
    case undefined:
      // Section 4.1: "Implementations MUST ignore and discard frames of unknown types."
      return { type: 'UNKNOWN', typeCode: h.typeCode, flags: h.flags, streamId: h.streamId, payload: payload.slice() };
    case 'DATA': {
      requireStream(h, 'data-on-stream-0');
      const pad = readPadding(h, view, 0, '6.1');
      return {
        type: 'DATA',
        streamId: h.streamId,
        endStream: has(h, FLAGS.END_STREAM),
        ...opt('padLength', pad.padLength),
        data: payload.slice(pad.start, pad.end),
      };
    }
    case 'HEADERS': {
      requireStream(h, 'headers-on-stream-0');
      const withPriority = has(h, FLAGS.PRIORITY);
      const pad = readPadding(h, view, withPriority ? 5 : 0, '6.2');
      const priority = withPriority ? readPriority(h, view, pad.start) : undefined;
      return {
        type: 'HEADERS',
        streamId: h.streamId,
        endStream: has(h, FLAGS.END_STREAM),
        endHeaders: has(h, FLAGS.END_HEADERS),
        ...opt('padLength', pad.padLength),
        ...opt('priority', priority),
        headerBlockFragment: payload.slice(pad.start + (withPriority ? 5 : 0), pad.end),
      };
    }
    case 'PRIORITY':
      requireStream(h, 'priority-on-stream-0');
      if (h.length !== 5) throw lengthError(h, 'priority-length');
      return { type: 'PRIORITY', streamId: h.streamId, ...readPriority(h, view, 0) };
    case 'RST_STREAM':
      requireStream(h, 'rst-on-stream-0');
      if (h.length !== 4) throw lengthError(h, 'rst-stream-length');
      return { type: 'RST_STREAM', streamId: h.streamId, errorCode: view.getUint32(0) };
    case 'SETTINGS':
      requireStream0(h, 'settings-on-stream');
      return decodeSettings(has(h, FLAGS.ACK), view);
    case 'PUSH_PROMISE': {
      requireStream(h, 'push-promise-on-stream-0');
      const pad = readPadding(h, view, 4, '6.6');
      return {
        type: 'PUSH_PROMISE',
        streamId: h.streamId,
        endHeaders: has(h, FLAGS.END_HEADERS),
        ...opt('padLength', pad.padLength),
        promisedStreamId: view.getUint32(pad.start) & MAX_STREAM_ID,
        headerBlockFragment: payload.slice(pad.start + 4, pad.end),
      };
    }
    case 'PING':
      requireStream0(h, 'ping-on-stream');
      if (h.length !== 8) throw lengthError(h, 'ping-length');
      return { type: 'PING', ack: has(h, FLAGS.ACK), opaqueData: payload.slice() };
    case 'GOAWAY':
      requireStream0(h, 'goaway-on-stream');
      if (h.length < 8) throw lengthError(h, 'goaway-length');
      return {
        type: 'GOAWAY',
        lastStreamId: view.getUint32(0) & MAX_STREAM_ID,
        errorCode: view.getUint32(4),
        debugData: payload.slice(8),
      };
    case 'WINDOW_UPDATE': {
      if (h.length !== 4) throw lengthError(h, 'window-update-length');
      const increment = view.getUint32(0) & MAX_STREAM_ID;
      if (increment === 0) {
        // Section 6.9: a connection error on stream 0, a stream error on any other stream.
        throw new FrameError('window-update-zero-increment', {
          streamId: h.streamId,
          scope: h.streamId === 0 ? 'connection' : 'stream',
        });
      }
      return { type: 'WINDOW_UPDATE', streamId: h.streamId, increment };
    }
    case 'CONTINUATION':
      requireStream(h, 'continuation-on-stream-0');
      return { type: 'CONTINUATION', streamId: h.streamId, endHeaders: has(h, FLAGS.END_HEADERS), headerBlockFragment: payload.slice() };
    default:
      return assertNever(type);
  }
};

/**
 * Decodes the frame starting at `offset`. Throws FrameError when the frame breaks an RFC 9113
 * section 4/6 rule, RangeError for a bad `offset` or `maxFrameSize`. Flags a frame type does not
 * define, and reserved bits, are ignored. Returned byte fields are copies, not views of `bytes`.
 */
export const decodeFrame = (bytes: Uint8Array, offset = 0, options: DecodeFrameOptions = {}): DecodeFrameResult => {
  const maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
  if (!Number.isInteger(maxFrameSize) || maxFrameSize < DEFAULT_MAX_FRAME_SIZE || maxFrameSize > MAX_FRAME_LENGTH_FIELD) {
    throw new RangeError(`maxFrameSize must be an integer in ${DEFAULT_MAX_FRAME_SIZE}..${MAX_FRAME_LENGTH_FIELD}, got ${maxFrameSize}`);
  }
  if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new RangeError(`offset must be an integer in 0..${bytes.length}, got ${offset}`);
  }
  const available = bytes.length - offset;
  if (available < FRAME_HEADER_LENGTH) return { needMore: FRAME_HEADER_LENGTH - available };
  const header = readFrameHeader(bytes, offset);
  if (header.length > maxFrameSize) {
    throw new FrameError('frame-too-large', {
      streamId: header.streamId,
      scope: sizeErrorScope(header),
      detail: `length ${header.length} > ${maxFrameSize}`,
    });
  }
  const total = FRAME_HEADER_LENGTH + header.length;
  if (available < total) return { needMore: total - available };
  const payload = bytes.subarray(offset + FRAME_HEADER_LENGTH, offset + total);
  return { frame: decodePayload(header, payload), bytesRead: total };
};
