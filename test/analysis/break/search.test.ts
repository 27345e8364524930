/** findBreakThreshold on the seed incident: the acceptance bar, and the clear refusals. */
import { describe, expect, it } from 'vitest';
import { BreakError } from '../../../src/analysis/break/break-error.js';
import { findBreakThreshold, type BreakFound, type BreakResult } from '../../../src/analysis/break/search.js';
import { runScenario, type RunResult } from '../../../src/sim/world.js';
import { formatDuration } from '../../../src/time/duration.js';
import { builtin, MS, S } from './support.js';

function found(r: BreakResult): BreakFound {
  if (!r.kills) throw new Error(`expected a kill, got none up to ${r.largestTried}`);
  return r;
}

/** The pass run is not killed: open at the horizon, or closed by the client or gracefully. */
function survives(run: RunResult): boolean {
  return !run.outcome.closed || run.outcome.closedBy !== 'server';
}

describe('reply-delay on seed-flaw (server Time 60s, Timeout 5s)', () => {
  const r = found(findBreakThreshold(builtin('seed-flaw'), 'reply-delay'));

  it('kills from 5 s (within 1 ms), exactly at the closed form Timeout + 1 ns', () => {
    expect(Math.abs(r.threshold - 5 * S)).toBeLessThanOrEqual(1 * MS);
    expect(r.exact).not.toBeNull();
    expect(r.threshold).toBe(r.exact);
    expect(r.threshold).toBe(5 * S + 1);
    expect(r.lastSurviving).toBe(r.threshold - 1);
  });

  it('the witness is closed by the server keepalive 5 s after its PING; the pass run is not', () => {
    expect(r.witness.outcome).toMatchObject({ closed: true, closedBy: 'server', cause: 'keepalive', reason: 'keepalive ping not acked within timeout 5s' });
    expect(r.witness.outcome.closedAt).toBe(r.anchor.firstPingAt + 5 * S);
    expect(survives(r.pass)).toBe(true);
    expect(r.pass.outcome.closed).toBe(false);
  });

  it("measures the family alone: seed-flaw's own 6 s hold is set aside, the added hold makes the reply time x", () => {
    expect(r.anchor).toMatchObject({ firstPingAt: 60_030 * MS, baselineRoundTrip: 20 * MS });
    expect(r.witness.scenario.faults).toEqual([{ type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, by: r.threshold - 20 * MS }]);
  });

  it('probes upward, then bisects to 1 ns, and counts every simulation', () => {
    expect(r.probes[0]).toEqual({ size: 20 * MS, kills: false }); // the lower bound: the baseline round trip
    expect(r.probes.slice(1, 4).map((p) => p.size)).toEqual([40 * MS, 80 * MS, 160 * MS]);
    expect(r.runs).toBe(r.probes.length + 3); // + the baseline and the two traced final runs
  });
});

describe('reply-delay with server.keepalive.time=30s, timeout=90s', () => {
  it('kills from 90 s (Timeout + 1 ns)', () => {
    const r = found(findBreakThreshold(builtin('seed-flaw', ['server.keepalive.time=30s', 'server.keepalive.timeout=90s']), 'reply-delay'));
    expect(Math.abs(r.threshold - 90 * S)).toBeLessThanOrEqual(1 * MS);
    expect(r.threshold).toBe(r.exact);
    expect(r.witness.outcome).toMatchObject({ closedBy: 'server', cause: 'keepalive' });
    expect(survives(r.pass)).toBe(true);
  });
});

describe('consecutive-losses on seed-flaw', () => {
  const r = found(findBreakThreshold(builtin('seed-flaw'), 'consecutive-losses'));
  const ackSends = (run: RunResult) =>
    run.trace.filter((t) => t.actor === 'client' && t.event.type === 'network' && /^(tail loss probe|RTO expired)/.test(t.event.text)).map((t) => ({ at: t.at, text: t.event.type === 'network' ? t.event.text : '' }));

  it('6 losses kill, 5 do not: the ACK goes out again as a tail loss probe, then on RTOs doubling, and the 7th transmission would leave too late', () => {
    expect(r.threshold).toBe(6);
    expect(r.lastSurviving).toBe(5);
    expect(r.exact).toBeNull();
    expect(r.exactNote).toMatch(/no closed form/);
    expect(r.witness.outcome).toMatchObject({ closedBy: 'server', cause: 'keepalive' });
    expect(survives(r.pass)).toBe(true);
  });

  it('the witness loses the first transmission, the tail loss probe and 4 RTO retransmissions before the close at T0 + 5 s; the pass run delivers its 6th transmission in time', () => {
    const w = ackSends(r.witness);
    expect(w.map((n) => n.text.split(':')[0]?.split(' (')[0])).toEqual(['tail loss probe', 'RTO expired', 'RTO expired', 'RTO expired', 'RTO expired']);
    expect(w.every((n) => n.text.includes('lost'))).toBe(true);
    const p = ackSends(r.pass);
    expect(p).toHaveLength(5);
    const last = p.at(-1);
    expect(last?.text).toMatch(/arrives/);
    expect((last?.at ?? 0) - r.anchor.firstPingAt).toBeLessThan(5 * S);
  });
});

describe('reader-stall on seed-flaw', () => {
  it('kills from Timeout + 1 ns: the stalled reader reads the waiting ACK the moment it resumes', () => {
    const r = found(findBreakThreshold(builtin('seed-flaw'), 'reader-stall'));
    expect(r.threshold).toBe(5 * S + 1);
    expect(r.exact).toBe(5 * S + 1);
    expect(r.witness.outcome).toMatchObject({ closedBy: 'server', cause: 'keepalive' });
    // The ACK is unread in the socket when the server closes: RST, as in seed-busy-server.
    expect(r.witness.outcome.server.socketSent).toBe('RST');
  });

  it('with tieOrder timers-first, from Timeout itself', () => {
    const r = found(findBreakThreshold(builtin('seed-flaw', ['tieOrder=timers-first']), 'reader-stall'));
    expect(r.threshold).toBe(5 * S);
    expect(r.exact).toBe(5 * S);
  });
});

describe('refusals and no kill', () => {
  it('a scenario whose server never pings is an error naming the family', () => {
    expect(() => findBreakThreshold(builtin('seed-flaw', ['server.keepalive.time=2h']), 'blackhole')).toThrow(BreakError);
    expect(() => findBreakThreshold(builtin('seed-flaw', ['server.keepalive.time=2h']), 'reply-delay')).toThrow(
      /^the server never sends a keepalive PING in this scenario, so reply-delay has nothing to break/,
    );
  });

  it('consecutive-losses needs the TCP network', () => {
    expect(() => findBreakThreshold(builtin('seed-flaw', ['network.model=scripted']), 'consecutive-losses')).toThrow(/needs network.model "tcp"/);
  });

  it('a connection the server already kills without the fault is an error', () => {
    // The error names the close of the fault-free run (30.09 s: the PING waits behind the bulk DATA).
    const closedAt = runScenario(builtin('hol-blocking'), { trace: false }).outcome.closedAt as number;
    expect(closedAt).toBeGreaterThan(30 * S);
    expect(() => findBreakThreshold(builtin('hol-blocking'), 'reply-delay')).toThrow(`already closes the connection at ${formatDuration(closedAt)}`);
  });

  it('kills: false when the client kernel gives up first (tcp_retries2 2): up to 64 losses never kill', () => {
    const r = findBreakThreshold(builtin('seed-flaw', ['network.tcp.retries2=2']), 'consecutive-losses');
    expect(r.kills).toBe(false);
    if (r.kills) return;
    expect(r.largestTried).toBe(64);
    expect(r.lastSurviving).toBe(64);
    expect(r.pass.outcome).toMatchObject({ closedBy: 'client', cause: 'tcp_abort' });
    expect(r.exact).toBeNull();
  });

  it('kills: false when the horizon ends before the deadline; the closed form says why it does not apply', () => {
    const r = findBreakThreshold(builtin('seed-flaw', ['horizon=64s']), 'reply-delay');
    expect(r.kills).toBe(false);
    if (r.kills) return;
    expect(r.largestTried).toBe(64 * S);
    expect(r.pass.outcome.closed).toBe(false);
    expect(r.exact).toBeNull();
    expect(r.exactNote).toMatch(/falls after the 1m4s horizon/);
  });
});
