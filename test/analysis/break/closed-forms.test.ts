/** The closed forms against the search, where there are any (over TCP the loss families have none). */
import { describe, expect, it } from 'vitest';
import { FAULT_FAMILIES, findBreakThreshold, type BreakResult } from '../../../src/analysis/break/index.js';
import { exactDuration } from '../../../src/analysis/break/families.js';
import { parseDuration } from '../../../src/time/duration.js';
import { builtin, MS, S, serverStreaming } from './support.js';

const threshold = (r: BreakResult): number | undefined => (r.kills ? r.threshold : undefined);

describe('sizes', () => {
  it('become Go duration strings that parse back to the same nanosecond', () => {
    for (const ns of [1, 5 * S + 1, 3_600 * S + 7, 56_110_000_001]) expect(parseDuration(exactDuration(ns))).toBe(ns);
  });
});

describe('every family on seed-flaw, against its closed form where there is one', () => {
  const sc = builtin('seed-flaw');
  for (const family of ['reply-delay', 'reader-stall'] as const) {
    it(`${family}: Timeout + 1 ns, as the search finds`, () => {
      const r = findBreakThreshold(sc, family);
      expect(threshold(r)).toBe(5 * S + 1);
      expect(r.exact).toBe(5 * S + 1);
    });
  }
  it('consecutive-losses: no closed form over TCP (the Linux retransmission schedule); the search finds 6', () => {
    const r = findBreakThreshold(sc, 'consecutive-losses');
    expect(threshold(r)).toBe(6);
    expect(r.exact).toBeNull();
    expect(r.exactNote).toMatch(/tail loss probe.*timer wheel/);
  });
  it("blackhole: no closed form over TCP; the search's threshold covers the ACK's 6th transmission, and the 7th leaves after the deadline", () => {
    const r = findBreakThreshold(sc, 'blackhole');
    expect(r.exact).toBeNull();
    expect(r.kills).toBe(true);
    if (!r.kills) return;
    const t0 = r.anchor.firstPingAt;
    const sends = (run: typeof r.witness) =>
      run.trace.filter((t) => t.actor === 'client' && t.event.type === 'network' && /^(tail loss probe|RTO expired)/.test(t.event.text)).map((t) => t.at);
    // The blackhole [T0, T0 + x) covers the ACK's transmission leaving at T0 + x - 1 ns, the last
    // that would have been read in time: the pass run (x - 1 ns) delivers it.
    const lastCovered = sends(r.witness).filter((at) => at < t0 + r.threshold).at(-1) ?? 0;
    expect(lastCovered).toBe(t0 + r.threshold - 1);
    expect(sends(r.pass).filter((at) => at <= t0 + 5 * S)).toHaveLength(5);
    expect(sends(r.witness).find((at) => at > lastCovered) ?? Infinity).toBeGreaterThan(t0 + 5 * S);
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
  it('a 120 ms round trip: a longer RTO (SRTT + 200 ms, with the delayed-ACK samples), so 5 losses already kill', () => {
    const r = findBreakThreshold(builtin('seed-flaw', ['network.clientToServer.delay=60ms', 'network.serverToClient.delay=60ms']), 'consecutive-losses');
    expect(r.exact).toBeNull();
    expect(threshold(r)).toBe(5);
    const notes = r.kills ? r.witness.trace.flatMap((t) => (t.actor === 'client' && t.event.type === 'network' ? [t.event.text] : [])) : [];
    // The probe, then RTOs doubling from more than 320 ms (RTT + 200 ms).
    expect(notes[0]).toMatch(/^tail loss probe/);
    const rto = /next RTO (\d+)ms/.exec(notes[1] ?? '');
    expect(Number(rto?.[1])).toBeGreaterThan(2 * 320);
  });
});
