import { DurationSyntaxError, formatDuration, parseDuration } from '../time/duration.js';
import { MILLISECOND, type Nanos } from '../time/units.js';
import { SweepInputError } from './sweep-error.js';

/**
 * The values of one grid axis (`--time`, `--timeout`), written as a comma-separated list of items,
 * each a Go duration or a range:
 *
 *   30s,60s            a list
 *   10s..120s/12       12 values, linear steps, both ends included: 10s, 20s, ..., 120s
 *   1s..120s/12log     12 values, geometric steps (equal ratios), both ends included
 *   5s,10s..60s/6      items mix freely
 *
 * The values are sorted and duplicates dropped, so an axis always runs from small to large.
 * Linear values are rounded to the millisecond, log values to three significant digits (and the
 * millisecond), so that labels stay readable: `1s..120s/12log` gives 1s, 1.54s, 2.39s, ...
 */
export type AxisSpec = {
  /** The flag the text came from, for error messages. */
  readonly flag: string;
  readonly text: string;
};

/** Most values one range may produce (a grid larger than this is surely a typo). */
export const MAX_RANGE_STEPS = 10_000;

const RANGE = /^(?<from>[^.]*(?:\.[^.]+)*)\.\.(?<to>[^/]*)(?:\/(?<steps>[^/]*))?$/;
const STEPS = /^(?<n>\d+)(?<scale>lin|log)?$/;

export function parseAxis(spec: AxisSpec): readonly Nanos[] {
  const { flag, text } = spec;
  const fail = (part: string, why: string): SweepInputError => new SweepInputError(flag, `${flag} ${JSON.stringify(part)}: ${why}`);
  if (text.trim() === '') throw fail(text, 'empty list: give durations or a range, e.g. 30s,60s or 10s..120s/12');
  const values: Nanos[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') throw fail(text, 'empty item in the list (two commas, or a comma at an end)');
    if (item.includes('..')) values.push(...parseRange(item, fail));
    else values.push(parseValue(item, item, fail));
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

type Fail = (part: string, why: string) => SweepInputError;

function parseRange(item: string, fail: Fail): Nanos[] {
  const m = RANGE.exec(item);
  const from = m?.groups?.['from'] ?? '';
  const to = m?.groups?.['to'] ?? '';
  const steps = m?.groups?.['steps'];
  if (m === null || from === '' || to === '' || steps === undefined || steps === '') {
    throw fail(item, 'a range needs a start, an end and a step count, e.g. 10s..120s/12 or 1s..120s/12log');
  }
  const a = parseValue(from, item, fail);
  const b = parseValue(to, item, fail);
  const s = STEPS.exec(steps);
  if (s === null) throw fail(item, `step count "${steps}" is not a whole number optionally followed by lin or log, e.g. /12 or /12log`);
  const n = Number(s.groups?.['n']);
  const log = s.groups?.['scale'] === 'log';
  if (n < 2) throw fail(item, `a range needs at least 2 steps, got ${n}`);
  if (n > MAX_RANGE_STEPS) throw fail(item, `at most ${MAX_RANGE_STEPS} steps in a range, got ${n}`);
  if (b <= a) throw fail(item, `the end (${formatDuration(b)}) must be after the start (${formatDuration(a)})`);
  const out: Nanos[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 0) out.push(a);
    else if (i === n - 1) out.push(b);
    else out.push(log ? roundSignificant(a * (b / a) ** (i / (n - 1))) : roundMs(a + ((b - a) * i) / (n - 1)));
  }
  const distinct = new Set(out).size;
  if (distinct < n) throw fail(item, `${n} steps are finer than the millisecond rounding allows between ${formatDuration(a)} and ${formatDuration(b)}`);
  return out;
}

function parseValue(text: string, item: string, fail: Fail): Nanos {
  let ns: Nanos;
  try {
    ns = parseDuration(text);
  } catch (e) {
    const why = e instanceof DurationSyntaxError ? e.message : String(e);
    throw fail(item, `${why}; expected a Go duration such as 30s or 1m30s`);
  }
  if (ns <= 0) throw fail(item, `durations must be greater than 0, got ${text}`);
  return ns;
}

function roundMs(ns: number): Nanos {
  return Math.max(MILLISECOND, Math.round(ns / MILLISECOND) * MILLISECOND);
}

/** Three significant digits, then the millisecond. */
function roundSignificant(ns: number): Nanos {
  const digits = Math.floor(Math.log10(ns));
  const unit = 10 ** (digits - 2);
  return roundMs(Math.round(ns / unit) * unit);
}
