/** Byte-exact encodings, partial input, runs of frames, the preface, and ignored bits (RFC 9113). */
import { describe, expect, it } from 'vitest';
import {
  CLIENT_PREFACE,
  decodeFrame,
  decodeFrames,
  encodeFrame,
  startsWithPreface,
  type WireFrame,
} from '../../src/wire/frame-codec.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.split(/\s+/).filter(Boolean), (b) => parseInt(b, 16));
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

const decodeOne = (bytes: Uint8Array): WireFrame => {
  const r = decodeFrame(bytes);
  if ('needMore' in r) throw new Error(`needMore ${r.needMore}`);
  expect(r.bytesRead).toBe(bytes.length);
  return r.frame;
};

describe('known encodings (section 4.1 header + section 6 payloads)', () => {
  const cases: readonly { name: string; frame: WireFrame; wire: string }[] = [
    {
      name: 'PING ack with 8 zero octets (6.7)',
      frame: { type: 'PING', ack: true, opaqueData: new Uint8Array(8) },
      wire: '00 00 08 06 01 00 00 00 00  00 00 00 00 00 00 00 00',
    },
    { name: 'SETTINGS ack (6.5)', frame: { type: 'SETTINGS', ack: true, settings: [] }, wire: '00 00 00 04 01 00 00 00 00' },
    {
      name: 'SETTINGS with ENABLE_PUSH=0, INITIAL_WINDOW_SIZE=65535',
      frame: { type: 'SETTINGS', ack: false, settings: [{ id: 2, value: 0 }, { id: 4, value: 65535 }] },
      wire: '00 00 0c 04 00 00 00 00 00  00 02 00 00 00 00  00 04 00 00 ff ff',
    },
    {
      name: 'GOAWAY last=3 ENHANCE_YOUR_CALM debug "too_many_pings"',
      frame: { type: 'GOAWAY', lastStreamId: 3, errorCode: 0xb, debugData: new TextEncoder().encode('too_many_pings') },
      wire: '00 00 16 07 00 00 00 00 00  00 00 00 03 00 00 00 0b  74 6f 6f 5f 6d 61 6e 79 5f 70 69 6e 67 73',
    },
    {
      name: 'WINDOW_UPDATE connection +65535 (6.9)',
      frame: { type: 'WINDOW_UPDATE', streamId: 0, increment: 65535 },
      wire: '00 00 04 08 00 00 00 00 00  00 00 ff ff',
    },
    {
      name: 'DATA END_STREAM|PADDED, 2 data octets, 3 pad (6.1)',
      frame: { type: 'DATA', streamId: 1, endStream: true, padLength: 3, data: hex('ab cd') },
      wire: '00 00 06 00 09 00 00 00 01  03 ab cd 00 00 00',
    },
    {
      name: 'HEADERS END_HEADERS|PRIORITY exclusive dep=1 weight=16 (6.2)',
      frame: {
        type: 'HEADERS',
        streamId: 3,
        endStream: false,
        endHeaders: true,
        priority: { exclusive: true, streamDependency: 1, weight: 16 },
        headerBlockFragment: hex('82'),
      },
      wire: '00 00 06 01 24 00 00 00 03  80 00 00 01 0f 82',
    },
    {
      name: 'RST_STREAM CANCEL (6.4)',
      frame: { type: 'RST_STREAM', streamId: 5, errorCode: 8 },
      wire: '00 00 04 03 00 00 00 00 05  00 00 00 08',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(toHex(encodeFrame(c.frame))).toBe(toHex(hex(c.wire)));
      expect(decodeOne(hex(c.wire))).toEqual(c.frame);
    });
  }
});

describe('partial input', () => {
  const ping = encodeFrame({ type: 'PING', ack: false, opaqueData: hex('01 02 03 04 05 06 07 08') });

  it('asks for the rest of the header, then the rest of the payload', () => {
    expect(decodeFrame(new Uint8Array(0))).toEqual({ needMore: 9 });
    expect(decodeFrame(ping.subarray(0, 4))).toEqual({ needMore: 5 });
    expect(decodeFrame(ping.subarray(0, 9))).toEqual({ needMore: 8 });
    expect(decodeFrame(ping.subarray(0, 16))).toEqual({ needMore: 1 });
    expect(decodeFrame(ping)).toMatchObject({ bytesRead: 17 });
  });

  it('every strict prefix of a frame gives needMore, never a frame or an error', () => {
    for (let n = 0; n < ping.length; n++) expect(decodeFrame(ping.subarray(0, n))).toEqual({ needMore: n < 9 ? 9 - n : 17 - n });
  });

  it('decodes at an offset', () => {
    const buf = new Uint8Array([0xee, 0xee, ...ping]);
    expect(decodeFrame(buf, 2)).toMatchObject({ frame: { type: 'PING', ack: false }, bytesRead: 17 });
    expect(() => decodeFrame(buf, 99)).toThrow(RangeError);
  });

  it('decodeFrames returns whole frames and the octets still missing', () => {
    const settingsAck = encodeFrame({ type: 'SETTINGS', ack: true, settings: [] });
    const buf = new Uint8Array([...settingsAck, ...ping, ...ping.subarray(0, 11)]);
    const r = decodeFrames(buf);
    expect(r.frames.map((f) => f.type)).toEqual(['SETTINGS', 'PING']);
    expect(r.bytesRead).toBe(9 + 17);
    expect(r.needMore).toBe(6);
    expect(decodeFrames(buf.subarray(0, 26))).toMatchObject({ bytesRead: 26, needMore: 0 });
  });
});

describe('connection preface (section 3.4)', () => {
  it('is the 24 octets PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n', () => {
    expect(toHex(CLIENT_PREFACE)).toBe(
      '50 52 49 20 2a 20 48 54 54 50 2f 32 2e 30 0d 0a 0d 0a 53 4d 0d 0a 0d 0a',
    );
    expect(startsWithPreface(new Uint8Array([...CLIENT_PREFACE, 0, 0, 0]))).toBe(true);
    expect(startsWithPreface(CLIENT_PREFACE.subarray(0, 23))).toBe(false);
    expect(startsWithPreface(new Uint8Array([0, ...CLIENT_PREFACE]), 1)).toBe(true);
    expect(startsWithPreface(new Uint8Array(24))).toBe(false);
  });
});

describe('bits the receiver ignores (section 4.1)', () => {
  it('masks the reserved bit of the stream id, window increment, and last stream id', () => {
    expect(decodeOne(hex('00 00 04 08 00 80 00 00 07  80 00 00 01'))).toEqual({
      type: 'WINDOW_UPDATE',
      streamId: 7,
      increment: 1,
    });
    expect(decodeOne(hex('00 00 08 07 00 00 00 00 00  80 00 00 05 00 00 00 00'))).toMatchObject({ lastStreamId: 5 });
  });

  it('ignores flags a frame type does not define', () => {
    expect(decodeOne(hex('00 00 08 06 fe 00 00 00 00  00 00 00 00 00 00 00 00'))).toMatchObject({ type: 'PING', ack: false });
    expect(decodeOne(hex('00 00 01 00 f6 00 00 00 01  aa'))).toEqual({ type: 'DATA', streamId: 1, endStream: false, data: hex('aa') });
  });

  it('decodes an unknown frame type as UNKNOWN, even on stream 0 with any flags', () => {
    expect(decodeOne(hex('00 00 02 fa ff 00 00 00 00  01 02'))).toEqual({
      type: 'UNKNOWN',
      typeCode: 0xfa,
      flags: 0xff,
      streamId: 0,
      payload: hex('01 02'),
    });
  });
});
