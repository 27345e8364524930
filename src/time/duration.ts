import { HOUR, MICROSECOND, MILLISECOND, MINUTE, NANOSECOND, SECOND, type Nanos } from './units.js';

/** Thrown for a string that is not a Go duration; the message says what was wrong. */
export class DurationSyntaxError extends Error {
  override readonly name = 'DurationSyntaxError';
}

const UNITS: Readonly<Record<string, number>> = {
  ns: NANOSECOND,
  us: MICROSECOND,
  'µs': MICROSECOND,
  'μs': MICROSECOND,
  ms: MILLISECOND,
  s: SECOND,
  m: MINUTE,
  h: HOUR,
};

const PIECE = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

/**
 * Parses Go's duration syntax (`time.ParseDuration`): a sequence of decimal numbers, each with an
 * optional fraction and a unit (`ns us µs ms s m h`), e.g. `"1h2m3.5s"`, `"250ms"`, `"0"`.
 * Negative durations are rejected: nothing in kpsim is configured with one.
 * The result is rounded to the nearest nanosecond.
 */
export function parseDuration(text: string): Nanos {
  const s = text.trim();
  if (s === '') throw new DurationSyntaxError('empty duration');
  if (s === '0') return 0;
  if (s.startsWith('-')) throw new DurationSyntaxError(`negative duration "${text}"`);
  let rest = s.startsWith('+') ? s.slice(1) : s;
  if (rest === '') throw new DurationSyntaxError(`invalid duration "${text}"`);
  let total = 0;
  while (rest.length > 0) {
    const m = PIECE.exec(rest);
    if (m === null) {
      const hint = /^\d+(\.\d*)?$/.test(rest) ? ' (missing unit: use ns, us, ms, s, m or h)' : '';
      throw new DurationSyntaxError(`invalid duration "${text}"${hint}`);
    }
    const [whole, num, unit] = m as unknown as [string, string, string];
    total += Number(num) * (UNITS[unit] ?? 0);
    rest = rest.slice(whole.length);
  }
  const rounded = Math.round(total);
  if (!Number.isSafeInteger(rounded)) throw new DurationSyntaxError(`duration "${text}" is too large (limit about 104 days)`);
  return rounded;
}

/**
 * Formats like Go's `time.Duration.String()`: `"1h2m3.5s"`, `"250ms"`, `"1.5µs"`, `"0s"`.
 */
export function formatDuration(ns: Nanos): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(Math.round(ns));
  let out: string;
  if (u < SECOND) {
    if (u < MICROSECOND) out = `${u}ns`;
    else if (u < MILLISECOND) out = `${fraction(u, MICROSECOND)}µs`;
    else out = `${fraction(u, MILLISECOND)}ms`;
  } else {
    const h = Math.floor(u / HOUR);
    u -= h * HOUR;
    const m = Math.floor(u / MINUTE);
    u -= m * MINUTE;
    const secs = `${fraction(u, SECOND)}s`;
    out = h > 0 ? `${h}h${m}m${secs}` : m > 0 ? `${m}m${secs}` : secs;
  }
  return neg ? `-${out}` : out;
}

function fraction(v: number, unit: number): string {
  const whole = Math.floor(v / unit);
  const frac = v - whole * unit;
  if (frac === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(frac).padStart(digits, '0').replace(/0+$/, '')}`;
}
