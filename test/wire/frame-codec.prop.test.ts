/**
 * Properties of the RFC 9113 frame codec: encode/decode round-trips for every frame type, runs of
 * frames split anywhere, and fuzzing with arbitrary octets. A failure prints fast-check's seed/path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAME_RULE_NAMES, FrameError, decodeFrame, decodeFrames, encodeFrame } from '../../src/wire/frame-codec.js';
import { FRAME_ARBITRARIES, wireFrame } from './wire-frame-arbitraries.js';

const ROUND_TRIP_RUNS = 300;
const FUZZ_RUNS = 2000;

describe('decodeFrame(encodeFrame(f)) equals f', () => {
  for (const [type, arb] of Object.entries(FRAME_ARBITRARIES)) {
    it(`for ${type} frames`, () => {
      fc.assert(
        fc.property(arb, (f) => {
          const bytes = encodeFrame(f);
          expect(decodeFrame(bytes)).toEqual({ frame: f, bytesRead: bytes.length });
        }),
        { numRuns: ROUND_TRIP_RUNS },
      );
    });
  }
});

describe('runs of frames', () => {
  it('decodeFrames returns every frame, and a split anywhere only defers the tail', () => {
    fc.assert(
      fc.property(fc.array(wireFrame, { maxLength: 6 }), fc.nat(), (frames, cut) => {
        const encoded = frames.map(encodeFrame);
        const buf = new Uint8Array(encoded.reduce((n, b) => n + b.length, 0));
        encoded.reduce((at, b) => (buf.set(b, at), at + b.length), 0);
        expect(decodeFrames(buf)).toEqual({ frames, bytesRead: buf.length, needMore: 0 });

        const head = decodeFrames(buf.subarray(0, buf.length === 0 ? 0 : cut % (buf.length + 1)));
        const tail = decodeFrames(buf.subarray(head.bytesRead));
        expect([...head.frames, ...tail.frames]).toEqual(frames);
      }),
      { numRuns: 300 },
    );
  });
});

/** Decodes everything it can; any throw other than a known FrameError fails the property. */
const fuzzOne = (bytes: Uint8Array): void => {
  try {
    const r = decodeFrames(bytes);
    expect(r.bytesRead).toBeLessThanOrEqual(bytes.length);
    // Whatever decodes re-encodes to something that decodes to the same frame.
    for (const f of r.frames) expect(decodeFrame(encodeFrame(f))).toMatchObject({ frame: f });
  } catch (e) {
    if (!(e instanceof FrameError)) throw e;
    expect(FRAME_RULE_NAMES).toContain(e.rule);
  }
};

describe('fuzz: never throws anything but FrameError, always terminates', () => {
  it('random octets (up to 200)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fuzzOne), { numRuns: FUZZ_RUNS });
  });

  it('well-formed headers with small lengths, any type/flags/stream and random payloads', () => {
    const frame = fc
      .record({
        typeCode: fc.integer({ min: 0, max: 11 }),
        flags: fc.integer({ min: 0, max: 0xff }),
        streamId: fc.oneof(fc.constantFrom(0, 1, 3, 0x8000_0000), fc.integer({ min: 0, max: 0xffff_ffff })),
        payload: fc.uint8Array({ maxLength: 40 }),
      })
      .map(({ typeCode, flags, streamId, payload }) => {
        const out = new Uint8Array(9 + payload.length);
        const view = new DataView(out.buffer);
        view.setUint16(1, payload.length);
        view.setUint8(3, typeCode);
        view.setUint8(4, flags);
        view.setUint32(5, streamId);
        out.set(payload, 9);
        return out;
      });
    fc.assert(
      fc.property(fc.array(frame, { minLength: 1, maxLength: 4 }), (frames) => {
        fuzzOne(new Uint8Array(frames.flatMap((f) => [...f])));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
