/** Builders for capture test inputs: link-layer wrappers, IPv6 packets, libpcap files in any byte order. */
import { concatBytes } from '../../src/lib/bytes.js';
import { CaptureError, withHandshake, writePcap, type PcapTcpPacket, type PcapWriteOptions } from '../../src/capture/capture.js';

/** `concatBytes` with the parts as arguments (the builders' shorthand). */
export const concat = (...parts: readonly Uint8Array[]): Uint8Array => concatBytes(parts);

export const NO_FLAGS = { syn: false, ack: false, fin: false, rst: false, psh: false } as const;

/** One packet as the writer frames it (Ethernet + IPv4 + TCP). */
export const ethernetFrame = (p: PcapTcpPacket, opts: PcapWriteOptions = {}): Uint8Array => writePcap([p], opts).subarray(40);

/** The IPv4 packet inside `ethernetFrame`. */
export const ipv4Packet = (p: PcapTcpPacket, opts: PcapWriteOptions = {}): Uint8Array => ethernetFrame(p, opts).subarray(14);

/** The TCP header and payload inside `ethernetFrame`. */
export const tcpBytes = (p: PcapTcpPacket, opts: PcapWriteOptions = {}): Uint8Array => ipv4Packet(p, opts).subarray(20);

/** IPv6 packet (2001:db8::2 -> 2001:db8::1) carrying `tcp` after the given extension headers (each: [type, bytes]). */
export const ipv6Packet = (tcp: Uint8Array, extensions: readonly (readonly [number, Uint8Array])[] = []): Uint8Array => {
  const chain = [...extensions.map(([t]) => t), 6];
  const exts = extensions.map(([, b], i) => {
    const copy = b.slice();
    copy[0] = chain[i + 1] ?? 6;
    return copy;
  });
  const payload = concat(...exts, tcp);
  const h = new Uint8Array(40);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0x6000_0000);
  v.setUint16(4, payload.length);
  v.setUint8(6, chain[0] ?? 6);
  v.setUint8(7, 64);
  h.set([0x20, 0x01, 0x0d, 0xb8], 8);
  h[23] = 2;
  h.set([0x20, 0x01, 0x0d, 0xb8], 24);
  h[39] = 1;
  return concat(h, payload);
};

const u16 = (v: number): Uint8Array => Uint8Array.of(v >> 8, v & 0xff);

/** Ethernet frame with 802.1Q tags (one per VLAN id) around an IP packet. */
export const ethernetWithVlans = (ip: Uint8Array, version: 4 | 6, vlans: readonly number[]): Uint8Array =>
  concat(new Uint8Array(12).fill(2), ...vlans.map((id) => concat(u16(0x8100), u16(id))), u16(version === 4 ? 0x0800 : 0x86dd), ip);

/** BSD loopback header: address family in the given byte order. */
export const nullFrame = (ip: Uint8Array, family: number, littleEndian: boolean): Uint8Array => {
  const h = new Uint8Array(4);
  new DataView(h.buffer).setUint32(0, family, littleEndian);
  return concat(h, ip);
};

export const sllFrame = (ip: Uint8Array, version: 4 | 6): Uint8Array =>
  concat(u16(0), u16(772), u16(6), new Uint8Array(8), u16(version === 4 ? 0x0800 : 0x86dd), ip);

export const sll2Frame = (ip: Uint8Array, version: 4 | 6): Uint8Array =>
  concat(u16(version === 4 ? 0x0800 : 0x86dd), u16(0), Uint8Array.of(0, 0, 0, 1), u16(772), Uint8Array.of(0, 6), new Uint8Array(8), ip);

export type PcapRecordSpec = { readonly seconds: number; readonly fraction: number; readonly data: Uint8Array; readonly originalLength?: number };

/** A libpcap file with any magic, byte order, snaplen and link type. */
export const pcapFile = (o: { littleEndian: boolean; nanos: boolean; linkType: number; snaplen?: number; records: readonly PcapRecordSpec[] }): Uint8Array => {
  const head = new Uint8Array(24);
  const v = new DataView(head.buffer);
  v.setUint32(0, o.nanos ? 0xa1b23c4d : 0xa1b2c3d4, o.littleEndian);
  v.setUint16(4, 2, o.littleEndian);
  v.setUint16(6, 4, o.littleEndian);
  v.setUint32(16, o.snaplen ?? 65535, o.littleEndian);
  v.setUint32(20, o.linkType, o.littleEndian);
  const records = o.records.map((r) => {
    const h = new Uint8Array(16);
    const rv = new DataView(h.buffer);
    rv.setUint32(0, r.seconds, o.littleEndian);
    rv.setUint32(4, r.fraction, o.littleEndian);
    rv.setUint32(8, r.data.length, o.littleEndian);
    rv.setUint32(12, r.originalLength ?? r.data.length, o.littleEndian);
    return concat(h, r.data);
  });
  return concat(head, ...records);
};

/** How `scrambledCapture` sends its stream. */
export type ScrambleShape =
  /** One-byte segments, last byte first. */
  | 'reversed'
  /** One-byte segments in a fixed pseudo-random order. */
  | 'shuffled'
  /**
   * The odd offsets first, one byte each, last first (a hole before every one), then three-byte
   * retransmissions [2i, 2i + 3), last first, each overlapping both buffered neighbours and
   * carrying different bytes there (the first copy captured must win).
   */
  | 'retransmitted';

/** A segment of the client's stream: its offset and payload, in capture order. */
export type StreamSegment = { readonly seq: number; readonly payload: Uint8Array };

/** Deterministic pseudo-random numbers (xorshift32): test inputs only. */
const xorshift = (seed: number): (() => number) => {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
};

/**
 * A client stream of `n` pseudo-random bytes (`n` even) sent in about `n` segments in the given
 * shape, after a handshake, one packet per microsecond; with the segments for a reference.
 */
export const scrambledCapture = (n: number, shape: ScrambleShape): { readonly pcap: Uint8Array; readonly segments: readonly StreamSegment[] } => {
  const next = xorshift(0x9e3779b9 ^ n);
  const stream = Uint8Array.from({ length: n }, () => next() & 0xff);
  const segments: StreamSegment[] = [];
  const one = (offset: number): void => void segments.push({ seq: offset, payload: stream.subarray(offset, offset + 1) });
  if (shape === 'reversed') for (let o = n - 1; o >= 0; o--) one(o);
  if (shape === 'shuffled') {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const o of order) one(o);
  }
  if (shape === 'retransmitted') {
    for (let o = n - 1; o >= 1; o -= 2) one(o);
    for (let o = n - 2; o >= 0; o -= 2) {
      const copy = stream.slice(o, Math.min(n, o + 3));
      for (let k = 1; k < copy.length; k += 2) copy[k] = (copy[k] as number) ^ 0xff; // only the odd (already captured) bytes differ
      segments.push({ seq: o, payload: copy });
    }
  }
  const packets = withHandshake(
    segments.map((s, i) => ({ at: 1_000_000 + i * 1000, from: 'client' as const, seq: s.seq, ack: 0, payload: s.payload })),
    { synAt: 0 },
  );
  return { pcap: writePcap(packets), segments };
};

/** The simple reference: every byte as first captured, delivered up to the first offset never captured. */
export const firstCopyWins = (segments: readonly StreamSegment[]): Uint8Array => {
  const size = segments.reduce((m, s) => Math.max(m, s.seq + s.payload.length), 0);
  const byte = new Int16Array(size).fill(-1);
  for (const s of segments) s.payload.forEach((b, i) => { if (s.seq + i >= 0 && byte[s.seq + i] === -1) byte[s.seq + i] = b; });
  const end = byte.indexOf(-1);
  return Uint8Array.from(byte.subarray(0, end < 0 ? size : end));
};

/** The CaptureError that `read` (readCapture or analyzeCapture) raises on `input`; fails the test if it raises none. */
export function captureErrorOf(read: (input: Uint8Array) => unknown, input: Uint8Array): CaptureError {
  try {
    read(input);
  } catch (e) {
    if (e instanceof CaptureError) return e;
    throw e;
  }
  throw new Error('expected a CaptureError');
}
