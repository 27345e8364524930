/**
 * The bar of issue 5: for an idle connection on Bernoulli loss, the closed form and the seeded
 * Monte Carlo agree wherever the rate is large enough to measure, and a closed form that forgets
 * a mechanism does not.
 */
import { describe, expect, it } from 'vitest';
import { exactIdleCycle, falseKills, idleExactApplies, monteCarloFalseKills } from '../../../src/analysis/rates/index.js';
import type { KeepaliveSetting } from '../../../src/analysis/rates/types.js';
import { parseScenario } from '../../../src/scenario/load.js';
import type { Scenario } from '../../../src/scenario/schema.js';
import { SECOND } from '../../../src/time/units.js';

const DAY_S = 86_400;
const setting: KeepaliveSetting = { side: 'server', time: 10 * SECOND, timeout: 1 * SECOND };
/** No streams: the connection carries only keepalive, as the closed form assumes (docs/rates.md: with the Linux RTT-sample rule an idle stream no longer moves the rate). */
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
  const rates = [0.05, 0.1, 0.15, 0.2] as const;
  const rows = rates.map((p) => {
    const sc = idle(p);
    const a = idleExactApplies(sc, setting);
    if (!a.ok) throw new Error(a.why);
    const exact = exactIdleCycle(a.link);
    const mc = monteCarloFalseKills(sc, setting, { seed: 7, cycles: 20_000 });
    return { p, exact, mc };
  });

  it('the exact rate lies in the Monte Carlo 95% interval at every loss rate', () => {
    for (const { p, exact, mc } of rows) {
      expect(mc.kills, `p=${p}: enough kills to measure`).toBeGreaterThanOrEqual(10);
      expect(exact.perDay, `p=${p}: exact ${exact.perDay} vs MC [${mc.ci95[0]}, ${mc.ci95[1]}]`).toBeGreaterThanOrEqual(mc.ci95[0]);
      expect(exact.perDay, `p=${p}`).toBeLessThanOrEqual(mc.ci95[1]);
    }
  });

  it('a closed form without the TCP_USER_TIMEOUT abort falls outside the interval', () => {
    const outside = rows.filter(({ exact, mc }) => {
      const wrong = (exact.byKeepalive / exact.meanCycle) * DAY_S * SECOND;
      return wrong < mc.ci95[0] || wrong > mc.ci95[1];
    });
    expect(outside.length).toBeGreaterThanOrEqual(1);
  });

  it('a closed form that loses one RTO (220 ms) of the Timeout falls outside the interval', () => {
    // As if the schedule counted retransmissions from one RTO too late (RTO·2^k instead of RTO·(2^k − 1) for the first).
    const outside = rows.filter(({ p, mc }) => {
      const sc = idle(p);
      const a = idleExactApplies(sc, setting);
      if (!a.ok) return false;
      const wrong = exactIdleCycle({ ...a.link, timeout: a.link.timeout - 220_000_000 });
      return wrong.perDay < mc.ci95[0] || wrong.perDay > mc.ci95[1];
    });
    expect(outside.length).toBeGreaterThanOrEqual(1);
  });

  it('both mechanisms are seen, in about the predicted shares', () => {
    for (const { p, exact, mc } of rows.filter((r) => r.mc.kills >= 100)) {
      const share = (mc.by.keepalive ?? 0) / mc.kills;
      const predicted = exact.byKeepalive / exact.perCycle;
      const sd = Math.sqrt((predicted * (1 - predicted)) / mc.kills);
      expect(Math.abs(share - predicted), `p=${p}: keepalive share ${share} vs ${predicted}`).toBeLessThan(4 * sd);
      expect((mc.by.keepalive ?? 0) + (mc.by['tcp-user-timeout'] ?? 0)).toBe(mc.kills);
    }
  });

  it('inverse sampling: a cell stopped at maxKills still brackets the exact rate, from less exposure', () => {
    const sc = idle(0.2);
    const a = idleExactApplies(sc, setting);
    if (!a.ok) throw new Error(a.why);
    const exact = exactIdleCycle(a.link);
    const capped = monteCarloFalseKills(sc, setting, { seed: 7, cycles: 20_000, maxKills: 200 });
    const full = rows.find((r) => r.p === 0.2)?.mc;
    expect(capped.kills).toBe(200);
    expect(capped.exposureDays).toBeLessThan(full?.exposureDays ?? 0);
    expect(exact.perDay).toBeGreaterThanOrEqual(capped.ci95[0]);
    expect(exact.perDay).toBeLessThanOrEqual(capped.ci95[1]);
    // The estimate is (K - 1) / T: unbiased for a count fixed in advance.
    expect(capped.perDay).toBeCloseTo(199 / capped.exposureDays, 9);
    // About ±14% at 200 kills (1.96 / sqrt(200)).
    expect(capped.ci95[1] / capped.ci95[0]).toBeLessThan(1.35);
  });

  it('evaluateCell reports the exact value where the renewal bound holds, Monte Carlo where it does not', () => {
    expect(falseKills(idle(0.1), setting, { seed: 1, cycles: 100 }).method).toBe('exact');
    expect(falseKills(idle(0.4), setting, { seed: 1, cycles: 100 }).method).toBe('monte-carlo');
  });

  it('tiny rates are computed, not rounded to zero', () => {
    const a = idleExactApplies(idle(1e-4), setting);
    if (!a.ok) throw new Error(a.why);
    const e = exactIdleCycle(a.link);
    // Cheapest kills: the PING's ACK and both its retransmission round trips fail within 1 s, ~ p^3 terms.
    expect(e.perCycle).toBeGreaterThan(1e-13);
    expect(e.perCycle).toBeLessThan(1e-10);
  });
});

describe('where the closed form does not apply, it says why', () => {
  it('Time above the 15 s of Go\'s TCP keepalive: the kernel probes within a cycle', () => {
    const sc = parseScenario({ name: 'x', server: { keepalive: { time: '60s', timeout: '5s' } } }, 'test');
    const a = idleExactApplies(sc, { side: 'server', time: 60 * SECOND, timeout: 5 * SECOND });
    expect(a.ok).toBe(false);
    expect(a.ok ? '' : a.why).toMatch(/TCP keepalive/);
  });
  it('a stream carrying messages is not idle', () => {
    const sc = parseScenario({ name: 'x', workload: [{ type: 'stream', at: '0s', client: { every: '1s', size: 10 } }] }, 'test');
    expect(idleExactApplies(sc, setting).ok).toBe(false);
  });
});
