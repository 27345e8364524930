import { CaptureError } from './capture-error.js';
import type { CaptureInterface } from './raw-packet.js';

const NS_PER_SECOND = 1_000_000_000n;

/** Units (ticks) since the epoch on `iface` -> nanoseconds since the epoch, rounded down. */
export const ticksToEpochNanos = (iface: CaptureInterface, ticks: bigint): bigint =>
  (ticks * iface.tsUnit.num) / iface.tsUnit.den + iface.tsOffsetSeconds * NS_PER_SECOND;

/** Largest if_tsresol exponent accepted: 2^-64 s or 10^-30 s is already far below a nanosecond. */
const MAX_POW2 = 64;
const MAX_POW10 = 30;

/**
 * Decodes pcapng if_tsresol (section 4.2 of the pcapng draft): the high bit chooses base 2,
 * otherwise base 10; the low 7 bits are the negative exponent. Returns nanoseconds per tick.
 */
export const tsresolUnit = (value: number, offset: number): { num: bigint; den: bigint } => {
  const exp = value & 0x7f;
  if ((value & 0x80) !== 0) {
    if (exp > MAX_POW2) throw new CaptureError('pcapng-tsresol', offset, `2^-${exp}`);
    return { num: NS_PER_SECOND, den: 1n << BigInt(exp) };
  }
  if (exp > MAX_POW10) throw new CaptureError('pcapng-tsresol', offset, `10^-${exp}`);
  return exp <= 9 ? { num: 10n ** BigInt(9 - exp), den: 1n } : { num: 1n, den: 10n ** BigInt(exp - 9) };
};

export const MICROSECONDS: { num: bigint; den: bigint } = { num: 1000n, den: 1n };
export const NANOSECONDS: { num: bigint; den: bigint } = { num: 1n, den: 1n };
