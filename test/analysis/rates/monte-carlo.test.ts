/**
 * Seeded Monte Carlo false-kill rates on an idle connection with Bernoulli loss: the mechanisms
 * it tells apart, inverse sampling (stop at a number of kills), and that a rate moves the way the
 * loss does.
 */
import { describe, expect, it } from 'vitest';
import { falseKills, monteCarloFalseKills } from '../../../src/analysis/rates/index.js';
import type { KeepaliveSetting } from '../../../src/analysis/rates/types.js';
import { parseScenario } from '../../../src/scenario/load.js';
import type { Scenario } from '../../../src/scenario/schema.js';
import { SECOND } from '../../../src/time/units.js';

const setting: KeepaliveSetting = { side: 'server', time: 10 * SECOND, timeout: 1 * SECOND };
const idle = (p: number): Scenario =>
  parseScenario(
    {
      name: `idle-${p}`,
      server: { keepalive: { time: '10s', timeout: '1s' } },
      network: { clientToServer: { delay: '10ms', loss: { model: 'bernoulli', p } }, serverToClient: { delay: '10ms', loss: { model: 'bernoulli', p } } },
    },
    'test',
  );

describe('idle connection, Time 10s / Timeout 1s, 10 ms each way, Bernoulli loss both ways', () => {
  const full = monteCarloFalseKills(idle(0.2), setting, { seed: 7, cycles: 20_000 });

  it('more loss, more kills: the rate grows with the loss rate and the intervals separate', () => {
    const low = monteCarloFalseKills(idle(0.1), setting, { seed: 7, cycles: 20_000 });
    expect(low.kills).toBeGreaterThanOrEqual(10);
    expect(full.kills).toBeGreaterThan(low.kills);
    expect(full.ci95[0]).toBeGreaterThan(low.ci95[1]);
  });

  it('every kill is keepalive\'s or the kernel\'s TCP_USER_TIMEOUT abort, and keepalive kills are seen (at this setting they are all keepalive\'s)', () => {
    expect(full.by.keepalive ?? 0).toBeGreaterThan(0);
    expect((full.by.keepalive ?? 0) + (full.by['tcp-user-timeout'] ?? 0)).toBe(full.kills);
  });

  it('inverse sampling: a cell stopped at 200 kills brackets the full run, from less exposure', () => {
    const capped = monteCarloFalseKills(idle(0.2), setting, { seed: 7, cycles: 20_000, maxKills: 200 });
    expect(capped.kills).toBe(200);
    expect(capped.exposureDays).toBeLessThan(full.exposureDays);
    expect(full.perDay).toBeGreaterThanOrEqual(capped.ci95[0]);
    expect(full.perDay).toBeLessThanOrEqual(capped.ci95[1]);
    // The estimate is (K - 1) / T: unbiased for a count fixed in advance.
    expect(capped.perDay).toBeCloseTo(199 / capped.exposureDays, 9);
    // About ±14% at 200 kills (1.96 / sqrt(200)).
    expect(capped.ci95[1] / capped.ci95[0]).toBeLessThan(1.35);
  });

  it('evaluateCell reports Monte Carlo (the idle closed form was withdrawn with the earlier TCP model)', () => {
    expect(falseKills(idle(0.1), setting, { seed: 1, cycles: 100 }).method).toBe('monte-carlo');
  });
});
