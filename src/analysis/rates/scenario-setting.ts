import type { Scenario } from '../../scenario/schema.js';
import type { RunResult } from '../../sim/world.js';
import type { Nanos } from '../../time/units.js';
import type { CloseMechanism, KeepaliveSetting } from './types.js';

/**
 * The scenario a setting is evaluated on, and the seeds of its replicas.
 *
 * Healthy replicas keep the scenario's network (delay, jitter, loss, rate, NAT), peers and
 * workload, and drop every scripted fault: a fault is one incident at a fixed instant (a held
 * ACK, a crash, a partition), and repeating it in every replica would measure that incident, not
 * the rate at which the network itself kills. Detection replicas add one crash of their own.
 */
export function applySetting(sc: Scenario, s: KeepaliveSetting): Scenario {
  if (s.side === 'server') return { ...sc, server: { ...sc.server, keepalive: { ...sc.server.keepalive, time: s.time, timeout: s.timeout } } };
  return { ...sc, client: { ...sc.client, keepalive: { permitWithoutStream: false, ...sc.client.keepalive, time: s.time, timeout: s.timeout } } };
}

/** The scenario with the setting applied, no scripted faults, and the given horizon. */
export function healthyScenario(sc: Scenario, s: KeepaliveSetting, horizon: Nanos): Scenario {
  return { ...applySetting(sc, s), faults: [], horizon };
}

/** Warm-up before anything is counted: connection setup (RTO still 1 s, no RTT sample) and the first cycles. */
export function warmUp(s: KeepaliveSetting): Nanos {
  return 3 * (s.time + s.timeout);
}

/**
 * Seed of replica `i` for this setting: a hash of the base seed, the setting and `i` only, so a
 * cell's figures do not depend on which worker evaluates it or in what order.
 */
export function replicaSeed(base: number, s: KeepaliveSetting, stream: 'healthy' | 'detect', i: number): number {
  let h = mix(base >>> 0);
  for (const v of [s.side === 'server' ? 1 : 2, stream === 'healthy' ? 1 : 2, ...splitNanos(s.time), ...splitNanos(s.timeout), i]) h = mix((h ^ v) >>> 0);
  return h;
}

/** A nanosecond count as two 32-bit words (exact up to 2^53). */
function splitNanos(ns: Nanos): [number, number] {
  return [ns % 0x1_0000_0000 >>> 0, Math.floor(ns / 0x1_0000_0000) >>> 0];
}

/** murmur3's 32-bit finalizer after a golden-ratio step. */
function mix(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** What closed the connection: the closing side's cause, and for a kernel abort which rule fired. */
export function closeMechanism(r: RunResult): CloseMechanism {
  const o = r.outcome;
  if (o.cause === 'keepalive') return 'keepalive';
  if (o.cause === 'tcp_abort' && o.closedBy !== undefined) {
    switch (o[o.closedBy].kernelAbort) {
      case 'user-timeout':
        return 'tcp-user-timeout';
      case 'retransmissions':
        return 'retransmissions';
      case 'tcp-keepalive':
        return 'tcp-keepalive';
      default:
        return 'other';
    }
  }
  return 'other';
}

export function countBy(into: Partial<Record<CloseMechanism, number>>, m: CloseMechanism): void {
  into[m] = (into[m] ?? 0) + 1;
}

export const DAY: Nanos = 86_400 * 1e9;
export const HOUR_NS: Nanos = 3_600 * 1e9;
