import { CaptureError } from './capture-error.js';
import { isPcap, readPcap } from './pcap-reader.js';
import { isPcapng, readPcapng } from './pcapng-reader.js';
import type { CaptureFile, CaptureFormat, RawPacket, RecordedPacket } from './raw-packet.js';

const MAX_RELATIVE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Reads a libpcap or pcapng file (told apart by magic number) into its interfaces and raw packets,
 * with times relative to the first packet in file order. Throws CaptureError for a file it
 * cannot read; never anything else for any input.
 */
export const readCapture = (bytes: Uint8Array): CaptureFile => {
  let format: CaptureFormat;
  let contents: { interfaces: CaptureFile['interfaces']; packets: readonly RecordedPacket[] };
  if (isPcapng(bytes)) {
    format = 'pcapng';
    contents = readPcapng(bytes);
  } else if (isPcap(bytes)) {
    format = 'pcap';
    contents = readPcap(bytes);
  } else {
    throw new CaptureError('unknown-format', 0, bytes.length < 4 ? `${bytes.length} bytes` : undefined);
  }
  const start = contents.packets[0]?.epochNanos ?? 0n;
  const packets: RawPacket[] = contents.packets.map((p, index) => {
    const rel = p.epochNanos - start;
    if (rel > MAX_RELATIVE || rel < -MAX_RELATIVE) throw new CaptureError('timestamp-range', p.fileOffset, `packet ${index + 1}: ${rel} ns`);
    return { ...p, index, at: Number(rel) };
  });
  return { format, interfaces: contents.interfaces, packets, startEpochNanos: start };
};
