import { assertNever } from '../lib/assert-never.js';
import { MAX_STREAM_ID, checkUint, encodeRawFrame } from './frame-header.js';
import { FLAGS, FRAME_TYPE_CODES, knownFrameType, type PrioritySpec, type WireFrame } from './wire-frame.js';
import { concatBytes } from '../lib/bytes.js';

const U32 = 0xffff_ffff;

const u8 = (name: string, value: number): Uint8Array => {
  checkUint(name, value, 0xff);
  return Uint8Array.of(value);
};

const u32 = (name: string, value: number, max = U32): Uint8Array => {
  checkUint(name, value, max);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
};

const priorityFields = (p: PrioritySpec): Uint8Array => {
  checkUint('stream dependency', p.streamDependency, MAX_STREAM_ID);
  if (!Number.isInteger(p.weight) || p.weight < 1 || p.weight > 256) {
    throw new RangeError(`weight must be an integer in 1..256, got ${p.weight}`);
  }
  const out = new Uint8Array(5);
  const view = new DataView(out.buffer);
  view.setUint32(0, (p.exclusive ? 0x8000_0000 : 0) + p.streamDependency);
  view.setUint8(4, p.weight - 1);
  return out;
};

/** Pad Length octet before, zero padding after (section 6.1, 6.2, 6.6). */
const padded = (padLength: number | undefined, body: readonly Uint8Array[]): Uint8Array =>
  padLength === undefined ? concatBytes(body) : concatBytes([u8('pad length', padLength), ...body, new Uint8Array(padLength)]);

const flag = (on: boolean, bit: number): number => (on ? bit : 0);

/**
 * Encodes one frame, header included. Throws RangeError when a field does not fit its wire width
 * (stream ids 31 bits, weight 1..256, PING data exactly 8 octets, payload under 2^24). It does NOT
 * enforce the section 6 rules that decodeFrame checks (e.g. DATA on stream 0 encodes fine), nor the
 * peer's SETTINGS_MAX_FRAME_SIZE, so tests can build malformed frames with it.
 */
export const encodeFrame = (f: WireFrame): Uint8Array => {
  switch (f.type) {
    case 'DATA':
      return encodeRawFrame(
        FRAME_TYPE_CODES.DATA,
        flag(f.endStream, FLAGS.END_STREAM) | flag(f.padLength !== undefined, FLAGS.PADDED),
        f.streamId,
        padded(f.padLength, [f.data]),
      );
    case 'HEADERS':
      return encodeRawFrame(
        FRAME_TYPE_CODES.HEADERS,
        flag(f.endStream, FLAGS.END_STREAM) |
          flag(f.endHeaders, FLAGS.END_HEADERS) |
          flag(f.padLength !== undefined, FLAGS.PADDED) |
          flag(f.priority !== undefined, FLAGS.PRIORITY),
        f.streamId,
        padded(f.padLength, [
          ...(f.priority === undefined ? [] : [priorityFields(f.priority)]),
          f.headerBlockFragment,
        ]),
      );
    case 'PRIORITY':
      return encodeRawFrame(FRAME_TYPE_CODES.PRIORITY, 0, f.streamId, priorityFields(f));
    case 'RST_STREAM':
      return encodeRawFrame(FRAME_TYPE_CODES.RST_STREAM, 0, f.streamId, u32('error code', f.errorCode));
    case 'SETTINGS': {
      const payload = new Uint8Array(6 * f.settings.length);
      const view = new DataView(payload.buffer);
      f.settings.forEach((s, i) => {
        checkUint('setting id', s.id, 0xffff);
        checkUint('setting value', s.value, U32);
        view.setUint16(6 * i, s.id);
        view.setUint32(6 * i + 2, s.value);
      });
      return encodeRawFrame(FRAME_TYPE_CODES.SETTINGS, flag(f.ack, FLAGS.ACK), 0, payload);
    }
    case 'PUSH_PROMISE':
      return encodeRawFrame(
        FRAME_TYPE_CODES.PUSH_PROMISE,
        flag(f.endHeaders, FLAGS.END_HEADERS) | flag(f.padLength !== undefined, FLAGS.PADDED),
        f.streamId,
        padded(f.padLength, [u32('promised stream id', f.promisedStreamId, MAX_STREAM_ID), f.headerBlockFragment]),
      );
    case 'PING':
      if (f.opaqueData.length !== 8) throw new RangeError(`PING opaque data must be 8 octets, got ${f.opaqueData.length}`);
      return encodeRawFrame(FRAME_TYPE_CODES.PING, flag(f.ack, FLAGS.ACK), 0, f.opaqueData);
    case 'GOAWAY':
      return encodeRawFrame(
        FRAME_TYPE_CODES.GOAWAY,
        0,
        0,
        concatBytes([u32('last stream id', f.lastStreamId, MAX_STREAM_ID), u32('error code', f.errorCode), f.debugData]),
      );
    case 'WINDOW_UPDATE':
      return encodeRawFrame(FRAME_TYPE_CODES.WINDOW_UPDATE, 0, f.streamId, u32('window increment', f.increment, MAX_STREAM_ID));
    case 'CONTINUATION':
      return encodeRawFrame(FRAME_TYPE_CODES.CONTINUATION, flag(f.endHeaders, FLAGS.END_HEADERS), f.streamId, f.headerBlockFragment);
    case 'UNKNOWN':
      if (knownFrameType(f.typeCode) !== undefined) {
        throw new RangeError(`UNKNOWN frame has the type code of ${knownFrameType(f.typeCode)} (${f.typeCode})`);
      }
      return encodeRawFrame(f.typeCode, f.flags, f.streamId, f.payload);
    default:
      return assertNever(f);
  }
};
