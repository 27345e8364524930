import type { Actor } from '../../conn/types.js';
import type { Frame } from '../../frames/frame.js';
import type { Scenario } from '../../scenario/schema.js';
import { runScenario } from '../../sim/world.js';
import { HEADER_BYTES } from '../../sim/network-tcp.js';
import type { PacketRecord } from '../../sim/packet-record.js';
import { HOUR_NS, healthyScenario, replicaSeed, warmUp } from './scenario-setting.js';
import type { Cost, KeepaliveSetting } from './types.js';

/**
 * What keepalive costs on a healthy connection, counted on the packets of one run of the scenario
 * with the setting applied, no faults and no loss (so the run lasts; the figure is keepalive's
 * own traffic), over max(1 h, 20 cycles) after the warm-up.
 *
 * Bytes, per direction, as the kernel sends them: a segment that carries only keepalive PINGs
 * and PING ACKs counts whole (its keepalive frames' bytes plus 52 B of IPv4/TCP headers); one that
 * also carries other frames counts only the keepalive frames' bytes (the headers were going out
 * anyway); a pure ACK counts 52 B when it is the first packet to acknowledge such a
 * keepalive-only segment of the peer's (an ACK riding on data costs nothing). So a PING's own ACK, which rides on the PING ACK, costs nothing extra,
 * and the PING ACK's, usually a delayed pure ACK, costs 52 B. SIMPLIFICATION: TCP keepalive
 * probes and BDP PINGs are not counted (they are not gRPC keepalive's).
 */
export function keepaliveCost(sc: Scenario, s: KeepaliveSetting, seed: number): Cost {
  const w = warmUp(s);
  const span = Math.max(HOUR_NS, 20 * s.time);
  const lossless: Scenario = {
    ...sc,
    network: { ...sc.network, clientToServer: { ...sc.network.clientToServer, loss: { kind: 'none' } }, serverToClient: { ...sc.network.serverToClient, loss: { kind: 'none' } } },
  };
  const pings = { server: 0, client: 0 };
  const bytes = { server: 0, client: 0 };
  /** Per sender: ends of its keepalive-only segments not yet acknowledged by a pure ACK counted here. */
  const unacked: Record<Actor, number[]> = { server: [], client: [] };
  const isKeepalive = (f: Frame): boolean => f.type === 'PING' && f.payload === 'keepalive';
  const onPacket = (p: PacketRecord): void => {
    if (p.departAt < w) return;
    const peer: Actor = p.from === 'server' ? 'client' : 'server';
    // Whatever this packet acknowledges of the peer's keepalive segments is acknowledged: only a
    // pure ACK doing so costs its own 52 B (an ACK on data, or on a keepalive probe's answer
    // after the fact, rides along).
    const pending = unacked[peer];
    if (pending.length > 0 && pending[0] !== undefined && pending[0] <= p.ack && p.kind !== 'rst') {
      if (p.kind === 'ack') bytes[p.from] += HEADER_BYTES;
      unacked[peer] = pending.filter((end) => end > p.ack);
    }
    if (p.kind === 'data') {
      const frames = (p.frames ?? []).filter((f) => f.start < p.seq + p.len && p.seq < f.end);
      const ka = frames.filter((f) => isKeepalive(f.frame));
      if (ka.length === 0) return;
      for (const f of ka) if (f.frame.type === 'PING' && !f.frame.ack && f.end <= p.seq + p.len && f.end > p.seq && (p.tx ?? 1) === 1) pings[p.from]++;
      const kaBytes = ka.reduce((n, f) => n + Math.min(f.end, p.seq + p.len) - Math.max(f.start, p.seq), 0);
      const only = ka.length === frames.length;
      bytes[p.from] += kaBytes + (only ? HEADER_BYTES : 0);
      if (only) unacked[p.from].push(p.seq + p.len);
    }
  };
  const r = runScenario(healthyScenario(lossless, s, w + span), { seed: replicaSeed(seed, s, 'healthy', 0), trace: false, onPacket });
  const end = r.outcome.closed && r.outcome.closedAt !== undefined ? r.outcome.closedAt : w + span;
  const hours = Math.max(0, end - w) / HOUR_NS;
  const per = (n: number): number => (hours > 0 ? n / hours : 0);
  return {
    pingsPerHour: { serverToClient: per(pings.server), clientToServer: per(pings.client) },
    bytesPerHour: { serverToClient: per(bytes.server), clientToServer: per(bytes.client) },
  };
}
