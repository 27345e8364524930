/** HPACK through hpack.js: RFC 7541 Appendix C vectors, Go's indexing policy, and typed errors for bad blocks. */
import { describe, expect, it } from 'vitest';
import { createHpackDecoder, createHpackEncoder, huffmanLength, HpackError, type HeaderList } from '../../src/wire/grpc-wire.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

const C4_1: HeaderList = [
  { name: ':method', value: 'GET' },
  { name: ':scheme', value: 'http' },
  { name: ':path', value: '/' },
  { name: ':authority', value: 'www.example.com' },
];
const C4_2: HeaderList = [...C4_1.slice(0, 3), { name: ':authority', value: 'www.example.com' }, { name: 'cache-control', value: 'no-cache' }];

const decodeError = (blocks: readonly Uint8Array[], options = {}): HpackError => {
  const d = createHpackDecoder(options);
  try {
    for (const b of blocks) d.decode(b, 1);
  } catch (e) {
    if (e instanceof HpackError) return e;
    throw e;
  }
  throw new Error('expected an HpackError');
};

describe('RFC 7541 Appendix C.4: requests with Huffman coding, one encoder and one decoder', () => {
  it('encodes C.4.1 and C.4.2 byte for byte (second block reuses the dynamic table)', () => {
    const e = createHpackEncoder();
    expect(toHex(e.encode(C4_1))).toBe('828684418cf1e3c2e5f23a6ba0ab90f4ff');
    expect(toHex(e.encode(C4_2))).toBe('828684be5886a8eb10649cbf');
  });
  it('decodes them back in order', () => {
    const d = createHpackDecoder();
    expect(d.decode(hex('828684418cf1e3c2e5f23a6ba0ab90f4ff'))).toEqual(C4_1);
    expect(d.decode(hex('828684be5886a8eb10649cbf'))).toEqual(C4_2);
  });
});

describe('Go hpack.Encoder policy', () => {
  it('uses Huffman only when shorter: "a" stays raw, "www.example.com" is coded', () => {
    expect(huffmanLength('www.example.com')).toBe(12);
    expect(huffmanLength('{')).toBe(2); // 15-bit code
    // 0x40 literal-with-indexing, new name; 0x01 'x' raw (Huffman would also be 1 octet: not shorter).
    expect(toHex(createHpackEncoder().encode([{ name: 'x', value: '{' }]))).toBe('4001780' + '17b');
  });
  it('does not index a field larger than the table (a literal without indexing, table untouched)', () => {
    const e = createHpackEncoder({ tableSize: 64 });
    const big = { name: 'k', value: 'v'.repeat(40) }; // 1 + 40 + 32 = 73 > 64
    expect(e.encode([big])[0]).toBe(0x00);
    const d = createHpackDecoder({ tableSize: 64 });
    expect(d.decode(e.encode([big, { name: 'k', value: 'v' }, { name: 'k', value: 'v' }]))).toHaveLength(3);
  });
  it('rejects characters that are not octets', () => {
    expect(() => createHpackEncoder().encode([{ name: 'x', value: 'π' }])).toThrow(RangeError);
  });
});

describe('malformed blocks give HpackError compression-error (COMPRESSION_ERROR, connection)', () => {
  const cases: readonly [string, string][] = [
    ['indexed field 0', '80'],
    ['index past the tables (62 with an empty dynamic table)', 'be'],
    ['table size update above SETTINGS_HEADER_TABLE_SIZE (4097)', '3fe21f'],
    ['string length past the block', '4005616263'],
    ['integer that never ends', '7fffffff'],
    ['Huffman string with a non-EOS padding', '4081fe0161'],
  ];
  for (const [what, block] of cases) {
    it(what, () => {
      const e = decodeError([hex(block)]);
      expect([e.rule, e.errorName, e.errorCode, e.scope]).toEqual(['compression-error', 'COMPRESSION_ERROR', 9, 'connection']);
      expect(e.message).toContain('RFC 9113 section 4.3');
    });
  }
  it('after an error the decoder stays broken: the dynamic table is lost', () => {
    const d = createHpackDecoder();
    expect(() => d.decode(hex('80'))).toThrow(HpackError);
    expect(() => d.decode(hex('82'))).toThrow(/compression-error/);
  });
});

describe('header-list bombs stop mid-block', () => {
  // One 4000-octet entry in the dynamic table, then 1-octet references to it (index 62 = 0xbe).
  const entry = createHpackEncoder().encode([{ name: 'b', value: 'x'.repeat(3960) }]);
  it('header-list-too-large once the RFC 9113 size passes the cap', () => {
    const refs = new Uint8Array(100).fill(0xbe);
    const e = decodeError([entry, refs], { maxHeaderListSize: 64 * 1024 });
    expect([e.rule, e.streamId]).toEqual(['header-list-too-large', 1]);
    // Each reference counts 1 + 3960 + 32 = 3993: 16 fit in 64 KiB (63888), 17 do not.
    const d = createHpackDecoder({ maxHeaderListSize: 64 * 1024 });
    d.decode(entry);
    expect(d.decode(new Uint8Array(16).fill(0xbe))).toHaveLength(16);
    expect(decodeError([entry, new Uint8Array(17).fill(0xbe)], { maxHeaderListSize: 64 * 1024 }).rule).toBe('header-list-too-large');
  });
  it('too-many-headers past maxHeaderCount, even for small fields', () => {
    expect(decodeError([new Uint8Array(11).fill(0x82)], { maxHeaderCount: 10 }).rule).toBe('too-many-headers');
    expect(createHpackDecoder({ maxHeaderCount: 10 }).decode(new Uint8Array(10).fill(0x82))).toHaveLength(10);
  });
});
