import { describe, expect, it } from 'vitest';
import { KERNEL_CASES, kernelCase } from '../../oracle/kernel/cases.js';
import { compareRun, renderComparison } from '../../oracle/kernel/compare.js';
import { fixtureExists, loadFixture } from '../../oracle/kernel/fixtures.js';
import { realWireEvents } from '../../oracle/kernel/wire-events.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';

/**
 * kpsim against recorded runs of real grpc-go 1.33.3 over a real Linux kernel (oracle/kernel,
 * docs/validation.md "Real kernel"): every case agrees on every point the comparison makes,
 * within its tolerance. `.ci/run` re-runs the same cases live.
 */
describe('kpsim agrees with the real kernel on every recorded case', () => {
  for (const c of KERNEL_CASES) {
    it(c.name, () => {
      expect(fixtureExists(c.name), `no fixture for ${c.name}: record it with npm run oracle -- record ${c.name}`).toBe(true);
      const cmp = compareRun(c, loadFixture(c.name));
      expect(cmp.ok, renderComparison(c, cmp)).toBe(true);
    });
  }
});

describe('the comparison has teeth', () => {
  const withKernel = (v: string) => (sc: ScenarioInput): ScenarioInput => ({ ...sc, server: { ...(sc.server as object), kernel: { ...((sc.server as { kernel?: object }).kernel ?? {}), version: v } } });

  it('fin-held-idle-client: the recorded server never sent its FIN, and a kernel before 6.10 (lone FIN exempt from cwnd) would have', () => {
    const c = kernelCase('fin-held-idle-client');
    const run = loadFixture(c.name);
    expect(realWireEvents(run, 'server').filter((e) => e.kind === 'fin' || e.fin)).toEqual([]);
    const cmp = compareRun(c, run, withKernel('6.9'));
    expect(cmp.ok).toBe(false);
    expect(cmp.findings.some((f) => f.what.startsWith('server: FIN') && !f.ok)).toBe(true);
  });

  it('user-timeout-abort: counting TCP_USER_TIMEOUT from the first transmission instead of the first RTO aborts too early', () => {
    const c = kernelCase('user-timeout-abort');
    const run = loadFixture(c.name);
    // Timeout 2.55 s instead of 3 s moves the abort as much earlier as starting the clock at the
    // write (3.000 s) instead of the first RTO retransmission (3.45 s) would.
    const early = (sc: ScenarioInput): ScenarioInput => ({ ...sc, client: { ...(sc.client as object), keepalive: { ...((sc.client as { keepalive?: object }).keepalive ?? {}), timeout: '2.55s' } } });
    const cmp = compareRun(c, run, early);
    expect(cmp.findings.find((f) => f.what === 'client: transport ends')?.ok).toBe(false);
  });
});
