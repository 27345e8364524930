import { formatDuration } from '../time/duration.js';
import { MILLISECOND } from '../time/units.js';

/** Number formats shared by the sweep and advise renderers. Pure. */

/** A rate or count to three significant digits, without exponent for ordinary magnitudes. */
export function sig3(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'n/a';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(2).replace(/\.?0+e/, 'e');
  const digits = Math.max(0, 2 - Math.floor(Math.log10(a)));
  return String(Number(x.toFixed(digits)));
}

/** Milliseconds as a Go duration, to three significant digits (at least 1 ms resolution). */
export function durationMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  if (ms <= 0) return '0s';
  const unit = Math.max(1, 10 ** (Math.floor(Math.log10(ms)) - 2));
  return formatDuration(Math.round(ms / unit) * unit * MILLISECOND);
}

/** Nanoseconds as a Go duration (grid values are already rounded). */
export function durationNs(ns: number): string {
  return formatDuration(ns);
}

/** Bytes per hour in B, kB, MB (decimal units). */
export function bytes(x: number): string {
  if (x < 1000) return `${sig3(x)} B`;
  if (x < 1e6) return `${sig3(x / 1000)} kB`;
  return `${sig3(x / 1e6)} MB`;
}

/** Aligns the columns of a table of strings: left-aligned first `leftCols` columns, the rest right-aligned. */
export function alignColumns(rows: readonly (readonly string[])[], leftCols: number): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, k) => (widths[k] = Math.max(widths[k] ?? 0, cell.length)));
  return rows.map((r) => r.map((cell, k) => (k < leftCols ? cell.padEnd(widths[k] ?? 0) : cell.padStart(widths[k] ?? 0))).join('  ').trimEnd());
}
