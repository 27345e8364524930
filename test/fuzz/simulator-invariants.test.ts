/** A short run of the fuzz campaign (fuzz/run.ts): random scenarios keep every invariant and replay identically. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/analysis/invariants.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/sim/world.js';
import { target } from '../../fuzz/targets/simulator-invariants.js';

describe('fuzz: simulator invariants', () => {
  it('holds on 150 random scenarios (fixed seed)', () => {
    fc.assert(target.property(() => undefined), { numRuns: 150, seed: 20261124 });
  });
  it('the invariant checker can fail: a keepalive close with a read inside Timeout is reported', () => {
    const r = runScenario(parseScenario({ name: 'x', server: { keepalive: { time: '60s', timeout: '5s' } }, workload: [{ type: 'stream', at: '0s' }], faults: [{ type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', by: '6s' }], network: { model: 'scripted' } }, 'x'));
    expect(checkInvariants(r)).toEqual([]);
    const forged = { ...r, serverConfig: { ...r.serverConfig, timeout: 70_000_000_000 } };
    expect(checkInvariants(forged)[0]).toMatch(/closed by keepalive at .* although it read a frame/);
  });
});
