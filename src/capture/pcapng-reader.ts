/**
 * pcapng files (draft-ietf-opsawg-pcapng): a sequence of blocks, each `type, total length, body,
 * total length`. Every Section Header Block starts a section with its own byte order and its own
 * interface numbering. Read: SHB, IDB (if_name, if_tsresol in powers of 10 or 2, if_tsoffset),
 * EPB, SPB, and the obsolete Packet Block; every other block type is skipped by its length.
 */
import { CaptureError } from './capture-error.js';
import type { CaptureInterface, RecordedPacket } from './raw-packet.js';
import { MICROSECONDS, ticksToEpochNanos, tsresolUnit } from './timestamp.js';

export const PCAPNG_BLOCK_TYPES = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  OPB: 0x00000002,
  SPB: 0x00000003,
  EPB: 0x00000006,
} as const;
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_ENDOFOPT = 0;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/** True when `bytes` start with a pcapng Section Header Block type. */
export const isPcapng = (bytes: Uint8Array): boolean =>
  bytes.length >= 4 && bytes[0] === 0x0a && bytes[1] === 0x0d && bytes[2] === 0x0d && bytes[3] === 0x0a;

export type PcapngContents = {
  readonly interfaces: readonly CaptureInterface[];
  readonly packets: readonly RecordedPacket[];
  readonly sections: number;
};

type Option = { readonly code: number; readonly value: Uint8Array; readonly offset: number };

/** The options of a block, from `start` to `end` (file offsets). Stops at opt_endofopt or when under 4 bytes remain. */
const readOptions = (bytes: Uint8Array, view: DataView, le: boolean, start: number, end: number): Option[] => {
  const out: Option[] = [];
  let at = start;
  while (end - at >= 4) {
    const code = view.getUint16(at, le);
    const length = view.getUint16(at + 2, le);
    if (code === OPT_ENDOFOPT) break;
    const padded = (length + 3) & ~3;
    if (padded > end - at - 4) throw new CaptureError('pcapng-option', at, `option ${code} length ${length}, ${end - at - 4} bytes left in block`);
    out.push({ code, value: bytes.subarray(at + 4, at + 4 + length), offset: at });
    at += 4 + padded;
  }
  return out;
};

export const readPcapng = (bytes: Uint8Array): PcapngContents => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const interfaces: CaptureInterface[] = [];
  const packets: RecordedPacket[] = [];
  let section = -1; // the caller checked that the file starts with an SHB
  let le = true;
  /** This section's interface ids -> index in `interfaces`. */
  let local: number[] = [];
  let lastEpoch = 0n;
  let at = 0;

  const iface = (id: number, blockAt: number): { global: number; info: CaptureInterface } => {
    const global = local[id];
    const info = global === undefined ? undefined : interfaces[global];
    if (global === undefined || info === undefined) {
      throw new CaptureError('pcapng-unknown-interface', blockAt, `interface ${id}, section has ${local.length}`);
    }
    return { global, info };
  };
  const needBody = (blockAt: number, bodyLength: number, need: number, what: string): void => {
    if (bodyLength < need) throw new CaptureError('pcapng-block-body', blockAt, `${what} needs ${need} bytes, body has ${bodyLength}`);
  };

  while (at < bytes.length) {
    if (bytes.length - at < 12) throw new CaptureError('pcapng-block-truncated', at, `${bytes.length - at} bytes left`);
    const isShb = isPcapng(bytes.subarray(at));
    if (isShb) {
      const bom = view.getUint32(at + 8, true);
      if (bom === PCAPNG_BYTE_ORDER_MAGIC) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else throw new CaptureError('pcapng-byte-order-magic', at + 8, `0x${bom.toString(16)}`);
    }
    const type = view.getUint32(at, le);
    const length = view.getUint32(at + 4, le);
    if (length < 12 || length % 4 !== 0 || length > bytes.length - at) {
      throw new CaptureError('pcapng-block-length', at + 4, `length ${length}, ${bytes.length - at} bytes left`);
    }
    if (view.getUint32(at + length - 4, le) !== length) {
      throw new CaptureError('pcapng-trailing-length', at + length - 4, `leading ${length}, trailing ${view.getUint32(at + length - 4, le)}`);
    }
    const body = at + 8;
    const bodyEnd = at + length - 4;
    const bodyLength = bodyEnd - body;
    switch (type) {
      case PCAPNG_BLOCK_TYPES.SHB: {
        needBody(at, bodyLength, 16, 'Section Header Block');
        const major = view.getUint16(body + 4, le);
        if (major !== 1) throw new CaptureError('pcapng-version', body + 4, `version ${major}`);
        section++;
        local = [];
        break;
      }
      case PCAPNG_BLOCK_TYPES.IDB: {
        needBody(at, bodyLength, 8, 'Interface Description Block');
        let tsUnit = MICROSECONDS;
        let tsOffsetSeconds = 0n;
        let name: string | undefined;
        for (const o of readOptions(bytes, view, le, body + 8, bodyEnd)) {
          if (o.code === IF_TSRESOL) {
            if (o.value.length !== 1) throw new CaptureError('pcapng-option', o.offset, `if_tsresol length ${o.value.length}`);
            tsUnit = tsresolUnit(o.value[0] ?? 0, o.offset);
          } else if (o.code === IF_TSOFFSET) {
            if (o.value.length !== 8) throw new CaptureError('pcapng-option', o.offset, `if_tsoffset length ${o.value.length}`);
            tsOffsetSeconds = view.getBigInt64(o.offset + 4, le);
          } else if (o.code === IF_NAME) {
            name = new TextDecoder().decode(o.value).replace(/\0+$/, '');
          }
        }
        local.push(interfaces.length);
        interfaces.push({
          section,
          linkType: view.getUint16(body, le),
          snaplen: view.getUint32(body + 4, le),
          tsUnit,
          tsOffsetSeconds,
          ...(name === undefined ? {} : { name }),
        });
        break;
      }
      case PCAPNG_BLOCK_TYPES.EPB:
      case PCAPNG_BLOCK_TYPES.OPB: {
        needBody(at, bodyLength, 20, type === PCAPNG_BLOCK_TYPES.EPB ? 'Enhanced Packet Block' : 'Packet Block');
        const id = type === PCAPNG_BLOCK_TYPES.EPB ? view.getUint32(body, le) : view.getUint16(body, le);
        const { global, info } = iface(id, at);
        const ticks = (BigInt(view.getUint32(body + 4, le)) << 32n) | BigInt(view.getUint32(body + 8, le));
        const captured = view.getUint32(body + 12, le);
        const original = view.getUint32(body + 16, le);
        needBody(at, bodyLength, 20 + captured, 'packet data');
        lastEpoch = ticksToEpochNanos(info, ticks);
        packets.push({
          fileOffset: at,
          interfaceId: global,
          linkType: info.linkType,
          epochNanos: lastEpoch,
          originalLength: original,
          data: bytes.subarray(body + 20, body + 20 + captured),
          truncated: captured < original,
        });
        break;
      }
      case PCAPNG_BLOCK_TYPES.SPB: {
        needBody(at, bodyLength, 4, 'Simple Packet Block');
        const { global, info } = iface(0, at);
        const original = view.getUint32(body, le);
        let captured = Math.min(original, bodyLength - 4);
        if (info.snaplen > 0) captured = Math.min(captured, info.snaplen);
        packets.push({
          fileOffset: at,
          interfaceId: global,
          linkType: info.linkType,
          epochNanos: lastEpoch,
          originalLength: original,
          data: bytes.subarray(body + 4, body + 4 + captured),
          truncated: captured < original,
          timestampInferred: true,
        });
        break;
      }
      default:
        break; // Name resolution, statistics, decryption secrets, custom blocks: not needed here.
    }
    at += length;
  }
  return { interfaces, packets, sections: section + 1 };
};
