/**
 * A minimal pcapng writer covering what the reader reads (several sections in either byte order,
 * IDBs with if_tsresol / if_tsoffset / if_name, EPB, SPB, the obsolete Packet Block, and arbitrary
 * other blocks). Used to build test inputs and fuzz seeds; real captures come from dumpcap.
 */
import { PCAPNG_BLOCK_TYPES, PCAPNG_BYTE_ORDER_MAGIC } from './pcapng-reader.js';
import { concatBytes } from '../lib/bytes.js';

export type PcapngInterfaceSpec = {
  readonly linkType: number;
  /** @default 0 (no limit) */
  readonly snaplen?: number;
  /** Raw if_tsresol octet (high bit: power of 2). Omitted: microseconds. */
  readonly tsresol?: number;
  readonly tsoffsetSeconds?: bigint;
  readonly name?: string;
};

export type PcapngBlockSpec =
  | { readonly type: 'epb'; readonly interfaceId: number; readonly ticks: bigint; readonly data: Uint8Array; readonly originalLength?: number }
  | { readonly type: 'opb'; readonly interfaceId: number; readonly ticks: bigint; readonly data: Uint8Array; readonly originalLength?: number }
  | { readonly type: 'spb'; readonly data: Uint8Array; readonly originalLength?: number }
  /** Any other block type, written as is (the reader must skip it). */
  | { readonly type: 'other'; readonly blockType: number; readonly body: Uint8Array };

export type PcapngSectionSpec = {
  readonly littleEndian: boolean;
  readonly interfaces: readonly PcapngInterfaceSpec[];
  readonly blocks: readonly PcapngBlockSpec[];
};

const pad4 = (n: number): number => (n + 3) & ~3;

const block = (le: boolean, type: number, body: Uint8Array): Uint8Array => {
  const total = 12 + pad4(body.length);
  const b = new Uint8Array(total);
  const v = new DataView(b.buffer);
  v.setUint32(0, type, le);
  v.setUint32(4, total, le);
  b.set(body, 8);
  v.setUint32(total - 4, total, le);
  return b;
};

const fields = (le: boolean, spec: readonly (readonly [bytes: 1 | 2 | 4 | 8, value: number | bigint])[], tail: Uint8Array = new Uint8Array(0)): Uint8Array => {
  const size = spec.reduce((n, [b]) => n + b, 0);
  const out = new Uint8Array(size + tail.length);
  const v = new DataView(out.buffer);
  let at = 0;
  for (const [b, value] of spec) {
    if (b === 1) v.setUint8(at, Number(value));
    else if (b === 2) v.setUint16(at, Number(value), le);
    else if (b === 4) v.setUint32(at, Number(value), le);
    else v.setBigInt64(at, BigInt(value), le);
    at += b;
  }
  out.set(tail, size);
  return out;
};

const option = (le: boolean, code: number, value: Uint8Array): Uint8Array => {
  const out = new Uint8Array(4 + pad4(value.length));
  const v = new DataView(out.buffer);
  v.setUint16(0, code, le);
  v.setUint16(2, value.length, le);
  out.set(value, 4);
  return out;
};

const padded = (data: Uint8Array): Uint8Array => {
  const out = new Uint8Array(pad4(data.length));
  out.set(data);
  return out;
};

export const writePcapng = (sections: readonly PcapngSectionSpec[]): Uint8Array => {
  const parts: Uint8Array[] = [];
  for (const s of sections) {
    const le = s.littleEndian;
    parts.push(block(le, PCAPNG_BLOCK_TYPES.SHB, fields(le, [[4, PCAPNG_BYTE_ORDER_MAGIC], [2, 1], [2, 0], [8, -1n]])));
    for (const i of s.interfaces) {
      const opts: Uint8Array[] = [];
      if (i.name !== undefined) opts.push(option(le, 2, new TextEncoder().encode(i.name)));
      if (i.tsresol !== undefined) opts.push(option(le, 9, Uint8Array.of(i.tsresol)));
      if (i.tsoffsetSeconds !== undefined) opts.push(option(le, 14, fields(le, [[8, i.tsoffsetSeconds]])));
      if (opts.length > 0) opts.push(new Uint8Array(4)); // opt_endofopt
      parts.push(block(le, PCAPNG_BLOCK_TYPES.IDB, fields(le, [[2, i.linkType], [2, 0], [4, i.snaplen ?? 0]], concatBytes(opts))));
    }
    for (const b of s.blocks) {
      switch (b.type) {
        case 'epb':
        case 'opb': {
          const ticks: [4, number][] = [[4, Number(b.ticks >> 32n)], [4, Number(b.ticks & 0xffff_ffffn)]];
          const head: (readonly [1 | 2 | 4 | 8, number])[] =
            b.type === 'epb' ? [[4, b.interfaceId]] : [[2, b.interfaceId], [2, 0]];
          const type = b.type === 'epb' ? PCAPNG_BLOCK_TYPES.EPB : PCAPNG_BLOCK_TYPES.OPB;
          const body = fields(le, [...head, ...ticks, [4, b.data.length], [4, b.originalLength ?? b.data.length]], padded(b.data));
          parts.push(block(le, type, body));
          break;
        }
        case 'spb':
          parts.push(block(le, PCAPNG_BLOCK_TYPES.SPB, fields(le, [[4, b.originalLength ?? b.data.length]], padded(b.data))));
          break;
        case 'other':
          parts.push(block(le, b.blockType, b.body));
          break;
      }
    }
  }
  return concatBytes(parts);
};
