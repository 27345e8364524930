import { describe, expect, it } from 'vitest';
import { checkGridSize, gridSettings, gridSize, cellPosition, MAX_CELLS_WITHOUT_FORCE } from '../../src/sweep/grid.js';
import { parseAxis } from '../../src/sweep/grid-spec.js';
import { SweepInputError } from '../../src/sweep/sweep-error.js';
import { MILLISECOND, SECOND } from '../../src/time/units.js';

const axis = (text: string): readonly number[] => parseAxis({ flag: '--time', text });
const seconds = (text: string): readonly number[] => axis(text).map((ns) => ns / SECOND);
const error = (text: string, flag = '--time'): string => {
  try {
    parseAxis({ flag, text });
  } catch (e) {
    expect(e).toBeInstanceOf(SweepInputError);
    expect((e as SweepInputError).flag).toBe(flag);
    return (e as Error).message;
  }
  throw new Error(`${text} parsed`);
};

describe('parseAxis', () => {
  it('reads lists of Go durations, sorted, without duplicates', () => {
    expect(seconds('60s,30s')).toEqual([30, 60]);
    expect(seconds('1m,60s,90s')).toEqual([60, 90]);
    expect(seconds(' 250ms ')).toEqual([0.25]);
  });

  it('reads linear ranges with both ends included and equal steps', () => {
    expect(seconds('10s..120s/12')).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
    expect(seconds('1s..2s/3lin')).toEqual([1, 1.5, 2]);
    // Steps that do not fall on the millisecond are rounded to it: 1s/3 = 333.33ms.
    expect(axis('1s..2s/4').map((ns) => ns / MILLISECOND)).toEqual([1000, 1333, 1667, 2000]);
  });

  it('reads log ranges as equal ratios, rounded to three significant digits', () => {
    const v = seconds('1s..1000s/4log');
    expect(v).toEqual([1, 10, 100, 1000]);
    const w = axis('1s..120s/12log');
    expect(w).toHaveLength(12);
    expect(w[0]).toBe(SECOND);
    expect(w[11]).toBe(120 * SECOND);
    // Ratios between neighbours stay within the rounding of 120^(1/11) = 1.5454.
    for (let i = 1; i < w.length; i++) expect((w[i] as number) / (w[i - 1] as number)).toBeCloseTo(1.5454, 1);
    expect(w[1]).toBe(1.55 * SECOND);
  });

  it('mixes items and merges overlaps', () => {
    expect(seconds('5s,10s..30s/3,20s')).toEqual([5, 10, 20, 30]);
  });

  it('rejects bad input with a message naming the flag and the bad part', () => {
    expect(error('10s..')).toBe('--time "10s..": a range needs a start, an end and a step count, e.g. 10s..120s/12 or 1s..120s/12log');
    expect(error('10s..120s')).toContain('a range needs a start, an end and a step count');
    expect(error('abc')).toMatch(/^--time "abc": invalid duration "abc"/);
    expect(error('10s..120s/0')).toBe('--time "10s..120s/0": a range needs at least 2 steps, got 0');
    expect(error('10s..120s/1')).toContain('at least 2 steps, got 1');
    expect(error('10s..120s/x')).toContain('step count "x" is not a whole number');
    expect(error('10s..120s/12logs')).toContain('step count "12logs"');
    expect(error('120s..10s/3')).toContain('the end (10s) must be after the start (2m0s)');
    expect(error('', '--timeout')).toMatch(/^--timeout "": empty list/);
    expect(error('10s,,20s', '--timeout')).toContain('empty item');
    expect(error('0s')).toContain('greater than 0');
    expect(error('30')).toContain('missing unit');
    expect(error('1ms..2ms/5')).toContain('finer than the millisecond');
    expect(error('1s..2s/100000')).toContain('at most 10000 steps');
  });
});

describe('grid', () => {
  const grid = { side: 'server' as const, times: [1, 2, 3].map((s) => s * SECOND), timeouts: [10, 20].map((s) => s * SECOND) };

  it('numbers cells Time-major and maps indexes back to positions', () => {
    const cells = gridSettings(grid);
    expect(cells).toHaveLength(gridSize(grid));
    cells.forEach((c, i) => {
      const { row, col } = cellPosition(grid, i);
      expect(c).toEqual({ side: 'server', time: grid.times[row], timeout: grid.timeouts[col] });
    });
  });

  it('refuses grids over the limit unless forced', () => {
    const big = { side: 'server' as const, times: Array.from({ length: 101 }, (_, i) => (i + 1) * SECOND), timeouts: Array.from({ length: 100 }, (_, i) => (i + 1) * SECOND) };
    expect(gridSize(big)).toBeGreaterThan(MAX_CELLS_WITHOUT_FORCE);
    expect(() => checkGridSize(big, false)).toThrow(/10100 cells .* more than 10000: use fewer steps, or --force/);
    expect(() => checkGridSize(big, true)).not.toThrow();
    expect(() => checkGridSize(grid, false)).not.toThrow();
  });
});
