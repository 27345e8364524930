import { frameSize, type Frame } from '../../frames/frame.js';
import type { Scenario } from '../../scenario/schema.js';
import { runScenario } from '../../sim/world.js';
import { HEADER_BYTES } from '../../sim/network-tcp.js';
import { HOUR_NS, healthyScenario, replicaSeed, warmUp } from './scenario-setting.js';
import type { Cost, KeepaliveSetting } from './types.js';

/**
 * What keepalive costs on a healthy connection, counted on one traced run of the scenario with
 * the setting applied, no faults and no loss (so the run lasts; the figure is keepalive's own
 * traffic), over max(1 h, 20 cycles) after the warm-up.
 *
 * Bytes: every keepalive PING and keepalive PING ACK a side writes is one TCP segment of
 * frameSize (17 B) + 52 B of IPv4/TCP headers; the peer's kernel answers each with a 52-byte pure
 * ACK, counted in the other direction. SIMPLIFICATION: retransmissions, TCP keepalive probes and
 * BDP PINGs are not counted.
 */
export function keepaliveCost(sc: Scenario, s: KeepaliveSetting, seed: number): Cost {
  const w = warmUp(s);
  const span = Math.max(HOUR_NS, 20 * s.time);
  const lossless: Scenario = {
    ...sc,
    network: { ...sc.network, clientToServer: { ...sc.network.clientToServer, loss: { kind: 'none' } }, serverToClient: { ...sc.network.serverToClient, loss: { kind: 'none' } } },
  };
  const r = runScenario(healthyScenario(lossless, s, w + span), { seed: replicaSeed(seed, s, 'healthy', 0), trace: true });
  const pings = { server: 0, client: 0 };
  const bytes = { server: 0, client: 0 };
  const isKeepalive = (f: Frame): boolean => f.type === 'PING' && f.payload === 'keepalive';
  for (const t of r.trace) {
    if (t.at < w) continue;
    const peer = t.actor === 'server' ? 'client' : 'server';
    for (const a of t.actions) {
      if (a.type !== 'sendFrame' || !isKeepalive(a.frame)) continue;
      if (a.frame.type === 'PING' && !a.frame.ack) pings[t.actor]++;
      bytes[t.actor] += frameSize(a.frame) + HEADER_BYTES;
      bytes[peer] += HEADER_BYTES;
    }
  }
  const end = r.outcome.closed && r.outcome.closedAt !== undefined ? r.outcome.closedAt : w + span;
  const hours = Math.max(0, end - w) / HOUR_NS;
  const per = (n: number): number => (hours > 0 ? n / hours : 0);
  return {
    pingsPerHour: { serverToClient: per(pings.server), clientToServer: per(pings.client) },
    bytesPerHour: { serverToClient: per(bytes.server), clientToServer: per(bytes.client) },
  };
}
