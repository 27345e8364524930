import { describeFrame } from '../../frames/frame.js';
import { assertNever } from '../../lib/assert-never.js';
import { DIRECTIONS } from '../../scenario/schema.js';
import { formatDuration } from '../../time/duration.js';
import { MILLISECOND, type Nanos } from '../../time/units.js';
import { modelTimeoutMs } from '../../transport/linux/socket-timers.js';
import { isKeepaliveAck } from './anchor.js';
import type { FamilyContext, FaultFamily } from './families.js';

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
    const budget = modelTimeoutMs(sc.client.kernel.hz, sc.network.tcp.retries2) * MILLISECOND;
    if (sc.network.model === 'tcp' && anchor.replyWrittenAt + budget <= deadline) return `the client's kernel may give up on the ACK segment before the server's deadline: tcp_retries2 ${sc.network.tcp.retries2} allows ${formatDuration(budget)} of retransmissions, counted from the first RTO retransmission`;
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

/**
 * Why a family that loses or blackholes the reply's segments has no closed form over the TCP
 * model: Linux's retransmission schedule is a tail loss probe (2 SRTT + 200 ms, capped by the
 * RTO) and then RTOs doubling from SRTT + RTTVAR, where SRTT carries the peer's delayed ACKs, and
 * every timer fires on the kernel's timer wheel, up to 1/8 of its delay late depending on where
 * the host is on its tick grid. The search still finds the threshold on the simulator; the
 * schedule itself is checked against a real kernel (docs/validation.md, "Real kernel").
 */
const TCP_SCHEDULE_WHY =
  "over TCP the reply's retransmission schedule (a tail loss probe, then RTOs doubling from a delayed-ACK-dependent SRTT, each timer on the kernel's timer wheel) has no closed form; the threshold is the simulator's, and the schedule is checked against a real kernel";

function consecutiveLosses(ctx: FamilyContext): ClosedForm {
  void ctx;
  return { value: null, why: TCP_SCHEDULE_WHY };
}

/**
 * The blackhole [T0, T0 + x) loses every client-to-server packet leaving in it. On the scripted
 * network the held frames are released, in order, when it ends. Over TCP the reply gets through
 * on the first retransmission leaving after T0 + x, on Linux's schedule (TCP_SCHEDULE_WHY).
 */
function blackhole(ctx: FamilyContext): ClosedForm {
  const { scenario: sc, anchor } = ctx;
  const t0 = anchor.firstPingAt;
  if (sc.network.model === 'scripted') {
    // Held frames are released at the blackhole's end plus the one-way delay, in order.
    const c2s = sc.network.clientToServer.delay.base;
    const latency = sc.server.readerLatency.base;
    const tie = tieTerm(ctx);
    const value = Math.max(anchor.replyWrittenAt - t0 + 1, ctx.baseline.serverConfig.timeout + tie.ns - c2s - latency);
    return { value, formula: `${tie.text}, less the one-way delay and reader latency the released ACK still needs; at least until the ACK is written` };
  }
  return { value: null, why: TCP_SCHEDULE_WHY };
}
