import type { Actor } from '../../conn/types.js';
import { describeFrame, frameSize, type Frame } from '../../frames/frame.js';
import { assertNever } from '../../lib/assert-never.js';
import { DIRECTIONS } from '../../scenario/schema.js';
import { formatDuration } from '../../time/duration.js';
import type { Nanos } from '../../time/units.js';
import { LINUX_TCP, retransmissionBudget } from '../../transport/tcp/linux-constants.js';
import { isKeepaliveAck } from './anchor.js';
import type { FamilyContext, FaultFamily } from './families.js';
import { MAX_CONSECUTIVE_LOSSES } from './families.js';
import { constantLinkRto, retransmitOffset } from './rto-schedule.js';

/**
 * Closed-form thresholds, derived from grpc-go's server keepalive loop (docs/model.md,
 * `(*http2Server).keepalive`): after the PING at T0 the server closes at T0 + Timeout unless it has
 * read something since; a read at exactly the deadline counts under the default tieOrder
 * "reads-first" (the read goes first), not under "timers-first". So a fault kills iff the first
 * read after T0 comes later than T0 + Timeout ("reads-first") or at it or later ("timers-first"),
 * and the smallest killing reply time is Timeout + 1 ns, or Timeout.
 *
 * Each form holds only under conditions, checked here against the scenario and its baseline run;
 * when one fails the answer is `null` with the reason, never a guess. See docs/break.md.
 */
export type ClosedForm = { readonly value: number; readonly formula: string } | { readonly value: null; readonly why: string };

export function closedFormThreshold(family: FaultFamily, ctx: FamilyContext): ClosedForm {
  const obstacle = commonObstacle(family, ctx);
  if (obstacle !== undefined) return { value: null, why: obstacle };
  switch (family) {
    case 'reply-delay':
      return replyDelay(ctx);
    case 'reader-stall':
    case 'transfer-stall':
      return readerStall(ctx);
    case 'consecutive-losses':
      return consecutiveLosses(ctx);
    case 'blackhole':
      return blackhole(ctx);
    default:
      return assertNever(family, 'fault family');
  }
}

/** 1 ns under "reads-first" (a read at the deadline saves), 0 under "timers-first". */
function tieTerm(ctx: FamilyContext): { readonly ns: Nanos; readonly text: string } {
  return ctx.scenario.tieOrder === 'reads-first'
    ? { ns: 1, text: 'Timeout + 1ns (a read at the deadline still counts: tieOrder reads-first)' }
    : { ns: 0, text: 'Timeout (the timer fires before a read at the same instant: tieOrder timers-first)' };
}

/** Does a reply read `offset` after T0 come too late? */
function tooLate(ctx: FamilyContext, offset: Nanos): boolean {
  const timeout = ctx.baseline.serverConfig.timeout;
  return ctx.scenario.tieOrder === 'reads-first' ? offset > timeout : offset >= timeout;
}

/** Families whose fault holds the ACK's own segment (its TCP data stays unacknowledged). */
const holdsReply = (f: FaultFamily): boolean => f === 'reply-delay' || f === 'consecutive-losses' || f === 'blackhole';

/** Conditions every closed form needs: the server's deadline is T0 + Timeout and nothing else closes first. */
function commonObstacle(family: FaultFamily, ctx: FamilyContext): string | undefined {
  const { scenario: sc, baseline, anchor } = ctx;
  const t0 = anchor.firstPingAt;
  const timeout = baseline.serverConfig.timeout;
  const deadline = t0 + timeout;
  if (sc.server.timerLateness.base !== 0 || sc.server.timerLateness.jitter !== 0) return "the server's Go timers fire late (server.timerLateness), so its deadline is not T0 + Timeout";
  if (sc.server.readerLatency.jitter > 0) return "the server's reader latency is random, so the reply's read is not pinned to its arrival";
  for (const dir of DIRECTIONS) {
    const link = sc.network[dir];
    if (link.delay.jitter > 0) return `${dir} has jitter: the ACK's own delay is drawn, so the threshold moves with the draws`;
    if (link.loss.kind !== 'none') return `${dir} loses packets at random: a loss adds a retransmission timeout to the reply`;
  }
  if (sc.network.nat !== undefined) return 'a NAT on the path may forget the flow while the reply is held';
  if (deadline > sc.horizon) return `the server's deadline (T0 + Timeout = ${formatDuration(deadline)}) falls after the ${formatDuration(sc.horizon)} horizon`;
  if (anchor.baselineRoundTrip > timeout) return `the baseline reply already takes ${formatDuration(anchor.baselineRoundTrip)}, more than Timeout`;
  const o = baseline.outcome;
  if (o.closed && o.closedAt !== undefined && o.closedAt <= deadline + 1) return `the baseline run closes at ${formatDuration(o.closedAt)} (${o.cause ?? 'closed'}), within Timeout of the PING`;
  for (const t of baseline.trace) {
    if (t.seq <= anchor.firstPingSeq || t.at > deadline) continue;
    if (t.actor === 'server' && t.actions.some((a) => a.type === 'sendFrame' && a.frame.type === 'GOAWAY')) return `the server drains (GOAWAY) at ${formatDuration(t.at)}, within Timeout of the PING`;
    // Over TCP and the scripted network alike, frames the client writes after the ACK arrive behind
    // it; a frame written before the ACK and read after T0 would count as a read of its own.
    if (holdsReply(family) && t.seq < anchor.replyReadSeq && t.actor === 'server' && t.event.type === 'frameRead' && !isKeepaliveAck(t.event.frame)) {
      return `in the baseline the server reads ${describeFrame(t.event.frame)} at ${formatDuration(t.at)}, after its PING and before the ACK: that read resets the keepalive check on its own`;
    }
  }
  const client = baseline.clientConfig;
  if (client.time !== undefined) {
    // The client's own keepalive: its next PING comes at least Time after its last read (of our
    // PING, at replyWrittenAt), and, unanswered, closes Timeout later.
    const own = anchor.replyWrittenAt + client.time + client.timeout;
    if (own <= deadline) return `the client's keepalive (Time ${formatDuration(client.time)}, Timeout ${formatDuration(client.timeout)}) may close the connection at ${formatDuration(own)}, before the server's deadline`;
  }
  if (holdsReply(family)) {
    const ut = client.tcpUserTimeout;
    if (ut !== undefined && anchor.replyWrittenAt + ut <= deadline) return `the client's TCP_USER_TIMEOUT (${formatDuration(ut)}) aborts its socket over the unacknowledged ACK segment before the server's deadline`;
    const budget = retransmissionBudget(sc.network.tcp.retries2);
    if (sc.network.model === 'tcp' && anchor.replyWrittenAt + budget <= deadline) return `the client's kernel gives up on the ACK segment after ${formatDuration(budget)} (tcp_retries2 ${sc.network.tcp.retries2}), before the server's deadline`;
  }
  return undefined;
}

function replyDelay(ctx: FamilyContext): ClosedForm {
  if (ctx.scenario.network.clientToServer.rate !== undefined) {
    return { value: null, why: "clientToServer has a rate: the hold counts from the ACK's write, the round trip from its serialized departure, so the threshold shifts by the ACK's serialization time" };
  }
  const tie = tieTerm(ctx);
  return { value: ctx.baseline.serverConfig.timeout + tie.ns, formula: tie.text };
}

function readerStall(ctx: FamilyContext): ClosedForm {
  // The ACK has arrived (unread) by T0 + baselineRoundTrip <= T0 + Timeout, so the reader, back at
  // T0 + x, reads it then: the first read after T0 is at max(T0 + x, T0 + baselineRoundTrip).
  const tie = tieTerm(ctx);
  return { value: ctx.baseline.serverConfig.timeout + tie.ns, formula: `${tie.text}; the stalled reader reads the waiting ACK the moment it resumes` };
}

/** The constant-delay facts the TCP forms need, or why they are not constant. */
function tcpFacts(ctx: FamilyContext): { rtt: Nanos; rto: Nanos; c2s: Nanos; latency: Nanos } | string {
  const { scenario: sc, anchor } = ctx;
  for (const dir of DIRECTIONS) if (sc.network[dir].rate !== undefined) return `${dir} has a rate: segments queue for the link, so retransmissions do not leave on the RTO schedule alone`;
  const c2s = sc.network.clientToServer.delay.base;
  const rtt = c2s + sc.network.serverToClient.delay.base;
  const latency = sc.server.readerLatency.base;
  const predicted = anchor.replyWrittenAt + c2s + latency - anchor.firstPingAt;
  if (predicted !== anchor.baselineRoundTrip) return `the baseline round trip (${formatDuration(anchor.baselineRoundTrip)}) is not the ACK's write + one-way delay + reader latency (${formatDuration(predicted)})`;
  const rto = constantLinkRto(rtt);
  // SIMPLIFICATION: computed from the link delays as the simulator would, not read from the run
  // (RunResult does not expose the RTT estimator); see rto-schedule.ts.
  if (rto === undefined) return `the round trip (${formatDuration(rtt)}) is over ${formatDuration(LINUX_TCP.minRto / 2)}: the RTO then depends on how many RTT samples each side took`;
  return { rtt, rto, c2s, latency };
}

/**
 * Frames `who` writes in (from, to] of the baseline run that a faulty run writes too, before the
 * reply is read. Left out are writes that only follow a server read after T0: in the families
 * that hold the reply, every client frame after it reaches the server in order behind it, so the
 * server reads nothing after T0 until the reply (commonObstacle checks no frame comes before it).
 * Those are the server's writes while handling a read (a new keepalive PING once the reply clears
 * `outstandingPing`, WINDOW_UPDATE and BDP PING after DATA, ...) and the client's answers to them
 * (the ACK of that PING, ...). The PING itself and its ACK are left out too.
 */
function writesBetween(ctx: FamilyContext, who: Actor, from: Nanos, to: Nanos): { readonly at: Nanos; readonly frame: Frame }[] {
  const { anchor, baseline } = ctx;
  const key = (at: Nanos, f: Frame): string => `${at}|${JSON.stringify(f)}`;
  const afterServerRead = new Set<string>();
  const out: { at: Nanos; frame: Frame }[] = [];
  for (const t of baseline.trace) {
    const sends = t.actions.flatMap((a) => (a.type === 'sendFrame' ? [a.frame] : []));
    const late = t.seq > anchor.firstPingSeq;
    const followsRead =
      late && t.event.type === 'frameRead' && (t.actor === 'server' || (t.sentAt !== undefined && afterServerRead.has(key(t.sentAt, t.event.frame))));
    for (const f of sends) {
      // A later keepalive PING needs `outstandingPing` cleared, by a read.
      const nextPing = late && t.actor === 'server' && f.type === 'PING' && !f.ack && f.payload === 'keepalive';
      if (t.actor === 'server' && (followsRead || nextPing)) afterServerRead.add(key(t.at, f));
      if (followsRead || nextPing || t.at <= from || t.at > to || t.actor !== who) continue;
      const isPing = t.actor === 'server' && t.seq === anchor.firstPingSeq && f.type === 'PING' && !f.ack;
      const isReply = t.actor === 'client' && t.at === anchor.replyWrittenAt && f.type === 'PING' && f.ack && f.payload === 'keepalive';
      if (isPing || isReply) continue;
      out.push({ at: t.at, frame: f });
    }
  }
  return out;
}

/**
 * Client segments written after the ACK but before the server's deadline arrive out of order
 * behind the held-up ACK; each draws a duplicate ACK, and the third triggers a fast retransmit
 * that cuts the backoff short (RFC 5681). Fewer than three cannot.
 */
function fastRetransmitRisk(ctx: FamilyContext): string | undefined {
  const { anchor } = ctx;
  const writes = writesBetween(ctx, 'client', anchor.replyWrittenAt, anchor.firstPingAt + ctx.baseline.serverConfig.timeout);
  const mss = ctx.scenario.network.tcp.mss;
  const segments = writes.reduce((n, w) => n + Math.ceil(frameSize(w.frame) / mss), 0);
  if (segments < LINUX_TCP.dupAckThreshold) return undefined;
  return `in the baseline the client writes ${segments} segments (from ${describeFrame((writes[0] as { frame: Frame }).frame)} at ${formatDuration((writes[0] as { at: Nanos }).at)}) between the ACK and the deadline: their duplicate ACKs can fast-retransmit the ACK early`;
}

function consecutiveLosses(ctx: FamilyContext): ClosedForm {
  const facts = tcpFacts(ctx);
  if (typeof facts === 'string') return { value: null, why: facts };
  const { anchor } = ctx;
  // Only the client's segments after the ACK matter here: the server's own segments are
  // acknowledged as usual and do not move the client's retransmissions.
  const risk = fastRetransmitRisk(ctx);
  if (risk !== undefined) return { value: null, why: risk };
  // The k-th retransmission leaves retransmitOffset(RTO, k) after the first transmission and is
  // read that much after the baseline reply.
  for (let k = 1; k <= MAX_CONSECUTIVE_LOSSES; k++) {
    if (tooLate(ctx, anchor.baselineRoundTrip + retransmitOffset(facts.rto, k))) {
      return {
        value: k,
        formula: `the smallest k with roundTrip + RTO·(2^k − 1) ${ctx.scenario.tieOrder === 'reads-first' ? '>' : '>='} Timeout, RTO = SRTT + max(4·RTTVAR, 200ms) = ${formatDuration(facts.rto)} on a constant ${formatDuration(facts.rtt)} round trip (computed from the link delays, not read from the run): ${formatDuration(anchor.baselineRoundTrip)} + ${formatDuration(retransmitOffset(facts.rto, k))}`,
      };
    }
  }
  return { value: null, why: `even ${MAX_CONSECUTIVE_LOSSES} losses bring the reply within Timeout` };
}

/**
 * The blackhole [T0, T0 + x) loses every client-to-server packet leaving in it: the ACK's
 * transmissions, and the client's TCP ACKs of the server's PING segment. Over TCP the reply gets
 * through at the first transmission leaving at or after T0 + x, so x kills once it covers the
 * last transmission that would still be read in time. A v1.46+ server also sets TCP_USER_TIMEOUT:
 * its PING segment must be acknowledged within it, by a client ACK answering one of the PING's
 * own retransmissions, or the kernel aborts the socket (a kill too).
 */
function blackhole(ctx: FamilyContext): ClosedForm {
  const { scenario: sc, anchor } = ctx;
  const t0 = anchor.firstPingAt;
  const s2c = sc.network.serverToClient.delay.base;
  if (sc.network.model === 'scripted') {
    // Held frames are released at the blackhole's end plus the one-way delay, in order.
    const c2s = sc.network.clientToServer.delay.base;
    const latency = sc.server.readerLatency.base;
    const tie = tieTerm(ctx);
    const value = Math.max(anchor.replyWrittenAt - t0 + 1, ctx.baseline.serverConfig.timeout + tie.ns - c2s - latency);
    return { value, formula: `${tie.text}, less the one-way delay and reader latency the released ACK still needs; at least until the ACK is written` };
  }
  const facts = tcpFacts(ctx);
  if (typeof facts === 'string') return { value: null, why: facts };
  const risk = fastRetransmitRisk(ctx);
  if (risk !== undefined) return { value: null, why: risk };
  // The last transmission of the ACK that is still read in time.
  let j = 0;
  while (!tooLate(ctx, anchor.baselineRoundTrip + retransmitOffset(facts.rto, j + 1))) j++;
  const replyBound = anchor.replyWrittenAt + retransmitOffset(facts.rto, j) - t0 + 1;
  const replyText = `just past the departure of the ACK's last transmission still read in time (transmission ${j + 1}, ${formatDuration(replyBound - 1)} after T0, RTO ${formatDuration(facts.rto)} doubling)`;
  const ut = ctx.baseline.serverConfig.tcpUserTimeout;
  if (ut === undefined) return { value: replyBound, formula: replyText };
  // Other server segments near the PING draw client ACKs the blackhole loses too (and one sent
  // just before T0 would start TCP_USER_TIMEOUT earlier than the PING).
  const other = writesBetween(ctx, 'server', t0 - facts.rtt, t0 + ctx.baseline.serverConfig.timeout)[0];
  if (other !== undefined) {
    return { value: null, why: `in the baseline the server writes ${describeFrame(other.frame)} at ${formatDuration(other.at)}, near the PING: under TCP_USER_TIMEOUT its acknowledgement, lost in the blackhole too, counts` };
  }
  // The client answers the PING's i-th transmission (leaving T0 + offset_i, the server's RTO being
  // the same on this symmetric constant link) on arrival; the answer must reach the server by
  // T0 + TCP_USER_TIMEOUT (arrivals go before kernel timers at one instant).
  let k = 0;
  for (;;) {
    const next = retransmitOffset(facts.rto, k + 1);
    if (next >= ut || next + facts.rtt > ut) break;
    k++;
  }
  const ackBound = retransmitOffset(facts.rto, k) + s2c + 1;
  if (ackBound >= replyBound) {
    return { value: replyBound, formula: `${replyText}; TCP_USER_TIMEOUT ${formatDuration(ut)} needs no less (the PING's own TCP ACK gets through until ${formatDuration(ackBound - 1)} after T0)` };
  }
  // Below replyBound the reply is read in time, and whatever the server writes next draws a
  // cumulative client ACK that acknowledges the PING too: answers to client frames queued behind
  // the reply, or its next keepalive PING, at least Time after that read.
  const queued = writesBetween(ctx, 'client', anchor.replyWrittenAt, t0 + ut)[0];
  if (queued !== undefined) {
    return { value: null, why: `under TCP_USER_TIMEOUT the PING's acknowledgement can also come from the server's answer to ${describeFrame(queued.frame)} (written by the client at ${formatDuration(queued.at)}), read after the late reply` };
  }
  const time = ctx.baseline.serverConfig.time;
  if (anchor.baselineRoundTrip + time + facts.rtt <= ut) {
    return { value: null, why: `under TCP_USER_TIMEOUT the PING's acknowledgement can also come from the server's next keepalive PING, Time (${formatDuration(time)}) after the late reply is read` };
  }
  return { value: ackBound, formula: `TCP_USER_TIMEOUT ${formatDuration(ut)}: just past the client's TCP ACK of the PING's last in-time transmission (${formatDuration(ackBound - 1)} after T0), before the ACK's own bound (${formatDuration(replyBound - 1)})` };
}
