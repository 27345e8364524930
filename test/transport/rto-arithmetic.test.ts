/**
 * Over TCP a lost ACK is late, not lost: with Bernoulli loss p on the client-to-server direction of
 * an idle link, the segment carrying each PING ACK is lost k times in a row with probability
 * p^k·(1 − p), and its copies leave on Linux's schedule: the tail loss probe, then each RTO twice
 * the one before (up to 1/8 late on the timer wheel). Fixed seed; tolerances are 5 binomial
 * standard errors.
 */
import { describe, expect, it } from 'vitest';
import type { PacketRecord } from '../../src/sim/packet-record.js';
import { MS, run } from '../support/run.js';

const P = 0.2;
const RTT = 100 * MS;

describe('PING ACK transmissions under Bernoulli loss', () => {
  const packets: PacketRecord[] = [];
  const r = run(
    {
      seed: 42,
      horizon: '6h',
      server: { keepalive: { time: '10s', timeout: '1h' }, tcpKeepalive: 'off' },
      client: { tcpKeepalive: 'off' },
      network: {
        clientToServer: { delay: '50ms', loss: { model: 'bernoulli', p: P } },
        serverToClient: { delay: '50ms' },
      },
      workload: [{ type: 'stream', at: '0s' }],
    },
    { trace: true, onPacket: (p) => packets.push(p) },
  );
  // Each keepalive PING ACK's segment, and every copy of it, by its first byte.
  const bySeq = new Map<number, PacketRecord[]>();
  for (const p of packets) {
    if (p.from !== 'client' || p.kind !== 'data' || !(p.frames ?? []).some((s) => s.frame.type === 'PING' && s.frame.ack && s.frame.payload === 'keepalive')) continue;
    bySeq.set(p.seq, [...(bySeq.get(p.seq) ?? []), p]);
  }
  const groups = [...bySeq.values()].filter((g) => g.some((p) => p.arriveAt !== undefined));
  const losses = groups.map((g) => g.findIndex((p) => p.arriveAt !== undefined));

  it('every ACK gets through in the end, on its first copy that is not lost', () => {
    expect(groups.length).toBeGreaterThan(2000);
    expect(r.outcome.closed).toBe(false);
    for (const [i, g] of groups.entries()) expect(g.slice(0, losses[i]).every((p) => p.lost === true)).toBe(true);
  });

  it('k consecutive losses happen with probability p^k·(1 − p)', () => {
    const n = losses.length;
    for (const k of [0, 1, 2, 3]) {
      const expected = P ** k * (1 - P);
      const observed = losses.filter((x) => x === k).length / n;
      const sigma = Math.sqrt((expected * (1 - expected)) / n);
      expect(Math.abs(observed - expected)).toBeLessThan(5 * sigma);
    }
  });

  it('the copies leave on the tail-loss-probe-then-RTO schedule: the probe first (unless one is still pending from the last loss), then each gap twice the last', () => {
    const long = groups.filter((g, i) => (losses[i] as number) >= 3);
    expect(long.length).toBeGreaterThan(10);
    // Linux sends one probe per episode: after a probe repaired a loss, tlp_high_seq stays set
    // until an ACK beyond it, so a loss right after goes to the RTO (tcp_process_tlp_ack).
    const firsts = long.map((g) => g[1]?.retransmit);
    expect(firsts.filter((f) => f === 'tlp').length).toBeGreaterThan(firsts.length / 2);
    for (const g of long) {
      expect(g[0]?.retransmit).toBeUndefined();
      expect(['tlp', 'rto']).toContain(g[1]?.retransmit);
      expect(g.slice(2).every((p) => p.retransmit === 'rto')).toBe(true);
      const gaps = g.slice(1).map((p, i) => p.departAt - (g[i] as PacketRecord).departAt);
      // The probe goes no later than an RTO would have, at least 2 SRTT + 200 ms or the RTO.
      expect(gaps[0]).toBeGreaterThanOrEqual(RTT + 200 * MS);
      for (let i = 2; i < gaps.length; i++) {
        const want = 2 * (gaps[i - 1] as number);
        expect(Math.abs((gaps[i] as number) - want)).toBeLessThanOrEqual(want / 8);
      }
    }
  });
});
