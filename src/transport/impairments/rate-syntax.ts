/**
 * tc's rate syntax (tc(8) "RATES"; iproute2 lib/utils_math.c `get_rate64`): a decimal number and
 * a unit, case-insensitive. SI prefixes are powers of 1000, IEC prefixes (`ki`, `mi`, ...) powers
 * of 1024; `bit` units count bits, `bps` units count BYTES: `"10mbit"` is 10,000,000 bit/s,
 * `"1kbps"` is 8,000 bit/s. A bare number is bits per second, as in tc.
 *
 * DIVERGES: tc also takes a percentage of the device's speed (`"5%"`) and C's `strtod` forms
 * (`"1e6"`, hex); kpsim has no device and takes plain decimals only. tc stores whole bytes per
 * second (truncating); kpsim keeps whole bits per second and rejects a rate that is not one.
 */

/** Bits per second per unit, as in tc's `suffixes[]` table (lower-cased: tc compares with strcasecmp). */
export const RATE_UNITS = {
  bit: 1,
  kibit: 1024,
  kbit: 1000,
  mibit: 1024 ** 2,
  mbit: 1000 ** 2,
  gibit: 1024 ** 3,
  gbit: 1000 ** 3,
  tibit: 1024 ** 4,
  tbit: 1000 ** 4,
  bps: 8,
  kibps: 8 * 1024,
  kbps: 8 * 1000,
  mibps: 8 * 1024 ** 2,
  mbps: 8 * 1000 ** 2,
  gibps: 8 * 1024 ** 3,
  gbps: 8 * 1000 ** 3,
  tibps: 8 * 1024 ** 4,
  tbps: 8 * 1000 ** 4,
} as const satisfies Readonly<Record<string, number>>;

export type RateUnit = keyof typeof RATE_UNITS;

/** The accepted syntax, for the JSON Schema only (validation is `parseRate`, whose messages say what is wrong). */
export const RATE_PATTERN = '^\\s*(\\d+(\\.\\d*)?|\\.\\d+)\\s*$|^\\s*(\\d+(\\.\\d*)?|\\.\\d+)([kKmMgGtT][iI]?)?([bB][iI][tT]|[bB][pP][sS])\\s*$';

/** Thrown for a string that is not a usable rate; the message says what was wrong. */
export class RateSyntaxError extends Error {
  override readonly name = 'RateSyntaxError';
}

const NUMBER = /^(\d+)(?:\.(\d*))?|^\.(\d+)/;
const UNIT_LIST = 'bit, kbit, mbit, gbit, tbit, bps, kbps, mbps, gbps, tbps (IEC: kibit, mibps, ...)';

function isRateUnit(unit: string): unit is RateUnit {
  return Object.hasOwn(RATE_UNITS, unit);
}

/**
 * Parses a tc rate (`"10mbit"`, `"1.5Mbit"`, `"64kbps"`, `"1000"`) to whole bits per second,
 * exactly (decimal arithmetic, no floating-point rounding). The rate must be greater than 0.
 */
export function parseRate(text: string): number {
  const s = text.trim();
  if (s === '') throw new RateSyntaxError('empty rate');
  if (s.startsWith('-')) throw new RateSyntaxError(`negative rate "${text}"`);
  if (s.endsWith('%')) throw new RateSyntaxError(`a percentage rate "${text}" needs a device speed; give an absolute rate such as "10mbit"`);
  const m = NUMBER.exec(s);
  if (m === null) throw new RateSyntaxError(`invalid rate "${text}" (expected a number and a unit such as "10mbit")`);
  const intDigits = m[1] ?? '0';
  const fracDigits = m[2] ?? m[3] ?? '';
  const unitText = s.slice(m[0].length);
  const unit = unitText === '' ? 'bit' : unitText.toLowerCase();
  if (!isRateUnit(unit)) throw new RateSyntaxError(`unknown rate unit "${unitText}" in "${text}" (use ${UNIT_LIST})`);
  // value = digits / 10^len(frac) * scale, kept as an exact fraction.
  const numerator = BigInt(intDigits + fracDigits) * BigInt(RATE_UNITS[unit]);
  const denominator = 10n ** BigInt(fracDigits.length);
  if (numerator % denominator !== 0n) throw new RateSyntaxError(`rate "${text}" is not a whole number of bits per second`);
  const bits = numerator / denominator;
  if (bits === 0n) throw new RateSyntaxError(`rate "${text}" is 0; leave the rate out for an unlimited link`);
  if (bits > BigInt(Number.MAX_SAFE_INTEGER)) throw new RateSyntaxError(`rate "${text}" is too large`);
  return Number(bits);
}

const FORMAT_UNITS = [
  ['tbit', RATE_UNITS.tbit],
  ['gbit', RATE_UNITS.gbit],
  ['mbit', RATE_UNITS.mbit],
  ['kbit', RATE_UNITS.kbit],
] as const;

/**
 * Formats whole bits per second in the largest SI bit unit that shows it exactly with at most
 * three decimals: 10_000_000 -> "10mbit", 1_500_000 -> "1.5mbit", 1234 -> "1.234kbit", 7 -> "7bit".
 * `parseRate(formatRate(n)) === n` for every safe integer n > 0.
 */
export function formatRate(bitsPerSecond: number): string {
  if (!Number.isSafeInteger(bitsPerSecond) || bitsPerSecond < 0) throw new RangeError(`formatRate: expected whole bits per second, got ${bitsPerSecond}`);
  for (const [name, scale] of FORMAT_UNITS) {
    const step = scale / 1000;
    if (bitsPerSecond < scale || bitsPerSecond % step !== 0) continue;
    const whole = Math.floor(bitsPerSecond / scale);
    const thousandths = (bitsPerSecond % scale) / step;
    const frac = thousandths === 0 ? '' : `.${String(thousandths).padStart(3, '0').replace(/0+$/, '')}`;
    return `${whole}${frac}${name}`;
  }
  return `${bitsPerSecond}bit`;
}
