import { describe, expect, it } from 'vitest';
import { expectOneLineError, kpsim } from './kpsim-process.js';
import { evaluatorEnv, FAKE_EVALUATOR_ENV as FAKE } from '../sweep/evaluator-env.js';

/** `kpsim advise` end to end: on the stand-in evaluator (see sweep.test.ts), and once on evaluateCell. */
const T = 60_000;

type AdviceJson = {
  recommended: { timeMs: number; timeoutMs: number; falseKillsPerDayCI: [number, number]; detectMs: { p99: number }; fleetFalseKillsPerHour: number; falseKillsPerDay: number } | null;
  current: { timeMs: number; timeoutMs: number } | null;
  constraints: { maxFalseKillsPerConnectionDay: number; fleet: number | null };
  apply: { server: { timeMs: number; timeoutMs: number }; enforcement: { minTimeMs: number } } | null;
  front: { detectMs: { p99: number } }[];
  feasible: number;
  settings: number;
};

describe('kpsim advise (stand-in evaluator)', () => {
  evaluatorEnv(FAKE);

  it(
    'recommends a setting within the limits, in words and as JSON, with the current setting and the fleet view',
    async () => {
      const [text, json] = await Promise.all([
        kpsim('advise', 'seed-flaw', '--max-false-kills', '1/day', '--fleet', '10000', '--max-detect', '2m'),
        kpsim('advise', 'seed-flaw', '--max-false-kills', '1/day', '--fleet', '10000', '--max-detect', '2m', '--json', '--workers', '2'),
      ]);
      expect(text.status).toBe(0);
      expect(text.stdout).toMatch(/^advise {4}seed-flaw: server keepalive, 144 settings \(12 Time x 12 Timeout\)/);
      expect(text.stdout).toMatch(/^recommend server keepalive Time \S+, Timeout \S+$/m);
      expect(text.stdout).toMatch(/^server {4}keepalive\.ServerParameters\{Time: \S+, Timeout: \S+\}$/m);
      expect(text.stdout).toMatch(/^policy {4}keepalive\.EnforcementPolicy\{MinTime: 5m0s, PermitWithoutStream: false\}$/m);
      expect(text.stdout).toMatch(/^current {3}Time 1m0s, Timeout 5s: /m);
      expect(text.stdout).toContain('across 10000 connections');

      expect(json.status).toBe(0);
      const a = JSON.parse(json.stdout) as AdviceJson;
      expect(a.settings).toBe(144);
      const r = a.recommended;
      expect(r).not.toBeNull();
      if (r === null) return;
      // The stand-in's long-Time settings simulate enough days to confirm 1/day: the recommendation is confirmed.
      expect((JSON.parse(json.stdout) as { recommendedConfirmed: boolean }).recommendedConfirmed).toBe(true);
      expect(r.falseKillsPerDayCI[1]).toBeLessThanOrEqual(1);
      expect(r.detectMs.p99).toBeLessThanOrEqual(120_000);
      expect(r.fleetFalseKillsPerHour).toBeCloseTo((r.falseKillsPerDay * 10_000) / 24, 9);
      for (const f of a.front) expect(f.detectMs.p99).toBeGreaterThanOrEqual(r.detectMs.p99);
      expect(a.apply?.server).toEqual({ timeMs: r.timeMs, timeoutMs: r.timeoutMs });
      expect(a.current).toMatchObject({ timeMs: 60_000, timeoutMs: 5000 });
      // The text names the same recommendation.
      expect(text.stdout).toContain(`keepalive.ServerParameters{Time: ${fmt(r.timeMs)}, Timeout: ${fmt(r.timeoutMs)}}`);
    },
    T,
  );

  it(
    'takes a fleet-wide limit with --fleet, and says so when nothing meets the limits',
    async () => {
      const [fleet, none] = await Promise.all([
        kpsim('advise', 'seed-flaw', '--max-false-kills', '10/hour/fleet', '--fleet', '10000', '--json', '--time', '30s,60s', '--timeout', '5s..120s/6'),
        kpsim('advise', 'seed-flaw', '--max-false-kills', '1e-9/day', '--time', '30s,60s', '--timeout', '5s,10s'),
      ]);
      expect(fleet.status).toBe(0);
      const a = JSON.parse(fleet.stdout) as AdviceJson;
      expect(a.constraints).toMatchObject({ maxFalseKillsPerConnectionDay: 0.024, fleet: 10_000 });
      expect(none.status).toBe(0);
      expect(none.stdout).toMatch(/^recommend nothing in this grid meets the limits$/m);
      expect(none.stdout).toMatch(/^closest {3}Time \S+, Timeout \S+: /m);
    },
    T,
  );

  it(
    'rejects missing or malformed limits with one line (exit 2)',
    async () => {
      const [missing, bad, noFleet, detect] = await Promise.all([
        kpsim('advise', 'seed-flaw'),
        kpsim('advise', 'seed-flaw', '--max-false-kills', 'few'),
        kpsim('advise', 'seed-flaw', '--max-false-kills', '10/hour/fleet'),
        kpsim('advise', 'seed-flaw', '--max-false-kills', '1/day', '--max-detect', 'soon'),
      ]);
      expect(expectOneLineError(missing)).toContain("required option '--max-false-kills <rate>' not specified");
      expect(expectOneLineError(bad)).toMatch(/^kpsim: --max-false-kills "few": expected <count>\/<unit>/);
      expect(expectOneLineError(noFleet)).toContain('needs --fleet N');
      expect(expectOneLineError(detect)).toMatch(/^kpsim: --max-detect "soon": /);
    },
    T,
  );
});

describe('kpsim advise (evaluateCell)', () => {
  evaluatorEnv(undefined);

  it(
    'recommends from the same figures kpsim sweep gives for the same grid and budget',
    async () => {
      const grid = ['lossy-mobile', '--time', '30s,60s', '--timeout', '5s,20s,1m', '--cycles', '2000', '--detect-replicas', '20'];
      const [adv, sweep] = await Promise.all([kpsim('advise', ...grid, '--max-false-kills', '5/day', '--json'), kpsim('sweep', ...grid, '--json')]);
      expect(adv.status).toBe(0);
      expect(sweep.status).toBe(0);
      const a = JSON.parse(adv.stdout) as AdviceJson;
      const cells = (JSON.parse(sweep.stdout) as { cells: Record<string, unknown>[] }).cells;
      const pick = a.recommended ?? (JSON.parse(adv.stdout) as { closest: AdviceJson['recommended'] }).closest;
      expect(pick).not.toBeNull();
      const same = cells.find((c) => c['timeMs'] === pick?.timeMs && c['timeoutMs'] === pick?.timeoutMs);
      expect(same).toBeDefined();
      const { pareto: _p, ...fromSweep } = same ?? {};
      expect(pick).toMatchObject(fromSweep);
      const confirmed = (JSON.parse(adv.stdout) as { recommendedConfirmed: boolean | null }).recommendedConfirmed;
      if (a.recommended !== null) {
        expect(a.recommended.falseKillsPerDay).toBeLessThanOrEqual(5);
        expect(confirmed).toBe(a.recommended.falseKillsPerDayCI[1] <= 5);
      }
    },
    120_000,
  );
});

function fmt(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${Number((s % 60).toFixed(3))}s`;
}
