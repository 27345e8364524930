import { describe, expect, it } from 'vitest';
import type { CellFigures } from '../../src/analysis/rates/types.js';
import { parseScenario } from '../../src/scenario/load.js';
import { advise, fleetKillsPerHour } from '../../src/sweep/advise.js';
import { companionSettings } from '../../src/sweep/companion-settings.js';
import { currentSetting } from '../../src/sweep/current-setting.js';
import { dominates } from '../../src/sweep/pareto.js';
import { parseFalseKillLimit } from '../../src/sweep/rate-limit.js';
import { SweepInputError } from '../../src/sweep/sweep-error.js';
import { detectionP99, sweepObjectives, totalPingsPerHour } from '../../src/sweep/sweep-result.js';
import { HOUR, MINUTE, SECOND } from '../../src/time/units.js';
import { sampleSweep } from './sample-sweep.js';

describe('parseFalseKillLimit', () => {
  it('converts per-connection rates to per connection-day', () => {
    expect(parseFalseKillLimit('1/day', undefined)).toEqual({ perConnectionDay: 1, scope: 'connection', text: '1/day' });
    expect(parseFalseKillLimit('0.5/hour', undefined).perConnectionDay).toBe(12);
    expect(parseFalseKillLimit('7/week', undefined).perConnectionDay).toBeCloseTo(1, 12);
    expect(parseFalseKillLimit('1e-3/d', undefined).perConnectionDay).toBe(0.001);
  });

  it('divides a fleet limit by the fleet size', () => {
    // 10 kills an hour across 10 000 connections = 240 a day / 10 000 = 0.024 per connection-day.
    expect(parseFalseKillLimit('10/hour/fleet', 10_000)).toMatchObject({ perConnectionDay: 0.024, scope: 'fleet' });
  });

  it('rejects what it cannot read, naming the flag', () => {
    const msg = (text: string, fleet?: number): string => {
      try {
        parseFalseKillLimit(text, fleet);
      } catch (e) {
        expect(e).toBeInstanceOf(SweepInputError);
        return (e as Error).message;
      }
      throw new Error('parsed');
    };
    expect(msg('1')).toMatch(/^--max-false-kills "1": expected <count>\/<unit>/);
    expect(msg('1/fortnight')).toContain('unknown unit "fortnight"');
    expect(msg('10/hour/fleet')).toContain('needs --fleet N');
    expect(msg('-1/day')).toContain('expected <count>/<unit>');
  });
});

describe('advise', () => {
  const { scenario, result } = sampleSweep();
  const cells = result.cells;
  const limit = parseFalseKillLimit('1/day', undefined);

  it('recommends the fastest detection among the settings confirmed within the limits, on their front', () => {
    const a = advise(result, scenario, { maxFalseKills: limit, maxDetectMs: 2 * 60_000 }, undefined);
    const meets = (c: CellFigures): boolean => c.falseKills.perDay <= 1 && detectionP99(c) <= 120_000;
    expect(a.feasible).toEqual(cells.map((c, i) => (meets(c) ? i : -1)).filter((i) => i >= 0));
    expect(a.confirmed).toEqual(a.feasible.filter((i) => (cells[i]?.falseKills.ci95[1] ?? Infinity) <= 1));
    // Some settings meet the limit only on their estimate: their interval still reaches above it.
    expect(a.confirmed.length).toBeGreaterThan(0);
    expect(a.confirmed.length).toBeLessThan(a.feasible.length);
    const rec = cells[a.recommended ?? -1] as CellFigures;
    expect(a.confirmed).toContain(a.recommended);
    for (const i of a.confirmed) expect(detectionP99(cells[i] as CellFigures)).toBeGreaterThanOrEqual(detectionP99(rec));
    expect(a.feasibleFront).toContain(a.recommended);
    for (const i of a.feasibleFront) for (const j of a.confirmed) expect(dominates(sweepObjectives(cells[j] as CellFigures), sweepObjectives(cells[i] as CellFigures))).toBe(false);
    expect(a.cyclesToConfirm).toBeUndefined();
    expect(a.closest).toBeUndefined();
  });

  it('falls back to settings meeting the limit on their estimate, and says how many cycles would confirm', () => {
    const tight = parseFalseKillLimit('0.1/day', undefined);
    const a = advise(result, scenario, { maxFalseKills: tight }, undefined);
    expect(a.confirmed).toEqual([]);
    expect(a.feasible.length).toBeGreaterThan(0);
    const rec = cells[a.recommended ?? -1] as CellFigures;
    expect(rec.falseKills.perDay).toBeLessThanOrEqual(0.1);
    expect(rec.falseKills.kills).toBe(0);
    // No kill seen: the interval's excess shrinks like 1/exposure, so cycles scale by excess/room.
    const need = (5000 * (rec.falseKills.ci95[1] - rec.falseKills.perDay)) / (0.1 - rec.falseKills.perDay);
    expect(a.cyclesToConfirm).toBeGreaterThanOrEqual(need);
    expect(a.cyclesToConfirm).toBeLessThan(need * 1.1);
  });

  it('names the closest setting when nothing meets the limits', () => {
    const a = advise(result, scenario, { maxFalseKills: parseFalseKillLimit('1e-30/day', undefined) }, undefined);
    expect(a.recommended).toBeUndefined();
    expect(a.companions).toBeUndefined();
    const lowest = Math.min(...cells.map((c) => c.falseKills.perDay));
    expect(cells[a.closest ?? -1]?.falseKills.perDay).toBe(lowest);
  });

  it('never takes a setting with no exposure (every replica closed in warm-up) as meeting the limit', () => {
    const fastest = cells.reduce((best, c, i) => (detectionP99(c) < detectionP99(cells[best] as CellFigures) ? i : best), 0);
    const unmeasured = cells.map((c, i) => (i === fastest ? { ...c, falseKills: { ...c.falseKills, perDay: 0, kills: 0, exposureDays: 0, ci95: [0, Number.POSITIVE_INFINITY] as const } } : c));
    const a = advise({ ...result, cells: unmeasured }, scenario, { maxFalseKills: limit }, undefined);
    expect(a.feasible).not.toContain(fastest);
    expect(a.recommended).not.toBe(fastest);
    expect(a.recommended).toBeDefined();
  });

  it('computes the fleet view as per-day rate x fleet / 24', () => {
    const c = cells[0] as CellFigures;
    expect(fleetKillsPerHour(c, 2400)).toBeCloseTo(c.falseKills.perDay * 100, 9);
    expect(totalPingsPerHour(c)).toBe(360);
  });
});

describe('currentSetting and companionSettings', () => {
  const parse = (raw: object) => parseScenario({ name: 'x', ...raw }, 'test');

  it('fills in grpc-go defaults for the server and finds no client setting when client keepalive is off', () => {
    const s = parse({ server: { keepalive: { time: '60s' } } });
    expect(currentSetting(s, 'server')).toEqual({ side: 'server', time: 60 * SECOND, timeout: 20 * SECOND });
    expect(currentSetting(parse({}), 'server')).toEqual({ side: 'server', time: 2 * HOUR, timeout: 20 * SECOND });
    expect(currentSetting(s, 'client')).toBeUndefined();
  });

  it('lowers MinTime for a client pinging more often than the policy allows', () => {
    const s = parse({ client: { keepalive: { time: '1m' } }, workload: [{ type: 'stream', at: '0s' }] });
    const k = companionSettings(s, { side: 'server', time: 30 * SECOND, timeout: 90 * SECOND });
    expect(k.server).toEqual({ time: 30 * SECOND, timeout: 90 * SECOND });
    // The default MinTime is 5m > client Time 1m: half the client's Time lets its pings through.
    expect(k.enforcement).toEqual({ minTime: 30 * SECOND, permitWithoutStream: false });
    expect(k.client.time).toBe(MINUTE);
    expect(k.notes.join(' ')).toContain('lower MinTime to 30s');
  });

  it('for a client sweep on an idle workload, turns on PermitWithoutStream on both sides', () => {
    const s = parse({ server: { enforcement: { minTime: '10s' } }, workload: [{ type: 'unary', at: '0s' }] });
    const k = companionSettings(s, { side: 'client', time: 20 * SECOND, timeout: 5 * SECOND });
    expect(k.client).toEqual({ time: 20 * SECOND, timeout: 5 * SECOND, permitWithoutStream: true });
    expect(k.enforcement).toEqual({ minTime: 10 * SECOND, permitWithoutStream: true });
    expect(k.server).toEqual({ time: 2 * HOUR, timeout: 20 * SECOND });
  });
});
