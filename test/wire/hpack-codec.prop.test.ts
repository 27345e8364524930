/** Header lists survive encode/decode through a shared dynamic table; random blocks give a list or HpackError. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHpackDecoder, createHpackEncoder, headerListSize, HpackError, HPACK_RULE_NAMES, type HeaderList } from '../../src/wire/grpc-wire.js';

const octetString = (maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 0xff }), { maxLength }).map((a) => String.fromCharCode(...a));
/** Names and values that repeat, so the dynamic table gets hits and evictions. */
const field = fc.record({
  name: fc.oneof(fc.constantFrom(':path', 'user-agent', 'grpc-timeout', 'te', 'x-id', 'content-type'), octetString(20)),
  value: fc.oneof(fc.constantFrom('', 'trailers', 'grpc-go/1.62.0', '/a.B/C'), octetString(300)),
});
export const headerList: fc.Arbitrary<HeaderList> = fc.array(field, { maxLength: 12 });

describe('HPACK round trip', () => {
  it('a sequence of lists decodes to itself, with encoder and decoder tables in step', () => {
    fc.assert(
      fc.property(fc.array(headerList, { minLength: 1, maxLength: 6 }), fc.constantFrom(0, 256, 4096), (lists, tableSize) => {
        const e = createHpackEncoder({ tableSize });
        const d = createHpackDecoder({ tableSize });
        for (const list of lists) expect(d.decode(e.encode(list))).toEqual(list);
      }),
      { numRuns: 300 },
    );
  });

  // Distinct names, as in gRPC's lists: hpack.js stops its dynamic-table search at the newest entry
  // with a static-table name (see the SIMPLIFICATION in hpack-codec.ts), so a name twice may miss.
  it('a repeated list of distinct names encodes to at most two octets per field the second time (all indexed)', () => {
    const distinct = fc.uniqueArray(field, { maxLength: 12, selector: (f) => f.name });
    fc.assert(
      fc.property(distinct.filter((l) => headerListSize(l) <= 4096), (list) => {
        const e = createHpackEncoder();
        e.encode(list);
        expect(e.encode(list).length).toBeLessThanOrEqual(list.length * 2);
      }),
      { numRuns: 200 },
    );
  });
});

describe('random octets as header blocks', () => {
  it('decode to a list within the caps, or throw an HpackError naming a known rule', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { minLength: 1, maxLength: 3 }), (blocks) => {
        const d = createHpackDecoder({ maxHeaderListSize: 8192, maxHeaderCount: 50 });
        try {
          for (const b of blocks) {
            const list = d.decode(b);
            expect(headerListSize(list)).toBeLessThanOrEqual(8192);
            expect(list.length).toBeLessThanOrEqual(50);
          }
        } catch (e) {
          if (!(e instanceof HpackError)) throw e;
          expect(HPACK_RULE_NAMES).toContain(e.rule);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
