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
  /** The options a TCP model needs, when the segment carries them (RFC 7323 timestamps, RFC 2018 SACK). */
  readonly options?: TcpOptions;
  /** The captured payload; shorter than `payloadLength` when the snapshot length cut the packet. */
  readonly payload: Uint8Array;
  /** Payload length on the wire (IP length minus headers). */
  readonly payloadLength: number;
};

/** Raw 32-bit values: TSval/TSecr, and SACK blocks as [left, right) pairs, flattened. */
export type TcpOptions = { readonly tsval?: number; readonly tsecr?: number; readonly sack?: readonly number[] };

export type TcpHeaderResult =
  | { readonly kind: 'tcp'; readonly header: Omit<TcpSegment, 'packet' | 'at' | 'ipVersion' | 'src' | 'dst' | 'payload' | 'payloadLength'>; readonly dataOffset: number }
  | { readonly kind: 'skip'; readonly reason: 'malformed' | 'truncated'; readonly detail: string };

/**
 * Reads the TCP header at `at` (RFC 9293 section 3.1) and, of its options, the timestamps and
 * SACK blocks (others are skipped; a malformed option list ends the parse, keeping what was
 * read). `length` is the TCP length from the IP header.
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
      ...optionsOf(view, at + 20, at + dataOffset),
    },
  };
};

const OPT_END = 0;
const OPT_NOP = 1;
const OPT_SACK = 5;
const OPT_TIMESTAMP = 8;

function optionsOf(view: DataView, from: number, to: number): { options?: TcpOptions } {
  let tsval: number | undefined;
  let tsecr: number | undefined;
  let sack: number[] | undefined;
  let i = from;
  while (i < to) {
    const kind = view.getUint8(i);
    if (kind === OPT_END) break;
    if (kind === OPT_NOP) {
      i++;
      continue;
    }
    if (i + 1 >= to) break;
    const len = view.getUint8(i + 1);
    if (len < 2 || i + len > to) break;
    if (kind === OPT_TIMESTAMP && len === 10) {
      tsval = view.getUint32(i + 2);
      tsecr = view.getUint32(i + 6);
    } else if (kind === OPT_SACK && (len - 2) % 8 === 0) {
      sack = [];
      for (let j = i + 2; j < i + len; j += 4) sack.push(view.getUint32(j));
    }
    i += len;
  }
  if (tsval === undefined && sack === undefined) return {};
  return { options: { ...(tsval === undefined ? {} : { tsval, tsecr: tsecr as number }), ...(sack === undefined ? {} : { sack }) } };
}
