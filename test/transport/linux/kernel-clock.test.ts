import { describe, expect, it } from 'vitest';
import { kernelTimerFiresAt, createKernelClock, jiffiesAt, tickStart, wheelFireTick } from '../../../src/transport/linux/kernel-clock.js';
import { createRttEstimator, rttSample } from '../../../src/transport/linux/rtt-estimator.js';
import { modelTimeoutMs } from '../../../src/transport/linux/socket-timers.js';

// Expected values below are worked by hand from kernel/time/timer.c (calc_index: the bucket
// expiry is ((expires >> shift) + 1) << shift, shift 3 per level, level n starting at 63 << 3(n-1)
// ticks), net/ipv4/tcp_input.c (tcp_rtt_estimator, tcp_set_rto) and tcp_timer.c (tcp_model_timeout).
describe('Linux timer wheel', () => {
  const c = createKernelClock(250, 1000, 0);

  it('fires a level-0 timer one tick after its expiry', () => {
    expect(wheelFireTick(c, 1000, 1050)).toBe(1051); // 200 ms
    expect(wheelFireTick(c, 1000, 1062)).toBe(1063); // 62 ticks: still level 0
  });

  it('rounds longer timers up to their level granularity, past the expiry', () => {
    expect(wheelFireTick(c, 1000, 1063)).toBe(1064); // 63 ticks: level 1, granularity 8
    expect(wheelFireTick(c, 1000, 1100)).toBe(1104); // 400 ms
    expect(wheelFireTick(c, 1000, 1104)).toBe(1112); // on a bucket boundary: the next bucket
    expect(wheelFireTick(c, 1000, 1250)).toBe(1256); // 1 s
    expect(wheelFireTick(c, 1000, 1000 + 15000)).toBe(16384); // 60 s, level 3 (granularity 512)
  });

  it('places virtual time on the tick grid given by base and phase', () => {
    const p = createKernelClock(250, 500, 1_000_000); // time 0 is 1 ms into tick 500
    expect(jiffiesAt(p, 0)).toBe(500);
    expect(jiffiesAt(p, 2_999_999)).toBe(500);
    expect(jiffiesAt(p, 3_000_000)).toBe(501);
    expect(tickStart(p, 501)).toBe(3_000_000);
    // A 200 ms timer armed at time 0 (tick 500) expires at tick 550 and runs at the start of 551.
    expect(kernelTimerFiresAt(p, 0, 50)).toBe(51 * 4_000_000 - 1_000_000);
  });
});

describe('Linux RTT estimator', () => {
  it('sets RTO to SRTT plus an RTTVAR floored at TCP_RTO_MIN, in whole jiffies', () => {
    const c = createKernelClock(250, 0, 0);
    const e = createRttEstimator(c);
    expect(e.rto).toBe(250); // TCP_TIMEOUT_INIT, 1 s
    rttSample(e, c, 100, 1, 1); // loopback: 100 us
    expect(e.rto).toBe(51); // ceil((100 + 200000) us / 4000) = 51 jiffies = 204 ms
    const d = createRttEstimator(c);
    rttSample(d, c, 40_000, 1, 1);
    expect(d.rto).toBe(60); // 40 ms + 200 ms
  });
});

describe('tcp_model_timeout', () => {
  it('is 924.6 s for the default tcp_retries2 15, at any HZ', () => {
    expect(modelTimeoutMs(1000, 15)).toBe(924_600);
    expect(modelTimeoutMs(250, 15)).toBe(924_600);
    expect(modelTimeoutMs(250, 8)).toBe(102_200); // (2^9 - 1) * 200 ms
  });
});
