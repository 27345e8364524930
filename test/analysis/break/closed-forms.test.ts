/** The closed forms against the search, and the RTO arithmetic they rest on. */
import { describe, expect, it } from 'vitest';
import { FAULT_FAMILIES, findBreakThreshold, type BreakResult } from '../../../src/analysis/break/index.js';
import { constantLinkRto, retransmitOffset } from '../../../src/analysis/break/rto-schedule.js';
import { exactDuration } from '../../../src/analysis/break/families.js';
import { parseDuration } from '../../../src/time/duration.js';
import { builtin, MS, S, serverStreaming } from './support.js';

const threshold = (r: BreakResult): number | undefined => (r.kills ? r.threshold : undefined);

describe('RTO arithmetic on a constant link (rto-schedule.ts)', () => {
  it('RTO = RTT + 200 ms while 2·RTT <= TCP_RTO_MIN, undefined above (it then depends on the sample count)', () => {
    expect(constantLinkRto(20 * MS)).toBe(220 * MS);
    expect(constantLinkRto(100 * MS)).toBe(300 * MS);
    expect(constantLinkRto(100 * MS + 1)).toBeUndefined();
  });
  it('the k-th retransmission leaves RTO·(2^k − 1) after the first transmission, each step capped at 120 s', () => {
    expect(retransmitOffset(220 * MS, 5)).toBe(6_820 * MS);
    expect(retransmitOffset(220 * MS, 4)).toBe(3_300 * MS);
    expect(retransmitOffset(100 * S, 2)).toBe(220 * S);
  });
  it('sizes become Go duration strings that parse back to the same nanosecond', () => {
    for (const ns of [1, 5 * S + 1, 3_600 * S + 7, 56_110_000_001]) expect(parseDuration(exactDuration(ns))).toBe(ns);
  });
});

describe('every family on seed-flaw agrees with its closed form', () => {
  const sc = builtin('seed-flaw');
  const expected = { 'reply-delay': 5 * S + 1, blackhole: 3_310 * MS + 1, 'consecutive-losses': 5, 'reader-stall': 5 * S + 1 } as const;
  for (const family of FAULT_FAMILIES) {
    if (family === 'transfer-stall') continue;
    it(family, () => {
      const r = findBreakThreshold(sc, family);
      expect(threshold(r)).toBe(expected[family]);
      expect(r.exact).toBe(expected[family]);
    });
  }
  it('blackhole: 3.31 s + 1 ns covers the 4th retransmission of the ACK (leaving T0 + 10 ms + 3.3 s); the 5th would arrive at 6.84 s', () => {
    const r = findBreakThreshold(sc, 'blackhole');
    expect(r.exactNote).toMatch(/transmission 5, 3\.31s after T0/);
  });
});

describe('tie order', () => {
  it('timers-first: the smallest killing reply time is Timeout itself', () => {
    const r = findBreakThreshold(builtin('seed-flaw', ['tieOrder=timers-first']), 'reply-delay');
    expect(threshold(r)).toBe(5 * S);
    expect(r.exact).toBe(5 * S);
  });
});

describe('the scripted network', () => {
  const sc = builtin('seed-flaw', ['network.model=scripted']);
  it('reply-delay: the same Timeout + 1 ns', () => {
    const r = findBreakThreshold(sc, 'reply-delay');
    expect(threshold(r)).toBe(5 * S + 1);
    expect(r.exact).toBe(5 * S + 1);
  });
  it('blackhole: held frames are released at its end, so it kills once it ends later than Timeout less the 10 ms one-way delay', () => {
    const r = findBreakThreshold(sc, 'blackhole');
    expect(threshold(r)).toBe(4_990 * MS + 1);
    expect(r.exact).toBe(4_990 * MS + 1);
  });
});

describe('transfer-stall', () => {
  it('a stall while the server streams kills from Timeout + 1 ns, like reader-stall', () => {
    const r = findBreakThreshold(serverStreaming(), 'transfer-stall');
    expect(threshold(r)).toBe(5 * S + 1);
    expect(r.exact).toBe(5 * S + 1);
    expect(r.kills && r.witness.outcome).toMatchObject({ closedBy: 'server', cause: 'keepalive' });
  });
  it('without DATA in flight at the PING it is an error pointing to reader-stall', () => {
    expect(() => findBreakThreshold(builtin('seed-flaw'), 'transfer-stall')).toThrow(/needs DATA in flight .* use reader-stall/);
  });
});

describe('when a closed form does not hold, it says why', () => {
  it('jitter on a link', () => {
    const r = findBreakThreshold(builtin('seed-flaw', ['network.clientToServer.jitter=5ms']), 'reply-delay');
    expect(r.exact).toBeNull();
    expect(r.exactNote).toMatch(/clientToServer has jitter/);
  });
  it('a round trip over 100 ms leaves the RTO to the sample count', () => {
    const r = findBreakThreshold(builtin('seed-flaw', ['network.clientToServer.delay=60ms', 'network.serverToClient.delay=60ms']), 'consecutive-losses');
    expect(r.exact).toBeNull();
    expect(r.exactNote).toMatch(/depends on how many RTT samples/);
    // The search still answers: the client's RTO in the run is 320 ms (RTTVAR has decayed below
    // the floor after a few samples: 120 ms + 200 ms), so 4 losses take 120 ms + 4.8 s < 5 s.
    expect(threshold(r)).toBe(5);
    const notes = r.kills ? r.witness.trace.flatMap((t) => (t.actor === 'client' && t.event.type === 'network' ? [t.event.text] : [])) : [];
    expect(notes[0]).toMatch(/^RTO 320ms expired/);
  });
});
