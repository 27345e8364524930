import type { Scenario } from '../../scenario/schema.js';
import { createRng } from '../../time/rng.js';
import { runScenario } from '../../sim/world.js';
import type { Nanos } from '../../time/units.js';
import { closeMechanism, countBy, healthyScenario, replicaSeed, warmUp } from './scenario-setting.js';
import type { CloseMechanism, Detection, KeepaliveSetting } from './types.js';

/** Longest wait for a close after the death: two keepalive cycles plus tcp_retries2's 924.6 s and some. */
export function detectionHorizon(s: KeepaliveSetting): Nanos {
  return 2 * (s.time + s.timeout) + 1_000 * 1e9;
}

/** When replica `i` kills the peer: uniform over one span of Time + Timeout after the warm-up. */
export function deathTime(seed: number, s: KeepaliveSetting, i: number): Nanos {
  const u = createRng(replicaSeed(seed, s, 'detect', i)).nextFloat();
  return warmUp(s) + Math.floor(u * (s.time + s.timeout));
}

/**
 * Detection latency: replicas of the healthy scenario in which the peer opposite the setting's
 * side (the client for a server setting) crashes silently (the `crash` fault: no FIN, no RST,
 * nothing in flight delivered) at deathTime(...). Latency = close time − death. A replica whose
 * connection was killed before the death is a false kill, not a detection: it is skipped and
 * another seed drawn (at most 4 × replicas attempts).
 */
export function detectionLatency(sc: Scenario, s: KeepaliveSetting, opts: { readonly seed: number; readonly replicas: number }): Detection & { readonly skipped: number } {
  const dead = s.side === 'server' ? 'client' : 'server';
  const lat: number[] = [];
  const by: Partial<Record<CloseMechanism, number>> = {};
  let undetected = 0;
  let skipped = 0;
  for (let i = 0; lat.length + undetected < opts.replicas && i < 4 * opts.replicas; i++) {
    const at = deathTime(opts.seed, s, i);
    const base = healthyScenario(sc, s, at + detectionHorizon(s));
    const run = runScenario({ ...base, faults: [{ type: 'crash', peer: dead, at }] }, { seed: replicaSeed(opts.seed, s, 'detect', i), trace: false });
    const o = run.outcome;
    if (o.closed && o.closedAt !== undefined && o.closedAt < at) {
      skipped++;
      continue;
    }
    if (!o.closed || o.closedAt === undefined) {
      undetected++;
      continue;
    }
    lat.push((o.closedAt - at) / 1e6);
    countBy(by, closeMechanism(run));
  }
  lat.sort((a, b) => a - b);
  return { p50Ms: quantile(lat, 0.5), p99Ms: quantile(lat, 0.99), maxMs: lat.length === 0 ? Number.NaN : (lat[lat.length - 1] as number), undetected, replicas: lat.length + undetected, by, skipped };
}

/** Nearest-rank quantile of sorted values; NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}
