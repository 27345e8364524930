import fc from 'fast-check';
import { HpackError, checkFieldSection, createHpackDecoder, createHpackEncoder, headerListSize, type HeaderList } from '../../src/wire/grpc-wire.js';
import type { FuzzTarget } from '../target.js';

const MAX_LIST = 16 * 1024;
const MAX_COUNT = 200;

const octets = (max: number): fc.Arbitrary<string> => fc.array(fc.integer({ min: 0, max: 0xff }), { maxLength: max }).map((a) => String.fromCharCode(...a));
const list: fc.Arbitrary<HeaderList> = fc.array(
  fc.record({
    name: fc.oneof(fc.constantFrom(':method', ':path', ':status', 'content-type', 'user-agent', 'te', 'grpc-status', 'grpc-message'), octets(12)),
    value: fc.oneof(fc.constantFrom('POST', '200', 'application/grpc', 'trailers', '0', ''), octets(60)),
  }),
  { maxLength: 10 },
);

/** Valid blocks from one encoder (so later blocks use the dynamic table). */
const validBlocks = fc.array(list, { minLength: 1, maxLength: 4 }).map((lists) => {
  const e = createHpackEncoder();
  return lists.map((l) => e.encode(l));
});

const mutateBlock = (b: Uint8Array, at: number, value: number, op: number): Uint8Array => {
  const a = [...b];
  const i = a.length === 0 ? 0 : at % a.length;
  if (op === 0 && a.length > 0) a[i] = value;
  else if (op === 1) a.splice(i, 0, value);
  else if (op === 2) a.splice(i, 1);
  else a.length = i;
  return Uint8Array.from(a);
};

const input: fc.Arbitrary<Uint8Array[]> = fc.oneof(
  fc.array(fc.uint8Array({ maxLength: 80 }), { minLength: 1, maxLength: 4 }),
  validBlocks,
  fc
    .tuple(validBlocks, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 4 }))
    .map(([blocks, ms]) => {
      const out = [...blocks];
      for (const [which, at, value, op] of ms) {
        const k = which % out.length;
        out[k] = mutateBlock(out[k] ?? new Uint8Array(0), at, value, op);
      }
      return out;
    }),
);

/** Each block decodes to a list within the caps that re-encodes and decodes to itself, or an HpackError. */
function check(blocks: Uint8Array[]): void {
  const d = createHpackDecoder({ maxHeaderListSize: MAX_LIST, maxHeaderCount: MAX_COUNT });
  for (const b of blocks) {
    let decoded: HeaderList;
    try {
      decoded = d.decode(b, 1);
    } catch (e) {
      if (e instanceof HpackError) return;
      throw e;
    }
    if (headerListSize(decoded) > MAX_LIST || decoded.length > MAX_COUNT) throw new Error(`decoded list is over the caps: ${decoded.length} fields`);
    const again = createHpackDecoder().decode(createHpackEncoder().encode(decoded));
    if (JSON.stringify(again) !== JSON.stringify(decoded)) throw new Error('a decoded list does not survive re-encoding');
    try {
      checkFieldSection(decoded, 1);
    } catch (e) {
      if (!(e instanceof HpackError)) throw e;
    }
  }
}

export const target: FuzzTarget<Uint8Array[]> = {
  name: 'hpack',
  description: 'random and mutated HPACK header blocks decode to a header list within the caps, or an HpackError',
  property: (onRun) =>
    fc.property(input, (blocks) => {
      onRun();
      check(blocks);
    }),
  save: (blocks) => new TextEncoder().encode(`${JSON.stringify(blocks.map((b) => [...b]))}\n`),
  load: (bytes) => (JSON.parse(new TextDecoder().decode(bytes)) as number[][]).map((a) => Uint8Array.from(a)),
  check,
};
