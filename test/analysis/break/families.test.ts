/** How a size becomes a fault, per family, anchored at the first keepalive PING. */
import { describe, expect, it } from 'vitest';
import type { BreakAnchor } from '../../../src/analysis/break/anchor.js';
import { FAMILIES, FAULT_FAMILIES, dataInFlight } from '../../../src/analysis/break/families.js';
import { faultSchema } from '../../../src/scenario/schema.js';
import { runScenario } from '../../../src/sim/world.js';
import { builtin, MS, S, serverStreaming } from './support.js';

const anchor: BreakAnchor = { firstPingAt: 60_030 * MS, firstPingSeq: 20, baselineRoundTrip: 20 * MS, replyWrittenAt: 60_040 * MS, replyReadAt: 60_050 * MS, replyReadSeq: 22 };

describe('FAULT_FAMILIES', () => {
  it('lists the five families in order', () => {
    expect(FAULT_FAMILIES).toEqual(['reply-delay', 'blackhole', 'consecutive-losses', 'reader-stall', 'transfer-stall']);
  });

  it('each size becomes one valid scenario fault, anchored at T0', () => {
    const parse = (f: unknown) => faultSchema.parse(f);
    expect(parse(FAMILIES['reply-delay'].fault(5 * S + 1, anchor))).toEqual({ type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, by: 5 * S + 1 - 20 * MS });
    expect(parse(FAMILIES.blackhole.fault(3 * S, anchor))).toEqual({ type: 'blackhole', direction: 'clientToServer', from: 60_030 * MS, until: 63_030 * MS });
    expect(parse(FAMILIES['consecutive-losses'].fault(5, anchor))).toEqual({ type: 'loseFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, times: 5 });
    for (const f of ['reader-stall', 'transfer-stall'] as const) {
      expect(parse(FAMILIES[f].fault(1, anchor))).toEqual({ type: 'readerStall', peer: 'server', from: 60_030 * MS, until: 60_030 * MS + 1 });
    }
  });

  it('size 0 is no fault at all (the baseline), except reply-delay, whose sizes start at the baseline round trip', () => {
    expect(FAMILIES['reply-delay'].lowerBound(anchor)).toBe(20 * MS);
    for (const f of ['blackhole', 'consecutive-losses', 'reader-stall', 'transfer-stall'] as const) {
      expect(FAMILIES[f].lowerBound(anchor)).toBe(0);
      expect(FAMILIES[f].fault(0, anchor)).toBeUndefined();
    }
  });
});

describe('transfer-stall: DATA in flight at T0', () => {
  it('found while the server streams (a DATA frame written in the second before its first keepalive PING)', () => {
    const run = runScenario(serverStreaming());
    expect(dataInFlight(run, 10_030 * MS)).toMatchObject({ actor: 'server', at: 9_500 * MS });
  });
  it('not on seed-flaw, whose last DATA went a minute before the PING', () => {
    expect(dataInFlight(runScenario({ ...builtin('seed-flaw'), faults: [] }), 60_030 * MS)).toBeUndefined();
  });
});
