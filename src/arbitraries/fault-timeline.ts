import fc from 'fast-check';
import type { Fault } from '../scenario/schema.js';
import { MILLISECOND, type Nanos } from '../time/units.js';

/**
 * Fault timelines that leave both peers alive: late replies, one-way outages, stalled readers,
 * stopped processes and runs of lost segments. Sizes are whole milliseconds, so a shrunk
 * counterexample reads like the seed: "one ACK, 5.001 s late".
 *
 * Every fault is anchored to the server's first keepalive PING at `anchor` (its send time in a
 * baseline run), offset by a few seconds at most, because that is where keepalive can be broken.
 * Shrinking goes toward fewer faults, smaller sizes and zero offsets.
 */
export type FaultTimelineConstraints = {
  /** When the server sends its first keepalive PING in the baseline run. */
  readonly anchor: Nanos;
  /** PING-to-ACK time of the baseline run (a late reply of size x is held x minus this). */
  readonly roundTrip: Nanos;
  /**
   * The longest the faults together may hold up any frame, counting TCP's backoff: a late reply
   * counts its extra delay, a stall or pause its length, an outage of L up to 2L + RTO (the
   * retransmission after it), k lost segments RTO·(2^k − 1). What the network can do at worst.
   */
  readonly maxDelay: Nanos;
  /** @default 3 */
  readonly maxFaults?: number;
  /** Segment losses are possible only on the TCP network. @default true */
  readonly tcp?: boolean;
  /** Largest offset from the anchor. @default 2 s */
  readonly maxOffset?: Nanos;
};

/** A fault the hunt can add, with its size as the peer experiences it. */
export type HuntFault =
  | { readonly kind: 'late-reply'; readonly nth: number; readonly replyMs: number }
  | { readonly kind: 'outage'; readonly direction: 'clientToServer' | 'serverToClient'; readonly offsetMs: number; readonly lengthMs: number }
  | { readonly kind: 'reader-stall'; readonly peer: 'server' | 'client'; readonly offsetMs: number; readonly lengthMs: number }
  | { readonly kind: 'pause'; readonly peer: 'server' | 'client'; readonly offsetMs: number; readonly lengthMs: number }
  | { readonly kind: 'lost-ack'; readonly nth: number; readonly times: number };

export function faultTimelineArbitrary(c: FaultTimelineConstraints): fc.Arbitrary<HuntFault[]> {
  const maxMs = Math.max(1, Math.floor(c.maxDelay / MILLISECOND));
  const minReplyMs = Math.ceil(c.roundTrip / MILLISECOND);
  const offsetMs = fc.integer({ min: 0, max: Math.floor((c.maxOffset ?? 2000 * MILLISECOND) / MILLISECOND) });
  const size = fc.integer({ min: 1, max: maxMs });
  const kinds: fc.Arbitrary<HuntFault>[] = [
    fc.record({ kind: fc.constant('late-reply' as const), nth: fc.integer({ min: 1, max: 3 }), replyMs: fc.integer({ min: minReplyMs, max: Math.max(minReplyMs, maxMs) }) }),
    fc.record({ kind: fc.constant('outage' as const), direction: fc.constantFrom('clientToServer' as const, 'serverToClient' as const), offsetMs, lengthMs: size }),
    fc.record({ kind: fc.constant('reader-stall' as const), peer: fc.constantFrom('server' as const, 'client' as const), offsetMs, lengthMs: size }),
    fc.record({ kind: fc.constant('pause' as const), peer: fc.constantFrom('client' as const, 'server' as const), offsetMs, lengthMs: size }),
  ];
  if (c.tcp ?? true) kinds.push(fc.record({ kind: fc.constant('lost-ack' as const), nth: fc.integer({ min: 1, max: 3 }), times: fc.integer({ min: 1, max: 8 }) }));
  return fc
    .array(fc.oneof(...kinds), { minLength: 1, maxLength: c.maxFaults ?? 3 })
    .filter((faults) => faults.reduce((sum, f) => sum + worstDelayMs(f, c), 0) <= maxMs);
}

/**
 * How long one fault can hold up a frame, in ms. The RTO is estimated as Linux sets it on a
 * steady link, the round trip plus 200 ms.
 * SIMPLIFICATION: faults are summed as if independent, but a late reply is an RTT sample that
 * inflates the kernel's RTO for the losses after it, so a combination within this bound can hold
 * a later frame longer (docs/properties.md, `bounded-delay`).
 */
export function worstDelayMs(f: HuntFault, c: Pick<FaultTimelineConstraints, 'roundTrip'>): number {
  const rtMs = c.roundTrip / MILLISECOND;
  const rtoMs = rtMs + 200;
  switch (f.kind) {
    case 'late-reply':
      return Math.max(0, f.replyMs - rtMs);
    case 'outage':
      return 2 * f.lengthMs + rtoMs;
    case 'lost-ack':
      return rtoMs * (2 ** f.times - 1);
    default:
      return f.lengthMs;
  }
}

/** The scenario faults a hunt fault becomes. Late replies of size x hold the ACK x - roundTrip. */
export function toScenarioFault(f: HuntFault, c: Pick<FaultTimelineConstraints, 'anchor' | 'roundTrip'>): Fault {
  const ms = (n: number): Nanos => n * MILLISECOND;
  switch (f.kind) {
    case 'late-reply':
      return { type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: f.nth, by: Math.max(0, ms(f.replyMs) - c.roundTrip) };
    case 'outage':
      return { type: 'blackhole', direction: f.direction, from: c.anchor + ms(f.offsetMs), until: c.anchor + ms(f.offsetMs + f.lengthMs) };
    case 'reader-stall':
      return { type: 'readerStall', peer: f.peer, from: c.anchor + ms(f.offsetMs), until: c.anchor + ms(f.offsetMs + f.lengthMs) };
    case 'pause':
      return { type: 'pause', peer: f.peer, from: c.anchor + ms(f.offsetMs), until: c.anchor + ms(f.offsetMs + f.lengthMs) };
    case 'lost-ack':
      return { type: 'loseFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: f.nth, times: f.times };
    default:
      return f satisfies never;
  }
}

/** One hunt fault in words, with its size as the peer experiences it. */
export function describeHuntFault(f: HuntFault): string {
  const s = (n: number): string => `${(n / 1000).toFixed(3)} s`;
  switch (f.kind) {
    case 'late-reply':
      return `the ACK of keepalive PING #${f.nth} reaches the server ${s(f.replyMs)} after the PING`;
    case 'outage':
      return `${f.direction} drops every packet for ${s(f.lengthMs)}, from ${s(f.offsetMs)} after the first PING`;
    case 'reader-stall':
      return `the ${f.peer}'s reader stalls for ${s(f.lengthMs)}, from ${s(f.offsetMs)} after the first PING`;
    case 'pause':
      return `the ${f.peer} process stops for ${s(f.lengthMs)}, from ${s(f.offsetMs)} after the first PING`;
    case 'lost-ack':
      return `the segment carrying the ACK of keepalive PING #${f.nth} is lost ${f.times} time(s) in a row`;
    default:
      return f satisfies never;
  }
}

/** The size of a hunt fault, for comparing counterexamples (ms, or losses). */
export function huntFaultSize(f: HuntFault): number {
  switch (f.kind) {
    case 'late-reply':
      return f.replyMs;
    case 'lost-ack':
      return f.times;
    default:
      return f.lengthMs;
  }
}
