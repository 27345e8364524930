/**
 * One direction of a TCP connection, put back in sequence order (RFC 9293 section 3.10.7.4, as a
 * passive observer sees it). Bytes are numbered from 0 at the first byte after the SYN (or, when the
 * capture starts mid-stream, at the first segment seen). Raw 32-bit sequence numbers are placed by
 * their signed distance from the next expected byte, so wraparound past 2^32 is handled.
 *
 * - A byte already delivered or already buffered is dropped (the first copy captured wins);
 *   such segments count as retransmissions.
 * - A segment beyond the next expected byte is buffered (counted as out-of-order) and released,
 *   with the time of the segment that fills the hole, once the hole fills.
 * - A hole never filled by the end of the capture is a gap: the stream is cut there. Bytes after
 *   it are not delivered (only counted): a receiver could not have read them either, and an
 *   HTTP/2 frame boundary after lost bytes cannot be found reliably. We do not resync.
 * - SIMPLIFICATION: mid-stream (no SYN captured), offset 0 is the first segment seen; bytes
 *   older than it (a late retransmission of earlier data) have negative offsets and are dropped.
 * - RST payload is ignored (RFC 9293 section 3.5.3: an RST carries no data for the application).
 */
import { EventQueue } from '../time/event-queue.js';
import type { Nanos } from '../time/units.js';
import { createSeenRanges } from './seen-ranges.js';
import type { TcpSegment } from './tcp-segment.js';

/** Bytes that became readable (contiguous from offset 0) at `at`, when packet `packet` arrived. */
export type DeliveredChunk = { readonly offset: number; readonly bytes: Uint8Array; readonly at: Nanos; readonly packet: number };

export type GapCause =
  /** Data after the hole was captured; the hole was never filled. */
  | 'missing'
  /** The snapshot length cut a segment's payload. */
  | 'snaplen'
  /** The FIN's sequence number lies beyond the last byte captured. */
  | 'fin-beyond-data'
  /** The peer acknowledged bytes that were never captured. */
  | 'acked-not-captured';

/** Missing bytes where the stream is cut: `start` is the offset delivery stopped at, `end` the highest offset known to exist. */
export type StreamGap = {
  readonly start: number;
  readonly end: number;
  readonly cause: GapCause;
  /** When the capture first showed sequence space beyond `start`. */
  readonly at: Nanos;
  readonly packet: number;
};

export type StreamCounts = {
  /** Segments of this direction, pure ACKs included. */
  readonly segments: number;
  readonly dataSegments: number;
  /** Data segments carrying at least one byte captured before. */
  readonly retransmissions: number;
  /** Data segments that arrived beyond the next expected byte. */
  readonly outOfOrder: number;
  /** 0 or 1: the stream is cut at its first gap. */
  readonly gaps: number;
};

export type StreamEvent = { readonly at: Nanos; readonly packet: number };

export type DirectionStream = {
  /** Raw sequence number of the SYN, when it was captured. */
  readonly isn?: number;
  /** Raw sequence number of stream offset 0. */
  readonly base?: number;
  /** The delivered bytes: offsets 0 .. bytes.length - 1, cut at the gap if any. */
  readonly bytes: Uint8Array;
  readonly chunks: readonly DeliveredChunk[];
  readonly gap?: StreamGap;
  /** Captured payload bytes beyond the gap, not delivered. */
  readonly undeliveredBytes: number;
  readonly syn?: StreamEvent;
  /** The first FIN, with its stream offset (the byte count before it). */
  readonly fin?: StreamEvent & { readonly offset: number };
  readonly rst?: StreamEvent;
  readonly counts: StreamCounts;
};

type Piece = { readonly start: number; readonly end: number; readonly bytes: Uint8Array };
type Evidence = { end: number; at: Nanos; packet: number; cause: GapCause };

/** Signed distance from `from` to `to` in 32-bit sequence space. */
const seqDiff = (to: number, from: number): number => (to - from) | 0;

export type StreamReassembler = {
  /** A segment of this direction, in capture order. */
  readonly push: (segment: TcpSegment) => void;
  /** An acknowledgment from the peer (for gap detection). */
  readonly noteAck: (ack: number, at: Nanos, packet: number) => void;
  readonly finish: () => DirectionStream;
};

export const createStreamReassembler = (): StreamReassembler => {
  let isn: number | undefined;
  let base: number | undefined;
  let expected = 0;
  /** Every offset captured so far (delivered or buffered): what makes a byte a retransmission. */
  const seen = createSeenRanges();
  /** Pieces beyond `expected`, waiting for the hole before them to fill: disjoint, keyed by start. */
  const buffer = new EventQueue<Piece>();
  let bufferedBytes = 0;
  const chunks: DeliveredChunk[] = [];
  const evidence: Evidence[] = [];
  let syn: StreamEvent | undefined;
  let fin: (StreamEvent & { offset: number }) | undefined;
  let rst: StreamEvent | undefined;
  const counts = { segments: 0, dataSegments: 0, retransmissions: 0, outOfOrder: 0, gaps: 0 };

  /** Stream offset of raw sequence number `seq` (needs `base`). */
  const offsetOf = (seq: number, b: number): number => expected + seqDiff(seq, (b + expected) >>> 0);

  const note = (end: number, at: Nanos, packet: number, cause: GapCause): void => {
    if (end > expected) evidence.push({ end, at, packet, cause });
  };

  /**
   * Buffers the bytes of [start, start + length) not captured before (each maximal run of them is
   * one piece); true when some were. Offsets below `expected` were all captured (delivered).
   * O(log n) amortized (seen-ranges.ts), so a capture in any order reassembles in O(n log n).
   */
  const insert = (start: number, bytes: Uint8Array): boolean => {
    let newBytes = 0;
    for (const r of seen.add(start, start + bytes.length)) {
      buffer.push(r.start, 0, { start: r.start, end: r.end, bytes: bytes.subarray(r.start - start, r.end - start) });
      newBytes += r.end - r.start;
    }
    bufferedBytes += newBytes;
    return newBytes < bytes.length;
  };

  const drain = (at: Nanos, packet: number): void => {
    while (buffer.topAt() === expected) {
      const p = buffer.popItem() as Piece;
      chunks.push({ offset: p.start, bytes: p.bytes, at, packet });
      bufferedBytes -= p.end - p.start;
      expected = p.end;
    }
  };

  const push = (s: TcpSegment): void => {
    counts.segments++;
    if (s.flags.syn) {
      if (syn === undefined) syn = { at: s.at, packet: s.packet };
      if (isn === undefined && base === undefined) {
        isn = s.seq;
        base = (s.seq + 1) >>> 0;
      }
    }
    if (base === undefined) base = s.seq;
    const dataSeq = s.flags.syn ? (s.seq + 1) >>> 0 : s.seq;
    const start = offsetOf(dataSeq, base);
    if (s.flags.rst) {
      if (rst === undefined) rst = { at: s.at, packet: s.packet };
      return;
    }
    if (s.payloadLength > 0) {
      counts.dataSegments++;
      const from = Math.max(start, 0);
      const captured = s.payload.subarray(Math.min(s.payload.length, from - start));
      const duplicate = start < 0 || insert(from, captured);
      if (duplicate) counts.retransmissions++;
      else if (start > expected) counts.outOfOrder++;
      drain(s.at, s.packet);
      note(start + s.payload.length, s.at, s.packet, 'missing');
      if (s.payload.length < s.payloadLength) note(start + s.payloadLength, s.at, s.packet, 'snaplen');
    }
    if (s.flags.fin) {
      const offset = start + s.payloadLength;
      if (fin === undefined) fin = { at: s.at, packet: s.packet, offset };
      note(offset, s.at, s.packet, 'fin-beyond-data');
    }
  };

  const noteAck = (ack: number, at: Nanos, packet: number): void => {
    if (base === undefined) return;
    let end = offsetOf(ack, base);
    if (fin !== undefined && end > fin.offset) end = fin.offset; // the FIN takes one sequence number
    note(end, at, packet, 'acked-not-captured');
  };

  const finish = (): DirectionStream => {
    const pending = evidence.filter((e) => e.end > expected);
    const first = pending[0];
    let gap: StreamGap | undefined;
    if (first !== undefined) {
      const end = pending.reduce((m, e) => Math.max(m, e.end), 0);
      gap = { start: expected, end, cause: first.cause, at: first.at, packet: first.packet };
      counts.gaps = 1;
    }
    const bytes = new Uint8Array(expected);
    for (const c of chunks) bytes.set(c.bytes, c.offset);
    return {
      ...(isn === undefined ? {} : { isn }),
      ...(base === undefined ? {} : { base }),
      bytes,
      chunks,
      ...(gap === undefined ? {} : { gap }),
      undeliveredBytes: bufferedBytes,
      ...(syn === undefined ? {} : { syn }),
      ...(fin === undefined ? {} : { fin }),
      ...(rst === undefined ? {} : { rst }),
      counts: { ...counts },
    };
  };

  return { push, noteAck, finish };
};
