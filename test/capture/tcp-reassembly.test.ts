import { beforeEach, describe, expect, it } from 'vitest';
import { reassembleConnections, type TcpFlags, type TcpSegment } from '../../src/capture/capture.js';

const C = { address: '10.0.0.2', port: 50000 };
const S = { address: '10.0.0.1', port: 50051 };
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (b: Uint8Array): string => new TextDecoder().decode(b);

let packet = 0;
const seg = (at: number, from: 'c' | 's', seq: number, data = '', flags: Partial<TcpFlags> = {}, o: { ack?: number; payloadLength?: number } = {}): TcpSegment => {
  const [src, dst] = from === 'c' ? [C, S] : [S, C];
  const payload = text(data);
  return {
    packet: packet++,
    at,
    ipVersion: 4,
    src: src.address,
    dst: dst.address,
    srcPort: src.port,
    dstPort: dst.port,
    seq: seq >>> 0,
    ack: (o.ack ?? 0) >>> 0,
    flags: { syn: false, fin: false, rst: false, psh: false, ...flags, ack: o.ack !== undefined },
    window: 65535,
    payload,
    payloadLength: o.payloadLength ?? payload.length,
  };
};

const ISN_C = 1000;
const ISN_S = 5000;
const handshake = (): TcpSegment[] => [
  seg(0, 'c', ISN_C, '', { syn: true }),
  seg(1, 's', ISN_S, '', { syn: true }, { ack: ISN_C + 1 }),
  seg(2, 'c', ISN_C + 1, '', {}, { ack: ISN_S + 1 }),
];
/** Client stream offset -> raw sequence number. */
const c = (offset: number): number => ISN_C + 1 + offset;

const one = (segments: TcpSegment[]) => {
  const conns = reassembleConnections(segments);
  expect(conns).toHaveLength(1);
  const [conn] = conns;
  if (conn === undefined) throw new Error('no connection');
  return conn;
};

describe('TCP reassembly', () => {
  beforeEach(() => {
    packet = 0;
  });

  it('delivers in-order data with the time each byte became readable', () => {
    const conn = one([...handshake(), seg(10, 'c', c(0), 'abc'), seg(20, 'c', c(3), 'def')]);
    expect(conn.opening).toBe('syn');
    expect(conn.initiator).toEqual(C);
    expect(str(conn.fromInitiator.bytes)).toBe('abcdef');
    expect(conn.fromInitiator.chunks.map((ch) => [ch.offset, str(ch.bytes), ch.at])).toEqual([[0, 'abc', 10], [3, 'def', 20]]);
    expect(conn.fromInitiator).toMatchObject({ isn: ISN_C, base: ISN_C + 1, undeliveredBytes: 0 });
    expect(conn.fromInitiator.gap).toBeUndefined();
  });

  it('buffers an out-of-order segment and releases it when the hole fills, at the filling time', () => {
    const conn = one([...handshake(), seg(10, 'c', c(3), 'def'), seg(30, 'c', c(0), 'abc')]);
    expect(str(conn.fromInitiator.bytes)).toBe('abcdef');
    expect(conn.fromInitiator.chunks.map((ch) => [ch.offset, ch.at])).toEqual([[0, 30], [3, 30]]);
    expect(conn.fromInitiator.counts).toMatchObject({ dataSegments: 2, outOfOrder: 1, retransmissions: 0, gaps: 0 });
  });

  it('drops retransmitted and overlapping bytes (the first copy captured wins)', () => {
    const conn = one([...handshake(), seg(10, 'c', c(0), 'abcd'), seg(20, 'c', c(2), 'XXef'), seg(30, 'c', c(0), 'abcdef')]);
    expect(str(conn.fromInitiator.bytes)).toBe('abcdef');
    expect(conn.fromInitiator.chunks.map((ch) => [ch.offset, str(ch.bytes), ch.at])).toEqual([[0, 'abcd', 10], [4, 'ef', 20]]);
    expect(conn.fromInitiator.counts).toMatchObject({ retransmissions: 2, outOfOrder: 0 });
  });

  it('a hole never filled is a gap: the stream is cut there and later bytes are only counted', () => {
    const conn = one([...handshake(), seg(10, 'c', c(0), 'abc'), seg(20, 'c', c(6), 'ghi'), seg(25, 'c', c(9), 'jk')]);
    expect(str(conn.fromInitiator.bytes)).toBe('abc');
    expect(conn.fromInitiator.gap).toEqual({ start: 3, end: 11, cause: 'missing', at: 20, packet: 4 });
    expect(conn.fromInitiator.undeliveredBytes).toBe(5);
    expect(conn.fromInitiator.counts.gaps).toBe(1);
  });

  it('finds lost bytes from a FIN beyond the data, from peer ACKs, and from a snapshot-length cut', () => {
    const fin = one([...handshake(), seg(10, 'c', c(0), 'abc'), seg(20, 'c', c(7), '', { fin: true }, { ack: ISN_S + 1 })]);
    expect(fin.fromInitiator.gap).toMatchObject({ start: 3, end: 7, cause: 'fin-beyond-data', at: 20 });
    expect(fin.fromInitiator.fin).toMatchObject({ at: 20, offset: 7 });

    const acked = one([...handshake(), seg(10, 'c', c(0), 'abc'), seg(20, 's', ISN_S + 1, '', {}, { ack: c(9) })]);
    expect(acked.fromInitiator.gap).toMatchObject({ start: 3, end: 9, cause: 'acked-not-captured', at: 20 });

    const cut = one([...handshake(), seg(10, 'c', c(0), 'abcd', {}, { payloadLength: 10 })]);
    expect(str(cut.fromInitiator.bytes)).toBe('abcd');
    expect(cut.fromInitiator.gap).toMatchObject({ start: 4, end: 10, cause: 'snaplen' });
  });

  it('an ACK of the FIN is not a gap', () => {
    const conn = one([...handshake(), seg(10, 'c', c(0), 'abc', { fin: true }), seg(20, 's', ISN_S + 1, '', {}, { ack: c(4) })]);
    expect(conn.fromInitiator.gap).toBeUndefined();
    expect(conn.fromInitiator.fin).toMatchObject({ at: 10, offset: 3 });
  });

  it('handles 32-bit sequence wraparound', () => {
    const isn = 0xffff_fffa;
    const d = (offset: number): number => isn + 1 + offset;
    const conn = one([
      seg(0, 'c', isn, '', { syn: true }),
      seg(10, 'c', d(0), 'abcd'), // 0xfffffffb..0xfffffffe
      seg(30, 'c', d(8), 'ijkl'), // after the wrap, out of order
      seg(20, 'c', d(4), 'efgh'), // crosses 2^32
    ]);
    expect(conn.fromInitiator.chunks.map((ch) => ch.offset)).toEqual([0, 4, 8]);
    expect(str(conn.fromInitiator.bytes)).toBe('abcdefghijkl');
    expect(conn.fromInitiator.gap).toBeUndefined();
  });

  it('starts mid-stream at the first segment seen when there is no SYN', () => {
    const conn = one([seg(0, 's', 777_777, 'xyz', {}, { ack: 123 }), seg(5, 'c', 123, 'hi', {}, { ack: 777_780 })]);
    expect(conn.opening).toBe('mid-stream');
    expect(conn.initiator).toEqual(S);
    expect(str(conn.fromInitiator.bytes)).toBe('xyz');
    expect(str(conn.fromResponder.bytes)).toBe('hi');
    expect(conn.fromInitiator.isn).toBeUndefined();
  });

  it('notes RST with its time and ignores data in it', () => {
    const conn = one([...handshake(), seg(10, 'c', c(0), 'abc'), seg(15, 's', ISN_S + 1, 'junk', { rst: true })]);
    expect(conn.fromResponder.rst).toEqual({ at: 15, packet: 4 });
    expect(conn.fromResponder.bytes.length).toBe(0);
  });

  it('a SYN on a pair whose connection ended starts a new connection (port reuse)', () => {
    const first = [...handshake(), seg(10, 'c', c(0), 'a', { fin: true }), seg(11, 's', ISN_S + 1, '', { fin: true }, { ack: c(2) })];
    const conns = reassembleConnections([...first, seg(20, 'c', 9000, '', { syn: true }), seg(21, 'c', 9001, 'b')]);
    expect(conns.map((x) => [x.id, x.firstAt, str(x.fromInitiator.bytes)])).toEqual([[0, 0, 'a'], [1, 20, 'b']]);
  });
});
