import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUtcNanos } from '../../src/time/utc.js';

describe('formatUtcNanos', () => {
  it('agrees with Date for any millisecond from 1900 to 2400, and keeps the nanoseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2_208_988_800_000, max: 13_569_465_600_000 }), fc.integer({ min: 0, max: 999_999 }), (ms, subMs) => {
        const ns = BigInt(ms) * 1_000_000n + BigInt(subMs);
        const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
        expect(formatUtcNanos(ns)).toBe(`${iso.slice(0, 23)}${String(subMs).padStart(6, '0')}Z`);
      }),
    );
  });
  it('formats kpsim\'s pcap epoch and a leap day', () => {
    expect(formatUtcNanos(1_700_000_000_000_000_000n)).toBe('2023-11-14T22:13:20.000000000Z');
    expect(formatUtcNanos(1_709_208_000_123_456_789n)).toBe('2024-02-29T12:00:00.123456789Z');
  });
});
