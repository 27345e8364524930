import { describe, expect, it } from 'vitest';
import { CaptureError, LINK_TYPES, readCapture, writePcapng, type PcapngSectionSpec } from '../../src/capture/capture.js';
import { captureErrorOf } from './capture-builders.js';

const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);
const S = 1_000_000_000n;

const captureError = (input: Uint8Array): CaptureError => captureErrorOf(readCapture, input);

const sections: PcapngSectionSpec[] = [
  {
    littleEndian: true,
    interfaces: [{ linkType: LINK_TYPES.ETHERNET, name: 'eth0' }], // default resolution: microseconds
    blocks: [
      { type: 'epb', interfaceId: 0, ticks: 1_700_000_000_000_000n, data: bytes(5, 1) },
      { type: 'other', blockType: 4, body: bytes(8, 0) }, // name resolution block: skipped
      { type: 'spb', data: bytes(6, 2) },
      { type: 'opb', interfaceId: 0, ticks: 1_700_000_000_000_010n, data: bytes(3, 3), originalLength: 9 },
      { type: 'other', blockType: 0x0bad_c0de, body: bytes(12, 7) },
    ],
  },
  {
    littleEndian: false,
    interfaces: [
      { linkType: LINK_TYPES.RAW, tsresol: 3, tsoffsetSeconds: 1_700_000_000n }, // milliseconds, offset
      { linkType: LINK_TYPES.LINUX_SLL2, tsresol: 0x80 | 10 }, // 2^-10 s
    ],
    blocks: [
      { type: 'epb', interfaceId: 0, ticks: 1_500n, data: bytes(4, 4) },
      { type: 'epb', interfaceId: 1, ticks: 1_700_000_002n * 1024n + 1n, data: bytes(8, 5) },
    ],
  },
];

describe('pcapng reader', () => {
  it('reads sections of either byte order, with per-section interfaces, resolutions and offsets', () => {
    const file = readCapture(writePcapng(sections));
    expect(file.format).toBe('pcapng');
    expect(file.interfaces.map((i) => [i.section, i.linkType, i.tsUnit, i.tsOffsetSeconds, i.name])).toEqual([
      [0, 1, { num: 1000n, den: 1n }, 0n, 'eth0'],
      [1, 101, { num: 1_000_000n, den: 1n }, 1_700_000_000n, undefined],
      [1, 276, { num: S, den: 1024n }, 0n, undefined],
    ]);
    const start = 1_700_000_000n * S;
    expect(file.startEpochNanos).toBe(start);
    expect(file.packets.map((p) => [p.interfaceId, p.linkType, p.epochNanos - start, p.data[0], p.data.length, p.originalLength, p.truncated])).toEqual([
      [0, 1, 0n, 1, 5, 5, false],
      [0, 1, 0n, 2, 6, 6, false], // SPB: no timestamp of its own, takes the previous one
      [0, 1, 10_000n, 3, 3, 9, true],
      [1, 101, 1_500_000_000n, 4, 4, 4, false], // 1500 ms after the offset
      [2, 276, 2n * S + 976_562n, 5, 8, 8, false], // 2 s + 1/1024 s, rounded down
    ]);
    expect(file.packets[1]?.timestampInferred).toBe(true);
    expect(file.packets.map((p) => p.at)).toEqual([0, 0, 10_000, 1_500_000_000, 2_000_976_562]);
  });

  it('an SPB is cut to the interface snaplen', () => {
    const file = readCapture(writePcapng([{ littleEndian: true, interfaces: [{ linkType: 1, snaplen: 4 }], blocks: [{ type: 'spb', data: bytes(8, 1) }] }]));
    expect(file.packets[0]).toMatchObject({ originalLength: 8, truncated: true });
    expect(file.packets[0]?.data.length).toBe(4);
  });

  it('an empty file body (one SHB) has no packets', () => {
    const file = readCapture(writePcapng([{ littleEndian: false, interfaces: [], blocks: [] }]));
    expect(file.packets).toEqual([]);
    expect(file.startEpochNanos).toBe(0n);
  });

  it('names structural errors with their byte offset', () => {
    const good = writePcapng(sections);
    const shbLength = 28;
    const idbAt = shbLength;
    expect(captureError(good.subarray(0, 40))).toMatchObject({ rule: 'pcapng-block-length', offset: idbAt + 4 });
    expect(captureError(good.subarray(0, shbLength + 6))).toMatchObject({ rule: 'pcapng-block-truncated', offset: idbAt });

    const badBom = good.slice();
    badBom[8] = 0;
    expect(captureError(badBom)).toMatchObject({ rule: 'pcapng-byte-order-magic', offset: 8 });

    const notMultipleOf4 = good.slice();
    new DataView(notMultipleOf4.buffer).setUint32(idbAt + 4, 30, true);
    expect(captureError(notMultipleOf4)).toMatchObject({ rule: 'pcapng-block-length', offset: idbAt + 4 });

    const trailing = good.slice();
    trailing[shbLength - 4] = 99;
    expect(captureError(trailing)).toMatchObject({ rule: 'pcapng-trailing-length', offset: shbLength - 4 });

    const version = good.slice();
    version[12] = 2;
    expect(captureError(version)).toMatchObject({ rule: 'pcapng-version', offset: 12 });

    // Without a leading SHB the file is not recognised as pcapng at all.
    expect(captureError(good.slice(shbLength))).toMatchObject({ rule: 'unknown-format', offset: 0 });
  });

  it('rejects a packet for an undescribed interface, data past its block, a bad option, an absurd resolution', () => {
    const unknownIface = writePcapng([{ littleEndian: true, interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', interfaceId: 1, ticks: 0n, data: bytes(4, 0) }] }]);
    expect(captureError(unknownIface)).toMatchObject({ rule: 'pcapng-unknown-interface', offset: 28 + 20 });

    const epb = writePcapng([{ littleEndian: true, interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', interfaceId: 0, ticks: 0n, data: bytes(4, 0) }] }]);
    new DataView(epb.buffer).setUint32(48 + 20, 400, true); // captured length
    expect(captureError(epb)).toMatchObject({ rule: 'pcapng-block-body', offset: 48 });

    const option = writePcapng([{ littleEndian: true, interfaces: [{ linkType: 1, name: 'abcd' }], blocks: [] }]);
    new DataView(option.buffer).setUint16(28 + 16 + 2, 200, true); // if_name length
    expect(captureError(option)).toMatchObject({ rule: 'pcapng-option', offset: 28 + 16 });

    const resol = writePcapng([{ littleEndian: true, interfaces: [{ linkType: 1, tsresol: 0x80 | 100 }], blocks: [] }]);
    expect(captureError(resol)).toMatchObject({ rule: 'pcapng-tsresol' });
  });

  it('rejects timestamps more than 2^53 ns apart', () => {
    const far = writePcapng([{ littleEndian: true, interfaces: [{ linkType: 1, tsresol: 0 }], blocks: [
      { type: 'epb', interfaceId: 0, ticks: 0n, data: bytes(1, 0) },
      { type: 'epb', interfaceId: 0, ticks: 10_000_000n, data: bytes(1, 0) }, // 10^7 s: about 116 days
    ] }]);
    expect(captureError(far)).toMatchObject({ rule: 'timestamp-range' });
  });
});
