/**
 * TCP_USER_TIMEOUT (= Timeout on a v1.46+ server) against the thresholds, and frames the client
 * writes while its ACK is held: what the simulator does, pinned down.
 */
import { describe, expect, it } from 'vitest';
import { findBreakThreshold, type BreakResult, type FaultFamily } from '../../../src/analysis/break/index.js';
import { builtin, MS, S, seedFlawChatty } from './support.js';

const threshold = (r: BreakResult): number | undefined => (r.kills ? r.threshold : undefined);

describe('the PING segment itself is acknowledged by TCP, so TCP_USER_TIMEOUT changes nothing', () => {
  for (const family of ['reply-delay', 'consecutive-losses', 'reader-stall', 'blackhole'] as const satisfies readonly FaultFamily[]) {
    it(`${family}: v1.45.0 (no TCP_USER_TIMEOUT) and v1.83.1 (5 s) break at the same size`, () => {
      const old = findBreakThreshold(builtin('seed-flaw', ['server.version=1.45.0']), family);
      const now = findBreakThreshold(builtin('seed-flaw'), family);
      expect(threshold(old)).toBe(threshold(now));
      expect(now.kills && now.witness.outcome.cause).toBe('keepalive');
    });
  }
});

describe('blackhole with a slow client reader (1 s per frame)', () => {
  // The kernel's TCP_USER_TIMEOUT clock starts at the first RTO retransmission of the PING (T0 +
  // about 0.45 s: the tail loss probe does not start it), so with TCP_USER_TIMEOUT = Timeout the
  // kernel would abort after keepalive's deadline: v1.45 (none) and v1.83 (5 s) break alike.
  const results = { 'v1.83.1': findBreakThreshold(builtin('seed-flaw', ['client.readerLatency=1s']), 'blackhole'), 'v1.45.0': findBreakThreshold(builtin('seed-flaw', ['client.readerLatency=1s', 'server.version=1.45.0']), 'blackhole') };
  for (const [v, r] of Object.entries(results)) {
    it(`${v}: killed by keepalive once the blackhole covers the ACK's last transmission that would be read in time`, () => {
      expect(r.kills && r.witness.outcome.cause).toBe('keepalive');
      if (!r.kills) return;
      const t0 = r.anchor.firstPingAt;
      const sends = r.witness.trace.filter((t) => t.actor === 'client' && t.event.type === 'network' && /^(tail loss probe|RTO expired)/.test(t.event.text)).map((t) => t.at);
      expect(sends.filter((at) => at < t0 + r.threshold).at(-1)).toBe(t0 + r.threshold - 1);
    });
  }
  it('both at the same size', () => {
    expect(threshold(results['v1.83.1'])).toBe(threshold(results['v1.45.0']));
  });
});

describe('client frames written after the held ACK', () => {
  for (const model of ['tcp', 'scripted'] as const) {
    it(`${model}: messages every second from 61 s wait behind the ACK, so the threshold stays Timeout + 1 ns`, () => {
      const r = findBreakThreshold(seedFlawChatty('61s', [`network.model=${model}`]), 'reply-delay');
      expect(threshold(r)).toBe(5 * S + 1);
      expect(r.exact).toBe(5 * S + 1);
      if (!r.kills) return;
      const readsAfterPing = r.witness.trace.filter((t) => t.actor === 'server' && t.event.type === 'frameRead' && t.seq > r.anchor.firstPingSeq);
      expect(readsAfterPing).toEqual([]); // 5 messages were written before the close; none was read
    });
  }
});

describe('a client frame written just BEFORE the ACK (60.025 s, read at 60.035 s)', () => {
  // The read resets keepalive on its own; the closed form does not apply.
  it("v1.83.1: the server's answers to it (WINDOW_UPDATE, BDP PING) wait for TCP ACKs queued behind the held ACK: the kernel aborts TCP_USER_TIMEOUT after their first RTO retransmission", () => {
    const r = findBreakThreshold(seedFlawChatty('60.025s'), 'reply-delay');
    expect(r.exact).toBeNull();
    expect(r.kills && r.witness.outcome.cause).toBe('tcp_abort');
    if (!r.kills) return;
    const firstRto = r.witness.trace.find((t) => t.actor === 'server' && t.event.type === 'network' && t.event.text.startsWith('RTO expired'))?.at ?? 0;
    const closedAt = r.witness.outcome.closedAt ?? 0;
    expect(closedAt - firstRto).toBeGreaterThanOrEqual(5 * S);
    expect(closedAt - firstRto).toBeLessThanOrEqual(5 * S + (5 * S) / 8);
    // The threshold is the abort itself: a reply read by then would have saved the connection.
    expect(closedAt).toBe(r.anchor.firstPingAt + r.threshold - 1);
  });
  it('v1.45.0: no such abort; keepalive closes after the next PING, at 125.035 s', () => {
    const r = findBreakThreshold(seedFlawChatty('60.025s', ['server.version=1.45.0']), 'reply-delay');
    expect(threshold(r)).toBe(65_005 * MS + 1);
    expect(r.kills && r.witness.outcome).toMatchObject({ cause: 'keepalive', closedAt: 125_035 * MS });
  });
});
