/**
 * The reassembler against a literal reference model that works byte by byte: any segments, in any
 * order, overlapping or not, starting before offset 0 or not, around any initial sequence number
 * (wraparound included), give the same delivered bytes, chunks (offset, bytes, time, packet),
 * counts and undelivered bytes. The reference is slow (a map of every byte) and obviously right.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { createStreamReassembler, type TcpSegment } from '../../src/capture/capture.js';
import { createSeenRanges } from '../../src/capture/seen-ranges.js';

type Seg = { readonly start: number; readonly payload: Uint8Array; readonly cut: number };

const segArb = fc.record({ start: fc.integer({ min: -6, max: 90 }), payload: fc.uint8Array({ maxLength: 14 }), cut: fc.constantFrom(0, 0, 0, 3) });

const tcp = (isn: number, s: Seg, i: number): TcpSegment => ({
  packet: i + 1,
  at: 1000 * (i + 1),
  ipVersion: 4,
  src: '10.0.0.2',
  dst: '10.0.0.1',
  srcPort: 50000,
  dstPort: 50051,
  seq: (isn + 1 + s.start) >>> 0,
  ack: 0,
  flags: { syn: false, ack: false, fin: false, rst: false, psh: false },
  window: 65535,
  payload: s.payload,
  payloadLength: s.payload.length + s.cut,
});

/** Byte by byte: first copy wins; a piece is a run of bytes first captured by one segment; delivered when contiguous from 0. */
const reference = (segs: readonly Seg[]) => {
  const seen = new Set<number>();
  const pending: { start: number; end: number; bytes: number[] }[] = [];
  const chunks: { offset: number; bytes: number[]; at: number; packet: number }[] = [];
  const counts = { dataSegments: 0, retransmissions: 0, outOfOrder: 0 };
  let expected = 0;
  segs.forEach((s, i) => {
    if (s.payload.length + s.cut === 0) return;
    counts.dataSegments++;
    if (s.start < 0) {
      counts.retransmissions++;
      return;
    }
    let fresh = 0;
    let run: (typeof pending)[number] | undefined;
    s.payload.forEach((b, k) => {
      const o = s.start + k;
      if (seen.has(o)) {
        run = undefined;
        return;
      }
      seen.add(o);
      fresh++;
      if (run !== undefined && run.end === o) {
        run.bytes.push(b);
        run.end++;
      } else {
        run = { start: o, end: o + 1, bytes: [b] };
        pending.push(run);
      }
    });
    if (fresh < s.payload.length) counts.retransmissions++;
    else if (s.start > expected) counts.outOfOrder++;
    for (let j = pending.findIndex((p) => p.start === expected); j >= 0; j = pending.findIndex((p) => p.start === expected)) {
      const [p] = pending.splice(j, 1);
      if (p === undefined) break;
      chunks.push({ offset: p.start, bytes: p.bytes, at: 1000 * (i + 1), packet: i + 1 });
      expected = p.end;
    }
  });
  return { bytes: chunks.flatMap((c) => c.bytes), chunks, counts, undeliveredBytes: pending.reduce((n, p) => n + p.end - p.start, 0) };
};

describe('stream reassembly against a byte-by-byte reference', () => {
  test.prop([fc.integer({ min: 0, max: 0xffff_ffff }), fc.array(segArb, { maxLength: 40 })], { numRuns: 400 })(
    'same bytes, chunks, counts and undelivered bytes',
    (isn, segs) => {
      const r = createStreamReassembler();
      r.push({ ...tcp(isn, { start: -1, payload: new Uint8Array(0), cut: 0 }, -1), seq: isn, flags: { syn: true, ack: false, fin: false, rst: false, psh: false } });
      segs.forEach((s, i) => r.push(tcp(isn, s, i)));
      const got = r.finish();
      const want = reference(segs);
      expect([...got.bytes]).toEqual(want.bytes);
      expect(got.chunks.map((c) => ({ offset: c.offset, bytes: [...c.bytes], at: c.at, packet: c.packet }))).toEqual(want.chunks);
      expect(got.counts).toMatchObject(want.counts);
      expect(got.undeliveredBytes).toBe(want.undeliveredBytes);
    },
  );
});

describe('seen ranges', () => {
  test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 })), { maxLength: 60 })], { numRuns: 400 })(
    'add returns exactly the offsets not added before, as ordered maximal runs',
    (adds) => {
      const ranges = createSeenRanges();
      const seen = new Set<number>();
      for (const [start, length] of adds) {
        const fresh = ranges.add(start, start + length);
        const want: number[] = [];
        for (let o = start; o < start + length; o++) if (!seen.has(o)) want.push(o);
        expect(fresh.flatMap((f) => Array.from({ length: f.end - f.start }, (_, k) => f.start + k))).toEqual(want);
        // Maximal: two runs never touch.
        fresh.forEach((f, k) => expect(f.start < f.end && (k === 0 || (fresh[k - 1]?.end ?? 0) < f.start)).toBe(true));
        for (const o of want) seen.add(o);
      }
    },
  );
});
