/**
 * Nanoseconds since the Unix epoch as ISO 8601 UTC with nine fractional digits, computed (not
 * read from a clock): for stamping capture times in reports. Days to a civil date by Howard
 * Hinnant's days_from_civil inverse (proleptic Gregorian).
 */
export function formatUtcNanos(epochNanos: bigint): string {
  const NS_PER_DAY = 86_400_000_000_000n;
  let days = epochNanos / NS_PER_DAY;
  let rem = epochNanos % NS_PER_DAY;
  if (rem < 0n) {
    rem += NS_PER_DAY;
    days -= 1n;
  }
  const { y, m, d } = civilFromDays(Number(days));
  const secOfDay = Number(rem / 1_000_000_000n);
  const frac = (rem % 1_000_000_000n).toString().padStart(9, '0');
  const hh = Math.floor(secOfDay / 3600);
  const mm = Math.floor((secOfDay % 3600) / 60);
  const ss = secOfDay % 60;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}.${frac}Z`;
}

function civilFromDays(z0: number): { y: number; m: number; d: number } {
  const z = z0 + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return { y, m, d };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
