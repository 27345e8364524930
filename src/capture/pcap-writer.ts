/**
 * Writes TCP packets as a classic libpcap file (nanosecond magic, little-endian, link type
 * Ethernet) with real Ethernet, IPv4 and TCP headers and correct IPv4 and TCP checksums, so
 * Wireshark/tshark dissect it (HTTP/2 with `-d tcp.port==PORT,http2`).
 */
import type { Nanos } from '../time/units.js';
import type { Side } from './side.js';
import { finishChecksum, internetChecksum, sumWords } from './internet-checksum.js';
import { parseIpv4 } from './ip-address.js';
import { PCAP_MAGIC_NANOS } from './pcap-reader.js';
import { LINK_TYPES } from './raw-packet.js';
import type { Endpoint } from './tcp-connections.js';
import type { TcpFlags } from './tcp-segment.js';

/** One TCP segment to write, with absolute 32-bit sequence and acknowledgment numbers. */
export type PcapTcpPacket = {
  readonly at: Nanos;
  readonly from: Side;
  readonly flags: TcpFlags;
  readonly seq: number;
  /** Written as 0 when `flags.ack` is false. */
  readonly ack: number;
  readonly payload: Uint8Array;
  /** @default 65535 */
  readonly window?: number;
};

export type PcapWriteOptions = {
  /** @default { address: '10.0.0.2', port: 50000 } */
  readonly client?: Endpoint;
  /** @default { address: '10.0.0.1', port: 50051 } */
  readonly server?: Endpoint;
  /** Absolute time of `at` = 0, nanoseconds since the Unix epoch. @default 1700000000 s (2023-11-14T22:13:20Z) */
  readonly epochNanos?: bigint;
};

export const DEFAULT_CLIENT: Endpoint = { address: '10.0.0.2', port: 50000 };
export const DEFAULT_SERVER: Endpoint = { address: '10.0.0.1', port: 50051 };
export const DEFAULT_EPOCH_NANOS = 1_700_000_000_000_000_000n;
/** Locally administered unicast MACs: 02:00:00:00:00:02 for the client, ...:01 for the server. */
const MAC: Record<Side, readonly number[]> = { client: [2, 0, 0, 0, 0, 2], server: [2, 0, 0, 0, 0, 1] };
const SNAPLEN = 262_144;
const ETH = 14;
const IP = 20;
const TCP = 20;

const u32 = (name: string, v: number): void => {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff) throw new RangeError(`${name} must be a 32-bit unsigned integer, got ${v}`);
};

const flagByte = (f: TcpFlags): number =>
  (f.fin ? 0x01 : 0) | (f.syn ? 0x02 : 0) | (f.rst ? 0x04 : 0) | (f.psh ? 0x08 : 0) | (f.ack ? 0x10 : 0);

/** Ethernet + IPv4 + TCP frame for one packet. */
const frame = (p: PcapTcpPacket, src: Endpoint, dst: Endpoint, ipId: number): Uint8Array => {
  const tcpLength = TCP + p.payload.length;
  const total = IP + tcpLength;
  if (total > 0xffff) throw new RangeError(`payload of ${p.payload.length} bytes does not fit one IPv4 packet`);
  const out = new Uint8Array(ETH + total);
  const view = new DataView(out.buffer);
  const srcSide: Side = p.from;
  out.set(MAC[srcSide === 'client' ? 'server' : 'client'], 0);
  out.set(MAC[srcSide], 6);
  view.setUint16(12, 0x0800);
  const srcIp = parseIpv4(src.address);
  const dstIp = parseIpv4(dst.address);
  view.setUint8(ETH, 0x45);
  view.setUint16(ETH + 2, total);
  view.setUint16(ETH + 4, ipId & 0xffff);
  view.setUint16(ETH + 6, 0x4000); // don't fragment
  view.setUint8(ETH + 8, 64);
  view.setUint8(ETH + 9, 6);
  out.set(srcIp, ETH + 12);
  out.set(dstIp, ETH + 16);
  view.setUint16(ETH + 10, internetChecksum(out.subarray(ETH, ETH + IP)));
  const t = ETH + IP;
  view.setUint16(t, src.port);
  view.setUint16(t + 2, dst.port);
  view.setUint32(t + 4, p.seq);
  view.setUint32(t + 8, p.flags.ack ? p.ack : 0);
  view.setUint8(t + 12, (TCP / 4) << 4);
  view.setUint8(t + 13, flagByte(p.flags));
  view.setUint16(t + 14, p.window ?? 0xffff);
  out.set(p.payload, t + TCP);
  // RFC 9293 section 3.1: the checksum covers a pseudo-header of addresses, protocol and TCP length.
  const pseudo = sumWords(dstIp, sumWords(srcIp)) + 6 + tcpLength;
  view.setUint16(t + 16, finishChecksum(sumWords(out.subarray(t), pseudo)));
  return out;
};

export const writePcap = (packets: readonly PcapTcpPacket[], opts: PcapWriteOptions = {}): Uint8Array => {
  const client = opts.client ?? DEFAULT_CLIENT;
  const server = opts.server ?? DEFAULT_SERVER;
  const epoch = opts.epochNanos ?? DEFAULT_EPOCH_NANOS;
  for (const e of [client, server]) {
    if (!Number.isInteger(e.port) || e.port < 0 || e.port > 0xffff) throw new RangeError(`port must be 0..65535, got ${e.port}`);
  }
  const ipId: Record<Side, number> = { client: 0, server: 0 };
  const records = packets.map((p, i) => {
    u32(`packet ${i} seq`, p.seq);
    u32(`packet ${i} ack`, p.ack);
    if (!Number.isSafeInteger(p.at)) throw new RangeError(`packet ${i} time must be an integer number of nanoseconds, got ${p.at}`);
    if (p.window !== undefined && (!Number.isInteger(p.window) || p.window < 0 || p.window > 0xffff)) {
      throw new RangeError(`packet ${i} window must be 0..65535, got ${p.window}`);
    }
    const abs = epoch + BigInt(p.at);
    if (abs < 0n || abs >= (1n << 32n) * 1_000_000_000n) throw new RangeError(`packet ${i} time ${abs} ns is outside the libpcap range`);
    const [src, dst] = p.from === 'client' ? [client, server] : [server, client];
    const data = frame(p, src, dst, ipId[p.from]++);
    return { seconds: Number(abs / 1_000_000_000n), nanos: Number(abs % 1_000_000_000n), data };
  });
  const out = new Uint8Array(24 + records.reduce((n, r) => n + 16 + r.data.length, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, PCAP_MAGIC_NANOS, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, SNAPLEN, true);
  view.setUint32(20, LINK_TYPES.ETHERNET, true);
  let at = 24;
  for (const r of records) {
    view.setUint32(at, r.seconds, true);
    view.setUint32(at + 4, r.nanos, true);
    view.setUint32(at + 8, r.data.length, true);
    view.setUint32(at + 12, r.data.length, true);
    out.set(r.data, at + 16);
    at += 16 + r.data.length;
  }
  return out;
};
