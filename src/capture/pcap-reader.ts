/**
 * Classic libpcap files: a 24-byte file header, then records of a 16-byte header and the packet
 * data. Magic 0xA1B2C3D4 means microsecond timestamps, 0xA1B23C4D nanoseconds; read in either
 * byte order, which the magic reveals.
 */
import { CaptureError } from './capture-error.js';
import type { CaptureInterface, RecordedPacket } from './raw-packet.js';
import { MICROSECONDS, NANOSECONDS, ticksToEpochNanos } from './timestamp.js';

export const PCAP_MAGIC_MICROS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOS = 0xa1b23c4d;
const FILE_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;

/** True when `bytes` start with a libpcap magic number in either byte order. */
export const isPcap = (bytes: Uint8Array): boolean => pcapMagic(bytes) !== undefined;

const pcapMagic = (bytes: Uint8Array): { littleEndian: boolean; nanos: boolean } | undefined => {
  if (bytes.length < 4) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
  for (const littleEndian of [true, false]) {
    const m = view.getUint32(0, littleEndian);
    if (m === PCAP_MAGIC_MICROS) return { littleEndian, nanos: false };
    if (m === PCAP_MAGIC_NANOS) return { littleEndian, nanos: true };
  }
  return undefined;
};

export type PcapContents = {
  readonly interfaces: readonly CaptureInterface[];
  readonly packets: readonly RecordedPacket[];
};

export const readPcap = (bytes: Uint8Array): PcapContents => {
  const magic = pcapMagic(bytes);
  if (magic === undefined) throw new CaptureError('unknown-format', 0);
  if (bytes.length < FILE_HEADER_LENGTH) throw new CaptureError('pcap-header-truncated', 0, `${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = magic.littleEndian;
  const major = view.getUint16(4, le);
  if (major !== 2) throw new CaptureError('pcap-version', 4, `version ${major}`);
  // The link-type field's upper bits may carry FCS information; the link type is the low 16 bits.
  const iface: CaptureInterface = {
    section: 0,
    linkType: view.getUint32(20, le) & 0xffff,
    snaplen: view.getUint32(16, le),
    tsUnit: magic.nanos ? NANOSECONDS : MICROSECONDS,
    tsOffsetSeconds: 0n,
  };
  const packets: RecordedPacket[] = [];
  let at = FILE_HEADER_LENGTH;
  while (at < bytes.length) {
    if (bytes.length - at < RECORD_HEADER_LENGTH) {
      throw new CaptureError('pcap-record-truncated', at, `record header needs ${RECORD_HEADER_LENGTH} bytes, ${bytes.length - at} left`);
    }
    const seconds = BigInt(view.getUint32(at, le));
    const fraction = BigInt(view.getUint32(at + 4, le));
    const captured = view.getUint32(at + 8, le);
    const original = view.getUint32(at + 12, le);
    const dataStart = at + RECORD_HEADER_LENGTH;
    if (captured > bytes.length - dataStart) {
      throw new CaptureError('pcap-record-truncated', at, `captured length ${captured}, ${bytes.length - dataStart} bytes left`);
    }
    const ticks = seconds * (magic.nanos ? 1_000_000_000n : 1_000_000n) + fraction;
    packets.push({
      fileOffset: at,
      interfaceId: 0,
      linkType: iface.linkType,
      epochNanos: ticksToEpochNanos(iface, ticks),
      originalLength: original,
      data: bytes.subarray(dataStart, dataStart + captured),
      truncated: captured < original,
    });
    at = dataStart + captured;
  }
  return { interfaces: [iface], packets };
};
