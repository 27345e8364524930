import type { Nanos } from '../time/units.js';

export type TcpFlags = {
  readonly syn: boolean;
  readonly ack: boolean;
  readonly fin: boolean;
  readonly rst: boolean;
  readonly psh: boolean;
};

/** One decoded TCP segment with the packet it came from. */
export type TcpSegment = {
  /** RawPacket.index of the packet that carried it. */
  readonly packet: number;
  readonly at: Nanos;
  readonly ipVersion: 4 | 6;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** Raw 32-bit sequence and acknowledgment numbers. */
  readonly seq: number;
  readonly ack: number;
  readonly flags: TcpFlags;
  readonly window: number;
  /** The captured payload; shorter than `payloadLength` when the snapshot length cut the packet. */
  readonly payload: Uint8Array;
  /** Payload length on the wire (IP length minus headers). */
  readonly payloadLength: number;
};

export type TcpHeaderResult =
  | { readonly kind: 'tcp'; readonly header: Omit<TcpSegment, 'packet' | 'at' | 'ipVersion' | 'src' | 'dst' | 'payload' | 'payloadLength'>; readonly dataOffset: number }
  | { readonly kind: 'skip'; readonly reason: 'malformed' | 'truncated'; readonly detail: string };

/**
 * Reads the fixed TCP header at `at` (RFC 9293 section 3.1); options are skipped by the data
 * offset, not parsed. `length` is the TCP length from the IP header.
 */
export const decodeTcpHeader = (data: Uint8Array, at: number, length: number): TcpHeaderResult => {
  if (length < 20) return { kind: 'skip', reason: 'malformed', detail: `TCP length ${length} below 20` };
  if (data.length - at < 20) return { kind: 'skip', reason: 'truncated', detail: `TCP header needs 20 bytes, ${data.length - at} captured` };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const dataOffset = (view.getUint8(at + 12) >> 4) * 4;
  if (dataOffset < 20 || dataOffset > length) return { kind: 'skip', reason: 'malformed', detail: `TCP data offset ${dataOffset}, TCP length ${length}` };
  if (data.length - at < dataOffset) return { kind: 'skip', reason: 'truncated', detail: `TCP options not captured` };
  const f = view.getUint8(at + 13);
  return {
    kind: 'tcp',
    dataOffset,
    header: {
      srcPort: view.getUint16(at),
      dstPort: view.getUint16(at + 2),
      seq: view.getUint32(at + 4),
      ack: view.getUint32(at + 8),
      flags: { fin: (f & 0x01) !== 0, syn: (f & 0x02) !== 0, rst: (f & 0x04) !== 0, psh: (f & 0x08) !== 0, ack: (f & 0x10) !== 0 },
      window: view.getUint16(at + 14),
    },
  };
};
