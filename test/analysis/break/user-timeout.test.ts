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

describe('blackhole with a slow client reader (1 s per frame): TCP_USER_TIMEOUT does change it', () => {
  // The blackhole also loses the client's TCP ACKs of the PING. They leave on the PING's own
  // retransmission schedule (T0 + 10 ms + 220 ms·(2^k − 1)), the ACK 1 s later on its own.
  it('v1.83.1: 3.31 s + 1 ns, a kernel abort when the PING stays unacknowledged for 5 s', () => {
    const r = findBreakThreshold(builtin('seed-flaw', ['client.readerLatency=1s']), 'blackhole');
    expect(threshold(r)).toBe(3_310 * MS + 1);
    expect(r.exact).toBe(3_310 * MS + 1);
    expect(r.kills && r.witness.outcome).toMatchObject({ closedBy: 'server', cause: 'tcp_abort', reason: 'read: connection timed out' });
  });
  it('v1.45.0: 4.31 s + 1 ns, keepalive, once the blackhole covers the ACK\'s 4th retransmission', () => {
    const r = findBreakThreshold(builtin('seed-flaw', ['client.readerLatency=1s', 'server.version=1.45.0']), 'blackhole');
    expect(threshold(r)).toBe(4_310 * MS + 1);
    expect(r.exact).toBe(4_310 * MS + 1);
    expect(r.kills && r.witness.outcome.cause).toBe('keepalive');
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
  it('v1.83.1: the server\'s answers to it (WINDOW_UPDATE, BDP PING) wait for TCP ACKs queued behind the held ACK: kernel abort 5 s later', () => {
    const r = findBreakThreshold(seedFlawChatty('60.025s'), 'reply-delay');
    expect(r.exact).toBeNull();
    expect(threshold(r)).toBe(5_005 * MS + 1);
    expect(r.kills && r.witness.outcome).toMatchObject({ cause: 'tcp_abort', closedAt: 65_035 * MS });
  });
  it('v1.45.0: no such abort; keepalive closes after the next PING, at 125.035 s', () => {
    const r = findBreakThreshold(seedFlawChatty('60.025s', ['server.version=1.45.0']), 'reply-delay');
    expect(threshold(r)).toBe(65_005 * MS + 1);
    expect(r.kills && r.witness.outcome).toMatchObject({ cause: 'keepalive', closedAt: 125_035 * MS });
  });
});
