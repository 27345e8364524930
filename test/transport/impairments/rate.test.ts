import { describe, expect, it } from 'vitest';
import { MILLISECOND, SECOND } from '../../../src/time/units.js';
import { formatRate, parseRate, RateSyntaxError } from '../../../src/transport/impairments/rate-syntax.js';
import { serializationTime } from '../../../src/transport/impairments/rate.js';

describe('serializationTime', () => {
  it.each([
    [1500, 10_000_000, 1_200_000], // a full Ethernet frame at 10 Mbit/s: 1.2 ms
    [1500, 1_000_000_000, 12_000],
    [1, 3, 2_666_666_667], // 8/3 s, rounded up
    [125, 1000, SECOND],
    [0, 1000, 0],
    [2_000_000, 3, 5_333_333_333_333_334], // 1.6e16 bit-ns: past 2^53, computed exactly with BigInt
  ])('%d bytes at %d bit/s take %d ns', (bytes, bps, ns) => {
    expect(serializationTime(bytes, bps)).toBe(ns);
  });

  it('is 0 on an unlimited link (rate undefined or 0, as netem)', () => {
    expect(serializationTime(1500, undefined)).toBe(0);
    expect(serializationTime(1500, 0)).toBe(0);
  });

  it('never rounds down: n bytes never take less than their true time', () => {
    for (const bytes of [1, 7, 40, 1448, 65_535]) {
      for (const bps of [1, 3, 7, 56_000, 999_999_937]) {
        const ns = serializationTime(bytes, bps);
        expect(ns * bps).toBeGreaterThanOrEqual(bytes * 8 * SECOND);
        expect((ns - 1) * bps).toBeLessThan(bytes * 8 * SECOND);
      }
    }
  });

  it('rejects negative or fractional bytes and rates', () => {
    expect(() => serializationTime(-1, 1000)).toThrow(RangeError);
    expect(() => serializationTime(1.5, 1000)).toThrow(RangeError);
    expect(() => serializationTime(1, -1000)).toThrow(RangeError);
    expect(() => serializationTime(1, 0.5)).toThrow(RangeError);
  });
});

describe("parseRate (tc's rate syntax)", () => {
  it.each([
    ['10mbit', 10_000_000],
    ['10Mbit', 10_000_000], // tc compares units with strcasecmp
    ['1kbit', 1000],
    ['1kibit', 1024],
    ['1gbit', 1_000_000_000],
    ['1gibit', 2 ** 30],
    ['1tbit', 1e12],
    ['1bps', 8], // bps = BYTES per second
    ['1kbps', 8000],
    ['64kbps', 512_000],
    ['1mbps', 8_000_000],
    ['1MiBps', 8 * 2 ** 20],
    ['2.5gbps', 20_000_000_000],
    ['1.5mbit', 1_500_000],
    ['1.1mbit', 1_100_000], // exact: 1.1 * 1e6 is 1100000.0000000002 in floating point
    ['.5kbit', 500],
    ['1.kbit', 1000],
    ['1000', 1000], // a bare number is bits per second
    ['1000bit', 1000],
    [' 10mbit ', 10_000_000],
  ])('%j is %d bit/s', (text, bits) => {
    expect(parseRate(text)).toBe(bits);
  });

  it.each([
    ['', 'empty rate'],
    ['-1mbit', 'negative rate "-1mbit"'],
    ['5%', 'a percentage rate "5%" needs a device speed; give an absolute rate such as "10mbit"'],
    ['mbit', 'invalid rate "mbit" (expected a number and a unit such as "10mbit")'],
    ['10 mbit', 'unknown rate unit " mbit" in "10 mbit"'],
    ['10mb', 'unknown rate unit "mb" in "10mb"'],
    ['1e6', 'unknown rate unit "e6" in "1e6"'],
    ['1.5bit', 'rate "1.5bit" is not a whole number of bits per second'],
    ['0mbit', 'rate "0mbit" is 0; leave the rate out for an unlimited link'],
    ['2000tbps', 'rate "2000tbps" is too large'],
  ])('rejects %j: %s', (text, message) => {
    expect(() => parseRate(text)).toThrow(RateSyntaxError);
    expect(() => parseRate(text)).toThrow(message);
  });
});

describe('formatRate', () => {
  it.each([
    [10_000_000, '10mbit'],
    [1_500_000, '1.5mbit'],
    [1234, '1.234kbit'],
    [1_000_000_000, '1gbit'],
    [7, '7bit'],
    [1_234_567, '1234.567kbit'],
    [1_000_001, '1000.001kbit'],
  ])('%d bit/s is %j', (bits, text) => {
    expect(formatRate(bits)).toBe(text);
  });

  it('round-trips through parseRate', () => {
    for (const bits of [1, 999, 1000, 1001, 64_000, 1_544_000, 10 * 2 ** 20, 9_999_999_999, Number.MAX_SAFE_INTEGER]) {
      expect(parseRate(formatRate(bits))).toBe(bits);
    }
  });
});

describe('units agree', () => {
  it('a 10 mbit link carries 1250 bytes in 1 ms', () => {
    expect(serializationTime(1250, parseRate('10mbit'))).toBe(MILLISECOND);
  });
});
