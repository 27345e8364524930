import { describe, expect, it } from 'vitest';
import { CaptureError, LINK_TYPES, readCapture, writePcap } from '../../src/capture/capture.js';
import { captureErrorOf, NO_FLAGS, pcapFile } from './capture-builders.js';

const data = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);

const captureError = (input: Uint8Array): CaptureError => captureErrorOf(readCapture, input);

describe('libpcap reader', () => {
  for (const littleEndian of [true, false]) {
    for (const nanos of [false, true]) {
      it(`reads ${littleEndian ? 'little' : 'big'}-endian files with ${nanos ? 'nanosecond' : 'microsecond'} timestamps`, () => {
        // Second record 1.5 s + 2 units after the first: 1_500_002_000 ns in microseconds, 1_500_000_002 in nanoseconds.
        const records = [
          { seconds: 1_700_000_000, fraction: 100, data: data(10, 1) },
          { seconds: 1_700_000_001, fraction: nanos ? 500_000_102 : 500_102, data: data(7, 2) },
        ];
        const file = readCapture(pcapFile({ littleEndian, nanos, linkType: LINK_TYPES.RAW, records }));
        expect(file.format).toBe('pcap');
        expect(file.interfaces).toEqual([{ section: 0, linkType: 101, snaplen: 65535, tsUnit: { num: nanos ? 1n : 1000n, den: 1n }, tsOffsetSeconds: 0n }]);
        expect(file.startEpochNanos).toBe(1_700_000_000_000_000_000n + (nanos ? 100n : 100_000n));
        expect(file.packets.map((p) => [p.index, p.at, p.data.length, p.data[0], p.linkType])).toEqual([
          [0, 0, 10, 1, 101],
          [1, nanos ? 1_500_000_002 : 1_500_002_000, 7, 2, 101],
        ]);
        expect(file.packets[1]?.fileOffset).toBe(24 + 16 + 10);
      });
    }
  }

  it('reports packets the snapshot length cut short', () => {
    const file = readCapture(pcapFile({ littleEndian: true, nanos: false, linkType: 1, snaplen: 8, records: [{ seconds: 0, fraction: 0, data: data(8, 0), originalLength: 60 }] }));
    expect(file.packets[0]).toMatchObject({ truncated: true, originalLength: 60 });
    expect(file.packets[0]?.data.length).toBe(8);
  });

  it('reads the writer\'s output (nanosecond magic, Ethernet)', () => {
    const bytes = writePcap([{ at: 1234, from: 'client', flags: NO_FLAGS, seq: 1, ack: 0, payload: new Uint8Array(3) }]);
    const file = readCapture(bytes);
    expect(file.interfaces[0]?.tsUnit).toEqual({ num: 1n, den: 1n });
    expect(file.startEpochNanos).toBe(1_700_000_000_000_001_234n);
    expect(file.packets[0]?.data.length).toBe(14 + 20 + 20 + 3);
  });

  it('names a file cut inside its header, a record header, or packet data, with the offset', () => {
    const good = pcapFile({ littleEndian: true, nanos: false, linkType: 1, records: [{ seconds: 0, fraction: 0, data: data(20, 0) }] });
    expect(captureError(good.subarray(0, 10))).toMatchObject({ rule: 'pcap-header-truncated', offset: 0 });
    expect(captureError(good.subarray(0, 30))).toMatchObject({ rule: 'pcap-record-truncated', offset: 24 });
    const cut = captureError(good.subarray(0, 50));
    expect(cut).toMatchObject({ rule: 'pcap-record-truncated', offset: 24 });
    expect(cut.message).toContain('captured length 20, 10 bytes left');
  });

  it('rejects an unknown magic and a major version other than 2', () => {
    expect(captureError(Uint8Array.of(1, 2, 3, 4, 5))).toMatchObject({ rule: 'unknown-format', offset: 0 });
    expect(captureError(new Uint8Array(0))).toMatchObject({ rule: 'unknown-format' });
    const v3 = pcapFile({ littleEndian: false, nanos: false, linkType: 1, records: [] });
    v3[5] = 3;
    expect(captureError(v3)).toMatchObject({ rule: 'pcap-version', offset: 4 });
  });
});
