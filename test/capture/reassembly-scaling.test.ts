/**
 * Reassembly of large, badly ordered captures (issue "Robustness"): one-byte segments in reverse
 * or shuffled order, and overlapping retransmissions over thousands of buffered pieces, at n and
 * 2n segments, give exactly the bytes of a simple first-copy-wins reference. (How long they take,
 * n against 2n, is measured by bench/capture-scaling.ts, not asserted here: no wall clock in tests.)
 */
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/capture/capture.js';
import { firstCopyWins, scrambledCapture, type ScrambleShape } from './capture-builders.js';

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

describe('reassembly of large out-of-order captures', () => {
  it.each<[ScrambleShape, number]>([
    ['reversed', 20_000],
    ['reversed', 40_000],
    ['shuffled', 20_000],
    ['shuffled', 40_000],
    ['retransmitted', 20_000],
    ['retransmitted', 40_000],
  ])('%s, %i bytes: the reference bytes, all delivered', (shape, n) => {
    const { pcap, segments } = scrambledCapture(n, shape);
    const a = analyzeCapture(pcap);
    expect(a.connections).toHaveLength(1);
    const d = a.connections[0]?.tcp.fromInitiator;
    if (d === undefined) throw new Error('no connection');
    const reference = firstCopyWins(segments);
    expect(reference.length).toBe(n);
    expect(d.bytes.length).toBe(n);
    expect(sameBytes(d.bytes, reference)).toBe(true);
    expect(d.undeliveredBytes).toBe(0);
    expect(d.gap).toBeUndefined();
    expect(d.counts.dataSegments).toBe(segments.length);
    // Every retransmission overlaps a captured byte; nothing else does.
    expect(d.counts.retransmissions).toBe(shape === 'retransmitted' ? n / 2 : 0);
    // Chunks in offset order, each released by a packet no earlier than the one before it.
    expect(d.chunks.every((c, i) => i === 0 || (c.offset > (d.chunks[i - 1]?.offset ?? 0) && c.packet >= (d.chunks[i - 1]?.packet ?? 0)))).toBe(true);
    // Reversed and retransmitted: nothing is readable before the segment with offset 0, the last (after the 3 handshake packets).
    if (shape !== 'shuffled') expect(new Set(d.chunks.map((c) => c.packet))).toEqual(new Set([3 + segments.length - 1]));
  });
});
