/**
 * The network sizes frames with each side's wire writer; the fast `size` path must agree with the
 * octets the writer produces, frame after frame, whatever the HPACK state.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { createFrameWire } from '../../src/sim/frame-wire.js';
import { createWireWriter } from '../../src/wire/wire-writer.js';
import { simFrame } from '../wire/sim-frame-arbitraries.js';

describe('frame sizes on the wire', () => {
  test.prop([fc.constantFrom('client' as const, 'server' as const), fc.array(simFrame, { maxLength: 40 })], { numRuns: 300 })(
    'size(f) equals the length of the octets a twin writer produces, for any sequence of frames',
    (side, frames) => {
      const sized = createFrameWire(createWireWriter(side));
      const twin = createWireWriter(side);
      for (const f of frames) expect(sized.size(f)).toBe(twin.encode(f).length);
    },
  );
  test.prop([fc.constantFrom('client' as const, 'server' as const)], { numRuns: 2 })('a second identical request costs fewer octets than the first (the dynamic table)', (side) => {
    const w = createFrameWire(createWireWriter(side));
    const req = { type: 'HEADERS', streamId: 1, endStream: false, kind: 'request' } as const;
    const first = w.size(req);
    expect(w.size({ ...req, streamId: 3 })).toBeLessThan(first);
  });
});
