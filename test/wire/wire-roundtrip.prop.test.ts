/**
 * Writer then reader is the identity on sim Frames, for every kind, on either side, however the
 * octets are split, with the HPACK dynamic table carried across frames in each direction.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/frames/frame.js';
import { decodeFrames } from '../../src/wire/frame-codec.js';
import { CLIENT_PREFACE } from '../../src/wire/preface.js';
import { createWireReader, createWireWriter, simFrames } from '../../src/wire/grpc-wire.js';
import { SIM_FRAME_ARBITRARIES, simFrame } from './sim-frame-arbitraries.js';

const side = fc.constantFrom('client' as const, 'server' as const);
const FIRST: Frame = { type: 'SETTINGS', ack: false };

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};

describe('createWireReader(createWireWriter(frames)) gives the frames back', () => {
  for (const [type, arb] of Object.entries(SIM_FRAME_ARBITRARIES)) {
    it(`for ${type} frames, one push per frame`, () => {
      fc.assert(
        fc.property(side, fc.array(arb as fc.Arbitrary<Frame>, { minLength: 1, maxLength: 8 }), (s, frames) => {
          const w = createWireWriter(s);
          const r = createWireReader(s);
          const all = [FIRST, ...frames];
          for (const f of all) expect(simFrames(r.push(w.encode(f)))).toEqual([f]);
          expect(r.buffered()).toBe(0);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('for mixed runs split at arbitrary points', () => {
    fc.assert(
      fc.property(side, fc.array(simFrame, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 6 }), (s, frames, cuts) => {
        const w = createWireWriter(s);
        const all = [FIRST, ...frames];
        const bytes = concat(all.map((f) => w.encode(f)));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const r = createWireReader(s);
        const got: Frame[] = [];
        let from = 0;
        for (const p of [...points, bytes.length]) {
          got.push(...simFrames(r.push(bytes.subarray(from, p))));
          from = p;
        }
        expect(got).toEqual(all);
        // The codec alone reads the same octets as well-formed frames, one or more per sim frame.
        const body = s === 'client' ? bytes.subarray(CLIENT_PREFACE.length) : bytes;
        expect(decodeFrames(body)).toMatchObject({ bytesRead: body.length, needMore: 0 });
      }),
      { numRuns: 200 },
    );
  });
});
