import { constantLinkRto, retransmitOffset } from '../break/rto-schedule.js';
import { clientKeepaliveTime } from '../../keepalive/params.js';
import { featuresOf, parseGrpcGoVersion } from '../../keepalive/versions.js';
import type { Scenario } from '../../scenario/schema.js';
import { SECOND, type Nanos } from '../../time/units.js';
import { tcpKeepaliveOf } from '../../sim/build-network.js';
import type { KeepaliveSetting } from './types.js';

/**
 * The false-kill probability of one keepalive cycle on an idle connection, in closed form
 * (docs/rates.md, "The exact value"). Server keepalive Time T, Timeout τ, TCP_USER_TIMEOUT = τ
 * (grpc-go v1.46+), a constant one-way delay each way (RTT = d_sc + d_cs), Bernoulli loss p_sc
 * (server to client) and p_cs, and the model's RTO: RTT + 200 ms after the first sample
 * (src/transport/tcp/rtt.ts), the k-th retransmission x_k = Σ_{i<k} min(120 s, RTO·2^i) after the
 * first (RTO·(2^k − 1) below the cap).
 *
 * A cycle starts when the server writes its PING (t = 0):
 * - the PING's transmissions leave at x_k while x_k < τ; the first to arrive is j-th:
 *   P(J = j) = p_sc^j (1 − p_sc);
 * - the client answers at once; its PING_ACK's transmissions leave x_j + d_sc + x_m; the first
 *   to arrive (m-th, P = p_cs^m (1 − p_cs)) is read at R = x_j + RTT + x_m;
 * - keepalive closes at τ unless R ≤ τ (R < τ under tieOrder "timers-first");
 * - the kernel aborts at τ (TCP_USER_TIMEOUT) unless the PING's own segment is acknowledged by τ:
 *   the client ACKs transmission j (lost with p_cs), then each later transmission k (x_k < τ) must
 *   arrive and be ACKed (q = 1 − (1 − p_sc)(1 − p_cs) to fail); the ACK of k lands at x_k + RTT.
 *   These packets are disjoint from the PING_ACK's, so given j the two are independent.
 * - a surviving cycle ends when the next PING is written, T after the read: length R + T.
 *   A killed cycle lasts τ.
 * Kill probabilities are summed from their own terms (geometric tails), never as 1 − survival,
 * so 1e-12 per cycle is computed as accurately as 0.3.
 */
export type IdleLink = {
  readonly time: Nanos;
  readonly timeout: Nanos;
  readonly delayServerToClient: Nanos;
  readonly delayClientToServer: Nanos;
  readonly lossServerToClient: number;
  readonly lossClientToServer: number;
  /** "reads-first": a read at the deadline saves the connection. */
  readonly readAtDeadlineSaves: boolean;
};

export type ExactCycle = {
  /** P(a cycle ends in a kill). */
  readonly perCycle: number;
  readonly byKeepalive: number;
  readonly byUserTimeout: number;
  /** Mean cycle length, killed cycles counted at τ (renewal-reward denominator), in ns. */
  readonly meanCycle: Nanos;
  /** Kills per connection-day: perCycle / meanCycle. */
  readonly perDay: number;
  /**
   * P(a surviving cycle leaves the client's PING_ACK unacknowledged when the next PING arrives):
   * the chance that the renewal assumption (each cycle starts with empty TCP queues) fails.
   */
  readonly carryOver: number;
  readonly rto: Nanos;
};

export function exactIdleCycle(l: IdleLink): ExactCycle {
  const rtt = l.delayServerToClient + l.delayClientToServer;
  const rto = constantLinkRto(rtt);
  if (rto === undefined) throw new RangeError(`exactIdleCycle: RTT ${rtt} ns is above 100 ms, where the RTO depends on the sample count`);
  const T = l.time;
  const tau = l.timeout;
  const ps = l.lossServerToClient;
  const pc = l.lossClientToServer;
  const q = 1 - (1 - ps) * (1 - pc);
  const x = (k: number): Nanos => retransmitOffset(rto, k);
  const inTime = (r: Nanos): boolean => (l.readAtDeadlineSaves ? r <= tau : r < tau);
  // Feasible first arrivals of the PING: its PING_ACK can still be read in time.
  let jMax = 0;
  while (x(jMax) < tau && inTime(x(jMax) + rtt)) jMax++;
  let byKeepalive = ps ** jMax; // no PING arrives early enough
  let byUserTimeout = 0;
  let survivingLength = 0;
  let carry = 0;
  const pJ = (j: number): number => ps ** j * (1 - ps);
  for (let j = 0; j < jMax; j++) {
    // PING_ACK transmissions that are read in time: m < mMax.
    let mMax = 0;
    while (inTime(x(j) + rtt + x(mMax))) mMax++;
    // Later PING transmissions whose ACK lands by τ (x_k < τ: the kernel aborts at τ instead).
    let kLate = 0;
    for (let k = j + 1; x(k) < tau && x(k) + rtt <= tau; k++) kLate++;
    const ackFails = x(j) + rtt <= tau ? pc * q ** kLate : 1;
    const readFails = pc ** mMax;
    byKeepalive += pJ(j) * readFails;
    byUserTimeout += pJ(j) * (1 - readFails) * ackFails;
    for (let m = 0; m < mMax; m++) {
      const p = pJ(j) * (1 - ackFails) * pc ** m * (1 - pc);
      survivingLength += p * (T + x(j) + rtt + x(m));
      carry += p * carryAfter(m);
    }
  }
  // The server's ACK of the PING_ACK is lost and every later round trip fails before the next PING arrives.
  function carryAfter(m: number): number {
    let sum = 0;
    for (let j2 = 0; x(j2) < tau; j2++) {
      let n = 0;
      for (let i = m + 1; x(i) <= x(m) + T + x(j2); i++) n++;
      sum += pJ(j2) * ps * q ** n;
    }
    return sum;
  }
  const perCycle = byKeepalive + byUserTimeout;
  const meanCycle = perCycle * tau + survivingLength;
  return { perCycle, byKeepalive, byUserTimeout, meanCycle, perDay: (perCycle / meanCycle) * 86_400 * SECOND, carryOver: carry, rto };
}

/** Why the closed form does not describe this scenario, or the link it does describe. */
export type ExactApplicability = { readonly ok: true; readonly link: IdleLink } | { readonly ok: false; readonly why: string };

/** The conditions under which `exactIdleCycle` is the scenario's exact per-cycle kill probability. */
export function idleExactApplies(sc: Scenario, s: KeepaliveSetting): ExactApplicability {
  const no = (why: string): ExactApplicability => ({ ok: false, why });
  if (s.side !== 'server') return no('the closed form covers server keepalive only');
  const f = featuresOf(parseGrpcGoVersion(sc.server.version));
  if (f.serverLoop !== 'last-read') return no('the server runs the pre-v1.26 activity-flag loop');
  if (!f.serverSetsTcpUserTimeout) return no('the server predates v1.46 (no TCP_USER_TIMEOUT): an unacknowledged PING can outlive its cycle');
  const time = Math.max(s.time, SECOND);
  const tau = s.timeout;
  if (tau <= 0) return no('Timeout must be positive');
  if (clientKeepaliveTime(sc.client.keepalive) !== undefined) return no('client keepalive is on');
  const k = sc.server.keepalive;
  if ((k.maxConnectionIdle ?? 0) > 0 || (k.maxConnectionAge ?? 0) > 0) return no('MaxConnectionIdle/MaxConnectionAge would drain the connection');
  for (const w of sc.workload) {
    if (w.type !== 'stream' || w.client !== undefined || w.server !== undefined || w.until !== undefined) return no('the workload is not idle (only open streams that carry no messages are)');
  }
  const net = sc.network;
  if (net.model !== 'tcp') return no('the network is not TCP');
  if (net.nat !== undefined) return no('a NAT is on the path');
  const loss: number[] = [];
  for (const dir of ['serverToClient', 'clientToServer'] as const) {
    const link = net[dir];
    if (link.delay.jitter !== 0) return no(`${dir} has jitter`);
    if (link.delay.base <= 0) return no(`${dir} has no delay`);
    if (link.rate !== undefined) return no(`${dir} has a rate limit`);
    if (link.loss.kind === 'gilbert-elliott') return no(`${dir} has bursty (Gilbert-Elliott) loss`);
    loss.push(link.loss.kind === 'bernoulli' ? link.loss.p : 0);
  }
  if (constantLinkRto(net.serverToClient.delay.base + net.clientToServer.delay.base) === undefined) return no('RTT above 100 ms: the RTO depends on the number of RTT samples');
  for (const p of ['server', 'client'] as const) {
    const r = sc[p].readerLatency;
    const t = sc[p].timerLateness;
    if (r.base !== 0 || r.jitter !== 0 || t.base !== 0 || t.jitter !== 0) return no(`the ${p} reads or fires timers late`);
  }
  const sk = tcpKeepaliveOf(sc, 'server');
  if (sk !== undefined && sk.idle <= Math.max(time, tau)) return no(`the server's TCP keepalive (idle ${sk.idle / SECOND} s) can probe within a cycle (needs Time and Timeout below it)`);
  const ck = tcpKeepaliveOf(sc, 'client');
  if (ck !== undefined && ck.idle + ck.count * ck.interval <= time + 2 * tau) return no("the client's TCP keepalive could abort within a cycle");
  return {
    ok: true,
    link: {
      time,
      timeout: tau,
      delayServerToClient: net.serverToClient.delay.base,
      delayClientToServer: net.clientToServer.delay.base,
      lossServerToClient: loss[0] as number,
      lossClientToServer: loss[1] as number,
      readAtDeadlineSaves: sc.tieOrder === 'reads-first',
    },
  };
}
