/**
 * Absurd lengths in a capture file: refused with a CaptureError naming the field and its offset,
 * before anything is allocated for them (the readers only take views of the input, and every
 * length is checked against the bytes left first), or, where the length is only a claim about the
 * wire (original length, snaplen), read as the claim it is. Through `analyzeCapture`, the entry
 * point `kpsim replay` uses.
 */
import { describe, expect, it } from 'vitest';
import { analyzeCapture, CaptureError, LINK_TYPES, readCapture, writePcapng } from '../../src/capture/capture.js';
import { captureErrorOf, pcapFile } from './capture-builders.js';

const U32_MAX = 0xffff_ffff;
const record = { seconds: 1, fraction: 0, data: new Uint8Array(40).fill(0x45) };

const captureError = (input: Uint8Array): CaptureError => captureErrorOf(analyzeCapture, input);

const setU32 = (bytes: Uint8Array, at: number, v: number): Uint8Array => {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(at, v, true);
  return copy;
};

describe('capture files that claim more than they hold', () => {
  it('a libpcap record header claiming a 4 GB captured length: pcap-record-truncated at the record', () => {
    const file = setU32(pcapFile({ littleEndian: true, nanos: false, linkType: LINK_TYPES.RAW, records: [record, record] }), 24 + 56 + 8, U32_MAX);
    const e = captureError(file);
    expect(e).toMatchObject({ rule: 'pcap-record-truncated', offset: 24 + 56 });
    expect(e.message).toContain(`captured length ${U32_MAX}, 40 bytes left`);
  });

  it('a libpcap record claiming 4 GB on the wire but 40 bytes captured: read, as a packet the snapshot length cut', () => {
    const file = setU32(pcapFile({ littleEndian: true, nanos: false, linkType: LINK_TYPES.RAW, records: [record] }), 24 + 12, U32_MAX);
    const a = analyzeCapture(file);
    expect(a.file.packets[0]).toMatchObject({ originalLength: U32_MAX, truncated: true });
    expect(a.file.packets[0]?.data.length).toBe(40);
  });

  it('a libpcap snaplen far beyond the file (4 GB): only recorded, the records read as they are', () => {
    const a = analyzeCapture(pcapFile({ littleEndian: true, nanos: false, linkType: LINK_TYPES.RAW, snaplen: U32_MAX, records: [record] }));
    expect(a.file.interfaces[0]?.snaplen).toBe(U32_MAX);
    expect(a.summary.packets).toBe(1);
  });

  it('a pcapng block total length beyond the file (4 GB, a multiple of 4): pcapng-block-length', () => {
    const good = writePcapng([{ littleEndian: true, interfaces: [{ linkType: LINK_TYPES.RAW }], blocks: [{ type: 'epb', interfaceId: 0, ticks: 0n, data: new Uint8Array(8) }] }]);
    const idbAt = 28;
    const e = captureError(setU32(good, idbAt + 4, 0xffff_fffc));
    expect(e).toMatchObject({ rule: 'pcapng-block-length', offset: idbAt + 4 });
    expect(e.message).toContain(`length ${0xffff_fffc}, ${good.length - idbAt} bytes left`);
  });

  it('a pcapng Enhanced Packet Block claiming 4 GB captured: pcapng-block-body', () => {
    const good = writePcapng([{ littleEndian: true, interfaces: [{ linkType: LINK_TYPES.RAW }], blocks: [{ type: 'epb', interfaceId: 0, ticks: 0n, data: new Uint8Array(8) }] }]);
    const epbAt = 28 + 20;
    expect(captureError(setU32(good, epbAt + 8 + 12, U32_MAX))).toMatchObject({ rule: 'pcapng-block-body', offset: epbAt });
  });

  it('a pcapng snaplen of 4 GB and a Simple Packet Block claiming 4 GB on the wire: read, cut to what the block holds', () => {
    const file = writePcapng([{ littleEndian: true, interfaces: [{ linkType: LINK_TYPES.RAW, snaplen: U32_MAX }], blocks: [{ type: 'spb', data: new Uint8Array(8), originalLength: U32_MAX }] }]);
    const c = readCapture(file);
    expect(c.interfaces[0]?.snaplen).toBe(U32_MAX);
    expect(c.packets[0]).toMatchObject({ originalLength: U32_MAX, truncated: true });
    expect(c.packets[0]?.data.length).toBe(8);
  });

  it('a pcapng option claiming 64 KiB in a small block: pcapng-option', () => {
    const file = writePcapng([{ littleEndian: true, interfaces: [{ linkType: LINK_TYPES.RAW, name: 'eth0' }], blocks: [] }]);
    const optionAt = 28 + 16;
    const copy = file.slice();
    new DataView(copy.buffer).setUint16(optionAt + 2, 0xffff, true);
    expect(captureError(copy)).toMatchObject({ rule: 'pcapng-option', offset: optionAt });
  });
});
