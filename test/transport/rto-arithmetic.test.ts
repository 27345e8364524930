/**
 * Over TCP a lost ACK is late, not lost: with Bernoulli loss p on the client-to-server direction of
 * an idle link, the server's PING-to-ACK time is RTT + RTO·(2^k − 1) when the ACK's segment is lost
 * k times in a row, which happens with probability p^k·(1 − p). Fixed seed; tolerances are 5
 * binomial standard errors.
 */
import { describe, expect, it } from 'vitest';
import { MS, run } from '../support/run.js';

const P = 0.2;
const RTT = 100 * MS;
// SRTT 100 ms, RTTVAR small: RTO = SRTT + max(4·RTTVAR, 200 ms) = 300 ms.
const RTO = 300 * MS;

describe('PING-to-ACK delay under Bernoulli loss', () => {
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
    { trace: true },
  );
  const pings = r.trace.filter((t) => t.actor === 'server' && t.actions.some((a) => a.type === 'sendFrame' && a.frame.type === 'PING' && !a.frame.ack && a.frame.payload === 'keepalive')).map((t) => t.at);
  const acks = r.trace.filter((t) => t.actor === 'server' && t.event.type === 'frameRead' && t.event.frame.type === 'PING' && t.event.frame.ack && t.event.frame.payload === 'keepalive').map((t) => t.at);
  const delays = acks.map((a, i) => a - (pings[i] ?? 0));
  const losses = delays.map((d) => Math.log2((d - RTT) / RTO + 1));

  it('every delay is exactly RTT + RTO·(2^k − 1) for a whole k', () => {
    expect(delays.length).toBeGreaterThan(2000);
    for (const k of losses) expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-6);
  });

  it('k consecutive losses happen with probability p^k·(1 − p)', () => {
    const n = losses.length;
    for (const k of [0, 1, 2, 3]) {
      const expected = P ** k * (1 - P);
      const observed = losses.filter((x) => Math.round(x) === k).length / n;
      const sigma = Math.sqrt((expected * (1 - expected)) / n);
      expect(Math.abs(observed - expected)).toBeLessThan(5 * sigma);
    }
  });
});
