/**
 * Colour scales for the sweep heatmaps: a sequential ramp (light = few, dark = many), sampled by
 * position in [0, 1], and the log mapping of positive values onto it. Pure.
 */

/** Light yellow to dark red, after ColorBrewer's YlOrRd (colours written out, not copied code). */
const RAMP: readonly (readonly [number, number, number])[] = [
  [255, 255, 204],
  [254, 217, 118],
  [253, 141, 60],
  [227, 26, 28],
  [128, 0, 38],
];

/** Cells whose value is exactly 0 (nothing observed) get a colour off the ramp. */
export const ZERO_COLOUR = '#d9f0d3';

export function rampColour(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 1)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP[i] as readonly [number, number, number];
  const b = RAMP[i + 1] as readonly [number, number, number];
  const hex = (k: 0 | 1 | 2): string => Math.round(a[k] + (b[k] - a[k]) * f).toString(16).padStart(2, '0');
  return `#${hex(0)}${hex(1)}${hex(2)}`;
}

/** A log10 scale over the positive finite values given; degenerate ranges widen to one decade. */
export type LogScale = { readonly lo: number; readonly hi: number; position(v: number): number };

export function logScale(values: readonly number[]): LogScale | undefined {
  const logs = values.filter((v) => v > 0 && Number.isFinite(v)).map(Math.log10);
  if (logs.length === 0) return undefined;
  let lo = Math.floor(Math.min(...logs));
  let hi = Math.ceil(Math.max(...logs));
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  return { lo, hi, position: (v) => (v === Number.POSITIVE_INFINITY ? 1 : (Math.log10(v) - lo) / (hi - lo)) };
}
