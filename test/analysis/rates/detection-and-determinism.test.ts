/** Detection of a dead client under the seed's v1.46+ setting, and seeded determinism. */
import { describe, expect, it } from 'vitest';
import { detectionLatency, evaluateCell } from '../../../src/analysis/rates/index.js';
import { GO_DEFAULT_TCP_KEEPALIVE } from '../../../src/sim/build-network.js';
import { parseScenario } from '../../../src/scenario/load.js';
import { MILLISECOND, SECOND } from '../../../src/time/units.js';

describe('Time 60s / Timeout 5s (v1.83.1 server, TCP_USER_TIMEOUT 5 s), client dies silently on a quiet 10 ms link', () => {
  const sc = parseScenario({ name: 'dead', server: { version: '1.83.1', keepalive: { time: '60s', timeout: '5s' } } }, 'test');
  const time = 60 * SECOND;
  const timeout = 5 * SECOND;
  const rtt = 20 * MILLISECOND;
  const { idle, interval } = GO_DEFAULT_TCP_KEEPALIVE;
  const d = detectionLatency(sc, { side: 'server', time, timeout }, { seed: 3, replicas: 200 });
  // Go's TCP keepalive runs on both sockets; whichever side has been quiet for `idle` probes and
  // the other answers, so the server hears something at least every idle + RTT. Let L be its last
  // receipt before the death D (D − L < idle + RTT). Ways to notice:
  // - TCP keepalive: the probe at L + idle goes unanswered; at L + idle + interval nothing has come
  //   back for more than TCP_USER_TIMEOUT (5 s) with a probe out: the kernel aborts.
  // - gRPC keepalive: a PING written before that instant keeps the kernel quiet (data
  //   unacknowledged) and keepalive closes at PING + Timeout, at the latest L + idle + interval + Timeout.
  //   The PING left after D − RTT (an earlier one would have been answered), so latency > Timeout − RTT.
  const lowest = timeout - rtt;
  const highest = idle + interval + timeout;

  it('every replica detects the death, by keepalive or by the kernel\'s TCP keepalive', () => {
    expect(d.undetected).toBe(0);
    expect(d.replicas).toBe(200);
    expect(Object.keys(d.by).sort()).toEqual(['keepalive', 'tcp-keepalive']);
  });
  it('latencies lie in the window the mechanisms predict', () => {
    expect(d.maxMs).toBeLessThanOrEqual(highest / MILLISECOND);
    expect(d.p50Ms).toBeGreaterThan(lowest / MILLISECOND);
    expect(d.p50Ms).toBeLessThanOrEqual(highest / MILLISECOND);
  });

  it('without the server\'s TCP keepalive only gRPC keepalive detects: next PING + Timeout', () => {
    const off = detectionLatency({ ...sc, server: { ...sc.server, tcpKeepalive: 'off' } }, { side: 'server', time, timeout }, { seed: 3, replicas: 200 });
    expect(off.by).toEqual({ keepalive: 200 });
    // The first PING after the death goes at most Time + RTT later (one cycle), the close Timeout after it.
    expect(off.maxMs).toBeLessThanOrEqual((time + rtt + timeout) / MILLISECOND);
    // The death falls uniformly over the cycle, so the median waits half a cycle plus Timeout.
    expect(Math.abs(off.p50Ms - (time / 2 + timeout) / MILLISECOND)).toBeLessThan(6_000);
  });
});

describe('determinism', () => {
  const sc = parseScenario(
    { name: 'lossy', server: { keepalive: { time: '20s', timeout: '2s' } }, network: { clientToServer: { delay: '30ms', jitter: '5ms', loss: { model: 'bernoulli', p: 0.05 } }, serverToClient: { delay: '30ms', loss: { model: 'bernoulli', p: 0.05 } } } },
    'test',
  );
  const s = { side: 'server', time: 20 * SECOND, timeout: 2 * SECOND } as const;
  it('the same seed gives the same figures; another seed other Monte Carlo draws', () => {
    const a = evaluateCell(sc, s, { seed: 11, cycles: 2_000, detectReplicas: 20 });
    const b = evaluateCell(sc, s, { seed: 11, cycles: 2_000, detectReplicas: 20 });
    const c = evaluateCell(sc, s, { seed: 12, cycles: 2_000, detectReplicas: 20 });
    expect(a.falseKills.method).toBe('monte-carlo');
    expect(b).toEqual(a);
    expect(c.falseKills.kills === a.falseKills.kills && c.detection.p50Ms === a.detection.p50Ms).toBe(false);
  });
  it('a cell does not depend on what was evaluated before it', () => {
    const first = evaluateCell(sc, s, { seed: 5, cycles: 1_000, detectReplicas: 10 });
    evaluateCell(sc, { ...s, timeout: 4 * SECOND }, { seed: 5, cycles: 1_000, detectReplicas: 10 });
    expect(evaluateCell(sc, s, { seed: 5, cycles: 1_000, detectReplicas: 10 })).toEqual(first);
  });
});
