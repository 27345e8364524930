import { SECOND, type Nanos } from '../../time/units.js';

/**
 * A link's bandwidth: netem's `rate RATE`. Each packet occupies the link for its serialization
 * time, `bytes * 8 / bitsPerSecond` (linux net/sched/sch_netem.c `packet_time_ns`, without the
 * optional PACKETOVERHEAD / CELLSIZE / CELLOVERHEAD).
 */
export type LinkRate = {
  /**
   * Whole bits per second; `undefined` (or 0, as in netem) for an unlimited link.
   * @default undefined
   */
  readonly bitsPerSecond: number | undefined;
};

const BITS_PER_BYTE = 8;
const BIG_NS_PER_BYTE_BIT = BigInt(BITS_PER_BYTE * SECOND);

/**
 * Time to put `bytes` on a link of `bitsPerSecond`: ceil(bytes * 8 * 1e9 / bitsPerSecond) ns,
 * exact. 0 for an unlimited link (`bitsPerSecond` undefined or 0).
 *
 * DIVERGES: netem's `packet_time_ns` divides bytes by a rate in whole BYTES per second and
 * truncates (`div64_u64`); kpsim keeps the rate in bits and rounds up, so a packet never takes
 * less than its true time on the wire.
 *
 * @throws RangeError if `bytes` is not an integer >= 0 or `bitsPerSecond` is not an integer >= 0.
 */
export function serializationTime(bytes: number, bitsPerSecond: number | undefined): Nanos {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`serializationTime: bytes must be an integer >= 0, got ${bytes}`);
  if (bitsPerSecond === undefined || bitsPerSecond === 0) return 0;
  if (!Number.isSafeInteger(bitsPerSecond) || bitsPerSecond < 0) {
    throw new RangeError(`serializationTime: bitsPerSecond must be an integer >= 0, got ${bitsPerSecond}`);
  }
  const bitNanos = bytes * BITS_PER_BYTE * SECOND;
  if (bitNanos <= Number.MAX_SAFE_INTEGER) {
    // Both operands are exact integers, so % is exact and so is the quotient of the multiple.
    const rem = bitNanos % bitsPerSecond;
    return (bitNanos - rem) / bitsPerSecond + (rem > 0 ? 1 : 0);
  }
  const num = BigInt(bytes) * BIG_NS_PER_BYTE_BIT;
  const den = BigInt(bitsPerSecond);
  return Number((num + den - 1n) / den);
}
