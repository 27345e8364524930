import type { Frame } from '../../frames/frame.js';
import type { RunResult } from '../../sim/world.js';
import type { Nanos } from '../../time/units.js';

/**
 * Where `break` puts its fault: the server's FIRST keepalive PING of a baseline run (the scenario
 * without any fault), and how its ACK travelled in that run.
 */
export type BreakAnchor = {
  /** T0: when the server sent its first keepalive PING (the kpTimer fire that wrote it). */
  readonly firstPingAt: Nanos;
  /** `seq` of that trace record: records at T0 with a larger `seq` came after the PING. */
  readonly firstPingSeq: number;
  /** From that PING's send to the server's read of its ACK, in the baseline run. */
  readonly baselineRoundTrip: Nanos;
  /** When the client read the PING and wrote the ACK. */
  readonly replyWrittenAt: Nanos;
  /** When the server read the ACK (`firstPingAt + baselineRoundTrip`). */
  readonly replyReadAt: Nanos;
  /** `seq` of that read's trace record. */
  readonly replyReadSeq: number;
};

export const isKeepalivePing = (f: Frame): boolean => f.type === 'PING' && !f.ack && f.payload === 'keepalive';
export const isKeepaliveAck = (f: Frame): boolean => f.type === 'PING' && f.ack && f.payload === 'keepalive';

/** The trace record in which the server first sent a keepalive PING, if it did. */
export function firstKeepalivePing(r: RunResult): { readonly at: Nanos; readonly seq: number } | undefined {
  for (const t of r.trace) {
    if (t.actor === 'server' && t.actions.some((a) => a.type === 'sendFrame' && isKeepalivePing(a.frame))) return { at: t.at, seq: t.seq };
  }
  return undefined;
}

/**
 * The anchor of a traced baseline run: `undefined` when the server sends no keepalive PING, or
 * when the ACK of its first one is never read (then `pingAt` says when the PING went).
 */
export function findBreakAnchor(r: RunResult): { readonly anchor: BreakAnchor } | { readonly anchor: undefined; readonly pingAt: Nanos | undefined } {
  const ping = firstKeepalivePing(r);
  if (ping === undefined) return { anchor: undefined, pingAt: undefined };
  const pingAt = ping.at;
  let replyWrittenAt: Nanos | undefined;
  for (const t of r.trace) {
    if (t.seq <= ping.seq) continue;
    if (replyWrittenAt === undefined) {
      if (t.actor === 'client' && t.actions.some((a) => a.type === 'sendFrame' && isKeepaliveAck(a.frame))) replyWrittenAt = t.at;
    } else if (t.actor === 'server' && t.event.type === 'frameRead' && isKeepaliveAck(t.event.frame)) {
      return { anchor: { firstPingAt: pingAt, firstPingSeq: ping.seq, baselineRoundTrip: t.at - pingAt, replyWrittenAt, replyReadAt: t.at, replyReadSeq: t.seq } };
    }
  }
  return { anchor: undefined, pingAt };
}
